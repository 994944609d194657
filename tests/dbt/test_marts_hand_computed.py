# ruff: noqa: E501  -- the hand-made data tables read best one record per line
"""End-to-end check of the dbt marts on a small hand-made data set.

The raw tables are created with the loaders' own DDL (``create_raw_tables``), filled with a
few records whose indicator values are worked out by hand below, and ``dbt build`` (models,
data tests and unit tests) runs against a DuckDB file in ``tmp_path``.

Scenario: 双鸭山市 (230500, a plan jurisdiction) with 8 county-level units. Events happen in
two of them, 尖山区 230502 and 岭东区 230503; the other six file 零报告 for every month, and
every quiet month of the two active units is covered by a 零报告 too — except 岭东区's
June 2024 accident register, which is missing (a gap). As-of date 2026-03-31: March 2026 has
ended, so 2026 covers January–March. Years 2016–2019 have no filings at all (incomplete).

Accidents (deaths include the missing):
  A1 230502 2020-03-10 工贸          1 dead                      general
  A2 230503 2020-07-05 煤矿          2 dead + 1 missing = 3      larger (3 deaths), reported 一般
  A3 230503 2020-09-01 道路运输 营运  1 dead
  A4 230502 2020-05-20 建筑业        2 dead, 核销 → counts nowhere
  C1 230502 2021-02-01 金属非金属矿山 1 dead
  P1 230500 2023-05-05 建筑业        1 dead, filed at prefecture level itself
  U1 230503 2023-09-09 道路运输      1 dead, 涉及营运车辆 not given → 2023 operating-vehicle
                                     rate unknown (absent) for 230503 and 230500
  B1 230502 2025-04-10 化工（危险化学品） filed with 1 dead, revised 20 days later to 2 dead
                                     (9 serious injuries, 999.99 万元: still general)
  B2 230503 2025-08-15 道路运输 营运  1 dead
  D1 230502 2026-02-10 工贸          1 dead
  → 230500: 2020 deaths 5, accidents 3, larger 1, industrial deaths 4 (A1 + A2), vehicle
    deaths 1, coal deaths 3; 2021 deaths 1; 2022 0 (complete quiet year); 2023 1 (P1);
    2023 2 (P1 + U1); 2024 absent (gap in 230503); 2025 deaths 3, accidents 2, industrial 2, vehicle 1, coal 0;
    2026 (Jan–Mar) deaths 1.

Denominators (every one of the 8 units, 2020–2025; none for 2026):
  GDP 亿元: 230502 2020 = 100 (初步核算 90, then 最终核实 100, then a later-dated 年报 95 that
  must not win), 2021..2025 = 110, 115, 120, 125, 130; 230503 = 300; others 50 each.
  Totals: 2020 700, 2021 710, 2022 715, 2023 720, 2024 725, 2025 730.
  工矿商贸 workers 万人: 2.0 + 3.0 + 6 × 0.5 = 8.0 (80,000 persons).
  Operating vehicles: 4000 + 6000 + 6 × 1000 = 16,000.
  Coal 万吨: 230503 200, others 0 (explicit zeros) → 2 Mt.
  Population 万人: 30 + 40 + 6 × 10 = 130 (1.3 million).

Disasters: 2020 flood in 230502 (初报 0 dead, 核报 1 dead + 1 missing, 5000 person-times,
2000 万元; a 续报 filed after the 核报 must lose); 2022 hail in 230503 (2600 person-times,
1300 万元). Other years quiet.

Capabilities (满洲里 150781): relief_time_hours 2020 = 12, 2024 = 11, 2025 = 10.5 then revised
to 9.5, 2026 = 8 (after the plan); enforcement_equipment_compliance_pct 2025 = 98.

Plans: the five 14th plans (2021–2025, base 2020) as raw.plans rows, one file each, with the
targets of docs/spec/plan_targets.csv; as of 2026-03-31 they are over.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from scipy.stats import binomtest, chi2

from pipelines.ingest.raw_tables import create_raw_tables
from tests.dbt_runner import run_dbt

PROJECT = Path(__file__).resolve().parents[2]
SPEC_TARGETS = PROJECT / "docs" / "spec" / "plan_targets.csv"
DBT_DIR = PROJECT / "dbt_project"
AS_OF = "2026-03-31"
PREF = "230500"
ACTIVE = ("230502", "230503")
QUIET = ("230505", "230506", "230521", "230522", "230523", "230524")
COUNTIES = ACTIVE + QUIET

LOADED_AT = datetime(2026, 3, 31, 12, 0)


def months(start_year: int, end: date):
    y, m = start_year, 1
    while date(y, m, 1) <= end:
        yield date(y, m, 1)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def lineage(file: str, row: int, load_seq: int) -> tuple:
    return (file, "sha-" + file, None, row, load_seq, LOADED_AT)


# fmt: off
ACCIDENTS = [
    # id, occurred_at, region, sector, deaths, missing, serious, loss 万元, reported severity,
    # operating vehicle, status, 填报日期, file, load_seq
    ("A1", datetime(2020, 3, 10, 9), "230502", "工贸", 1, 0, 0, 10.0, "一般", None, "正常", date(2020, 3, 12), "2020.csv", 1),
    ("A2", datetime(2020, 7, 5, 14), "230503", "煤矿", 2, 1, 0, 300.0, "一般", None, "正常", date(2020, 7, 6), "2020.csv", 1),
    ("A3", datetime(2020, 9, 1, 8), "230503", "道路运输", 1, 0, 2, 20.0, "一般", True, "正常", date(2020, 9, 2), "2020.csv", 1),
    ("A4", datetime(2020, 5, 20, 10), "230502", "建筑业", 2, 0, 0, 50.0, "一般", None, "核销", date(2020, 5, 21), "2020.csv", 1),
    ("C1", datetime(2021, 2, 1, 10), "230502", "金属非金属矿山", 1, 0, 0, 5.0, "一般", None, "正常", date(2021, 2, 2), "2021.csv", 2),
    ("P1", datetime(2023, 5, 5, 10), "230500", "建筑业", 1, 0, 0, 5.0, "一般", None, "正常", date(2023, 5, 6), "2023.csv", 3),
    ("U1", datetime(2023, 9, 9, 10), "230503", "道路运输", 1, 0, 0, 3.0, "一般", None, "正常", date(2023, 9, 10), "2023.csv", 3),
    ("B1", datetime(2025, 4, 10, 10), "230502", "化工（危险化学品）", 1, 0, 9, 999.99, "一般", None, "正常", date(2025, 4, 11), "2025-04.csv", 4),
    ("B1", datetime(2025, 4, 10, 10), "230502", "化工（危险化学品）", 2, 0, 9, 999.99, "一般", None, "正常", date(2025, 4, 30), "2025-05.csv", 5),
    ("B2", datetime(2025, 8, 15, 10), "230503", "道路运输", 1, 0, 0, 30.0, "一般", True, "正常", date(2025, 8, 16), "2025-08.csv", 6),
    ("D1", datetime(2026, 2, 10, 10), "230502", "工贸", 1, 0, 0, 8.0, "一般", None, "正常", date(2026, 2, 11), "2026-02.csv", 7),
]

DISASTERS = [
    # event, hazard, start, region, affected, deaths, missing, loss 万元, stage, 填报日期, file, load_seq
    ("E2020", "洪涝", date(2020, 7, 1), "230502", 1000, 0, 0, 100.0, "初报", date(2020, 7, 3), "d2020a.csv", 1),
    ("E2020", "洪涝", date(2020, 7, 1), "230502", 5000, 1, 1, 2000.0, "核报", date(2020, 8, 10), "d2020b.csv", 2),
    ("E2020", "洪涝", date(2020, 7, 1), "230502", 4000, 1, 0, 1500.0, "续报", date(2020, 8, 20), "d2020c.csv", 3),
    ("E2022", "风雹", date(2022, 6, 10), "230503", 2600, 0, 0, 1300.0, "核报", date(2022, 6, 30), "d2022.csv", 4),
]
# fmt: on

GDP = {"230502": {2021: 110, 2022: 115, 2023: 120, 2024: 125, 2025: 130}, "230503": 300}
WORKERS = {"230502": 2.0, "230503": 3.0}
VEHICLES = {"230502": 4000, "230503": 6000}
POPULATION = {"230502": 30, "230503": 40}


def build_raw(con) -> None:
    create_raw_tables(con)
    accident_months: set[tuple[str, date]] = set()
    for i, (aid, at, reg, sector, d, m, si, loss, sev, veh, st, rep, f, seq) in enumerate(ACCIDENTS, 1):
        con.execute(
            "insert into raw.accidents values (?, ?, ?, null, false, '某公司', ?, null, null, ?, ?, ?, null,"
            " ?, ?, ?, '简况<b>x</b>', ?, ?, null, ?, ?, ?, ?, ?, ?)",
            [aid, at, reg, sector, d, m, si, loss, sev, veh, st, rep, *lineage(f, i + 1, seq)],
        )
        accident_months.add((reg, date(at.year, at.month, 1)))
    disaster_months: set[tuple[str, date]] = set()
    for i, (eid, hz, start, reg, aff, d, m, loss, stage, rep, f, seq) in enumerate(DISASTERS, 1):
        con.execute(
            "insert into raw.disasters values (?, ?, ?, null, ?, null, false, ?, ?, ?,"
            " 0, 0, 0, 0, 0, 0, 0, ?,"
            " ?, ?, null, ?, ?, ?, ?, ?, ?)",
            [eid, hz, start, reg, aff, d, m, loss, stage, rep, *lineage(f, i + 1, seq)],
        )
        disaster_months.add((reg, start))

    # 零报告 for every quiet month 2020-01..2026-03, both sources, all 8 units; one gap.
    zero_rows = []
    for source, filed in (("accidents", accident_months), ("disasters", disaster_months)):
        for reg in COUNTIES:
            for mon in months(2020, date(2026, 3, 1)):
                if (reg, mon) in filed:
                    continue
                if source == "accidents" and reg == "230503" and mon == date(2024, 6, 1):
                    continue  # the gap: 岭东区 never filed its June 2024 register
                zero_rows.append((source, reg, mon, *lineage(f"zero-{mon.year}.csv", len(zero_rows) + 2, 50)))
    # a redundant 零报告 in a month that also has a record: harmless
    zero_rows.append(("accidents", "230502", date(2020, 3, 1), *lineage("zero-extra.csv", 2, 51)))
    con.executemany("insert into raw.zero_reports values (?, ?, ?, ?, ?, ?, ?, ?, ?)", zero_rows)

    stats = []

    def stat(reg, year, measure, value, status="年报", rank=2, rep=None, f="stats.csv", seq=60):
        stats.append(
            (
                reg,
                None,
                False,
                year,
                measure,
                float(value),
                status,
                rank,
                rep or date(year + 1, 3, 1),
                *lineage(f, len(stats) + 2, seq),
            )
        )

    for reg in COUNTIES:
        for year in range(2020, 2026):
            if reg == "230502" and year == 2020:
                stat(reg, 2020, "gdp_100m_yuan", 90, "初步核算", 1, date(2021, 1, 20), "s1.csv", 61)
                stat(reg, 2020, "gdp_100m_yuan", 100, "最终核实", 3, date(2021, 6, 30), "s2.csv", 62)
                stat(reg, 2020, "gdp_100m_yuan", 95, "年报", 2, date(2022, 1, 1), "s3.csv", 63)
            elif reg == "230502":
                stat(reg, year, "gdp_100m_yuan", GDP["230502"][year])
            else:
                stat(reg, year, "gdp_100m_yuan", GDP.get(reg, 50))
            stat(reg, year, "industrial_workers_10k", WORKERS.get(reg, 0.5))
            stat(reg, year, "operating_vehicles", VEHICLES.get(reg, 1000))
            stat(reg, year, "coal_output_10k_tonnes", 200 if reg == "230503" else 0)
            stat(reg, year, "population_10k", POPULATION.get(reg, 10))
    con.executemany("insert into raw.statistics values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", stats)

    caps = [
        ("150781", 2020, "relief_time_hours", 12.0, date(2021, 1, 10), "c1.csv", 70),
        ("150781", 2024, "relief_time_hours", 11.0, date(2025, 1, 10), "c2.csv", 71),
        ("150781", 2025, "relief_time_hours", 10.5, date(2025, 12, 1), "c3.csv", 72),
        ("150781", 2025, "relief_time_hours", 9.5, date(2026, 1, 10), "c4.csv", 73),
        ("150781", 2026, "relief_time_hours", 8.0, date(2026, 3, 1), "c5.csv", 74),
        ("150781", 2025, "enforcement_equipment_compliance_pct", 98.0, date(2026, 1, 10), "c4.csv", 73),
    ]
    con.executemany(
        "insert into raw.capabilities values (?, null, false, ?, ?, ?, ?, ?, ?, null, ?, ?, ?)",
        [(r, y, c, v, rep, f, "sha-" + f, 2, seq, LOADED_AT) for r, y, c, v, rep, f, seq in caps],
    )

    with SPEC_TARGETS.open(encoding="utf-8", newline="") as fh:
        targets = list(csv.DictReader(fh))
    con.executemany(
        "insert into raw.plans values (?, ?, ?, null, false, 2021, 2025, 2020, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " null, ?, null, ?, ?, null, ?, ?, ?)",
        [
            (t["plan_id"], f"{t['region_code']}“十四五”规划", t["region_code"], int(t["seq"]),
             t["indicator_name_as_printed"], t["indicator_code"], t["target_kind"], t["comparator"] or None,
             float(t["target_value"]) if t["target_value"] else None, t["unit"], t["baseline_value"] or None,
             None if t["attribute"] == "unspecified" else t["attribute"], t["evaluation"], t["note"] or None,
             f"plan-{t['region_code']}.csv", "sha-plan", i + 2, 80, LOADED_AT)
            for i, t in enumerate(targets)
        ],
    )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("dbt")
    db = tmp / "warehouse.duckdb"
    con = duckdb.connect(str(db))
    build_raw(con)
    con.close()
    run_dbt(db, "build", as_of=AS_OF, work_dir=tmp)
    return db


@pytest.fixture(scope="module")
def con(warehouse):
    c = duckdb.connect(str(warehouse), read_only=True)
    yield c
    c.close()


def value(con, region, year, indicator, column="value"):
    rows = con.execute(
        f"select {column} from marts.fct_indicator_values"
        " where region_code = ? and year = ? and indicator_code = ?",
        [region, year, indicator],
    ).fetchall()
    assert len(rows) <= 1
    return rows[0][0] if rows else None


def progress(con, region, seq) -> dict:
    cur = con.execute(
        "select * from marts.fct_plan_progress where region_code = ? and seq = ?", [region, seq]
    )
    cols = [d[0] for d in cur.description]
    rows = cur.fetchall()
    assert len(rows) == 1
    return dict(zip(cols, rows[0], strict=True))


def garwood(x: int) -> tuple[float, float]:
    return (0.0 if x == 0 else chi2.ppf(0.025, 2 * x) / 2, chi2.ppf(0.975, 2 * x + 2) / 2)


# --- counts, revisions, write-offs, completeness ------------------------------------------


def test_counts_roll_up_with_revision_and_write_off(con):
    assert value(con, PREF, 2020, "safety_deaths") == 5  # 1 + 3 + 1; A4 (核销) excluded
    assert value(con, PREF, 2020, "safety_accidents") == 3
    assert value(con, PREF, 2020, "larger_accidents") == 1  # A2: 3 deaths incl. missing
    assert value(con, PREF, 2020, "larger_and_above_accidents") == 1
    assert value(con, PREF, 2020, "major_and_above_accidents") == 0
    assert value(con, "230502", 2020, "safety_deaths") == 1
    assert value(con, "230503", 2020, "safety_deaths") == 4
    assert value(con, PREF, 2025, "safety_deaths") == 3  # B1 revised 1 → 2, plus B2
    assert value(con, PREF, 2025, "larger_accidents") == 0  # B1: 2 dead, 9 serious, 999.99 万元
    assert value(con, PREF, 2023, "safety_deaths") == 2  # P1 filed at prefecture level + U1
    assert value(con, "230502", 2023, "safety_deaths") == 0
    # U1's 涉及营运车辆 is not given: the operating-vehicle rate is unknown, not 0
    assert value(con, PREF, 2023, "operating_vehicle_deaths_per_10k") is None
    assert value(con, "230503", 2023, "operating_vehicle_deaths_per_10k") is None
    assert value(con, "230502", 2023, "operating_vehicle_deaths_per_10k") == 0


def test_zero_is_zero_and_gap_is_absent(con):
    assert value(con, PREF, 2022, "safety_deaths") == 0  # complete quiet year
    assert value(con, "230502", 2024, "safety_deaths") == 0  # 尖山区 complete in 2024
    assert value(con, "230503", 2024, "safety_deaths") is None  # June missing
    assert value(con, PREF, 2024, "safety_deaths") is None  # one unit incomplete → absent
    assert value(con, PREF, 2019, "safety_deaths") is None  # nothing filed
    assert value(con, PREF, 2024, "disaster_deaths_per_million") == 0  # disasters complete
    # forest fires never filed: no forest indicator anywhere
    n = con.execute(
        "select count(*) from marts.fct_indicator_values where indicator_code = 'forest_fire_damage_permille'"
    ).fetchone()[0]
    assert n == 0


def test_current_year_partial(con):
    row = con.execute(
        "select value, is_current_year, months_covered from marts.fct_indicator_values"
        " where region_code = ? and year = 2026 and indicator_code = 'safety_deaths'",
        [PREF],
    ).fetchone()
    assert row == (1, True, 3)
    assert value(con, PREF, 2026, "deaths_per_100m_gdp") is None  # no 2026 GDP yet
    ytd = con.execute(
        "select through_month, value_ytd, prior_year_value_same_months, change_pct, is_complete"
        " from marts.fct_ytd_comparison where region_code = ? and indicator_code = 'safety_deaths'",
        [PREF],
    ).fetchone()
    assert ytd == (3, 1, 0, None, True)


# --- rates and the roll-up trap -----------------------------------------------------------


def test_rates_from_summed_numerators_and_denominators(con):
    assert value(con, PREF, 2020, "deaths_per_100m_gdp") == pytest.approx(5 / 700)  # 最终核实 GDP wins
    county_mean = (1 / 100 + 4 / 300 + 0 * 6) / 8
    assert value(con, PREF, 2020, "deaths_per_100m_gdp") != pytest.approx(county_mean)
    assert value(con, PREF, 2020, "deaths_per_100m_gdp", "denominator") == 700
    assert value(con, "230502", 2020, "deaths_per_100m_gdp") == pytest.approx(1 / 100)
    assert value(con, PREF, 2020, "industrial_deaths_per_100k_workers") == pytest.approx(4 / 80000 * 1e5)
    assert value(con, PREF, 2020, "operating_vehicle_deaths_per_10k") == pytest.approx(1 / 16000 * 1e4)
    assert value(con, PREF, 2020, "coal_deaths_per_mt") == pytest.approx(3 / 2)
    assert value(con, PREF, 2025, "coal_deaths_per_mt") == 0
    assert value(con, "230502", 2020, "coal_deaths_per_mt") is None  # coal output 0: no rate
    assert value(con, PREF, 2020, "disaster_deaths_per_million") == pytest.approx(2 / 1.3)  # 核报 wins
    assert value(con, PREF, 2020, "disaster_affected_per_100k") == pytest.approx(5000 / 1.3e6 * 1e5)
    assert value(con, PREF, 2022, "disaster_loss_pct_gdp") == pytest.approx(0.13 / 715 * 100)
    assert value(con, PREF, 2025, "deaths_per_100m_gdp") == pytest.approx(3 / 730)


def test_poisson_intervals(con):
    low, high = garwood(5)
    assert value(con, PREF, 2020, "safety_deaths", "value_ci_low") == pytest.approx(low)
    assert value(con, PREF, 2020, "safety_deaths", "value_ci_high") == pytest.approx(high)
    assert value(con, PREF, 2020, "deaths_per_100m_gdp", "value_ci_high") == pytest.approx(high / 700)
    assert value(con, PREF, 2022, "safety_deaths", "value_ci_high") == pytest.approx(3.689, abs=5e-4)
    assert value(con, PREF, 2020, "disaster_loss_pct_gdp", "value_ci_low") is None


# --- plan progress -------------------------------------------------------------------------


def test_plan_decline_achieved(con):
    p = progress(con, PREF, 1)  # safety_deaths −15%
    assert (p["baseline_value"], p["target_threshold"], p["evaluated_year"], p["evaluated_value"]) == (
        5,
        pytest.approx(4.25),
        2025,
        3,
    )
    assert p["status"] == "achieved" and p["status_zh"] == "已完成"
    assert p["change_pct"] == pytest.approx(-40)
    assert p["gap_to_target"] == pytest.approx(-1.25)
    assert p["years_complete"] == 4  # 2024 is a gap
    assert p["change_p_value"] == pytest.approx(binomtest(3, 8, 0.5).pvalue)
    assert p["is_change_significant"] is False

    p = progress(con, PREF, 3)  # deaths per 亿元 GDP −33%
    assert p["baseline_value"] == pytest.approx(5 / 700)
    assert p["evaluated_value"] == pytest.approx(3 / 730)
    assert p["status"] == "achieved"
    assert p["change_pct"] == pytest.approx((3 / 730) / (5 / 700) * 100 - 100)
    assert p["change_p_value"] == pytest.approx(binomtest(3, 8, 730 / 1430).pvalue)


def test_plan_decline_not_achieved_and_coal(con):
    p = progress(con, PREF, 5)  # operating vehicles −10%: 0.625 → 0.625
    assert p["status"] == "not_achieved" and p["status_zh"] == "未完成"
    assert p["gap_to_target"] == pytest.approx(0.625 - 0.5625)
    assert p["change_pct"] == pytest.approx(0)
    assert progress(con, PREF, 6)["status"] == "achieved"  # coal 1.5 → 0
    assert progress(con, PREF, 4)["evaluated_value"] == pytest.approx(2.5)


def test_plan_curb_and_period_means(con):
    p = progress(con, PREF, 2)
    assert (p["status"], p["status_zh"], p["baseline_value"], p["evaluated_value"]) == (
        "no_verdict",
        "不作判定",
        1,
        0,
    )
    assert p["curb_reference_mean"] is None  # 2016–2019 not filed

    p = progress(con, PREF, 9)  # disaster loss % GDP, period mean < 1
    gdp = [710, 715, 720, 725, 730]
    assert p["evaluated_value"] == pytest.approx((0.13 / 715 * 100) / 5)
    assert p["evaluated_value_ratio_of_sums"] == pytest.approx(0.13 / sum(gdp) * 100)
    assert p["evaluated_year"] == 2025 and p["years_complete"] == 5
    assert p["status"] == "achieved"
    p = progress(con, PREF, 8)
    assert p["evaluated_value"] == pytest.approx(2600 / 1.3e6 * 1e5 / 5)
    assert progress(con, PREF, 7)["evaluated_value"] == 0


def test_plan_capabilities_and_missing_inputs(con):
    p = progress(con, "150781", 6)  # relief time ≤ 10 hours, latest ≤ 2025: revised 9.5
    assert (p["evaluated_year"], p["evaluated_value"], p["status"]) == (2025, 9.5, "achieved")
    assert p["baseline_value"] == 12 and p["is_baseline_different"] is False
    p = progress(con, "150781", 5)  # enforcement equipment ≥ 100 %
    assert (p["evaluated_value"], p["status"], p["gap_to_target"]) == (98, "not_achieved", 2)
    p = progress(con, "150781", 1)  # no accident data for 满洲里: never 0, never achieved
    assert (p["status"], p["status_zh"], p["evaluated_value"], p["baseline_value"]) == (
        "insufficient_data",
        "数据不足",
        None,
        None,
    )
    assert p["baseline_value_printed"] == 3
    n = con.execute("select count(*) from marts.fct_plan_progress").fetchone()[0]
    assert n == 41


# --- other marts ---------------------------------------------------------------------------


def test_accidents_and_findings(con):
    rows = dict(
        con.execute(
            "select accident_id, (deaths_incl_missing, revision_count, is_written_off, severity_class)"
            " from marts.fct_accidents"
        ).fetchall()
    )
    assert rows["B1"] == (2, 2, False, "general")
    assert rows["A4"][2] is True
    assert rows["A2"][3] == "larger"
    findings = [r[0] for r in con.execute("select accident_id from marts.fct_severity_findings").fetchall()]
    assert findings == ["A2"]


def test_missing_submissions(con):
    rows = con.execute(
        "select region_code, source, month from marts.fct_missing_submissions where year >= 2020"
    ).fetchall()
    assert rows == [("230503", "accidents", date(2024, 6, 1))]
    denominators = con.execute(
        "select gdp_100m_yuan, gdp_data_status, population_10k from marts.fct_denominators"
        " where region_code = ? and year = 2020",
        [PREF],
    ).fetchone()
    assert denominators == (700, "年报", 130)  # weakest vintage of the parts


def test_larger_and_above_flag(con):
    flags = dict(con.execute("select accident_id, is_larger_and_above from marts.fct_accidents").fetchall())
    assert flags["A2"] is True  # 3 deaths incl. the missing: larger
    assert flags["A1"] is False and flags["B1"] is False  # B1 revised to 2 dead: still general


def completeness(con, region, source, year):
    return con.execute(
        "select months_due, units_required, units_complete, is_complete from marts.fct_source_completeness"
        " where region_code = ? and source = ? and year = ?",
        [region, source, year],
    ).fetchone()


def test_source_completeness_per_region_year(con):
    assert completeness(con, PREF, "accidents", 2022) == (12, 8, 8, True)  # a quiet, complete year
    assert completeness(con, PREF, "accidents", 2024) == (12, 8, 7, False)  # 岭东区 missed June
    assert completeness(con, "230503", "accidents", 2024) == (12, 1, 0, False)
    assert completeness(con, "230502", "accidents", 2024) == (12, 1, 1, True)
    assert completeness(con, PREF, "disasters", 2024) == (12, 8, 8, True)  # only the register is late
    assert completeness(con, PREF, "accidents", 2019) == (12, 8, 0, False)  # nothing filed before 2020
    assert completeness(con, PREF, "accidents", 2026) == (3, 8, 8, True)  # January-March of 2026


def test_nothing_in_quarantine_summary_without_quarantined_rows(con):
    assert con.execute("select count(*) from marts.fct_quarantine_summary").fetchone() == (0,)
