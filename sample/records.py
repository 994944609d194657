"""Synthetic records of the sample (in memory, contract-neutral field names).

Everything is drawn from one ``random.Random(seed)``, in a fixed order, so that the same seed
gives the same records.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from pipelines.enumerations import INDUSTRIAL_SECTORS

from .profiles import (
    CURRENT_LAST_MONTH,
    CURRENT_YEAR,
    DISASTER_DEATHS,
    MISSING_2026,
    YEARS,
    Big,
    Jurisdiction,
    Unit,
)

TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def severity_rule(deaths_incl_missing: int, serious: int, loss_10k_yuan: float) -> str:
    """493号令 第三条: the highest class any criterion reaches (bounds inclusive)."""
    if deaths_incl_missing >= 30 or serious >= 100 or loss_10k_yuan >= 10000:
        return "特别重大"
    if deaths_incl_missing >= 10 or serious >= 50 or loss_10k_yuan >= 5000:
        return "重大"
    if deaths_incl_missing >= 3 or serious >= 10 or loss_10k_yuan >= 1000:
        return "较大"
    return "一般"


def months_of(year: int) -> range:
    return range(1, (CURRENT_LAST_MONTH if year == CURRENT_YEAR else 12) + 1)


def is_missing(code: str, source: str, year: int, month: int) -> bool:
    return year == CURRENT_YEAR and month in MISSING_2026.get((code, source), ())


def days_in_month(y: int, m: int) -> int:
    return ((date(y + (m == 12), m % 12 + 1, 1)) - timedelta(days=1)).day


@dataclass
class Accident:
    id: str
    occurred: datetime
    code: str
    name: str
    unit_name: str
    sector: str
    industry_code: str
    accident_type: str
    deaths: int
    missing: int
    serious: int
    minor: int
    loss: float  # 万元
    reported: str
    operating_vehicle: str | None
    summary: str
    status: str
    reported_date: date
    jurisdiction: str
    counted: bool = True  # part of the published totals (False: rejected/written-off extras)
    overrides: dict[str, str] = field(default_factory=dict)  # deliberately bad cells
    note: str = ""

    @property
    def is_industrial(self) -> bool:
        return self.sector in INDUSTRIAL_SECTORS


@dataclass
class DisasterRow:
    event_id: str
    hazard: str
    start: date
    end: date
    code: str
    name: str
    affected: int
    deaths: int
    missing: int
    relocated: int
    relief: int
    crop_affected: float
    crop_failed: float
    collapsed: int
    severe: int
    general: int
    loss: float  # 万元
    stage: str
    reported_date: date
    jurisdiction: str
    overrides: dict[str, str] = field(default_factory=dict)


@dataclass
class Fire:
    id: str
    occurred: datetime
    code: str
    name: str
    burned: float
    damaged: float
    grade: str
    deaths: int
    injuries: int
    reported_date: date
    jurisdiction: str


SECTOR_INFO: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    # sector: (industry codes, accident types, unit-name suffix)
    "煤矿": (("B06",), ("冒顶片帮", "瓦斯爆炸", "透水", "机械伤害", "车辆伤害", "其它伤害"), "煤矿"),
    "金属非金属矿山": (("B10", "B09", "B08"), ("坍塌", "物体打击", "放炮", "高处坠落"), "采石场"),
    "化工（危险化学品）": (
        ("C26", "C25"),
        ("中毒和窒息", "容器爆炸", "火灾", "灼烫", "其它爆炸"),
        "化工有限公司",
    ),
    "烟花爆竹": (("C2672",), ("火药爆炸", "火灾"), "烟花爆竹厂"),
    "工贸": (
        ("C33", "C13", "C30", "C34"),
        ("机械伤害", "起重伤害", "物体打击", "触电", "中毒和窒息"),
        "制造有限公司",
    ),
    "建筑业": (
        ("E47", "E48", "E49"),
        ("高处坠落", "坍塌", "物体打击", "起重伤害", "触电"),
        "建筑工程有限公司",
    ),
    "其他工矿商贸": (("F51", "G59", "H61"), ("高处坠落", "物体打击", "车辆伤害", "其它伤害"), "商贸有限公司"),
    "道路运输": (("G54",), ("车辆伤害",), "运输有限公司"),
    "铁路运输": (("G53",), ("车辆伤害",), "铁路货运站"),
    "水上运输": (("G55",), ("淹溺",), "航运有限公司"),
    "渔业船舶": (("A04",), ("淹溺",), "渔业合作社"),
    "农业机械": (("A05",), ("机械伤害", "车辆伤害"), "农机合作社"),
    "火灾": (("F52", "H62", "K70"), ("火灾",), "商场"),
}


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _spread(rng: random.Random, total: int, n: int, cap: int) -> list[int]:
    """Random non-negative integers summing to ``total``, each at most ``cap``."""
    if total > n * cap:
        raise ValueError(f"cannot spread {total} over {n} slots of at most {cap}")
    out = [0] * n
    for _ in range(total):
        free = [i for i in range(n) if out[i] < cap]
        out[rng.choice(free)] += 1
    return out


def _sector_for(rng: random.Random, jur: Jurisdiction, category: str) -> str:
    if category == "coal":
        return "煤矿"
    if category in ("road", "road_op"):
        return "道路运输"
    return _weighted(rng, jur.sector_weights[category])


def _pick_unit(rng: random.Random, jur: Jurisdiction, category: str) -> Unit:
    if category == "coal":
        units = [u for u in jur.units if u.coal > 0]
        return rng.choices(units, weights=[u.coal for u in units])[0]
    return rng.choices(jur.units, weights=[u.pop for u in jur.units])[0]


def _short(name: str) -> str:
    return name if len(name) <= 3 else name[:4]


def accidents_for(rng: random.Random, jur: Jurisdiction) -> list[Accident]:
    """Every accident of a jurisdiction, the totals of each year exactly as in the profile."""
    out: list[Accident] = []
    for year in (*YEARS, CURRENT_YEAR):
        n, d_total, injured = jur.accidents[year]
        pins = jur.pins.get(year, {})
        bigs = jur.bigs.get(year, [])
        # 1. categories of the ordinary (non-big) accidents
        n_ord = n - len(bigs)
        cats = [c for c, w in jur.category_weights.items() if w > 0]
        drawn = rng.choices(cats, weights=[jur.category_weights[c] for c in cats], k=n_ord)
        count = {c: drawn.count(c) for c in jur.category_weights}
        big_deaths = {c: sum(b.deaths for b in bigs if b.category == c) for c in count}
        need = {c: max(0, pins[c] - big_deaths[c]) for c in pins}
        free_cats = [c for c in cats if c not in pins]
        rest = d_total - sum(pins.values()) - sum(big_deaths[c] for c in free_cats)
        if rest < 0:
            raise ValueError(f"{jur.name} {year}: pinned deaths exceed the total")

        req = {c: math.ceil(need[c] / 2) for c in pins}
        req_pool = math.ceil(rest / 2)
        for _ in range(1000):
            short = next((c for c in pins if count[c] < req[c]), None)
            pool = sum(count[c] for c in free_cats)
            if short is None and pool >= req_pool:
                break
            donors = [c for c in pins if count[c] > req[c] and c != short]
            if short is not None and pool > req_pool:
                donors += [c for c in free_cats if count[c] > 0]
            if not donors:
                raise ValueError(f"{jur.name} {year}: cannot satisfy the pinned deaths")
            donor = max(donors, key=lambda c: (count[c] - req.get(c, 0), c))
            target = short if short is not None else max(free_cats, key=lambda c: jur.category_weights[c])
            count[donor] -= 1
            count[target] += 1
        # 2. deaths per accident
        slots: list[tuple[str, int, Big | None]] = []
        for c in pins:
            per = _spread(rng, need[c], count[c], 2)
            slots += [(c, k, None) for k in per]
        free_slots = [c for c in free_cats for _ in range(count[c])]
        per = _spread(rng, rest, len(free_slots), 2)
        slots += [(c, k, None) for c, k in zip(free_slots, per, strict=True)]
        slots += [(b.category, b.deaths, b) for b in bigs]
        rng.shuffle(slots)
        # 3. injuries: serious about 40%, the rest minor
        big_serious = sum(b.serious for b in bigs)
        serious_total = min(max(0, round(injured * 0.4) - big_serious), 9 * n_ord)
        minor_total = injured - big_serious - serious_total
        if minor_total < 0:
            raise ValueError(f"{jur.name} {year}: injuries below the pinned serious injuries")
        ord_idx = [i for i, s in enumerate(slots) if s[2] is None]
        ser = _spread(rng, serious_total, len(ord_idx), 9)
        mnr = _spread(rng, minor_total, len(slots), 30)
        serious = [0] * len(slots)
        for i, k in zip(ord_idx, ser, strict=True):
            serious[i] = k
        for i, s in enumerate(slots):
            if s[2] is not None:
                serious[i] = s[2].serious
        # 4. when, where, what
        seq: dict[tuple[str, int], int] = {}
        for i, (cat, deaths, big) in enumerate(slots):
            sector = big.sector if big and big.sector else _sector_for(rng, jur, cat)
            for _ in range(100):
                unit = _pick_unit(rng, jur, cat)
                month = big.month if big and big.month else rng.choice(list(months_of(year)))
                if not is_missing(unit.code, "accidents", year, month):
                    break
            day = big.day if big and big.day else rng.randint(1, days_in_month(year, month))
            occurred = datetime(
                year, month, day, rng.randint(6, 22), rng.choice((0, 10, 15, 20, 30, 40, 45, 50))
            )
            codes, types, suffix = SECTOR_INFO[sector]
            atype = rng.choice(types)
            if big and big.note == "透水":
                atype = "透水"
            elif big and big.note == "瓦斯":
                atype = "瓦斯爆炸"
            elif big and big.note == "爆炸" and sector == "化工（危险化学品）":
                atype = "容器爆炸"
            elif big and big.note == "中毒":
                atype = "中毒和窒息"
            missing = 0
            if deaths >= 1 and sector in ("水上运输", "渔业船舶") and rng.random() < 0.6:
                missing = 1
            if atype == "透水" and deaths >= 3:
                missing = 2
            dead = deaths - missing
            minor = mnr[i]
            if big and big.loss is not None:
                loss = big.loss
            elif cat in ("coal", "ind"):
                loss = deaths * rng.uniform(90, 180) + serious[i] * rng.uniform(8, 25) + rng.uniform(0.5, 30)
            else:
                loss = deaths * rng.uniform(25, 110) + serious[i] * rng.uniform(3, 12) + rng.uniform(0.2, 8)
            loss = round(loss, 1)
            rule = severity_rule(deaths, serious[i], loss)
            reported = big.reported if big and big.reported else rule
            key = (unit.code, year * 100 + month)
            seq[key] = seq.get(key, 0) + 1
            acc_id = f"{unit.code}{year}{month:02d}{seq[key]:03d}"
            letter = TIANGAN[rng.randrange(10)]
            if sector == "道路运输" and cat == "road":
                unit_name = f"个人（{_short(unit.name)}{letter}某）"
            else:
                unit_name = f"{_short(unit.name)}{letter}{suffix}"
            parts = []
            if dead:
                parts.append(f"{dead}人死亡")
            if missing:
                parts.append(f"{missing}人失踪")
            if serious[i]:
                parts.append(f"{serious[i]}人重伤")
            if minor:
                parts.append(f"{minor}人轻伤")
            summary = (
                f"{month}月{day}日{occurred.hour}时许，{unit_name}发生一起{atype}事故，"
                f"造成{'、'.join(parts) or '财产损失'}。"
            )
            lag = rng.randint(0, 2) if deaths else rng.randint(0, 5)
            rdate = min((occurred + timedelta(days=lag)).date(), _batch_end(jur, occurred.date()))
            acc = Accident(
                id=acc_id,
                occurred=occurred,
                code=unit.code,
                name=unit.name,
                unit_name=unit_name,
                sector=sector,
                industry_code=rng.choice(codes),
                accident_type=atype,
                deaths=dead,
                missing=missing,
                serious=serious[i],
                minor=minor,
                loss=loss,
                reported=reported,
                operating_vehicle=("是" if cat == "road_op" else "否") if sector == "道路运输" else None,
                summary=summary,
                status="正常",
                reported_date=rdate,
                jurisdiction=jur.code,
                note=big.note if big else "",
            )
            if big and big.revised_from is not None:
                first = _copy(
                    acc,
                    deaths=min(big.revised_from, dead),
                    missing=0,
                    serious=max(0, acc.serious - 1),
                    counted=False,
                    reported_date=occurred.date() + timedelta(days=1),
                    note="first filing (revised later)",
                )
                first.summary = (
                    f"{month}月{day}日{occurred.hour}时许，{unit_name}发生一起{atype}事故，伤亡情况正在核实。"
                )
                first.reported = severity_rule(first.deaths, first.serious, first.loss)
                acc.reported_date = occurred.date() + timedelta(days=18)
                acc.note = "revision: more deaths re-filed within 30 days"
                out.append(first)
            out.append(acc)
    return out


def _batch_end(jur: Jurisdiction, d: date) -> date:
    """Last day of the batch (file) that covers date ``d`` for accidents."""
    label = accident_batch(jur, d)
    if "Q" in label:
        q = int(label[-1])
        m = q * 3
    else:
        m = d.month
    return date(d.year, m, days_in_month(d.year, m))


def accident_batch(jur: Jurisdiction, d: date) -> str:
    monthly = d.year >= 2021 if jur.code == "230500" else d.year >= CURRENT_YEAR
    if jur.code == "131100" and d.year >= 2024:
        monthly = True
    if monthly:
        return f"{d.year}-{d.month:02d}"
    return f"{d.year}Q{(d.month - 1) // 3 + 1}"


def _copy(a: Accident, **changes) -> Accident:
    data = dict(a.__dict__)
    data["overrides"] = dict(a.overrides)
    data.update(changes)
    return Accident(**data)


def special_accidents(rng: random.Random, jur: Jurisdiction) -> list[Accident]:
    """Rows outside the published totals: the 核销 accident, rows the contracts reject, a name-only row."""
    out: list[Accident] = []
    if jur.code == "131100":
        # filed in 2020 Q2 with one death, written off in Q3 (not a production-safety accident)
        occ = datetime(2020, 6, 20, 9, 30)
        base = Accident(
            id="131125202006901",
            occurred=occ,
            code="131125",
            name="安平县",
            unit_name="安平县甲制造有限公司",
            sector="工贸",
            industry_code="C33",
            accident_type="其它伤害",
            deaths=1,
            missing=0,
            serious=0,
            minor=0,
            loss=35.0,
            reported="一般",
            operating_vehicle=None,
            summary="6月20日9时许，安平县甲制造有限公司一名职工在厂区内死亡，原因待查。",
            status="正常",
            reported_date=date(2020, 6, 21),
            jurisdiction=jur.code,
            counted=False,
            note="later written off",
        )
        out.append(base)
        out.append(
            _copy(
                base,
                status="核销",
                reported_date=date(2020, 7, 10),
                counted=False,
                summary="经公安机关认定为突发疾病死亡，不属于生产安全事故，予以核销。",
                note="核销 (written off)",
            )
        )
        # name-only row (code empty, resolved from the name), counted normally: 2023 accident
    if jur.code == "230500":
        # an unknown region code: rejected
        out.append(
            Accident(
                id="230599201902001",
                occurred=datetime(2019, 2, 11, 10, 0),
                code="230599",
                name="双鸭山市某区",
                unit_name="某区甲制造有限公司",
                sector="工贸",
                industry_code="C33",
                accident_type="机械伤害",
                deaths=1,
                missing=0,
                serious=0,
                minor=1,
                loss=42.0,
                reported="一般",
                operating_vehicle=None,
                summary="区划代码填写错误的记录（示例：应被拒收）。",
                status="正常",
                reported_date=date(2019, 2, 12),
                jurisdiction=jur.code,
                counted=False,
                note="rejected: unknown region code 230599",
            )
        )
    if jur.code == "510802":
        out.append(
            Accident(
                id="510802201808901",
                occurred=datetime(2018, 8, 14, 15, 20),
                code="510802",
                name="利州区",
                unit_name="利州乙建筑工程有限公司",
                sector="建筑业",
                industry_code="E47",
                accident_type="坍塌",
                deaths=3,
                missing=0,
                serious=1,
                minor=0,
                loss=260.0,
                reported="较大",
                operating_vehicle=None,
                summary="8月14日15时许发生一起坍塌事故，死亡人数待核实。",
                status="正常",
                reported_date=date(2018, 8, 15),
                jurisdiction=jur.code,
                counted=False,
                overrides={"deaths": "约3人"},
                note="rejected: text count 约3人",
            )
        )
    return out


def disasters_for(
    rng: random.Random,
    jur: Jurisdiction,
    populations: dict[tuple[str, int], float],
    gdp: dict[tuple[str, int], float],
) -> list[DisasterRow]:
    """Every stage row of every disaster event × county of a jurisdiction."""
    season = {
        "洪涝": (6, 7, 7, 8, 8, 9),
        "干旱": (4, 5, 6, 7, 8),
        "风雹": (5, 6, 6, 7, 8),
        "雪灾": (1, 2, 3, 11, 12),
        "低温冷冻": (1, 2, 3, 4, 10, 11, 12),
        "森林草原火灾": (3, 4, 5, 10),
        "沙尘暴": (3, 4, 5),
        "地质灾害": (6, 7, 8, 9),
        "地震": tuple(range(1, 13)),
    }
    rows: list[DisasterRow] = []
    for year in (*YEARS, CURRENT_YEAR):
        lo, hi = jur.disaster_events
        n_events = rng.randint(lo, hi)
        pinned = DISASTER_DEATHS.get((jur.code, year))
        events = []
        for k in range(n_events):
            hazard = pinned[2] if (pinned and k == 0) else _weighted(rng, jur.hazards)
            for _ in range(100):
                month = rng.choice(season.get(hazard, tuple(range(1, 13))))
                if month in months_of(year):
                    break
            else:
                hazard, month = "风雹", rng.choice(list(months_of(year)))
            events.append((hazard, month))
        events.sort(key=lambda e: e[1])
        for k, (hazard, month) in enumerate(events):
            event_id = f"{jur.code[:4]}{year}{k + 1:03d}"
            day = rng.randint(1, days_in_month(year, month))
            start = date(year, month, day)
            length = rng.randint(20, 60) if hazard == "干旱" else rng.randint(0, 4)
            end = min(start + timedelta(days=length), date(year, 12, 31))
            n_units = min(len(jur.units), rng.randint(1, max(1, len(jur.units) // 2)))
            units = rng.sample(jur.units, n_units)
            units = [u for u in units if not is_missing(u.code, "disasters", year, month)] or []
            if not units:
                continue
            units.sort(key=lambda u: u.code)
            for j, unit in enumerate(units):
                pop = populations[(unit.code, min(year, 2025))] * 10000
                frac = rng.uniform(0.004, 0.03) if hazard != "干旱" else rng.uniform(0.01, 0.05)
                if hazard in ("地震", "沙尘暴"):
                    frac /= 4
                affected = max(12, int(pop * frac))
                deaths = missing = 0
                if (
                    pinned
                    and (hazard == pinned[2])
                    and j == 0
                    and not any(
                        r.deaths or r.missing
                        for r in rows
                        if r.jurisdiction == jur.code and r.start.year == year
                    )
                ):
                    deaths, missing = pinned[0], pinned[1]
                relocated = (
                    int(affected * rng.uniform(0.0, 0.08))
                    if hazard in ("洪涝", "地质灾害", "台风")
                    else int(affected * rng.uniform(0.0, 0.01))
                )
                relief = int(affected * rng.uniform(0.01, 0.06))
                crop = (
                    round(affected * rng.uniform(0.02, 0.12), 1)
                    if hazard not in ("地震", "地质灾害")
                    else 0.0
                )
                if hazard in ("雪灾", "低温冷冻") and jur.code == "150781":
                    crop = round(crop * 0.2, 1)
                failed = round(crop * rng.uniform(0.0, 0.25), 1)
                collapsed = rng.randint(0, 6) if hazard in ("洪涝", "地质灾害", "地震", "风雹", "雪灾") else 0
                severe = collapsed + rng.randint(0, 15) if collapsed or hazard in ("洪涝", "地震") else 0
                general = severe * rng.randint(2, 6) + rng.randint(0, 30) if severe else rng.randint(0, 20)
                loss = round(affected * rng.uniform(0.03, 0.25), 1)
                final = DisasterRow(
                    event_id=event_id,
                    hazard=hazard,
                    start=start,
                    end=end,
                    code=unit.code,
                    name=unit.name,
                    affected=affected,
                    deaths=deaths,
                    missing=missing,
                    relocated=relocated,
                    relief=relief,
                    crop_affected=crop,
                    crop_failed=failed,
                    collapsed=collapsed,
                    severe=severe,
                    general=general,
                    loss=loss,
                    stage="核报",
                    reported_date=end + timedelta(days=rng.randint(25, 55)),
                    jurisdiction=jur.code,
                )
                f1 = rng.uniform(0.4, 0.7)
                first = _scaled(final, f1, "初报", start + timedelta(days=1))
                first.deaths = final.deaths if rng.random() < 0.5 else 0
                first.missing = final.missing + final.deaths - first.deaths
                rows.append(first)
                if rng.random() < 0.7:
                    f2 = rng.uniform(0.75, 0.95)
                    rows.append(_scaled(final, f2, "续报", start + timedelta(days=rng.randint(4, 9))))
                if year < CURRENT_YEAR:
                    rows.append(final)
    _ = gdp
    return rows


def _scaled(r: DisasterRow, f: float, stage: str, when: date) -> DisasterRow:
    crop = round(r.crop_affected * f, 1)
    return DisasterRow(
        event_id=r.event_id,
        hazard=r.hazard,
        start=r.start,
        end=r.end if stage != "初报" else r.start,
        code=r.code,
        name=r.name,
        affected=int(r.affected * f),
        deaths=r.deaths,
        missing=r.missing,
        relocated=int(r.relocated * f),
        relief=int(r.relief * f),
        crop_affected=crop,
        crop_failed=min(crop, round(r.crop_failed * f, 1)),
        collapsed=int(r.collapsed * f),
        severe=int(r.severe * f),
        general=int(r.general * f),
        loss=round(r.loss * f, 1),
        stage=stage,
        reported_date=when,
        jurisdiction=r.jurisdiction,
    )


def fire_grade(damaged: float, deaths: int, injuries: int) -> str:
    """《森林防火条例》第四十条: by damaged forest area or casualties."""
    if damaged >= 1000 or deaths >= 30 or injuries >= 100:
        return "特别重大"
    if damaged >= 100 or deaths >= 10 or injuries >= 50:
        return "重大"
    if damaged >= 1 or deaths >= 3 or injuries >= 10:
        return "较大"
    return "一般"


def fires_for(rng: random.Random, jur: Jurisdiction) -> list[Fire]:
    season = (1, 2, 3, 3, 4, 4, 5, 10, 10, 11, 12)
    out: list[Fire] = []
    for year in (*YEARS, CURRENT_YEAR):
        lo, hi = jur.fires_per_year
        n = rng.randint(lo, hi)
        if jur.code == "360281" and year == 2022:
            n += 2  # the 2022 drought: a bad fire year in 乐平
        forest_units = [u for u in jur.units if u.forest > 0] or jur.units
        seq: dict[tuple[str, int], int] = {}
        for k in range(n):
            for _ in range(100):
                unit = rng.choices(forest_units, weights=[u.forest or 1 for u in forest_units])[0]
                month = rng.choice(season)
                if month in months_of(year) and not is_missing(unit.code, "forest_fires", year, month):
                    break
            else:
                continue
            day = rng.randint(1, days_in_month(year, month))
            occurred = datetime(year, month, day, rng.randint(9, 18), rng.choice((0, 15, 30, 45)))
            burned = round(rng.lognormvariate(math.log(jur.fire_size), 0.8), 2)
            if jur.code == "360281" and year == 2022 and k == 0:
                burned = 118.6
            damaged = round(burned * rng.uniform(0.45, 0.92), 2)
            injuries = 1 if rng.random() < 0.1 else 0
            key = (unit.code, year * 100 + month)
            seq[key] = seq.get(key, 0) + 1
            out.append(
                Fire(
                    id=f"HZ{unit.code}{year}{month:02d}{seq[key]:02d}",
                    occurred=occurred,
                    code=unit.code,
                    name=unit.name,
                    burned=burned,
                    damaged=damaged,
                    grade=fire_grade(damaged, 0, injuries),
                    deaths=0,
                    injuries=injuries,
                    reported_date=(occurred + timedelta(days=rng.randint(1, 3))).date(),
                    jurisdiction=jur.code,
                )
            )
    return out
