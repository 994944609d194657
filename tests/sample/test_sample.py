"""The bundled synthetic sample: deterministic, contract-shaped, and true to the published facts."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from sample import generate_sample

from .reader import (
    ALIASES,
    DATE_COL,
    EXTRA_OK,
    KEY,
    number,
    parse_date,
    read_table,
    regions,
)

SOURCES = ("accidents", "disasters", "forest_fires", "statistics", "capabilities", "plans")
JURISDICTION_UNITS = {
    "230500": ["230502", "230503", "230505", "230506", "230521", "230522", "230523", "230524"],
    "510802": ["510802"],
    "131100": [
        "131102",
        "131103",
        "131121",
        "131122",
        "131123",
        "131124",
        "131125",
        "131126",
        "131127",
        "131128",
        "131182",
        "131171",
        "131172",
    ],
    "360281": ["360281"],
    "150781": ["150781"],
}
UNIT_TO_JUR = {u: j for j, us in JURISDICTION_UNITS.items() for u in us}
INDUSTRIAL = {
    "煤矿",
    "金属非金属矿山",
    "化工（危险化学品）",
    "危险化学品",
    "化工",
    "烟花爆竹",
    "工贸",
    "建筑业",
    "其他工矿商贸",
}


def files_of(root: Path, source: str) -> list[Path]:
    return sorted(p for p in (root / source).iterdir() if not p.name.startswith(("~$", ".")))


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- determinism and layout ---------------------------------------------------------------------
def test_same_seed_same_bytes(sample_dir, sample_summary):
    a, b = snapshot(sample_dir), snapshot(sample_summary.out_dir)
    assert a.keys() == b.keys()
    diff = [k for k in a if a[k] != b[k]]
    assert not diff, f"files differ between two runs: {diff[:5]}"
    assert any(k.endswith(".xlsx") for k in a) and any(k.endswith(".csv") for k in a)


def test_other_seed_differs_and_regeneration_replaces(tmp_path, sample_dir):
    out = tmp_path / "d"
    generate_sample(out, seed=7)
    s7 = snapshot(out)
    assert s7.keys() != snapshot(sample_dir).keys() or any(
        s7[k] != v for k, v in snapshot(sample_dir).items() if k in s7
    )
    generate_sample(out)  # over a previous sample: cleared first, then identical to the default
    assert snapshot(out) == snapshot(sample_dir)


def test_refuses_to_overwrite_real_data(tmp_path):
    (tmp_path / "accidents").mkdir()
    (tmp_path / "accidents" / "real.xlsx").write_bytes(b"x")
    with pytest.raises(FileExistsError):
        generate_sample(tmp_path)
    with pytest.raises(ValueError):
        generate_sample(tmp_path / "x", scale="galaxy")


def test_marker_readme_and_size(sample_dir, sample_summary):
    marker = (sample_dir / "SAMPLE_DATA.txt").read_text(encoding="utf-8")
    assert "示例数据" in marker and "synthetic" in marker.lower()
    readme = (sample_dir / "README.md").read_text(encoding="utf-8")
    for word in ("synthetic", "核销", "约3人", "230599", "最终核实", "零报告"):
        assert word in readme
    for s in SOURCES:
        assert (sample_dir / s).is_dir() and sample_summary.files[s] > 0
    assert sample_summary.total_bytes < 6_000_000  # a few MB to commit
    assert "accidents" in sample_summary.describe()


@pytest.fixture(scope="module")
def tables(sample_dir):
    return {s: [read_table(s, p) for p in files_of(sample_dir, s)] for s in SOURCES}


def test_every_file_parses_with_contract_headers(tables):
    for source, tabs in tables.items():
        canon = set(ALIASES[source])
        for t in tabs:
            unknown = [h for h in t.headers if h and h not in canon and h not in EXTRA_OK]
            assert not unknown, f"{t.path.name}: unknown headers {unknown}"
            assert len(set(h for h in t.headers if h)) == len([h for h in t.headers if h]), t.path.name
            assert t.records, f"{t.path.name}: no rows"


# --- the published facts, counted independently --------------------------------------------------
def valid_latest_accidents(tables) -> tuple[dict[str, dict], list[tuple[str, int, str]]]:
    codes, names = regions()
    latest: dict[str, tuple[date, int, dict]] = {}
    rejected: list[tuple[str, int, str]] = []
    for order, t in enumerate(tables["accidents"]):  # load order: file name order
        for rownum, r in t.records:
            if r["事故编号"] == "零报告":
                continue
            try:
                code = r.get("行政区划代码", "")
                if not code:
                    code = names[r["行政区划名称"]]
                if code not in codes:
                    raise ValueError("unknown region")
                rec = {
                    "id": r["事故编号"],
                    "code": code,
                    "occurred": parse_date(r["发生时间"]),
                    "deaths": number(r.get("死亡人数", "")) + number(r.get("失踪人数", "")),
                    "injured": number(r.get("重伤人数", "")) + number(r.get("轻伤人数", "")),
                    "serious": number(r.get("重伤人数", "")),
                    "loss": number(r.get("直接经济损失(万元)", "")),
                    "sector": r["行业领域"],
                    "status": r.get("状态", "") or "正常",
                    "reported": r.get("事故等级", ""),
                    "rdate": parse_date(r["填报日期"]),
                    "opveh": r.get("涉及营运车辆", ""),
                }
            except (ValueError, KeyError) as e:
                rejected.append((t.path.name, rownum, str(e)))
                continue
            prev = latest.get(rec["id"])
            if prev is None or (rec["rdate"], order) >= (prev[0], prev[1]):
                latest[rec["id"]] = (rec["rdate"], order, rec)
    return {k: v[2] for k, v in latest.items()}, rejected


FACTS = [
    ("230500", 2016, 2020, {"accidents": 365, "injured": 465, "deaths": 129}),
    ("230500", 2019, 2019, {"accidents": 114, "injured": 144, "deaths": 31}),
    ("230500", 2018, 2018, {"accidents": 109, "injured": 172, "deaths": 42}),
    ("510802", 2016, 2020, {"accidents": 83, "deaths": 58}),
    ("131100", 2015, 2015, {"accidents": 44, "deaths": 26}),
    ("131100", 2020, 2020, {"accidents": 22, "deaths": 14}),
    ("150781", 2020, 2020, {"accidents": 3, "deaths": 3}),
]


def _count(accs, jur, y0, y1, pred=lambda a: True):
    sel = [
        a
        for a in accs.values()
        if UNIT_TO_JUR.get(a["code"]) == jur
        and y0 <= a["occurred"].year <= y1
        and a["status"] != "核销"
        and pred(a)
    ]
    return {
        "accidents": len(sel),
        "deaths": int(sum(a["deaths"] for a in sel)),
        "injured": int(sum(a["injured"] for a in sel)),
    }


@pytest.mark.parametrize(("jur", "y0", "y1", "expected"), FACTS)
def test_published_facts(tables, jur, y0, y1, expected):
    accs, _ = valid_latest_accidents(tables)
    got = _count(accs, jur, y0, y1)
    assert {k: got[k] for k in expected} == expected


def test_summary_facts_agree(sample_summary):
    f = sample_summary.facts
    assert f["230500 2016-2020"]["deaths"] == 129 and f["131100 2020-2020"]["industrial_deaths"] == 7


def test_rejected_rows_revisions_and_write_off(tables):
    accs, rejected = valid_latest_accidents(tables)
    reasons = " ".join(f"{r[0]}:{r[2]}" for r in rejected)
    assert len(rejected) == 2 and "unknown region" in reasons and "约3人" in reasons
    assert accs["131125202006901"]["status"] == "核销"
    # revisions: the same id in two files, the later one has more deaths
    seen = defaultdict(list)
    for t in tables["accidents"]:
        for _, r in t.records:
            if r["事故编号"] != "零报告":
                seen[r["事故编号"]].append((t.path.name, r))
    revised = {k: v for k, v in seen.items() if len(v) > 1 and len({f for f, _ in v}) > 1}
    assert len(revised) >= 3  # two revisions and the 核销
    more = [k for k, v in revised.items() if number(v[-1][1]["死亡人数"]) > number(v[0][1]["死亡人数"])]
    assert len(more) >= 2
    for k in more:
        d0, d1 = parse_date(revised[k][0][1]["填报日期"]), parse_date(revised[k][-1][1]["填报日期"])
        occ = parse_date(revised[k][0][1]["发生时间"])
        assert d0 < d1 and (d1 - occ).days <= 30


def _rule(deaths, serious, loss):
    if deaths >= 30 or serious >= 100 or loss >= 10000:
        return "特别重大"
    if deaths >= 10 or serious >= 50 or loss >= 5000:
        return "重大"
    if deaths >= 3 or serious >= 10 or loss >= 1000:
        return "较大"
    return "一般"


def test_severity_mostly_matches_rule_and_road_rows_flag_vehicles(tables):
    accs, _ = valid_latest_accidents(tables)
    live = [a for a in accs.values() if a["status"] != "核销"]
    mismatches = [a for a in live if a["reported"] != _rule(a["deaths"], a["serious"], a["loss"])]
    assert 1 <= len(mismatches) <= 2
    assert sum(1 for a in live if a["reported"] == "较大") >= 5
    road = [a for a in live if a["sector"] == "道路运输"]
    assert road and all(a["opveh"] in ("是", "否") for a in road)
    assert all(a["opveh"] == "" for a in live if a["sector"] != "道路运输")
    assert any(a["sector"] == "煤矿" for a in live if a["code"].startswith("2305"))
    assert any(a["sector"] == "煤矿" for a in live if a["code"] == "510802")
    assert any(
        a["sector"] in ("化工（危险化学品）", "危险化学品") for a in live if a["code"].startswith("1311")
    )


def test_plan_end_targets_show_both_outcomes(tables):
    accs, _ = valid_latest_accidents(tables)
    for jur in ("230500", "131100", "360281", "150781"):
        assert _count(accs, jur, 2025, 2025)["deaths"] < _count(accs, jur, 2020, 2020)["deaths"]
    assert _count(accs, "510802", 2025, 2025)["deaths"] > _count(accs, "510802", 2020, 2020)["deaths"]


# --- zero reports and completeness -----------------------------------------------------------
def coverage(tables, source):
    cov = set()
    for t in tables[source]:
        for _, r in t.records:
            try:
                d = parse_date(r[DATE_COL[source]])
            except ValueError:
                continue
            code = r.get("行政区划代码", "")
            if code:
                cov.add((code, d.year, d.month))
    return cov


@pytest.mark.parametrize("source", ["accidents", "disasters", "forest_fires"])
def test_every_unit_month_is_covered_except_the_2026_laggards(tables, source):
    cov = coverage(tables, source)
    # by name-only rows the code is empty; those months also carry a zero report or another record
    missing = []
    for unit in UNIT_TO_JUR:
        for y in range(2015, 2027):
            for m in range(1, 13 if y < 2026 else 11):
                if (unit, y, m) not in cov:
                    missing.append((unit, y, m))
    assert all(y == 2026 and m in (9, 10) for _, y, m in missing), missing[:5]
    expected = {"accidents": 3, "disasters": 3, "forest_fires": 3}[source]
    assert len(missing) == expected
    zero_rows = sum(1 for t in tables[source] for _, r in t.records if r[KEY[source]] == "零报告")
    assert zero_rows > 1000
    for t in tables[source]:
        for _, r in t.records:
            if r[KEY[source]] == "零报告":
                others = [v for k, v in r.items() if k not in (KEY[source], "行政区划代码", DATE_COL[source])]
                assert not any(others), t.path.name


# --- denominators, disasters, fires, capabilities --------------------------------------------
def denominators(tables):
    vals: dict[tuple[str, int, str], tuple[int, float]] = {}
    rank = {"初步核算": 1, "年报": 2, "": 2, "最终核实": 3, "普查修订": 4}
    for t in tables["statistics"]:
        for _, r in t.records:
            for h, v in r.items():
                if h in ("行政区划代码", "行政区划名称", "年份", "数据状态", "填报日期") or v == "":
                    continue
                x = number(v)
                if "万元" in t.raw_headers[t.headers.index(h)]:
                    x /= 10000
                key = (r["行政区划代码"], int(r["年份"]), h)
                rk = rank[r.get("数据状态", "")]
                if key not in vals or rk >= vals[key][0]:
                    vals[key] = (rk, x)
    return {k: v[1] for k, v in vals.items()}


NEEDS = {
    "230500": [
        "地区生产总值(亿元)",
        "年末常住人口(万人)",
        "工矿商贸就业人员(万人)",
        "营运车辆(辆)",
        "原煤产量(万吨)",
        "森林面积(公顷)",
    ],
    "510802": ["地区生产总值(亿元)", "年末常住人口(万人)", "工矿商贸就业人员(万人)", "原煤产量(万吨)"],
    "131100": ["地区生产总值(亿元)", "年末常住人口(万人)", "工矿商贸就业人员(万人)"],
    "360281": ["地区生产总值(亿元)", "年末常住人口(万人)", "工矿商贸就业人员(万人)", "森林面积(公顷)"],
    "150781": ["地区生产总值(亿元)", "年末常住人口(万人)", "工矿商贸就业人员(万人)"],
}


def _tot(den, jur, year, measure):
    return sum(den[(u, year, measure)] for u in JURISDICTION_UNITS[jur])


def test_denominators_complete_and_rates_match(tables):
    den = denominators(tables)
    for jur, measures in NEEDS.items():
        for u in JURISDICTION_UNITS[jur]:
            for y in range(2015, 2026):
                for m in measures:
                    assert (u, y, m) in den, (u, y, m)
    assert den[("230522", 2020, "原煤产量(万吨)")] == 0 and den[("230524", 2020, "原煤产量(万吨)")] == 0
    pop = {j: _tot(den, j, 2020, "年末常住人口(万人)") for j in NEEDS}
    assert 110 < pop["230500"] < 130 and 400 < pop["131100"] < 440 and 15 <= pop["150781"] <= 20
    # 衡水 2020 vs 2015
    g15, g20 = (
        _tot(den, "131100", 2015, "地区生产总值(亿元)"),
        _tot(den, "131100", 2020, "地区生产总值(亿元)"),
    )
    w15, w20 = (
        _tot(den, "131100", 2015, "工矿商贸就业人员(万人)"),
        _tot(den, "131100", 2020, "工矿商贸就业人员(万人)"),
    )
    assert round(((14 / g20) / (26 / g15) - 1) * 100) == -62
    assert round(((7 / w20) / (13 / w15) - 1) * 100) == -47
    accs, _ = valid_latest_accidents(tables)
    ind = {
        y: _count(accs, "131100", y, y, lambda a: a["sector"] in INDUSTRIAL)["deaths"] for y in (2015, 2020)
    }
    assert ind == {2015: 13, 2020: 7}
    # 满洲里 2020
    gdp = den[("150781", 2020, "地区生产总值(亿元)")]
    workers = den[("150781", 2020, "工矿商贸就业人员(万人)")]
    assert round(3 / gdp, 4) == 0.0172
    mz_ind = _count(accs, "150781", 2020, 2020, lambda a: a["sector"] in INDUSTRIAL)["deaths"]
    assert round(mz_ind / (workers * 10000) * 100000, 3) == 1.474


def test_gdp_revision(tables):
    vintages = defaultdict(list)
    for t in tables["statistics"]:
        for _, r in t.records:
            v = r.get("地区生产总值(亿元)", "")
            if v:
                vintages[(r["行政区划代码"], int(r["年份"]))].append((r.get("数据状态", ""), number(v)))
    rev = {k: v for k, v in vintages.items() if len(v) > 1}
    assert rev and all(k[1] == 2024 for k in rev)
    for v in rev.values():
        assert {s for s, _ in v} == {"初步核算", "最终核实"} and v[0][1] != v[1][1]


def test_disasters_stages_and_low_deaths(tables):
    stages = defaultdict(list)
    rejected = 0
    for t in tables["disasters"]:
        for _, r in t.records:
            if r["灾害过程编号"] == "零报告":
                continue
            try:
                vals = [number(r.get(h, "")) for h in ("受灾人次", "死亡人数", "失踪人数")]
            except ValueError:
                rejected += 1
                continue
            stages[(r["灾害过程编号"], r["行政区划代码"])].append(
                (r["报告阶段"], parse_date(r["填报日期"]), vals)
            )
            assert parse_date(r["结束日期"]) >= parse_date(r["开始日期"])
            assert (
                number(r["农作物绝收面积(公顷)"]) <= number(r.get("农作物受灾面积(公顷)", "")) * 1000 + 1e-9
            )
    assert rejected == 1
    full = [
        v for v in stages.values() if [s for s, _, _ in v][0] == "初报" and [s for s, _, _ in v][-1] == "核报"
    ]
    assert len(full) > 50
    assert any(len(v) == 3 for v in stages.values())
    for v in stages.values():
        dates = [d for _, d, _ in v]
        assert dates == sorted(dates)
    finals = [v[-1][2] for v in stages.values() if v[-1][0] == "核报"]
    assert 1 <= sum(x[1] + x[2] for x in finals) <= 8


def test_forest_fires(tables):
    n = 0
    for t in tables["forest_fires"]:
        for _, r in t.records:
            if r["火灾编号"] == "零报告":
                continue
            n += 1
            assert number(r["受害森林面积(公顷)"]) <= number(r["过火面积(公顷)"])
    assert n > 30


def test_capabilities(tables):
    seen = set()
    for t in tables["capabilities"]:
        for _, r in t.records:
            seen.add((r["行政区划代码"], int(r["年份"])))
            number(r["数值"])
    for code in ("131100", "360281", "150781"):
        assert all((code, y) in seen for y in range(2020, 2026))


def test_no_dates_after_the_as_of_date(tables):
    as_of = date(2026, 11, 26)
    for source in ("accidents", "disasters", "forest_fires"):
        for t in tables[source]:
            for _, r in t.records:
                for col in (DATE_COL[source], "填报日期", "结束日期"):
                    v = r.get(col, "")
                    if v:
                        assert parse_date(v) <= as_of, (t.path.name, col, v)


def test_committed_sample_is_current(sample_dir):
    """data_raw/ holds exactly what the default seed generates (regenerate after changing the generator)."""
    committed = Path(__file__).resolve().parents[2] / "data_raw"
    if not (committed / "SAMPLE_DATA.txt").exists():
        pytest.skip("data_raw/ holds no generated sample")
    assert snapshot(committed) == snapshot(sample_dir)


# --- plans (docs/spec/plans.md; sample-data.md "Plans") ------------------------------------------
PLAN_WORDS = {
    "下降": "decline_pct",
    "上限": "upper_bound",
    "下限": "lower_bound",
    "遏制": "curb",
    "＜": "<",
    "≤": "<=",
    "＞": ">",
    "≥": ">=",
    "约束性": "binding",
    "预期性": "expected",
    "": "unspecified",
    "期末比基期": "end_vs_base",
    "期间年均": "period_mean",
    "最新值": "latest",
}
SPEC_TARGETS = Path(__file__).resolve().parents[2] / "docs" / "spec" / "plan_targets.csv"


def test_the_14th_plan_files_carry_the_transcribed_targets_exactly(tables):
    got = []
    for t in tables["plans"]:
        for _, r in t.records:
            if r["规划编号"] == "14fyp":
                assert (r["规划期起始年"], r["规划期终止年"], r["基期年"]) == ("2021", "2025", "2020"), (
                    t.path.name
                )
                value = r["目标值"].rstrip("%")
                got.append(
                    (
                        r["行政区划代码"],
                        int(r["序号"]),
                        r["指标代码"],
                        PLAN_WORDS.get(r["目标类型"], r["目标类型"]),
                        PLAN_WORDS.get(r["比较符"], r["比较符"]) if r["比较符"] else "",
                        float(value) if value else None,
                        PLAN_WORDS.get(r.get("指标属性", ""), r.get("指标属性")),
                        PLAN_WORDS.get(r["评价方式"], r["评价方式"]),
                    )
                )
    with SPEC_TARGETS.open(encoding="utf-8", newline="") as f:
        want = [
            (
                r["region_code"],
                int(r["seq"]),
                r["indicator_code"],
                r["target_kind"],
                r["comparator"],
                float(r["target_value"]) if r["target_value"] else None,
                r["attribute"],
                r["evaluation"],
            )
            for r in csv.DictReader(f)
        ]
    assert sorted(got) == sorted(want) and len(want) == 41


def test_illustrative_15th_plans_are_marked_and_one_is_revised(tables, sample_dir):
    plans15 = {}
    for t in tables["plans"]:
        for _, r in t.records:
            if r["规划编号"] == "15fyp":
                assert "示例" in r["规划名称"], t.path.name
                assert (r["规划期起始年"], r["规划期终止年"], r["基期年"]) == ("2026", "2030", "2025")
                plans15.setdefault(r["行政区划代码"], set()).add(
                    (t.path.name, r.get("版本日期") or r.get("印发日期"))
                )
    assert set(plans15) == {"230500", "510802", "131100", "360281", "150781"}
    revised = {code: versions for code, versions in plans15.items() if len(versions) > 1}
    assert list(revised) == ["230500"]
    (early, _), (late, _) = sorted(revised["230500"], key=lambda v: v[1])
    assert late.endswith(".xlsx") and next(t for t in tables["plans"] if t.path.name == late).header_row > 0
    assert "示例" in (sample_dir / "README.md").read_text(encoding="utf-8").split("## Plans")[1]
