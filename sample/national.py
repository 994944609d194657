"""Scale mode: a synthetic country on the real national division list, for benchmarks.

2,978 county-level units in 342 prefectures (``dbt_project/seeds/regions.csv``), 2016 to October
2026: about 2万 production-safety accidents and 2万 deaths a year in total (times the factor of
``national-2x`` / ``national-4x``), disaster records per event and county (about 1亿 person-times
affected a year), forest fires, a zero report for every quiet unit-month, statistics for every
unit, and plan tables (``plans/``) giving every prefecture the standard 14th-plan targets and an
illustrative 15th plan (示例). Plain UTF-8 CSV, one file per province and year (per province and
plan for plans), written with fast string joins.
"""

from __future__ import annotations

import csv
import math
import random
from bisect import bisect
from collections import defaultdict
from datetime import date
from itertools import accumulate
from pathlib import Path

from pipelines import settings

from .layout import ACC_CANON, DIS_CANON, FIRE_CANON, STAT_CANON
from .plans import CANON as PLAN_HEADER
from .plans import NATIONAL_PLANS, PlanFile, plan_cells
from .readme import marker_text, national_readme
from .records import days_in_month as _dim
from .records import fire_grade, severity_rule
from .summary import MARKER, GenerationSummary

REGIONS_CSV = settings.REGIONS_CSV  # the national division list, one home: dbt_project/seeds/regions.csv
FIRST_YEAR, LAST_YEAR, LAST_MONTH = 2016, 2026, 10
AS_OF = "2026-11-26"
COAL_PROVINCES = {
    "14",
    "15",
    "61",
    "65",
    "52",
    "37",
    "41",
    "23",
    "34",
    "13",
    "62",
    "64",
    "53",
    "51",
    "22",
    "21",
}
SECTORS = {  # sector: weight (煤矿 only where there is coal output)
    "道路运输": 0.30,
    "建筑业": 0.20,
    "工贸": 0.12,
    "其他工矿商贸": 0.08,
    "金属非金属矿山": 0.04,
    "化工（危险化学品）": 0.03,
    "烟花爆竹": 0.005,
    "火灾": 0.06,
    "水上运输": 0.03,
    "渔业船舶": 0.03,
    "农业机械": 0.02,
    "铁路运输": 0.04,
    "航空运输": 0.001,
}
TYPES = {
    "道路运输": "车辆伤害",
    "建筑业": "高处坠落",
    "工贸": "机械伤害",
    "其他工矿商贸": "物体打击",
    "金属非金属矿山": "坍塌",
    "化工（危险化学品）": "中毒和窒息",
    "烟花爆竹": "火药爆炸",
    "火灾": "火灾",
    "水上运输": "淹溺",
    "渔业船舶": "淹溺",
    "农业机械": "机械伤害",
    "铁路运输": "车辆伤害",
    "航空运输": "其它伤害",
    "煤矿": "冒顶片帮",
}
DEATHS = (0, 1, 2, 3, 4, 5, 6, 8, 10, 13)
DEATH_W = (0.13, 0.77, 0.065, 0.018, 0.007, 0.004, 0.002, 0.0012, 0.0005, 0.0003)
DEATH_CUM = list(accumulate(DEATH_W))
SERIOUS = (0, 0, 0, 1, 2, 3, 12)
HAZARDS = {
    "洪涝": 0.3,
    "干旱": 0.15,
    "风雹": 0.2,
    "台风": 0.05,
    "低温冷冻": 0.08,
    "雪灾": 0.05,
    "地质灾害": 0.07,
    "地震": 0.03,
    "森林草原火灾": 0.03,
    "沙尘暴": 0.02,
    "生物灾害": 0.02,
}


_DIM = {(y, m): _dim(y, m) for y in range(2010, 2031) for m in range(1, 13)}


def days_in_month(y: int, m: int) -> int:
    return _DIM[(y, m)]


def trend(year: int) -> float:
    """Relative level of accidents: falling from 1.3 (2016) to 0.9 (2025)."""
    return 1.3 - 0.4 * (min(year, 2025) - 2016) / 9


def _poisson(rng: random.Random, lam: float) -> int:
    if lam > 50:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _months(year: int) -> range:
    return range(1, (LAST_MONTH if year == LAST_YEAR else 12) + 1)


def _csv_line(values) -> str:
    out = []
    for v in values:
        s = "" if v is None else str(v)
        if any(c in s for c in ',"\n'):
            s = '"' + s.replace('"', '""') + '"'
        out.append(s)
    return ",".join(out)


def _load_regions():
    with REGIONS_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    # parents are looked up among non-county rows: 东莞/中山/儋州 are county-level rows whose parent is
    # the prefecture of the same code
    parents = {r["region_code"]: r for r in rows if r["level"] != "county"}
    county_rows = {r["region_code"]: r for r in rows if r["level"] == "county"}

    def up(code: str, level: str) -> str:
        r = county_rows[code]
        for _ in range(10):
            r = parents.get(r["parent_code"]) or county_rows[r["parent_code"]]
            if r["level"] == level:
                return r["region_code"]
        raise ValueError(f"no {level} above {code}")

    counties = [r for r in rows if r["level"] == "county"]
    for c in counties:
        c["prefecture"] = up(c["region_code"], "prefecture")
        c["province"] = up(c["region_code"], "province")
    prefectures = [r for r in rows if r["level"] == "prefecture"]
    provinces = {r["region_code"]: r["region_name"] for r in rows if r["level"] == "province"}
    return counties, prefectures, provinces


def _plan_region_name(prefecture: dict, provinces: dict[str, str]) -> str:
    """北京市市辖区, not 市辖区: a generic prefecture name gets its province's."""
    name = prefecture["region_name"]
    if name in ("市辖区", "县") or name.endswith("直辖县级行政区划"):
        return provinces.get(prefecture["parent_code"], "") + name
    return name


class _Writer:
    def __init__(self, root: Path):
        self.root = root
        self.files: dict[str, int] = defaultdict(int)
        self.bytes: dict[str, int] = defaultdict(int)
        self.rows: dict[str, int] = defaultdict(int)
        self.zero: dict[str, int] = defaultdict(int)

    def write(self, source: str, name: str, header: list[str], lines: list[str], zero: int) -> None:
        path = self.root / source / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = ("\r\n".join([",".join(header), *lines]) + "\r\n").encode("utf-8")
        path.write_bytes(data)
        self.files[source] += 1
        self.bytes[source] += len(data)
        self.rows[source] += len(lines) - zero
        self.zero[source] += zero


def generate_national(out_dir: Path, seed: int, factor: int = 1) -> GenerationSummary:
    rng = random.Random(seed)
    counties, prefectures, provinces = _load_regions()
    w = _Writer(out_dir)
    # --- unit profiles (2020 values, growth per year) --------------------------------------------
    prov_pc = {p: rng.uniform(4.0, 16.0) for p in sorted(provinces)}  # GDP per head, 万元
    prof = {}
    for c in counties:
        code = c["region_code"]
        pop = round(min(300.0, max(2.0, rng.lognormvariate(math.log(40), 0.6))), 2)  # 万人
        coal = 0.0
        if code[:2] in COAL_PROVINCES and rng.random() < 0.25:
            coal = round(rng.lognormvariate(math.log(600), 1.0), 1)
        prof[code] = {
            "pop": pop,
            "pop_g": rng.uniform(-0.012, 0.008),
            "gdp": pop * prov_pc[c["province"]] * rng.uniform(0.6, 1.5),
            "gdp_g": rng.uniform(0.03, 0.08),
            "workers": pop * rng.uniform(0.08, 0.22),
            "vehicles": pop * 10000 * rng.uniform(0.004, 0.014),
            "coal": coal,
            "forest": round(rng.lognormvariate(math.log(30000), 1.2)),
            "risk": pop * rng.uniform(0.5, 1.6),
        }
    codes = [c["region_code"] for c in counties]
    prov_of = {c["region_code"]: c["province"] for c in counties}
    by_prov: dict[str, list[dict]] = defaultdict(list)
    for c in counties:
        by_prov[c["province"]].append(c)
    cum_risk = []
    acc = 0.0
    for code in codes:
        acc += prof[code]["risk"]
        cum_risk.append(acc)
    forest_w = []
    acc = 0.0
    for code in codes:
        acc += prof[code]["forest"]
        forest_w.append(acc)

    years = range(FIRST_YEAR, LAST_YEAR + 1)
    # --- accidents -------------------------------------------------------------------------------
    sectors = list(SECTORS)
    sector_cum = list(accumulate(SECTORS[s] for s in sectors))
    for year in years:
        months = list(_months(year))
        n = round(20000 * factor * trend(year) * len(months) / 12)
        picks = rng.choices(codes, cum_weights=cum_risk, k=n)
        per_prov: dict[str, list[tuple]] = defaultdict(list)
        seq: dict[tuple[str, int], int] = defaultdict(int)
        covered: set[tuple[str, int]] = set()
        for code in picks:
            m = rng.choice(months)
            day = rng.randint(1, days_in_month(year, m))
            sector = sectors[bisect(sector_cum, rng.random() * sector_cum[-1])]
            if prof[code]["coal"] > 0 and rng.random() < 0.08:
                sector = "煤矿"
            deaths = DEATHS[bisect(DEATH_CUM, rng.random() * DEATH_CUM[-1])]
            missing = 1 if deaths and sector in ("水上运输", "渔业船舶") and rng.random() < 0.4 else 0
            serious = SERIOUS[int(rng.random() * 7)]
            minor = rng.randint(0, 3)
            loss = round(
                deaths * rng.uniform(30, 180) + serious * rng.uniform(3, 25) + rng.uniform(0.2, 20), 1
            )
            seq[(code, m)] += 1
            covered.add((code, m))
            rd = date(year, m, min(days_in_month(year, m), day + rng.randint(0, 3)))
            opveh = ("是" if rng.random() < 0.4 else "否") if sector == "道路运输" else ""
            row = (
                f"{code}{year}{m:02d}{seq[(code, m)]:04d}",
                f"{year}-{m:02d}-{day:02d} {rng.randint(0, 23):02d}:{rng.choice((0, 15, 30, 45)):02d}",
                code,
                "",
                "",
                sector,
                "",
                TYPES[sector],
                deaths - missing,
                missing,
                serious,
                minor,
                loss,
                severity_rule(deaths, serious, loss),
                opveh,
                "",
                "",
                rd.isoformat(),
            )
            per_prov[prov_of[code]].append(row)
        _flush_events(
            w, "accidents", year, months, by_prov, provinces, per_prov, covered, ACC_CANON, date_pos=1
        )
    # --- disasters -------------------------------------------------------------------------------
    by_pref: dict[str, list[dict]] = defaultdict(list)
    for c in counties:
        by_pref[c["prefecture"]].append(c)
    hazards = list(HAZARDS)
    hazard_w = [HAZARDS[h] for h in hazards]
    for year in years:
        months = list(_months(year))
        per_prov = defaultdict(list)
        covered = set()
        for prov in sorted(by_prov):
            prefs = sorted({c["prefecture"] for c in by_prov[prov]})
            n_events = _poisson(rng, 25 * factor * len(months) / 12)
            for k in range(n_events):
                hazard = rng.choices(hazards, weights=hazard_w)[0]
                m = rng.choice(months)
                start = date(year, m, rng.randint(1, days_in_month(year, m)))
                end = date(year, m, min(days_in_month(year, m), start.day + rng.randint(0, 6)))
                pref = rng.choice(prefs)
                hit = rng.sample(by_pref[pref], min(len(by_pref[pref]), rng.randint(1, 8)))
                eid = f"{prov}{year}{k + 1:04d}"
                for c in sorted(hit, key=lambda c: c["region_code"]):
                    code = c["region_code"]
                    covered.add((code, m))
                    affected = int(prof[code]["pop"] * 10000 * rng.uniform(0.02, 0.12))
                    dead = _poisson(rng, 0.12)
                    miss = _poisson(rng, 0.03)
                    crop = round(affected * rng.uniform(0.01, 0.1), 1)
                    failed = round(crop * rng.uniform(0, 0.2), 1)
                    collapsed = _poisson(rng, 3)
                    loss = round(affected * rng.uniform(0.02, 0.2), 1)
                    relocated = int(affected * rng.uniform(0, 0.03))
                    for stage, f, rd in (("初报", 0.6, start), ("核报", 1.0, end)):
                        per_prov[prov].append(
                            (
                                eid,
                                hazard,
                                start.isoformat(),
                                end.isoformat(),
                                code,
                                "",
                                int(affected * f),
                                dead,
                                miss,
                                int(relocated * f),
                                int(affected * f * 0.03),
                                round(crop * f, 1),
                                round(failed * f, 1),
                                int(collapsed * f),
                                int(collapsed * f * 3),
                                int(collapsed * f * 10),
                                round(loss * f, 1),
                                stage,
                                (
                                    rd
                                    if stage == "初报"
                                    else min(date(2026, 11, 20), date.fromordinal(end.toordinal() + 30))
                                ).isoformat(),
                            )
                        )
        _flush_events(
            w, "disasters", year, months, by_prov, provinces, per_prov, covered, DIS_CANON, date_pos=2
        )
    # --- forest fires ----------------------------------------------------------------------------
    for year in years:
        months = list(_months(year))
        n = round(900 * factor * trend(year) * len(months) / 12)
        picks = rng.choices(codes, cum_weights=forest_w, k=n)
        per_prov = defaultdict(list)
        covered = set()
        seq = defaultdict(int)
        for code in picks:
            m = rng.choice(months)
            day = rng.randint(1, days_in_month(year, m))
            burned = round(rng.lognormvariate(math.log(5), 1.1), 2)
            damaged = round(burned * rng.uniform(0.4, 0.95), 2)
            seq[(code, m)] += 1
            covered.add((code, m))
            per_prov[prov_of[code]].append(
                (
                    f"HZ{code}{year}{m:02d}{seq[(code, m)]:03d}",
                    f"{year}-{m:02d}-{day:02d} 13:00",
                    code,
                    "",
                    burned,
                    damaged,
                    fire_grade(damaged, 0, 0),
                    0,
                    0,
                    date(year, m, min(days_in_month(year, m), day + 1)).isoformat(),
                )
            )
        _flush_events(
            w, "forest_fires", year, months, by_prov, provinces, per_prov, covered, FIRE_CANON, date_pos=1
        )
    # --- statistics ------------------------------------------------------------------------------
    for year in range(FIRST_YEAR, LAST_YEAR):
        lines = []
        for c in counties:
            p = prof[c["region_code"]]
            t = year - 2020
            lines.append(
                _csv_line(
                    (
                        c["region_code"],
                        c["region_name"],
                        year,
                        f"{p['gdp'] * (1 + p['gdp_g']) ** t:.2f}",
                        f"{p['pop'] * (1 + p['pop_g']) ** t:.2f}",
                        f"{p['workers'] * (1 + p['pop_g']) ** t:.2f}",
                        round(p["vehicles"] * 1.02**t),
                        f"{p['coal'] * 0.98**t:.1f}",
                        p["forest"],
                        "年报",
                        f"{year + 1}-03-15",
                    )
                )
            )
        w.write("statistics", f"{year}年社会经济统计.csv", STAT_CANON, lines, 0)
    (out_dir / "capabilities").mkdir(parents=True, exist_ok=True)
    # --- plans: the standard 14th-plan targets and an illustrative 15th plan for every prefecture ---
    by_province: dict[str, list[dict]] = defaultdict(list)
    for p in prefectures:
        by_province[p["parent_code"]].append(p)
    for prov in sorted(by_province):
        for plan_id, period, years, targets in NATIONAL_PLANS:
            plans = [
                PlanFile("", plan_id, f"{_plan_region_name(p, provinces)}应急管理{period}规划（合成）",
                         p["region_code"], years, "", targets, "utf-8", "codes")
                for p in by_province[prov]
            ]
            lines = [_csv_line(plan_cells(plan, t)) for plan in plans for t in plan.targets]
            w.write("plans", f"{prov}_{provinces.get(prov, prov)}_{plan_id}.csv", PLAN_HEADER, lines, 0)
    (out_dir / MARKER).write_text(marker_text(AS_OF), encoding="utf-8")
    scale = "national" if factor == 1 else f"national-{factor}x"
    (out_dir / "README.md").write_text(
        national_readme(seed, scale, factor, dict(w.files), dict(w.bytes)), encoding="utf-8"
    )
    return GenerationSummary(
        out_dir=out_dir,
        seed=seed,
        scale=scale,
        as_of=AS_OF,
        files=dict(w.files),
        bytes=dict(w.bytes),
        records=dict(w.rows),
        zero_reports=dict(w.zero),
        notes=(f"{len(counties)} county-level units, {len(prefectures)} prefectures, 2016 – 2026-10",),
    )


def _flush_events(
    w: _Writer,
    source: str,
    year: int,
    months: list[int],
    by_prov,
    provinces,
    per_prov,
    covered,
    header: list[str],
    date_pos: int,
) -> None:
    """One file per province and year: the records, then a zero report for every quiet unit-month."""
    width = len(header)
    for prov in sorted(by_prov):
        lines = [
            ",".join(map(str, r)) for r in sorted(per_prov.get(prov, []), key=lambda r: (r[0], r[date_pos]))
        ]
        n_rec = len(lines)
        for c in by_prov[prov]:
            code = c["region_code"]
            for m in months:
                if (code, m) not in covered:
                    cells = [""] * width
                    cells[0], cells[date_pos] = "零报告", f"{year}-{m:02d}"
                    cells[header.index("行政区划代码")] = code
                    lines.append(",".join(cells))
        w.write(source, f"{year}_{prov}_{provinces[prov]}.csv", header, lines, len(lines) - n_rec)
