"""The gate's outcomes on hand-made rows in a real DuckDB build file, run through Dagster."""

from __future__ import annotations

from datetime import date, datetime

import dagster as dg
import duckdb

from pipelines.quality import checks_for, quality_checks, run_verdict, summarize_failures
from tests.contract_tables import insert_rows
from tests.quality.rows import QUALITY_VIEWS_ON_MARTS, accident, disaster, insert, marts_tables

RAW_ACCIDENTS = dg.AssetKey(["raw", "accidents"])


def _stub(key: list[str]) -> dg.AssetsDefinition:
    """The asset a check is attached to; its rows are already in the build file."""

    @dg.asset(key=key, name=None)
    def _asset() -> None:
        return None

    return _asset


def _downstream(upstream: list[list[str]]) -> dg.AssetsDefinition:
    @dg.asset(key=["reports", "downstream"], deps=[dg.AssetKey(k) for k in upstream])
    def _reports() -> None:
        return None

    return _reports


def _run(settings, *keys: list[str], with_downstream: bool = False):
    """Materialize stubs of the assets (their rows are in the build file) with their checks."""
    assets = [_stub(k) for k in keys] + ([_downstream(list(keys))] if with_downstream else [])
    result = dg.materialize(
        [*assets, *checks_for(*keys)], resources={"settings": settings}, raise_on_error=False
    )
    evals = {e.check_name: e for e in result.get_asset_check_evaluations()}
    return result, evals


def _meta(ev, key: str):
    return ev.metadata[key].value


def _materialized(result) -> set[tuple[str, ...]]:
    return {tuple(e.asset_key.path) for e in result.get_asset_materialization_events()}


def _results_row(settings, check_name: str):
    with duckdb.connect(str(settings.build_path), read_only=True) as c:
        return c.execute(
            """select severity, passed, offending_count, message_zh, message_en, run_id
               from quality.check_results where check_name = ?""",
            [check_name],
        ).fetchone()


def test_every_check_is_exported_once_with_its_policy():
    names = [spec.name for c in quality_checks for spec in c.check_specs]
    assert len(names) == len(set(names)) == 32  # with the quotas' three (files, quarantine, values)
    blocking = {
        spec.name: spec.blocking for c in quality_checks for spec in c.check_specs
    }
    assert blocking["raw_accidents_files_readable"] is True
    assert blocking["marts_fct_denominators_event_years_complete"] is True
    assert blocking["raw_accidents_monthly_volume"] is False
    assert blocking["raw_statistics_gdp_revision"] is False
    assert blocking["marts_fct_missing_submissions_monthly_filed"] is False
    # warns by default, blocks publication in strict mode: never declared blocking (the UI would
    # call a warning "blocking"), its ERROR severity in strict mode stops publication instead
    assert blocking["raw_accidents_quarantine"] is False
    assert (blocking["raw_quotas_files_readable"], blocking["raw_quotas_quarantine"]) == (True, False)
    descriptions = {spec.name: spec.description for c in quality_checks for spec in c.check_specs}
    assert "默认仅警告" in descriptions["raw_accidents_quarantine"]
    assert "strict mode" in descriptions["raw_accidents_quarantine"]
    assert "未通过即阻断发布" in descriptions["raw_accidents_files_readable"]
    assert "未通过仅警告" in descriptions["raw_statistics_gdp_revision"]


def test_clean_accidents_pass(settings, con):
    accident(con, "A-1", datetime(2024, 3, 2, 8, 30))
    accident(con, "A-2", datetime(2024, 3, 9, 14, 0), row_number=6, direct_loss_10k_yuan=0.0)
    con.close()
    result, evals = _run(settings, ["raw", "accidents"], with_downstream=True)
    assert evals["raw_accidents_values_valid"].passed
    assert evals["raw_accidents_files_readable"].passed
    assert evals["raw_accidents_quarantine"].passed
    assert ("reports", "downstream") in _materialized(result)
    with duckdb.connect(str(settings.build_path), read_only=True) as c:
        assert run_verdict(c, result.run_id) == "passed"


def test_negative_loss_fails_critical_check_naming_file_and_row(settings, con):
    accident(con, "A-1", datetime(2024, 3, 2, 8, 30), row_number=6)
    accident(con, "A-2", datetime(2024, 3, 9, 14, 0), row_number=7, direct_loss_10k_yuan=-5.0)
    con.close()
    result, evals = _run(settings, ["raw", "accidents"], with_downstream=True)
    ev = evals["raw_accidents_values_valid"]
    assert not ev.passed
    assert ev.severity == dg.AssetCheckSeverity.ERROR
    assert _meta(ev, "offending_count") == 1
    message = _meta(ev, "message_zh")
    assert "raw_accidents_values_valid" in message
    assert "2024-03.xlsx 第7行" in message
    assert "direct_loss_10k_yuan" in message
    assert "2024-03.xlsx row 7" in _meta(ev, "message_en")
    sample = _meta(ev, "offending_sample")
    assert sample[0]["source_file"] == "2024-03.xlsx" and int(sample[0]["row_number"]) == 7
    # Blocking: the downstream asset did not run, and the stored result says ERROR / not passed.
    assert ("reports", "downstream") not in _materialized(result)
    severity, passed, count, message_zh, _, run_id = _results_row(settings, "raw_accidents_values_valid")
    assert (severity, passed, count) == ("ERROR", False, 1)
    assert "2024-03.xlsx 第7行" in message_zh
    assert run_id == result.run_id


def test_accident_after_as_of_and_unknown_region_fail(settings, con):
    accident(con, "A-1", datetime(2026, 4, 2, 8, 30), row_number=3)  # as_of is 2026-03-15
    accident(con, "A-2", datetime(2024, 3, 9, 14, 0), region_code="999999", row_number=4)
    con.close()
    _, evals = _run(settings, ["raw", "accidents"])
    ev = evals["raw_accidents_values_valid"]
    assert not ev.passed
    message = _meta(ev, "message_zh")
    assert "第3行" in message and "第4行" in message
    assert "days_after_as_of" in message and "is_region_known" in message


def test_rejected_file_blocks(settings, con):
    accident(con, "A-1", datetime(2024, 3, 2, 8, 30))
    insert(con, "raw.files", {
        "source": "accidents", "file_name": "2024-04.xlsx", "file_sha256": "f" * 64,
        "file_size_bytes": 1024, "status": "rejected", "rows_read": 0, "rows_loaded": 0,
        "rows_zero_reports": 0, "rows_rejected": 0, "reason_zh": "文件已加密，无法读取",
        "reason_en": "password-protected workbook", "load_seq": 2, "loaded_at": datetime(2026, 3, 15, 9),
    })
    con.close()
    result, evals = _run(settings, ["raw", "accidents"], with_downstream=True)
    ev = evals["raw_accidents_files_readable"]
    assert not ev.passed
    assert ev.severity == dg.AssetCheckSeverity.ERROR
    assert "raw_accidents_files_readable" in _meta(ev, "message_zh")
    assert "2024-04.xlsx" in _meta(ev, "message_zh") and "文件已加密" in _meta(ev, "message_zh")
    assert "password-protected" in _meta(ev, "message_en")
    assert ("reports", "downstream") not in _materialized(result)
    assert not result.success  # the failed blocking check fails its step, so the run is not "success"
    with duckdb.connect(str(settings.build_path), read_only=True) as c:
        assert run_verdict(c, result.run_id) == "blocked"
    text = summarize_failures(result.get_asset_check_evaluations())
    assert "raw_accidents_files_readable" in text and "2024-04.xlsx" in text


def _quarantine_row(con) -> None:
    insert(con, "raw.quarantine", {
        "source": "accidents", "file_name": "2024-05.xlsx", "file_sha256": "a" * 64,
        "sheet_name": "Sheet1", "row_number": 12, "column_name": "死亡人数",
        "reason_code": "not_a_number", "reason_zh": "死亡人数不是数字：约3人",
        "reason_en": "deaths is not a number: 约3人", "raw_record": '{"死亡人数": "约3人"}',
        "deaths_in_row": 3, "load_seq": 1, "loaded_at": datetime(2026, 3, 15, 9),
    })


def test_quarantined_row_warns_and_does_not_block(settings, con):
    accident(con, "A-1", datetime(2024, 5, 2, 8, 30), source_file="2024-05.xlsx")
    _quarantine_row(con)
    con.close()
    result, evals = _run(settings, ["raw", "accidents"], with_downstream=True)
    ev = evals["raw_accidents_quarantine"]
    assert not ev.passed
    assert ev.severity == dg.AssetCheckSeverity.WARN
    message = _meta(ev, "message_zh")
    assert "raw_accidents_quarantine" in message
    assert "隔离 1 行" in message and "死亡（含失踪）3 人" in message
    assert "2024-05.xlsx 第12行" in message
    assert "3 death(s)" in _meta(ev, "message_en")
    assert ("reports", "downstream") in _materialized(result)
    assert result.success
    with duckdb.connect(str(settings.build_path), read_only=True) as c:
        assert run_verdict(c, result.run_id) == "passed_with_warnings"
    assert summarize_failures(result.get_asset_check_evaluations()).startswith("警告")


def test_quarantined_row_blocks_in_strict_mode(make_settings, tmp_path):
    settings = make_settings(strict=True)
    from pipelines.ingest.raw_tables import create_raw_tables

    with duckdb.connect(str(settings.build_path)) as c:
        create_raw_tables(c)
        accident(c, "A-1", datetime(2024, 5, 2, 8, 30), source_file="2024-05.xlsx")
        _quarantine_row(c)
    result, evals = _run(settings, ["raw", "accidents"], with_downstream=True)
    ev = evals["raw_accidents_quarantine"]
    assert not ev.passed
    assert ev.severity == dg.AssetCheckSeverity.ERROR
    assert "2024-05.xlsx 第12行" in _meta(ev, "message_zh")
    # downstream steps still run (the check is not blocking); an ERROR failure stops publication
    # (published_warehouse refuses such a run: tests/robustness test_quarantined_row_blocks_in_strict_mode)
    assert "raw_accidents_quarantine" in summarize_failures(result.get_asset_check_evaluations())
    with duckdb.connect(str(settings.build_path), read_only=True) as c:
        assert run_verdict(c, result.run_id) == "blocked"


def test_zero_month_against_busy_trailing_average_warns_but_passes_gate(settings, con, build):
    # 双鸭山市's counties: 8 accidents a month in 2025, none in January 2026, 8 in February.
    n = 0
    for month in [date(2025, m, 1) for m in range(1, 13)] + [date(2026, 2, 1)]:
        for i in range(8):
            n += 1
            county = ["230502", "230503", "230505", "230506"][i % 4]
            accident(con, f"A-{n}", datetime(month.year, month.month, 3 + i, 10), county,
                     source_file=f"{month:%Y-%m}.xlsx", row_number=5 + i)
    con.close()
    build(["+qa_accident_volume_anomalies"])  # counted on fct_accidents, built by dbt
    result, evals = _run(settings, ["raw", "accidents"], ["marts", "fct_accidents"], with_downstream=True)
    ev = evals["raw_accidents_monthly_volume"]
    assert not ev.passed
    assert ev.severity == dg.AssetCheckSeverity.WARN
    message = _meta(ev, "message_zh")
    assert "raw_accidents_monthly_volume" in message
    assert "230500 2026-01 0 起" in message
    assert _meta(ev, "offending_count") == 1  # February is back to normal; March is not over
    assert evals["raw_accidents_values_valid"].passed
    assert ("reports", "downstream") in _materialized(result)
    with duckdb.connect(str(settings.build_path), read_only=True) as c:
        assert run_verdict(c, result.run_id) == "passed_with_warnings"


def test_crop_failed_above_affected_fails(settings, con):
    disaster(con, "D-1", date(2024, 7, 10), row_number=4)
    disaster(con, "D-2", date(2024, 7, 20), row_number=9, crop_affected_ha=100.0, crop_failed_ha=150.0)
    con.close()
    result, evals = _run(settings, ["raw", "disasters"], with_downstream=True)
    ev = evals["raw_disasters_crop_failed_within_affected"]
    assert not ev.passed
    assert ev.severity == dg.AssetCheckSeverity.ERROR
    message = _meta(ev, "message_zh")
    assert "raw_disasters_crop_failed_within_affected" in message
    assert "绝收" in message and "2024-07.xlsx 第9行" in message
    assert _meta(ev, "offending_count") == 1
    assert evals["raw_disasters_values_valid"].passed
    assert ("reports", "downstream") not in _materialized(result)


def test_gdp_missing_for_region_year_with_accidents_fails(settings, con, build):
    marts_tables(con)
    acc = ("accident_id", "region_code", "year", "deaths", "is_written_off")
    insert_rows(con, "fct_accidents", [dict(zip(acc, r, strict=True)) for r in [
        ("A-1", "230502", 2023, 1, False), ("A-2", "230502", 2024, 2, False),
        ("A-3", "230503", 2024, 1, True)]])  # written off: needs nothing
    # A grassland fire where no forest area is filed is not a blocking gap (the rate is 数据不足).
    insert_rows(con, "fct_forest_fires", [
        {"fire_id": "F-1", "region_code": "230502", "year": 2023, "damaged_forest_ha": 1.5}])
    den = ("region_code", "year", "gdp_100m_yuan", "gdp_data_status", "population_10k",
           "industrial_workers_10k", "operating_vehicles", "coal_output_10k_tonnes", "forest_area_ha")
    insert_rows(con, "fct_denominators", [dict(zip(den, r, strict=True)) for r in [
        ("230502", 2023, 180.5, "最终核实", 30.1, 5.2, 4000, 120.0, None),
        ("230502", 2024, None, None, 30.0, 5.1, 4100, 118.0, None)]])
    con.close()
    build(QUALITY_VIEWS_ON_MARTS)
    result, evals = _run(settings, ["marts", "fct_denominators"], with_downstream=True)
    ev = evals["marts_fct_denominators_event_years_complete"]
    assert not ev.passed
    assert ev.severity == dg.AssetCheckSeverity.ERROR
    assert _meta(ev, "offending_count") == 1
    message = _meta(ev, "message_zh")
    assert "marts_fct_denominators_event_years_complete" in message
    assert "230502 2024 gdp_100m_yuan" in message
    assert "230503" not in message and "forest_area_ha" not in message
    sample = _meta(ev, "offending_sample")
    assert sample == [{"region_code": "230502", "year": 2024, "measure": "gdp_100m_yuan",
                       "events": "accidents:1"}]
    assert ("reports", "downstream") not in _materialized(result)
    assert _results_row(settings, "marts_fct_denominators_event_years_complete")[:3] == ("ERROR", False, 1)
    assert evals["marts_fct_denominators_values_valid"].passed


def test_plan_jurisdiction_without_denominators_is_listed(settings, con, build):
    marts_tables(con)
    con.close()
    build(QUALITY_VIEWS_ON_MARTS)
    _, evals = _run(settings, ["marts", "fct_denominators"])
    ev = evals["marts_fct_denominators_plan_years_complete"]
    assert not ev.passed and ev.severity == dg.AssetCheckSeverity.ERROR
    sample = _meta(ev, "offending_sample")
    keys = {(r["region_code"], r["year"], r["measure"]) for r in sample}
    assert ("131100", 2020, "gdp_100m_yuan") in keys  # decline targets need their base year
    # Up to as_of.year - 1 = 2025: 5 jurisdictions, several measures, 2020-2025.
    assert _meta(ev, "offending_count") > 20


def test_gdp_revision_above_share_warns(settings, con, build):
    vintages = [(1, "初步核算", 100.0, "2024初.xlsx"), (3, "最终核实", 115.0, "2024终.xlsx")]
    for rank, status, value, file in vintages:
        insert(con, "raw.statistics", {
            "region_code": "230502", "region_name": "尖山区", "is_region_from_name": False, "year": 2024,
            "measure": "gdp_100m_yuan", "value": value, "data_status": status, "vintage_rank": rank,
            "reported_date": date(2025, 2 + rank, 1), "source_file": file, "file_sha256": "b" * 64,
            "sheet_name": None, "row_number": 3, "load_seq": rank, "loaded_at": datetime(2026, 3, 1),
        })
    con.close()
    build(["+qa_gdp_revisions"])
    result, evals = _run(settings, ["raw", "statistics"], ["marts", "fct_denominator_vintages"],
                         with_downstream=True)
    ev = evals["raw_statistics_gdp_revision"]
    assert not ev.passed and ev.severity == dg.AssetCheckSeverity.WARN
    assert "2024终.xlsx 第3行" in _meta(ev, "message_zh")
    assert _meta(ev, "offending_sample")[0]["change_share"] == 0.15
    assert evals["raw_statistics_values_valid"].passed
    assert ("reports", "downstream") in _materialized(result)


def test_missing_mart_table_fails_with_a_message(settings, con):
    con.close()
    _, evals = _run(settings, ["marts", "fct_plan_progress"])
    ev = evals["marts_fct_plan_progress_values_valid"]
    assert not ev.passed and ev.severity == dg.AssetCheckSeverity.ERROR
    assert "fct_plan_progress" in _meta(ev, "message_en")


def test_a_mart_missing_a_column_fails_with_a_message(settings, con, build):
    marts_tables(con)
    con.close()
    build(QUALITY_VIEWS_ON_MARTS)
    with duckdb.connect(str(settings.build_path)) as c:  # a mart changed after dbt built its views
        c.execute("alter table marts.fct_denominators drop column forest_area_ha")
    _, evals = _run(settings, ["marts", "fct_denominators"])
    ev = evals["marts_fct_denominators_values_valid"]
    assert not ev.passed and ev.severity == dg.AssetCheckSeverity.ERROR
    assert "forest_area_ha" in _meta(ev, "message_zh")


def test_jurisdiction_without_any_filing_is_out_of_scope(settings, con, build):
    """A bureau loading only its own files is not blocked by the other plans' jurisdictions."""
    marts_tables(con)
    con.execute("delete from marts.fct_submission_coverage where region_code not like '5108%'")
    con.close()
    build(QUALITY_VIEWS_ON_MARTS)
    _, evals = _run(settings, ["marts", "fct_denominators"])
    ev = evals["marts_fct_denominators_plan_years_complete"]
    assert not ev.passed  # 利州区 filed registers but no statistics
    regions = {r["region_code"] for r in _meta(ev, "offending_sample")}
    assert regions == {"510802"}
