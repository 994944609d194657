"""Row-level suites on the increment (pipelines/quality/increment.py), on real DuckDB files.

Each test publishes by hand as a run does — the build file copied over the published one — and
starts the next run from a copy of the published file, then compares what the check found on the
increment with what it finds when it must validate every row (no baseline: --rebuild)."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime

import dagster as dg
import duckdb
import pandas as pd
import pytest

from pipelines.quality import checks_for
from pipelines.quality.checks import CHECK_DEFS
from pipelines.quality.gx_project import run_checkpoint
from pipelines.quality.increment import RowFrame, suite_shape
from pipelines.settings import PipelineSettings
from tests.quality.rows import QUALITY_VIEWS_ON_MARTS, accident, insert, marts_tables

ACCIDENTS = ["raw", "accidents"]
VALUES = "raw_accidents_values_valid"


def _stub(key: list[str]) -> dg.AssetsDefinition:
    @dg.asset(key=key, name=None)
    def _asset() -> None:
        return None

    return _asset


def check(settings: PipelineSettings, key: list[str], name: str):
    """Run the checks of ``key`` as a run would (Dagster, a new run id); the evaluation of ``name``."""
    result = dg.materialize([_stub(key), *checks_for(key)], resources={"settings": settings},
                            raise_on_error=False)
    return {e.check_name: e for e in result.get_asset_check_evaluations()}[name]


def meta(ev) -> dict:
    return {k: v.value for k, v in ev.metadata.items()}


def publish(settings: PipelineSettings) -> None:
    shutil.copyfile(settings.build_path, settings.warehouse_path)


def next_run(settings: PipelineSettings, as_of: str | None = None) -> PipelineSettings:
    """The next run's build file: a copy of the published warehouse."""
    shutil.copyfile(settings.warehouse_path, settings.build_path)
    if as_of is None:
        return settings
    return PipelineSettings(warehouse=settings.warehouse, data_dir=settings.data_dir,
                            reports_dir=settings.reports_dir, as_of=as_of)


def forget_baselines(settings: PipelineSettings) -> None:
    """What --rebuild gives: no record of an earlier validation, so every row is validated."""
    with duckdb.connect(str(settings.build_path)) as c:
        c.execute("delete from quality.gate_baseline")


def _first_load(settings, con) -> None:
    """Two clean accidents (2024-03.xlsx rows 5 and 6), checked in full and published."""
    accident(con, "A-1", datetime(2024, 3, 2, 8, 30), row_number=5)
    accident(con, "A-2", datetime(2024, 3, 9, 14, 0), row_number=6)
    con.close()
    first = check(settings, ACCIDENTS, VALUES)
    assert first.passed
    assert meta(first)["validated_scope"] == "full" and meta(first)["rows_validated"] == 2
    assert "no earlier validation" in meta(first)["validated_scope_reason"]
    publish(settings)


def _load_april(settings, **bad) -> None:
    """The next load: 2024-04.xlsx, row 3 clean, row 4 with ``bad`` values."""
    with duckdb.connect(str(settings.build_path)) as c:
        accident(c, "A-3", datetime(2024, 4, 1, 9, 0), source_file="2024-04.xlsx", row_number=3, load_seq=2)
        accident(c, "A-4", datetime(2024, 4, 2, 9, 0), source_file="2024-04.xlsx", row_number=4, load_seq=2,
                 **bad)


def test_a_bad_row_of_the_increment_fails_with_the_message_of_a_full_check(settings, con):
    _first_load(settings, con)
    next_run(settings)
    _load_april(settings, direct_loss_10k_yuan=-5.0)

    inc = check(settings, ACCIDENTS, VALUES)
    assert not inc.passed and inc.severity == dg.AssetCheckSeverity.ERROR
    m = meta(inc)
    # only the two rows of the new file were validated; the table has four
    assert (m["validated_scope"], m["is_increment"], m["rows_validated"], m["rows_in_table"]) == (
        "increment", True, 2, 4)
    assert m["offending_count"] == 1
    assert "2024-04.xlsx 第4行" in m["message_zh"] and "direct_loss_10k_yuan" in m["message_zh"]

    forget_baselines(settings)
    full = check(settings, ACCIDENTS, VALUES)
    f = meta(full)
    assert (f["validated_scope"], f["rows_validated"]) == ("full", 4)
    assert full.passed == inc.passed
    for k in ("offending_count", "offending_sample", "message_zh", "message_en", "observed_value"):
        assert m[k] == f[k], k


def test_after_a_blocked_run_nothing_is_published_and_the_bad_row_is_reported_again(settings, con):
    _first_load(settings, con)
    next_run(settings)
    _load_april(settings, deaths=-1)
    blocked = check(settings, ACCIDENTS, VALUES)
    assert not blocked.passed
    # blocked: the build file is not published. The next run starts from the same published file
    # (two rows, the baseline of the first run) and loads the same file again.
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as c:
        assert c.execute("select count(*) from raw.accidents").fetchone() == (2,)
    next_run(settings)
    _load_april(settings, deaths=-1)
    again = check(settings, ACCIDENTS, VALUES)
    assert not again.passed
    assert meta(again)["rows_validated"] == 2
    assert meta(again)["message_en"] == meta(blocked)["message_en"]
    assert "2024-04.xlsx row 4" in meta(again)["message_en"]


def test_unchanged_rows_are_not_validated_again_when_the_as_of_date_moves_on(settings, con):
    _first_load(settings, con)
    later = next_run(settings, as_of="2026-06-30")
    ev = check(later, ACCIDENTS, VALUES)
    m = meta(ev)
    assert ev.passed
    assert (m["validated_scope"], m["rows_validated"], m["rows_in_table"]) == ("increment", 0, 2)
    assert "已检查 0 行" in m["message_zh"]


def test_an_earlier_as_of_date_validates_every_row_and_finds_what_is_now_in_the_future(settings, con):
    _first_load(settings, con)  # as of 2026-03-15
    earlier = next_run(settings, as_of="2024-03-05")  # A-2 (2024-03-09) now lies after it
    ev = check(earlier, ACCIDENTS, VALUES)
    assert not ev.passed
    assert meta(ev)["validated_scope"] == "full" and "earlier" in meta(ev)["validated_scope_reason"]
    assert "2024-03.xlsx 第6行" in meta(ev)["message_zh"] and "days_after_as_of" in meta(ev)["message_zh"]


def test_a_published_row_the_baseline_does_not_vouch_for_is_validated_and_reported(settings, con):
    """A bad row put into the published file by hand (or by a version of the code that does not
    keep the baseline) changes the published frame's digest: every row is validated again."""
    _first_load(settings, con)
    with duckdb.connect(str(settings.warehouse_path)) as c:
        accident(c, "A-9", datetime(2024, 3, 20, 8, 0), row_number=9, serious_injuries=-2)
    next_run(settings)
    ev = check(settings, ACCIDENTS, VALUES)
    assert not ev.passed
    assert meta(ev)["validated_scope"] == "full"
    assert "not those the last validation passed" in meta(ev)["validated_scope_reason"]
    assert "2024-03.xlsx 第9行" in meta(ev)["message_zh"]


def test_changed_rules_validate_every_row(settings, con, gx_root):
    _first_load(settings, con)
    suite = gx_root / "expectations" / f"{VALUES}.json"
    original = suite.read_text(encoding="utf-8")
    try:
        doc = json.loads(original)
        doc["meta"] = {**doc.get("meta", {}), "note": "edited"}
        suite.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
        next_run(settings)
        ev = check(settings, ACCIDENTS, VALUES)
        assert ev.passed and meta(ev)["validated_scope"] == "full"
        assert "rules changed" in meta(ev)["validated_scope_reason"]
    finally:
        suite.write_text(original, encoding="utf-8")


def test_a_published_warehouse_held_by_a_writer_is_not_needed(settings, con):
    """When the published file cannot be attached read-only, every row is validated."""
    _first_load(settings, con)
    next_run(settings)
    _load_april(settings)
    writer = duckdb.connect(str(settings.warehouse_path))  # an analyst's read-write session
    try:
        ev = check(settings, ACCIDENTS, VALUES)
    finally:
        writer.close()
    assert ev.passed
    m = meta(ev)
    assert m["validated_scope"] == "full" and m["rows_validated"] == 4
    assert "cannot be opened" in m["validated_scope_reason"]


def _denominators(con, rows: list[tuple[str, int, float]]) -> None:
    for region, year, gdp in rows:
        insert(con, "marts.fct_denominators", {
            "region_code": region, "year": year, "gdp_100m_yuan": gdp, "population_10k": 15.0,
            "industrial_workers_10k": 2.0, "operating_vehicles": 5000, "coal_output_10k_tonnes": 0.0,
            "forest_area_ha": 0.0, "gdp_data_status": "最终核实",
        })


@pytest.mark.parametrize("change", ["duplicate", "zero_gdp"])
def test_a_mart_increment_finds_a_new_duplicate_and_a_changed_value_as_a_full_check_does(
        settings, con, build, change):
    name, key = "marts_fct_denominators_values_valid", ["marts", "fct_denominators"]
    marts_tables(con)
    _denominators(con, [("230502", 2020, 50.0), ("230503", 2020, 50.0), ("230502", 2021, 50.0)])
    con.close()
    build(QUALITY_VIEWS_ON_MARTS)
    assert check(settings, key, name).passed
    publish(settings)

    next_run(settings)
    with duckdb.connect(str(settings.build_path)) as c:
        if change == "duplicate":  # a second row, identical to a published one
            _denominators(c, [("230503", 2020, 50.0)])
        else:
            c.execute("update marts.fct_denominators set gdp_100m_yuan = 0 "
                      "where region_code = '230502' and year = 2021")
    inc = check(settings, key, name)
    assert not inc.passed
    assert meta(inc)["validated_scope"] == "increment"
    assert meta(inc)["rows_validated"] == (2 if change == "duplicate" else 1)
    forget_baselines(settings)
    full = check(settings, key, name)
    assert meta(full)["validated_scope"] == "full" and not full.passed
    for k in ("offending_count", "offending_sample", "message_zh", "message_en"):
        assert meta(inc)[k] == meta(full)[k], k
    assert ("230503 2020" if change == "duplicate" else "230502 2021") in meta(inc)["message_en"]


ROW_LEVEL = [d for d in CHECK_DEFS if isinstance(d.frame, RowFrame)]


def test_every_row_level_suite_can_be_validated_on_an_increment():
    """Every committed row-level suite is about single rows (or unique keys within its index
    columns) and bounds its as-of columns from above only: none falls back to a full check."""
    assert len(ROW_LEVEL) == 12
    for d in ROW_LEVEL:
        refusal, _ = suite_shape(d.name, d.frame.key)
        assert refusal is None, (d.name, refusal)


def test_the_shape_test_refuses_what_is_not_about_single_rows(gx_root):
    suite = gx_root / "expectations" / f"{VALUES}.json"
    original = suite.read_text(encoding="utf-8")
    try:
        for extra, why in [
            ({"type": "expect_column_values_to_be_between",
              "kwargs": {"column": "days_after_as_of", "min_value": -3650}}, "from below"),
            ({"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}},
             "not about single rows"),
            ({"type": "expect_column_values_to_be_increasing", "kwargs": {"column": "row_number"}},
             "not about single rows"),
            ({"type": "expect_column_values_to_be_unique", "kwargs": {"column": "accident_id"}},
             "outside the index columns"),
            ({"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "deaths", "mostly": 0.9}},
             "share of all rows"),
        ]:
            doc = json.loads(original)
            doc["expectations"].append(extra)
            suite.write_text(json.dumps(doc), encoding="utf-8")
            refusal, _ = suite_shape(VALUES, ("source_file", "sheet_name", "row_number"))
            assert refusal and why in refusal
    finally:
        suite.write_text(original, encoding="utf-8")


def test_gx_passes_every_row_level_suite_on_no_rows(settings, con):
    """An increment with no changed row is passed without running GX: GX gives the same verdict."""
    marts_tables(con)
    con.close()
    with duckdb.connect(str(settings.build_path)) as c:
        for d in ROW_LEVEL:
            if d.name.startswith("marts_"):
                continue  # their views need a dbt build; their frames' columns are checked above
            sql, params = d.frame.sql('"' + c.execute("select current_database()").fetchone()[0] + '"',
                                      date(2026, 3, 15))
            empty = c.execute(f"select * from ({sql}) limit 0", params).df()
            assert isinstance(empty, pd.DataFrame) and empty.empty
            assert run_checkpoint(d.name, empty, run_name="empty").success, d.name
