"""Every query of docs/analysts.md, run as printed, with an answer worked out by hand.

The warehouse is built by the CLI from the hand-made folder plus one 2026 file (conftest.py).
Each query runs twice: in the DuckDB Python client (2.x) and in the DuckDB CLI (1.5.x), both
read-only. The only edit to a query: the Parquet folder `var/warehouse/parquet/` is replaced by the
test's.
"""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.analysts.conftest import duckdb_cli
from tests.handmade import EXPECTED_PROGRESS, LIZHOU, SHUANGYASHAN_COUNTIES
from tests.robustness.safe_export import neutralise_cell

DOC = Path(__file__).resolve().parents[2] / "docs" / "analysts.md"
MARKED = re.compile(r"<!-- query: ([a-z0-9_]+) -->\n```sql\n(.*?)```", re.S)
DOC_PARQUET_DIR = "var/warehouse/parquet/"
MARTS = {
    "bridge_region_rollup", "dim_code_label", "dim_indicator", "dim_month", "dim_region",
    "fct_accident_breakdown", "fct_accidents", "fct_denominator_vintages", "fct_denominators",
    "fct_disaster_breakdown", "fct_disaster_losses", "fct_forest_fires", "fct_indicator_values",
    "fct_missing_submissions", "fct_plan_progress", "fct_quarantine_summary", "fct_record_revisions",
    "fct_severity_findings", "fct_source_completeness", "fct_submission_coverage", "fct_ytd_comparison",
    "rpt_region_year",
    "dim_plan", "dim_plan_version", "fct_plan_target_versions", "fct_period_comparison", "fct_plan_ytd",
    "fct_plan_outlook",
    "fct_monthly_situation", "fct_region_month_coverage", "fct_quota_usage", "fct_quota_versions",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def doc_queries() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    found = MARKED.findall(text)
    names = [n for n, _ in found]
    assert len(names) == len(set(names)), f"duplicate query markers: {names}"
    return dict(found)


QUERIES = doc_queries()


def approx(x):
    return pytest.approx(x, rel=1e-9, abs=1e-12)


# ---------------------------------------------------------------------------------- checks
# One function per query: rows are dicts (dates as ISO text), in the query's order.

def check_indicator_codes(rows):
    assert len(rows) == 18
    assert rows[0]["indicator_code"] == "safety_deaths"
    gdp = next(r for r in rows if r["indicator_code"] == "deaths_per_100m_gdp")
    assert (gdp["unit_zh"], gdp["kind"], gdp["denominator_measure"]) == ("人/亿元", "rate", "gdp_100m_yuan")
    # the table printed in the doc lists exactly the warehouse's codes
    section = DOC.read_text(encoding="utf-8").split("## 4. Indicator codes")[1].split("\n## ")[0]
    printed = set(re.findall(r"^\| `([a-z0-9_]+)` \|", section, re.M)) - {"indicator_code"}  # header
    assert printed == {r["indicator_code"] for r in rows}


def check_ranking_counties_deaths_per_gdp(rows):
    # 2025: 岭东区 2 deaths (the revision 1 → 2 wins) / 50 亿元; 尖山区 1 / 50; 利州区 3 / 300 (最终核实)
    top = [(r["region_code"], r["region_name"], r["deaths"], r["gdp_100m_yuan"], r["deaths_per_100m_gdp"],
            r["rank"]) for r in rows[:3]]
    assert top == [("230503", "岭东区", 2, 50, approx(0.04), 1), ("230502", "尖山区", 1, 50, approx(0.02), 2),
                   ("510802", "利州区", 3, 300, approx(0.01), 3)]
    assert rows[0]["prefecture"] == "双鸭山市" and rows[2]["prefecture"] == "广元市"
    assert len(rows) == 9  # the 9 county-level units with data; the 6 quiet ones at 0
    assert {r["region_code"] for r in rows} == {*SHUANGYASHAN_COUNTIES, LIZHOU}
    assert all(r["deaths_per_100m_gdp"] == 0 and r["rank"] == 4 for r in rows[3:])


def check_industrial_deaths_by_sector(rows):
    # 2021–2025 工矿商贸: 双鸭山市 2025 建筑业 2 (revised), 煤矿 1; the written-off 工贸 5 counts nowhere;
    # 利州区 2025 three 工贸 accidents of 1 death. 2020 and 道路运输 are outside.
    got = [(r["region_code"], r["sector"], r["accidents"], r["deaths"]) for r in rows]
    assert got == [("230500", "建筑业", 1, 2), ("230500", "煤矿", 1, 1), ("510802", "工贸", 3, 3)]


def check_larger_accidents_last_five_years(rows):
    # window 2022–2026: SYS-2020-002 (较大, 2020) is older, SYS-2025-003 (较大) is written off
    assert len(rows) == 1
    row = rows[0]
    assert (row["accident_id"], row["occurred_date"], row["region_name"], row["deaths_incl_missing"],
            row["rule_class"], row["reported_severity"]) == (
        "SYS-2026-001", "2026-03-12", "尖山区", 4, "较大", "一般")


def check_missed_targets(rows):
    # 利州区: deaths 2 → 3 (target −5%: threshold 1.9); rate 0.01 → 0.01 (−15%: 0.0085);
    # 工矿商贸 rate 2 → 5 (−10%: 1.8). 双鸭山市 met all its targets.
    got = [(r["region_code"], r["seq"], r["evaluated_value"], r["target_threshold"], r["status_zh"])
           for r in rows]
    assert got == [
        (LIZHOU, 1, approx(3), approx(1.9), "未完成"),
        (LIZHOU, 2, approx(0.01), approx(0.0085), "未完成"),
        (LIZHOU, 3, approx(5.0), approx(1.8), "未完成"),
    ]
    for (region, seq), (status, *_rest) in EXPECTED_PROGRESS.items():
        assert ((region, seq) in {(r["region_code"], r["seq"]) for r in rows}) == (status == "not_achieved")


def check_gdp_revision_rate_change(rows):
    # 利州区 2025: 初步核算 250 亿元 → 3 / 250 = 0.012; 最终核实 300 → 0.01, the published value
    got = [(r["region_code"], r["year"], r["data_status"], r["gdp_100m_yuan"], r["deaths_per_100m_gdp"],
            r["is_latest"], r["published_value"]) for r in rows]
    assert got == [
        (LIZHOU, 2025, "初步核算", 250, approx(0.012), False, approx(0.01)),
        (LIZHOU, 2025, "最终核实", 300, approx(0.01), True, approx(0.01)),
    ]


def check_missing_submissions_this_year(rows):
    # no disaster filing at all in 2026: every unit × 10 months; accidents are complete
    assert {r["region_code"] for r in rows} == {*SHUANGYASHAN_COUNTIES, LIZHOU}
    months = ", ".join(f"2026-{m:02d}" for m in range(1, 11))
    assert all(r["source"] == "disasters" and r["months_missing"] == 10 and r["months"] == months
               for r in rows)
    assert rows[0]["region_code"] == "230502" and rows[-1]["prefecture_code"] == "510800"


def check_quarantined_rows(rows):
    assert len(rows) == 1
    row = rows[0]
    assert (row["source"], row["file_name"], row["row_number"], row["column_name"], row["reason_code"],
            row["deaths_in_row"]) == ("accidents", "accidents_2026_analysts.csv", 3, "行政区划代码",
                                      "unknown_region_code", 1)
    assert "999999" in row["reason_zh"] and "999999" in row["reason_en"]


def check_severity_findings(rows):
    assert [(r["accident_id"], r["region_name"], r["reported_severity"], r["rule_class"],
             r["deaths_incl_missing"]) for r in rows] == [("SYS-2026-001", "尖山区", "一般", "较大", 4)]


def check_ytd_2026_vs_2025(rows):
    # January–October are due, but no disaster register is filed in 2026 (conftest.py): neither
    # region has a month every register it keeps is complete — null, never 0. (The accidents alone,
    # 4 deaths against 3 and so on, are in check_monthly_situation.)
    got = [(r["region_code"], r["indicator_name_zh"], r["due_through_month"], r["through_month"],
            r["ytd_2026"], r["same_months_2025"], r["change_pct"], r["is_complete"]) for r in rows]
    assert got == [
        ("230500", "生产安全事故死亡人数", 10, None, None, None, None, False),
        ("230500", "生产安全事故起数", 10, None, None, None, None, False),
        (LIZHOU, "生产安全事故死亡人数", 10, None, None, None, None, False),
        (LIZHOU, "生产安全事故起数", 10, None, None, None, None, False),
    ]


def check_poisson_intervals(rows):
    # exact Poisson 95%: k=6 → [χ²(.025,12)/2, χ²(.975,14)/2] = [2.2019, 13.0595];
    # k=3 → [χ²(.025,6)/2, χ²(.975,8)/2] = [0.6187, 8.7673]; the rates divide by GDP 400 亿元.
    got = [(r["indicator_code"], r["year"], r["value"], r["ci_low"], r["ci_high"]) for r in rows]
    assert got == [
        ("deaths_per_100m_gdp", 2020, approx(0.015), approx(0.0055), approx(0.0326)),
        ("deaths_per_100m_gdp", 2025, approx(0.0075), approx(0.0015), approx(0.0219)),
        ("safety_deaths", 2020, 6, approx(2.2019), approx(13.0595)),
        ("safety_deaths", 2025, 3, approx(0.6187), approx(8.7673)),
    ]


def check_disasters_by_hazard(rows):
    # DZ2023-01 in 四方台区: 核报 2 dead, 12,000 person-times, 2,000 万元 = 0.2 亿元
    assert [(r["region_code"], r["year"], r["hazard"], r["events"], r["dead_missing"],
             r["affected_person_times"], r["direct_loss_100m_yuan"]) for r in rows] == [
        ("230500", 2023, "洪涝", 1, 2, 12000, approx(0.2))]


def check_plan_progress_overview(rows):
    assert [r["seq"] for r in rows] == list(range(1, 10))
    status_zh = {"achieved": "已完成", "no_verdict": "不作判定"}
    for row in rows:
        status, baseline, evaluated, _change = EXPECTED_PROGRESS[("230500", row["seq"])]
        assert row["status_zh"] == status_zh[status], row
        if evaluated is not None:
            assert row["evaluated_value"] == approx(evaluated), row
        if baseline is not None:
            assert row["baseline_value"] == approx(baseline), row


def check_plans_in_force(rows):
    # the hand-made folder's two 14th plans (over) and 双鸭山市's 15th (conftest), each with its years;
    # no disaster register filed in 2026: the 15th plan has no monitoring month yet
    got = [(r["plan_id"], r["region_code"], r["start_year"], r["end_year"], r["baseline_year"],
            r["previous_first_year"], r["previous_last_year"], r["stage_zh"], r["monitoring_month"],
            r["versions"]) for r in rows]
    assert got == [
        ("14fyp", "230500", 2021, 2025, 2020, 2016, 2020, "终期评估", None, 1),
        ("15fyp", "230500", 2026, 2030, 2025, 2021, 2025, "年度监测", None, 1),
        ("14fyp", LIZHOU, 2021, 2025, 2020, 2016, 2020, "终期评估", None, 1),
    ]


def check_final_evaluation_counties(rows):
    # deaths 2021–2025: 双鸭山市 3 (2025: 尖山区 1, 岭东区 2 after revision), other counties 0;
    # 受灾人次 per 100k: 2023's 12,000 in 四方台区 → 8,000 there (15 万 people), 1,000 in the city
    # (120 万): means 1,600 and 200. 2016–2019 never filed: no previous period, no change.
    deaths = {r["region_code"]: r for r in rows if r["indicator_code"] == "safety_deaths"}
    assert set(deaths) == {"230500", *SHUANGYASHAN_COUNTIES}
    assert {code: r["total"] for code, r in deaths.items()} == {
        "230500": 3, "230502": 1, "230503": 2, **{c: 0 for c in SHUANGYASHAN_COUNTIES[2:]}}
    affected = {r["region_code"]: r["mean"] for r in rows
                if r["indicator_code"] == "disaster_affected_per_100k"}
    assert (affected["230500"], affected["230505"]) == (approx(200), approx(1600))
    assert all(r["previous_total"] is None and r["change_pct"] is None for r in rows)
    assert {r["missing_years"] for r in rows} == {"2016,2017,2018,2019"}


def check_period_mean_changes(rows):
    got = [(r["region_code"], r["seq"], r["change_basis"], r["evaluated_value"], r["change_pct"])
           for r in rows]
    assert got == [("230500", 7, "previous_period_mean", approx(0.3333), None),
                   ("230500", 8, "previous_period_mean", approx(200.0), None),
                   ("230500", 9, "previous_period_mean", approx(0.01), None),
                   (LIZHOU, 4, "previous_period_mean", None, None),
                   (LIZHOU, 5, "previous_period_mean", None, None),
                   (LIZHOU, 6, "previous_period_mean", None, None)]
    assert all(r["change_note_zh"] == "上一规划期（2016—2020年）有年份数据不完整，不计算变化" for r in rows)


def check_running_plan_monitoring(rows):
    # 2025 baseline: 3 deaths, exact Poisson [0.619, 8.767]; 3 / 400 亿元 = 0.0075 (GDP 最终核实);
    # thresholds 3 × 0.9 = 2.7 and 0.0075 × 0.8 = 0.006; no complete 2026 and no monitoring month.
    got = [(r["seq"], r["baseline_year"], r["baseline_value"], r["baseline_ci_low"], r["baseline_ci_high"],
            r["baseline_denominator_status"], r["target_threshold"], r["status_zh"], r["through_month"],
            r["ytd_value"], r["ytd_status_zh"], r["first_fitted_year"], r["last_fitted_year"]) for r in rows]
    assert got == [
        (1, 2025, approx(3), approx(0.619), approx(8.767), None, approx(2.7), "数据不足", None, None,
         "数据不足", 2020, 2025),
        (2, 2025, approx(0.0075), approx(0.002), approx(0.022), "最终核实", approx(0.006), "数据不足", None,
         None, None, 2020, 2025),
    ]
    assert all(r["outlook_zh"] in ("可能实现", "不确定", "难以实现") for r in rows)


def check_denominator_basis(rows):
    # 双鸭山市 files no figure of its own: 8 × 50 亿元, 8 × 15 万人; 利州区's own 最终核实 300
    got = [(r["region_code"], r["gdp_100m_yuan"], r["gdp_basis"], r["gdp_data_status"], r["population_10k"],
            r["population_basis"]) for r in rows]
    assert got == [("230500", 400, "sum_of_counties", "最终核实", 120, "sum_of_counties"),
                   (LIZHOU, 300, "filed", "最终核实", 50, "filed")]


def check_csv_safe_missing_submissions(rows):
    assert len(rows) == 90  # 9 units × 10 months (disasters)
    assert all(not r["region_name"].startswith(FORMULA_START) for r in rows)


def check_parquet_ranking(rows):
    assert [(r["region_code"], r["deaths_per_100m_gdp"]) for r in rows[:3]] == [
        ("230503", approx(0.04)), ("230502", approx(0.02)), (LIZHOU, approx(0.01))]
    assert len(rows) == 9


def check_parquet_table_comment(rows):
    assert len(rows) == 1
    assert "complete region-years" in rows[0]["value"] and "指标值事实表" in rows[0]["value"]


def check_column_comments(rows):
    assert [r["column_name"] for r in rows][:6] == ["region_code", "year", "indicator_code", "numerator",
                                                    "denominator", "value"]
    comments = {r["column_name"]: r["comment"] for r in rows}
    assert "Poisson" in comments["value_ci_low"] and "泊松" in comments["value_ci_low"]
    assert all(c and " / " in c for c in comments.values()), comments


def check_table_comments(rows):
    assert {r["table_name"] for r in rows} == MARTS
    assert all(r["comment"] and " / " in r["comment"] for r in rows)
    cuibao = next(r for r in rows if r["table_name"] == "fct_missing_submissions")
    assert cuibao["comment"].startswith("催报清单")


def check_accident_revisions(rows):
    # tests/handmade.py: SYS-2025-002 filed with 1 death, re-filed with 2 (the later 填报日期 counts);
    # SYS-2025-003 filed 正常, re-filed 核销 (written off: counts nowhere)
    got = [(r["accident_id"], r["filing_seq"], r["filing_count"], r["reported_date"], r["source_file"],
            r["sheet_name"], r["source_row_number"], r["changes"], r["deaths_filed"], r["is_current"])
           for r in rows]
    assert got == [
        ("SYS-2025-002", 1, 2, "2025-05-21", "accidents_2020_2025.csv", None, 6, None, "1", False),
        ("SYS-2025-002", 2, 2, "2025-06-10", "accidents_2025_revisions.csv", None, 2, "deaths: 1 -> 2", "2",
         True),
        ("SYS-2025-003", 1, 2, "2025-08-02", "accidents_2020_2025.csv", None, 7, None, "5", False),
        ("SYS-2025-003", 2, 2, "2025-08-20", "accidents_2025_revisions.csv", None, 3,
         "record_status: 正常 -> 核销", "5", True),
    ]


def check_statistics_revisions(rows):
    # 利州区 2025 GDP: 初步核算 250 亿元 (row 55 of the yearly file), then 最终核实 300 (the final file)
    assert [(r["record_key"], r["filing_seq"], r["data_status"], r["reported_date"], r["source_file"],
             r["source_row_number"], r["changes"], r["is_current"]) for r in rows] == [
        (f"{LIZHOU} / 2025 / gdp_100m_yuan", 1, "初步核算", "2026-03-01", "statistics_2020_2025.csv", 55,
         None, False),
        (f"{LIZHOU} / 2025 / gdp_100m_yuan", 2, "最终核实", "2026-09-30", "statistics_2025_final.csv", 2,
         "value: 250.0 -> 300.0; data_status: 初步核算 -> 最终核实", True),
    ]


def check_accidents_2025_with_names(rows):
    # 2025 without the written-off SYS-2025-003: 尖山区 煤矿 1 death; 岭东区 建筑业 2 (revised);
    # 利州区 工贸 3 accidents × 1 death
    assert [tuple(r.values()) for r in rows] == [
        ("黑龙江省", "双鸭山市", "230502", "尖山区", "县级", "煤矿", "Coal mines", 1, 1),
        ("黑龙江省", "双鸭山市", "230503", "岭东区", "县级", "建筑业", "Construction", 1, 2),
        ("四川省", "广元市", LIZHOU, "利州区", "县级", "工贸", "Industry and trade", 3, 3),
    ]


def check_region_year_wide(rows):
    # the plan jurisdictions are the hand-made folder's plans in force (双鸭山市 and 利州区) × 2020–2025
    assert len(rows) == 12
    assert {r["region_code"] for r in rows} == {"230500", LIZHOU}
    by_key = {(r["region_code"], r["year"]): r for r in rows}
    cols = ("accidents_is_complete", "safety_deaths_value", "safety_accidents_value",
            "deaths_per_100m_gdp_value", "deaths_per_100m_gdp_numerator", "deaths_per_100m_gdp_denominator",
            "industrial_deaths_per_100k_workers_value")
    # 双鸭山市 2020: 6 deaths / 400 亿元; 工矿商贸 5 deaths / 16 万 workers × 100,000 = 3.125
    # 2025: 3 deaths (the revision counts) / 400; 3 industrial / 16 万 = 1.875
    # 利州区 2020: 2 / 200 亿元; 1 / 5 万 = 2.0; 2025: 3 / 300 (最终核实); 3 / 6 万 = 5.0
    expected = {
        ("230500", 2020): (True, 6, 3, 0.015, 6, 400, 3.125),
        ("230500", 2023): (True, 0, 0, 0, 0, 400, 0),
        ("230500", 2025): (True, 3, 2, 0.0075, 3, 400, 1.875),
        (LIZHOU, 2020): (True, 2, 2, 0.01, 2, 200, 2.0),
        (LIZHOU, 2025): (True, 3, 3, 0.01, 3, 300, 5.0),
    }
    for key, want in expected.items():
        assert tuple(by_key[key][c] for c in cols) == tuple(approx(v) if isinstance(v, float) else v
                                                          for v in want), key


def check_months_this_year(rows):
    # as of 2026-11-26 January–October are due; no disaster filing in 2026: 9 units per month
    assert [(r["year_month"], r["is_due"], r["unit_sources_missing"]) for r in rows] == [
        *[(f"2026-{m:02d}", True, 9) for m in range(1, 11)], ("2026-11", False, 0), ("2026-12", False, 0)]
    assert rows[10]["month_name_zh"] == "2026年11月"


def check_monthly_situation(rows):
    # 1—10月 2026 against 1—10月 2025, every month filed by every unit (conftest.py):
    # 双鸭山市 1 accident (尖山区 2026-03-12) against 2, −50.0%; 4 deaths against 3, +33.3%;
    # October itself 0 against September's 0: 环比 empty (上月为0), never +0.0%.
    # 利州区 nothing in 2026 against LZ-2025-001 and -002 (1 death each): −100.0% both.
    got = [(r["region_code"], r["measure"], r["ytd_value"], r["prior_ytd_value"], r["yoy_pct"],
            r["month_value"], r["prior_month_value"], r["mom_pct"], r["is_complete"]) for r in rows]
    assert got == [
        ("230500", "accidents", 1, 2, -50.0, 0, 0, None, True),
        ("230500", "deaths", 4, 3, 33.3, 0, 0, None, True),
        (LIZHOU, "accidents", 0, 2, -100.0, 0, 0, None, True),
        (LIZHOU, "deaths", 0, 2, -100.0, 0, 0, None, True),
    ]


def check_quota_usage(rows):
    # conftest.py: through October, time progress 10/12 = 83.3%
    got = [(r["region_code"], r["indicator_code"], r["quota"], r["actual"], r["usage_pct"], r["status_zh"],
            r["has_larger_accident"], r["rank_in_parent"]) for r in rows]
    assert got == [
        # the city's own quotas; 尖山区's 较大 accident is in the city too: flagged
        ("230500", "safety_accidents", 1, 1, 100.0, "预警", True, None),
        ("230500", "safety_deaths", 5, 4, 80.0, "正常", True, None),
        ("230502", "safety_deaths", 2, 4, 200.0, "超控", True, 1),  # the 较大 accident of 2026-03-12
        ("230503", "safety_deaths", 0, 0, None, "正常", False, 2),  # a quota of 0, nothing happened
        ("230505", "safety_deaths", 1, 0, 0.0, "正常", False, 2),
    ]
    assert {r["time_progress_pct"] for r in rows} == {83.3}


CHECKS = {name[len("check_"):]: fn for name, fn in globals().items() if name.startswith("check_")}


# ---------------------------------------------------------------------------------- runners

def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def run_in_python(warehouse: Path, sql: str) -> list[dict]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, map(_plain, row), strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def run_in_cli(warehouse: Path, sql: str) -> list[dict]:
    cli = duckdb_cli()
    if cli is None:
        pytest.skip("DuckDB CLI not installed (pip install duckdb-cli)")
    proc = subprocess.run([str(cli), "-readonly", "-json", str(warehouse), "-c", sql],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and not proc.stderr, proc.stderr
    return json.loads(proc.stdout) if proc.stdout.strip() else []


def with_test_paths(sql: str, parquet_dir: Path) -> str:
    return sql.replace(DOC_PARQUET_DIR, f"{parquet_dir}/")


# ---------------------------------------------------------------------------------- tests

def test_doc_has_the_questions_asked_for():
    text = DOC.read_text(encoding="utf-8")
    assert len(QUERIES) >= 12
    # every ```sql block of the doc is marked, hence run here
    assert len(re.findall(r"^```sql$", text, re.M)) == len(QUERIES)
    assert set(QUERIES) == set(CHECKS), "each marked query needs exactly one check here"
    for needed in ("ranking_counties_deaths_per_gdp", "industrial_deaths_by_sector",
                   "larger_accidents_last_five_years", "missed_targets", "gdp_revision_rate_change",
                   "missing_submissions_this_year", "quarantined_rows", "severity_findings",
                   "ytd_2026_vs_2025", "poisson_intervals", "parquet_ranking", "column_comments"):
        assert needed in QUERIES
    assert "```mermaid" in text and "erDiagram" in text
    for phrase in ("read_only=True", "duckdb -readonly", "v1.5.0", "atomic rename", "Reconnect"):
        assert phrase in text, phrase


@pytest.mark.parametrize("client", ["python", "cli"])
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_doc_query(published, name, client):
    sql = with_test_paths(QUERIES[name], published.parquet)
    runner = run_in_python if client == "python" else run_in_cli
    rows = runner(published.warehouse, sql)
    CHECKS[name](rows)


CSV_CELLS = ['=HYPERLINK("http://x","点击")', "+1+1", "-2", "@SUM(A1)", "＝1+1", "  =1", "\t=1", "尖山区"]


def test_csv_safe_query_neutralises_formulas():
    """The doc's CSV recipe, on cells an attacker could plant in a filed sheet's region name."""
    con = duckdb.connect()
    try:
        con.execute("create schema marts")
        con.execute("create table marts.fct_missing_submissions (region_name varchar, region_code varchar, "
                    "source varchar, month date, is_current_year boolean)")
        for i, cell in enumerate(CSV_CELLS):
            con.execute("insert into marts.fct_missing_submissions "
                        "values (?, ?, 'disasters', date '2026-01-01', true)", [cell, f"{230500 + i}"])
        names = [r[0] for r in con.execute(QUERIES["csv_safe_missing_submissions"]).fetchall()]
    finally:
        con.close()
    assert names == ["'" + CSV_CELLS[0], "'+1+1", "-2", "'@SUM(A1)", "'＝1+1", "'  =1", "'\t=1", "尖山区"]
    # the same rule as the Python rule the robustness tests hold any CSV/Excel export to
    assert names == [neutralise_cell(c) for c in CSV_CELLS]
