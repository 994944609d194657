"""The analysts' marts on the hand-made folder (tests/handmade.py), every figure checkable by hand.

- fct_record_revisions: the re-filed accident SYS-2025-002 (1 death, then 2), the written-off
  SYS-2025-003, the disaster DZ2023-01 (初报 then 核报), 利州区's 2025 GDP (初步核算 250 亿元, then
  最终核实 300): every filing, what it changed, and exactly one current filing per record, the one
  the other marts count.
- rpt_region_year: the same numbers as fct_indicator_values, one row per region and year.
- dim_region names, dim_month, dim_code_label (a label for every code the marts store).
"""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest

from pipelines import enumerations
from pipelines.reports import labels as report_labels
from pipelines.reports.reads import CodeLabels
from tests.handmade import LIZHOU, SHUANGYASHAN_COUNTIES


@pytest.fixture(scope="module")
def con(published):
    connection = duckdb.connect(str(published.warehouse), read_only=True)
    yield connection
    connection.close()


def rows(con, sql: str, params=None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def history(con, source: str, key: str) -> list[dict]:
    return rows(con, "select * from marts.fct_record_revisions where source = ? and record_key = ? "
                     "order by filing_seq", [source, key])


def test_a_re_filed_accident_shows_both_filings_and_what_changed(con):
    first, second = history(con, "accidents", "SYS-2025-002")
    assert (first["filing_seq"], first["filing_count"], first["reported_date"], first["source_file"],
            first["source_row_number"], first["changed_columns"], first["changes"], first["is_current"]) == (
        1, 2, date(2025, 5, 21), "accidents_2020_2025.csv", 6, None, None, False)
    assert (second["filing_seq"], second["reported_date"], second["source_file"], second["source_row_number"],
            second["changed_columns"], second["changes"], second["is_current"]) == (
        2, date(2025, 6, 10), "accidents_2025_revisions.csv", 2, "deaths", "deaths: 1 -> 2", True)
    assert json.loads(first["filed_values"])["deaths"] == 1
    assert json.loads(second["filed_values"])["deaths"] == 2
    assert first["region_code"] == second["region_code"] == "230503" and first["year"] == 2025
    # the current filing is the one the facts count
    [fact] = rows(con, "select deaths, revision_count, source_file from marts.fct_accidents "
                       "where accident_id = 'SYS-2025-002'")
    assert (fact["deaths"], fact["revision_count"], fact["source_file"]) == (2, 2, second["source_file"])


def test_a_write_off_is_a_revision_of_the_status(con):
    _, second = history(con, "accidents", "SYS-2025-003")
    assert (second["changes"], second["is_current"]) == ("record_status: 正常 -> 核销", True)


def test_a_disaster_report_stage_and_its_losses(con):
    first, second = history(con, "disasters", "DZ2023-01 / 230505")
    assert (first["filing_stage"], second["filing_stage"]) == ("初报", "核报")
    assert not first["is_current"] and second["is_current"]
    assert "deaths: 1 -> 2" in second["changes"] and "report_stage: 初报 -> 核报" in second["changes"]
    assert "affected_person_times: 8000 -> 12000" in second["changes"]


def test_a_gdp_vintage(con):
    first, second = history(con, "statistics", f"{LIZHOU} / 2025 / gdp_100m_yuan")
    assert (first["filing_stage"], json.loads(first["filed_values"])["value"], first["is_current"]) == (
        "初步核算", 250.0, False)
    assert (second["filing_stage"], second["source_file"], second["is_current"]) == (
        "最终核实", "statistics_2025_final.csv", True)
    assert second["changes"] == "value: 250.0 -> 300.0; data_status: 初步核算 -> 最终核实"
    [latest] = rows(con, "select value from marts.fct_denominator_vintages where region_code = ? "
                         "and year = 2025 and measure = 'gdp_100m_yuan' and is_latest", [LIZHOU])
    assert latest["value"] == 300.0


def test_every_record_has_exactly_one_current_filing_and_every_filing_is_there(con, published):
    assert rows(con, "select source, record_key from marts.fct_record_revisions group by all "
                     "having count(*) filter (where is_current) <> 1") == []
    counts = {r["source"]: r["n"] for r in rows(
        con, "select source, count(*) as n from marts.fct_record_revisions group by source")}
    raw = {s: con.execute(f"select count(*) from raw.{s}").fetchone()[0] for s in counts}
    assert counts == raw  # one row per raw row: every filing, nothing invented
    # the accidents the facts count are exactly the current filings
    assert rows(con, """
        select a.accident_id from marts.fct_accidents a
        left join marts.fct_record_revisions r
          on r.source = 'accidents' and r.record_key = a.accident_id and r.is_current
        where r.record_key is null or r.filing_count <> a.revision_count
           or r.source_file <> a.source_file""") == []


def test_the_wide_table_has_the_long_tables_numbers(con):
    codes = [r["indicator_code"]
             for r in rows(con, "select indicator_code from marts.dim_indicator order by sort_order")]
    columns = {r["column_name"] for r in rows(
        con, "select column_name from duckdb_columns() "
             "where schema_name = 'marts' and table_name = 'rpt_region_year'")}
    assert {f"{c}_{part}" for c in codes for part in ("value", "numerator", "denominator")} <= columns
    unpivoted = " union all ".join(
        f"select region_code, year, '{c}' as indicator_code, {c}_value as value, "
        f"{c}_numerator as numerator, {c}_denominator as denominator "
        f"from marts.rpt_region_year where {c}_value is not null" for c in codes)
    mismatches = rows(con, f"""
        with wide as ({unpivoted})
        select coalesce(w.region_code, v.region_code) as region_code, coalesce(w.year, v.year) as year
        from wide w
        full join marts.fct_indicator_values v using (region_code, year, indicator_code)
        where w.value is distinct from v.value or w.numerator is distinct from v.numerator
           or w.denominator is distinct from v.denominator""")
    assert mismatches == []
    assert con.execute("select count(*) from marts.fct_indicator_values").fetchone()[0] > 300
    # 利州区 2024: disasters incomplete (2024-07 never filed) → disaster rates null, accidents complete → 0
    [lizhou_2024] = rows(con, "select * from marts.rpt_region_year where region_code = ? and year = 2024",
                         [LIZHOU])
    assert lizhou_2024["disasters_is_complete"] is False
    assert lizhou_2024["disaster_deaths_per_million_value"] is None
    assert lizhou_2024["accidents_is_complete"] is True and lizhou_2024["safety_deaths_value"] == 0
    assert (lizhou_2024["disasters_units_complete"], lizhou_2024["disasters_units_required"]) == (0, 1)
    [sys_2020] = rows(con, "select * from marts.rpt_region_year where region_code = '230500' and year = 2020")
    assert (sys_2020["accidents_units_complete"], sys_2020["accidents_units_required"]) == (8, 8)
    assert (sys_2020["gdp_100m_yuan"], sys_2020["population_10k"]) == (400.0, 120.0)


def test_regions_carry_their_parents_names(con):
    got = {r["region_code"]: r for r in rows(con, "select * from marts.dim_region where region_code in "
                                                  "('230502', '230500', '510802', '100000')")}
    assert (got["230502"]["prefecture_name"], got["230502"]["province_name"], got["230502"]["parent_name"],
            got["230502"]["level_zh"]) == ("双鸭山市", "黑龙江省", "双鸭山市", "县级")
    assert (got["510802"]["prefecture_name"], got["510802"]["province_name"]) == ("广元市", "四川省")
    assert (got["230500"]["prefecture_name"], got["230500"]["level_zh"]) == ("双鸭山市", "地市级")
    assert got["100000"]["province_name"] is None and got["100000"]["level_zh"] == "全国"
    notes = [r["note"] for r in rows(con, "select distinct note from marts.dim_region where note <> ''")]
    assert "plan jurisdiction" in notes and not any(".txt" in n for n in notes)
    assert rows(con, "select region_code from marts.dim_region where region_code in (?, ?) "
                     "and prefecture_name is null", SHUANGYASHAN_COUNTIES[:2]) == []


def test_months_of_the_statistical_years(con):
    months = rows(con, "select * from marts.dim_month order by month")
    assert len(months) == (2026 - 2015 + 1) * 12
    assert months[0]["month"] == date(2015, 1, 1) and months[-1]["month"] == date(2026, 12, 1)
    by_month = {m["year_month"]: m for m in months}
    # as of 2026-11-26 a month is due once it has ended: October yes, November not yet
    assert by_month["2026-10"]["is_due"] and not by_month["2026-11"]["is_due"]
    assert by_month["2026-11"]["is_as_of_month"] and by_month["2024-02"]["days_in_month"] == 29
    assert (by_month["2026-11"]["quarter"], by_month["2026-11"]["month_end_date"]) == (4, date(2026, 11, 30))
    # the same months as the 催报 list's: every missing month is a due month
    assert rows(con, "select s.month from marts.fct_missing_submissions s "
                     "join marts.dim_month m using (month) where not m.is_due") == []


CODE_COLUMNS = {  # column of the warehouse → code kind of dim_code_label
    ("marts.dim_region", "level"): "region_level",
    ("marts.dim_indicator", "kind"): "indicator_kind",
    ("marts.dim_indicator", "source"): "source",
    ("marts.fct_accidents", "sector"): "sector",
    ("marts.fct_accidents", "severity_class"): "severity_class",
    ("marts.fct_accidents", "accident_type"): "accident_type",
    ("marts.fct_disaster_losses", "hazard"): "hazard",
    ("marts.fct_disaster_breakdown", "hazard"): "hazard",
    ("marts.fct_plan_progress", "target_kind"): "target_kind",
    ("marts.fct_plan_progress", "attribute"): "target_attribute",
    ("marts.fct_plan_progress", "evaluation"): "evaluation",
    ("marts.fct_plan_progress", "status"): "plan_status",
    ("marts.fct_plan_progress", "comparator"): "comparator",
    ("marts.fct_plan_target_versions", "target_kind"): "target_kind",
    ("marts.fct_plan_ytd", "status"): "plan_status",
    ("marts.dim_plan_version", "version_status"): "plan_version_status",
    ("raw.plans", "evaluation"): "evaluation",
    ("marts.fct_denominator_vintages", "measure"): "measure",
    ("marts.fct_denominator_vintages", "data_status"): "data_status",
    ("marts.fct_disaster_losses", "report_stage"): "report_stage",
    ("marts.fct_submission_coverage", "source"): "source",
    ("marts.fct_record_revisions", "source"): "source",
    ("quality.check_results", "severity"): "check_severity",
    ("quality.runs", "verdict"): "gate_verdict",
    ("raw.files", "status"): "file_status",
    ("raw.load_log", "status"): "file_status",
    ("raw.accidents", "status"): "record_status",
}


def test_every_code_in_the_warehouse_has_a_label(con):
    unlabelled = []
    for (table, column), kind in CODE_COLUMNS.items():
        unlabelled += [(table, column, r["code"]) for r in rows(con, f"""
            select distinct t.{column} as code from {table} t
            where t.{column} is not null and not exists (
                select 1 from marts.dim_code_label l
                where l.code_kind = ? and l.code = t.{column})""", [kind])]
    assert unlabelled == []


def test_labels_agree_with_the_chinese_the_marts_and_reports_already_print(con):
    labels = {(r["code_kind"], r["code"]): r["label_zh"]
              for r in rows(con, "select * from marts.dim_code_label")}
    for code, zh in rows_pairs(con, "select distinct status, status_zh from marts.fct_plan_progress"):
        assert labels[("plan_status", code)] == zh
    for code, zh in rows_pairs(con, "select distinct version_status, version_status_zh "
                                    "from marts.dim_plan_version"):
        assert labels[("plan_version_status", code)] == zh
    for code, zh in rows_pairs(con, "select distinct severity_class, severity_class_zh "
                                    "from marts.fct_accidents"):
        assert labels[("severity_class", code)] == zh
    # the reports print these very words (CodeLabels reads marts.dim_code_label); labels.py only
    # styles them, and every plan status has its symbol and colour there
    words = CodeLabels.read(con)
    for kind in ("region_level", "source", "indicator_kind", "severity_class", "plan_status"):
        assert words.words(kind) == {c: w for (k, c), w in labels.items() if k == kind}, kind
    assert set(words.words("plan_status")) <= set(report_labels.STATUS_STYLE)
    assert set(report_labels.SEVERITY_COLOURS) == set(words.words("severity_class"))
    # the load report's file-status words
    assert {code: labels[("file_status", code)] for code in enumerations.FILE_STATUS_ZH} == \
        enumerations.FILE_STATUS_ZH


def test_every_enumerated_code_is_labelled_once_from_its_own_seed(con):
    kinds = {}
    for r in rows(con, "select * from marts.dim_code_label order by code_kind, sort_order"):
        kinds.setdefault(r["code_kind"], []).append(r["code"])
    # the whole list of each enumeration seed, in its order, nothing more
    assert kinds["source"] == list(enumerations.SOURCES)
    assert kinds["sector"] == list(enumerations.SECTORS)
    assert kinds["accident_type"] == list(enumerations.ACCIDENT_TYPES)
    assert kinds["hazard"] == list(enumerations.HAZARDS)
    assert kinds["severity_class"] == list(enumerations.SEVERITY_CLASSES)
    assert kinds["report_stage"] == list(enumerations.REPORT_STAGES)
    assert kinds["record_status"] == list(enumerations.RECORD_STATUSES)
    assert kinds["data_status"] == list(enumerations.DATA_STATUSES)
    assert kinds["measure"] == list(enumerations.MEASURES)
    assert set(kinds["file_status"]) == set(enumerations.FILE_STATUS_ZH) >= {"revalidated", "ignored"}
    # the plans' lists: the codes a plan table states, and `unspecified` for a plan that says none
    assert kinds["target_kind"] == list(enumerations.TARGET_KINDS)
    assert kinds["comparator"] == list(enumerations.COMPARATORS)
    assert kinds["evaluation"] == list(enumerations.EVALUATIONS)
    assert kinds["target_attribute"] == [*enumerations.PLAN_ATTRIBUTES, "unspecified"]
    labels = {(r["code_kind"], r["code"]): (r["label_zh"], r["label_en"])
              for r in rows(con, "select * from marts.dim_code_label")}
    assert labels[("measure", "gdp_100m_yuan")] == ("地区生产总值（亿元）", "GDP (100 million yuan)")
    assert labels[("sector", "煤矿")] == ("煤矿", "Coal mines")
    assert labels[("file_status", "revalidated")] == ("重新校验", "Judged again (revalidated)")


def rows_pairs(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()
