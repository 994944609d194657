"""Plans as data through the command line, on tests/plans_scenario.py (every answer worked out there).

Two plans of one jurisdiction side by side, a plan revised by a later version, a plan rejected
whole and a version conflict (named, and the quality gate says so), an ended plan whose end year
is incomplete (数据不足, no fallback), a period mean against the previous period, a percentage
in 百分点, a prefecture's own GDP, the year to date of 15th-plan targets in 2026 (a previous-year
0 included) and the outlook on a series with a clear trend.
"""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from tests.conftest import cli_env
from tests.handmade import LIZHOU
from tests.plans_scenario import AS_OF, HENGSHUI_FILE, LEPING, OUTLOOK_INTERVAL, write_plans_scenario


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    root = tmp_path_factory.mktemp("plans")
    data = write_plans_scenario(root / "data")
    warehouse, reports = root / "pub" / "w.duckdb", root / "pub" / "reports"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipelines",
            "run",
            "--data-dir",
            str(data),
            "--warehouse",
            str(warehouse),
            "--reports-dir",
            str(reports),
            "--as-of",
            AS_OF,
        ],
        capture_output=True,
        text=True,
        env=cli_env(),
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-3000:]
    con = duckdb.connect(str(warehouse), read_only=True)
    yield proc, con, reports
    con.close()


def rows(con, sql, params=()):
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def progress(con, plan, region, seq):
    [row] = rows(
        con,
        "select * from marts.fct_plan_progress where plan_id = ? and region_code = ? and seq = ?",
        (plan, region, seq),
    )
    return row


def test_two_plans_of_one_jurisdiction_side_by_side(scenario):
    _, con, reports = scenario
    plans = rows(
        con,
        "select plan_id, start_year, end_year, baseline_year, previous_first_year, previous_last_year,"
        " is_over, stage, monitoring_year, monitoring_month from marts.dim_plan"
        " where region_code = '230500' order by start_year",
    )
    assert plans == [
        {
            "plan_id": "14fyp",
            "start_year": 2021,
            "end_year": 2025,
            "baseline_year": 2020,
            "previous_first_year": 2016,
            "previous_last_year": 2020,
            "is_over": True,
            "stage": "final_evaluation",
            "monitoring_year": None,
            "monitoring_month": None,
        },
        {
            "plan_id": "15fyp",
            "start_year": 2026,
            "end_year": 2030,
            "baseline_year": 2025,
            "previous_first_year": 2021,
            "previous_last_year": 2025,
            "is_over": False,
            "stage": "monitoring",
            "monitoring_year": 2026,
            "monitoring_month": 10,
        },
    ]
    # the same indicator, each under its own plan's years: 2020 → 2025, and 2025 as the new base
    old, new = progress(con, "14fyp", "230500", 1), progress(con, "15fyp", "230500", 1)
    assert (old["baseline_year"], old["baseline_value"], old["evaluated_year"], old["evaluated_value"]) == (
        2020,
        6,
        2025,
        3,
    )
    assert old["status"] == "achieved" and old["change_pct"] == pytest.approx(-50.0)
    assert (new["baseline_year"], new["baseline_value"], new["target_threshold"]) == (
        2025,
        3,
        pytest.approx(2.7),
    )
    assert new["status"] == "insufficient_data" and new["evaluated_year"] is None  # no complete 2026 yet
    assert (new["baseline_value_ci_low"], new["baseline_value_ci_high"]) == (
        pytest.approx(0.619, abs=1e-3),
        pytest.approx(8.767, abs=1e-3),
    )
    names = sorted(p.name for p in reports.glob("[0-9]*.html"))
    assert names == [
        "150781_满洲里市_14fyp.html",
        "230500_双鸭山市_14fyp.html",
        "230500_双鸭山市_15fyp.html",
        "360281_乐平市_15fyp.html",
        "510802_利州区_14fyp.html",
        "510802_利州区_15fyp.html",
    ]
    s15 = (reports / "230500_双鸭山市_15fyp.html").read_text(encoding="utf-8")
    assert "规划期 2026—2030年 · 基期 2025年" in s15 and "年度监测" in s15
    s14 = (reports / "230500_双鸭山市_14fyp.html").read_text(encoding="utf-8")
    assert "规划期 2021—2025年 · 基期 2020年" in s14 and "终期评估" in s14


def test_a_plan_revised_by_a_later_version(scenario):
    _, con, _ = scenario
    versions = rows(
        con,
        "select source_file, version_date::varchar as version_date, version_status, superseded_by"
        " from marts.dim_plan_version where plan_id = '15fyp' and region_code = ?"
        " order by version_date",
        (LIZHOU,),
    )
    assert versions == [
        {
            "source_file": "利州区十五五（2026年3月）.csv",
            "version_date": "2026-03-01",
            "version_status": "superseded",
            "superseded_by": "利州区十五五（2026年6月修订）.csv",
        },
        {
            "source_file": "利州区十五五（2026年6月修订）.csv",
            "version_date": "2026-06-30",
            "version_status": "current",
            "superseded_by": None,
        },
    ]
    in_force = rows(
        con,
        "select seq, target_value from marts.fct_plan_progress where plan_id = '15fyp'"
        " and region_code = ? order by seq",
        (LIZHOU,),
    )
    assert in_force == [{"seq": 1, "target_value": 10.0}, {"seq": 2, "target_value": 10.0}]
    # the superseded text stays queryable
    old = rows(
        con,
        "select seq, target_value, version_status from marts.fct_plan_target_versions"
        " where source_file = '利州区十五五（2026年3月）.csv'",
    )
    assert old == [{"seq": 1, "target_value": 5.0, "version_status": "superseded"}]


def test_a_plan_rejected_whole_and_a_version_conflict_are_named(scenario):
    proc, con, reports = scenario
    quarantined = rows(
        con,
        "select row_number, reason_code, reason_zh from raw.quarantine"
        " where source = 'plans' and file_name = ? order by row_number",
        (HENGSHUI_FILE,),
    )
    assert [r["row_number"] for r in quarantined] == [2, 3]
    assert {r["reason_code"] for r in quarantined} == {"inconsistent_plan"}
    assert all(
        "规划“15fyp”（行政区划 131100）的各行规划期起始年不一致（2026、2027），整份规划不入库"
        in r["reason_zh"]
        for r in quarantined
    )
    conflict = rows(
        con,
        "select source_file, version_status, status_reason_zh from marts.dim_plan_version"
        " where plan_id = 'zx' order by source_file",
    )
    assert [r["version_status"] for r in conflict] == ["rejected", "rejected"]
    assert "利州区专项规划.csv" in conflict[0]["status_reason_zh"]
    assert "利州区专项规划（另一份）.csv" in conflict[0]["status_reason_zh"]
    in_force = {
        (r["plan_id"], r["region_code"]) for r in rows(con, "select plan_id, region_code from marts.dim_plan")
    }
    assert ("15fyp", "131100") not in in_force and ("zx", LIZHOU) not in in_force
    assert not list(reports.glob("131100_*.html"))
    # the quality gate says so (a warning, blocking in strict mode), naming both plans
    check = rows(
        con,
        "select severity, passed, offending_count, message_zh from quality.check_results"
        " where check_name = 'marts_dim_plan_every_plan_in_force'",
    )
    assert [(c["severity"], c["passed"], c["offending_count"]) for c in check] == [("WARN", False, 2)]
    assert "131100" in check[0]["message_zh"] and "利州区专项规划.csv" in check[0]["message_zh"]
    assert "marts_dim_plan_every_plan_in_force" in proc.stdout


def test_an_ended_plan_with_its_end_year_incomplete_is_insufficient_data(scenario):
    _, con, _ = scenario
    # 利州区's 2025 accidents lack December: 2024 (0 deaths) must not stand in for 2025
    for seq in (1, 2, 3):
        row = progress(con, "14fyp", LIZHOU, seq)
        assert (row["status"], row["evaluated_year"], row["evaluated_value"]) == (
            "insufficient_data",
            None,
            None,
        )
    assert rows(
        con,
        "select count(*) as n from marts.fct_indicator_values where region_code = ? and year = 2024"
        " and indicator_code = 'safety_deaths' and value = 0",
        (LIZHOU,),
    ) == [{"n": 1}]
    # a jurisdiction without any data is never achieved
    assert progress(con, "14fyp", "150781", 1)["status"] == "insufficient_data"


def test_a_period_mean_against_the_previous_period_and_a_percentage_in_points(scenario):
    _, con, _ = scenario
    affected = progress(con, "14fyp", "230500", 8)  # 年均每十万人受灾人次
    assert affected["change_basis"] == "previous_period_mean"
    assert affected["previous_period_mean"] == pytest.approx(1000.0)
    assert affected["evaluated_value"] == pytest.approx(200.0)
    assert affected["change_pct"] == pytest.approx(-80.0) and affected["change_pp"] is None
    loss = progress(con, "14fyp", "230500", 9)  # 年均因自然灾害直接经济损失占GDP比例
    assert (loss["previous_period_mean"], loss["evaluated_value"]) == (
        pytest.approx(0.05),
        pytest.approx(0.01),
    )
    assert loss["change_pp"] == pytest.approx(-0.04) and loss["change_pct"] is None
    deaths = progress(con, "14fyp", "230500", 7)
    assert deaths["previous_period_mean"] == pytest.approx(1 / 6) and deaths["change_pct"] == pytest.approx(
        100.0
    )
    # the final evaluation, the jurisdiction and a county side by side
    final = {
        r["region_code"]: r
        for r in rows(
            con,
            "select * from marts.fct_period_comparison where indicator_code = 'disaster_affected_per_100k'"
            " and region_code in ('230500', '230502')",
        )
    }
    assert (final["230500"]["previous_mean"], final["230500"]["mean"]) == (
        pytest.approx(1000),
        pytest.approx(200),
    )
    # 尖山区 alone: 60,000 / 150,000 × 100,000 = 40,000 in 2018 → 8,000 a year; no event 2021–2025 → 0
    assert (final["230502"]["previous_mean"], final["230502"]["mean"], final["230502"]["change_pct"]) == (
        pytest.approx(8000),
        pytest.approx(0),
        pytest.approx(-100.0),
    )
    counts = rows(
        con,
        "select previous_total, total from marts.fct_period_comparison"
        " where region_code = '230500' and indicator_code = 'safety_deaths'",
    )
    assert counts == [{"previous_total": None, "total": 3.0}]  # 2016–2019 have no accident register


def test_a_prefecture_that_files_its_own_gdp(scenario):
    _, con, _ = scenario
    [d] = rows(
        con,
        "select gdp_100m_yuan, gdp_basis, gdp_data_status, population_10k, population_basis"
        " from marts.fct_denominators where region_code = '230500' and year = 2025",
    )
    assert d == {
        "gdp_100m_yuan": 420.0,
        "gdp_basis": "filed",
        "gdp_data_status": "初步核算",
        "population_10k": 120.0,
        "population_basis": "sum_of_counties",
    }
    [d2020] = rows(
        con,
        "select gdp_100m_yuan, gdp_basis from marts.fct_denominators"
        " where region_code = '230500' and year = 2020",
    )
    assert d2020 == {"gdp_100m_yuan": 400.0, "gdp_basis": "sum_of_counties"}
    rate = progress(con, "14fyp", "230500", 3)
    assert rate["evaluated_value"] == pytest.approx(3 / 420)
    assert rate["change_pct"] == pytest.approx((3 / 420 - 0.015) / 0.015 * 100)
    base = progress(con, "15fyp", "230500", 3)
    assert (
        base["baseline_value"] == pytest.approx(3 / 420) and base["baseline_denominator_status"] == "初步核算"
    )


def test_the_year_to_date_of_15th_plan_targets(scenario):
    _, con, _ = scenario
    ytd = {(r["region_code"], r["seq"]): r for r in rows(con, "select * from marts.fct_plan_ytd")}
    deaths = ytd[("230500", 1)]
    assert (deaths["through_month"], deaths["ytd_value"], deaths["prior_ytd_value"]) == (10, 1, 3)
    assert deaths["ytd_change_pct"] == pytest.approx(-200 / 3)
    assert deaths["required_yearly_change_pct"] == pytest.approx((0.9**0.2 - 1) * 100)
    assert deaths["status"] == "on_track"
    assert (
        ytd[("230500", 2)]["ytd_value"],
        ytd[("230500", 2)]["prior_ytd_value"],
        ytd[("230500", 2)]["status"],
    ) == (0, 0, "on_track")  # a previous-year 0 still 0
    assert (
        ytd[(LIZHOU, 2)]["ytd_value"],
        ytd[(LIZHOU, 2)]["prior_ytd_value"],
        ytd[(LIZHOU, 2)]["status"],
    ) == (1, 0, "worsening")  # a previous-year 0 with an accident now
    assert (
        ytd[(LIZHOU, 1)]["ytd_value"],
        ytd[(LIZHOU, 1)]["prior_ytd_value"],
        ytd[(LIZHOU, 1)]["status"],
    ) == (3, 2, "worsening")
    assert all(r["status_zh"] for r in ytd.values())
    # 乐平 filed nothing in 2026: no monitoring month, no year-to-date value (never 0)
    assert (ytd[(LEPING, 1)]["through_month"], ytd[(LEPING, 1)]["ytd_value"], ytd[(LEPING, 1)]["status"]) == (
        None,
        None,
        "insufficient_data",
    )


def test_the_outlook_on_a_series_with_a_clear_trend(scenario):
    _, con, reports = scenario
    outlook = {
        r["seq"]: r
        for r in rows(con, "select * from marts.fct_plan_outlook where region_code = ?", (LEPING,))
    }
    value, low, high = OUTLOOK_INTERVAL
    for seq in (1, 2, 3):
        o = outlook[seq]
        assert (o["first_fitted_year"], o["last_fitted_year"], o["projected_year"], o["method"]) == (
            2020,
            2025,
            2030,
            "poisson_trend",
        )
        assert o["projected_value"] == pytest.approx(value, rel=1e-6)  # 32 × (2/3)^5 = 4.2140
        assert (o["projected_low"], o["projected_high"]) == (
            pytest.approx(low, rel=1e-6),
            pytest.approx(high, rel=1e-6),
        )
        assert o["trend_pct_per_year"] == pytest.approx(-100 / 3, rel=1e-6)
    assert outlook[1]["target_value"] == pytest.approx(28.8)
    assert [outlook[s]["outlook"] for s in (1, 2, 3)] == ["likely", "unlikely", "uncertain"]
    page = (reports / "360281_乐平市_15fyp.html").read_text(encoding="utf-8")
    assert "可能实现" in page and "难以实现" in page and "不确定" in page


def test_every_mart_column_is_described_in_english_and_chinese(scenario):
    _, con, _ = scenario
    columns = rows(
        con,
        "select table_name, column_name, data_type, comment from duckdb_columns()"
        " where schema_name = 'marts'",
    )
    plan_marts = {
        "dim_plan",
        "dim_plan_version",
        "fct_plan_target_versions",
        "fct_plan_progress",
        "fct_period_comparison",
        "fct_plan_ytd",
        "fct_plan_outlook",
    }
    assert plan_marts <= {c["table_name"] for c in columns}
    undescribed = [
        (c["table_name"], c["column_name"])
        for c in columns
        if not c["comment"]
        or " / " not in c["comment"]
        or not any("\u4e00" <= ch <= "\u9fff" for ch in c["comment"])
    ]
    assert undescribed == []
    # the outlook (a Python model) is typed like its description says
    types = {c["column_name"]: c["data_type"] for c in columns if c["table_name"] == "fct_plan_outlook"}
    assert (types["seq"], types["projected_year"], types["projected_value"]) == (
        "INTEGER",
        "INTEGER",
        "DOUBLE",
    )


def test_the_plan_marts_have_the_columns_and_types_their_descriptions_declare(scenario):
    """_plans__models.yml types every column (ready for contract: enforced); the tables agree."""
    import yaml

    from pipelines.settings import DBT_PROJECT_DIR

    _, con, _ = scenario
    models = yaml.safe_load((DBT_PROJECT_DIR / "models" / "marts" / "_plans__models.yml").read_text("utf-8"))
    for model in models["models"]:
        actual = rows(
            con,
            "select column_name, data_type from duckdb_columns() where schema_name = 'marts'"
            " and table_name = ? order by column_index",
            (model["name"],),
        )
        declared = [{"column_name": c["name"], "data_type": c["data_type"].upper()} for c in model["columns"]]
        assert actual == declared, model["name"]
