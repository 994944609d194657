"""Row-level suites validated in chunks (pipelines/quality/chunks.py), on real DuckDB files and the
committed GX suites: small chunk sizes set here, offending rows in different chunks, the results
compared with those of one frame of every row (what the checks did before) and counted by hand."""

from __future__ import annotations

import json
from datetime import date, datetime

import duckdb
import pytest

from pipelines.quality import chunks
from pipelines.quality.gx_project import run_checkpoint
from pipelines.quality.increment import may_chunk
from tests.quality.rows import accident
from tests.quality.test_increment import ACCIDENTS, VALUES, check, forget_baselines, meta

KEY = ("source_file", "sheet_name", "row_number")
DENOMINATORS = "marts_fct_denominators_values_valid"


def _frame_sql(con, name: str) -> str:
    from pipelines.quality.checks import CHECK_DEFS

    d = next(d for d in CHECK_DEFS if d.name == name)
    catalog = '"' + con.execute("select current_database()").fetchone()[0] + '"'
    sql, params = d.frame.sql(catalog, date(2026, 3, 15))
    con.execute(f"create or replace temp table frame as {sql}", params)
    return "select * from frame"


def _whole_frame_result(con, name: str, key: tuple[str, ...]):
    """What the check did before: every row in one pandas frame, in the index columns' order."""
    order = ", ".join(key)
    return run_checkpoint(name, con.execute(f"select * from frame order by {order}").df(), run_name="whole")


def _assert_same_results(whole, merged) -> None:
    assert merged.success == whole.success
    assert merged.statistics == whole.statistics
    assert len(merged.results) == len(whole.results)
    for w, m in zip(whole.results, merged.results, strict=True):
        assert m.expectation_config.type == w.expectation_config.type
        assert (m.success, m.result) == (w.success, w.result), w.expectation_config.type


def _accidents(con, n: int, bad: dict[int, dict]) -> None:
    """``n`` accidents in 2024-03.xlsx rows 1..n (valid), row r overridden by ``bad[r]``."""
    for r in range(1, n + 1):
        row = {"involves_operating_vehicle": False, **bad.get(r, {})}
        accident(con, f"A-{r}", datetime(2024, 3, 1 + r % 27, 8, 30), row_number=r, **row)


def test_the_chunks_hold_every_row_once_and_never_split_a_key():
    con = duckdb.connect()
    # keys in order: a1 a2 a2 a2 a3 a4 a5 a5 a6 (a2 three times, a5 twice), inserted shuffled
    con.execute("create table t as select * from (values ('a', 5, 'x'), ('a', 2, 'p'), ('a', 1, 'y'), "
                "('a', 6, 'z'), ('a', 2, 'q'), ('a', 3, 'w'), ('a', 5, 'v'), ('a', 4, 'u'), ('a', 2, 'r'))"
                " t(f, n, v)")
    rows = chunks.RowChunks.create(con, "select * from t", ("f", "n"), chunk_rows=2)
    frames = list(rows.frames())
    got = [(list(f["n"]), list(f.index)) for f in frames]
    # two keys a chunk, with all their rows: a1 a2 (rows 1-4), a3 a4 (rows 5-6), a5 a6 (rows 7-9)
    assert [g[0] for g in got] == [[1, 2, 2, 2], [3, 4], [5, 5, 6]]
    assert [g[1] for g in got] == [[0, 1, 2, 3], [4, 5], [6, 7, 8]]  # the whole frame's index
    assert sorted(v for f in frames for v in f["v"]) == sorted("xpyzqwvur")
    assert (rows.rows, sum(len(f) for f in frames)) == (9, 9)


def test_one_chunk_when_the_suite_must_see_every_row_and_an_empty_frame_when_there_is_none():
    con = duckdb.connect()
    con.execute("create table t as select range as n from range(5)")
    assert [len(f) for f in chunks.RowChunks.create(con, "select * from t", ("n",), None).frames()] == [5]
    empty = list(chunks.RowChunks.create(con, "select * from t where false", ("n",), 2).frames())
    assert [len(f) for f in empty] == [0] and list(empty[0].columns) == ["n"]


def test_an_integer_column_with_a_null_elsewhere_is_nullable_in_every_chunk():
    con = duckdb.connect()
    con.execute("create table t as select range as n, (case when range = 4 then null else range end)::int "
                "as v, range = 4 or null as b from range(6)")
    whole = con.execute("select * from t order by n").df()
    for f in chunks.RowChunks.create(con, "select * from t", ("n",), 2).frames():
        assert f.dtypes.to_dict() == whole.dtypes.to_dict()


@pytest.mark.parametrize("chunk_rows", [3, 7, 30])
def test_accidents_in_chunks_give_the_results_of_one_frame(settings, con, chunk_rows):
    """45 accidents; 22 with deaths -1 (more than the 20 examples GX keeps), spread over all
    chunks; a region code of five digits in row 45 (the last chunk); one null boolean."""
    bad = {r: {"deaths": -1} for r in range(2, 45, 2)}
    bad[45] = {"region_code": "23050"}
    bad[3] = {"involves_operating_vehicle": None}  # a boolean column with a null
    _accidents(con, 45, bad)
    _frame_sql(con, VALUES)
    whole = _whole_frame_result(con, VALUES, KEY)
    rows = chunks.RowChunks.create(con, "select * from frame", KEY, chunk_rows)
    assert (rows.rows, rows.chunks) == (45, -(-45 // chunk_rows))
    merged = chunks.validate(VALUES, rows, run_name="chunks")
    _assert_same_results(whole, merged)
    deaths = next(r for r in merged.results if r.expectation_config.kwargs.get("column") == "deaths"
                  and r.expectation_config.type == "expect_column_values_to_be_between")
    # counted by hand: 22 rows with -1 (rows 2, 4 … 44), the first 20 shown (rows 2 … 40)
    assert (deaths.result["unexpected_count"], deaths.result["element_count"]) == (22, 45)
    assert deaths.result["unexpected_percent"] == pytest.approx(22 / 45 * 100)
    shown = deaths.result["partial_unexpected_index_list"]
    assert [int(i["row_number"]) for i in shown] == list(range(2, 41, 2))


def test_a_duplicate_key_across_a_chunk_boundary_is_found_as_in_one_frame():
    """The denominators suite expects (region_code, year) unique: a key three times, its rows
    where chunks of two would cut them, and a GDP of 0 in the last chunk."""
    con = duckdb.connect()
    con.execute("""create table frame as select * from (values
        ('230502', 2020, 50.0), ('230502', 2021, 50.0), ('230503', 2020, 50.0), ('230503', 2021, 50.0),
        ('230503', 2021, 51.0), ('230503', 2021, 50.0), ('230504', 2020, 50.0), ('230504', 2021, 0.0))
        t(region_code, year, gdp_100m_yuan)""")
    con.execute("""create or replace table frame as select *, true as is_region_known,
        15.0 as population_10k, 2.0 as industrial_workers_10k, 5000 as operating_vehicles,
        0.0 as coal_output_10k_tonnes, 0.0 as forest_area_ha,
        gdp_100m_yuan / 15.0 as gdp_per_head_10k_yuan, '最终核实' as gdp_data_status,
        year - 2026 as years_after_as_of, 2015 - year as years_before_covered_start
        from frame""")
    key = ("region_code", "year")
    whole = _whole_frame_result(con, DENOMINATORS, key)
    assert not whole.success
    rows = chunks.RowChunks.create(con, "select * from frame", key, 2)
    assert [len(f) for f in rows.frames()] == [2, 4, 2]  # 230503 2021 thrice in the second chunk
    merged = chunks.validate(DENOMINATORS, rows, run_name="chunks")
    _assert_same_results(whole, merged)
    unique = merged.results[0]
    assert unique.expectation_config.type == "expect_compound_columns_to_be_unique"
    assert unique.result["unexpected_count"] == 3


def test_a_failing_row_in_a_later_chunk_fails_the_check_with_the_counts_of_one_frame(settings, con,
                                                                                      monkeypatch):
    """Through the Dagster check: 7 accidents in chunks of 2; row 6 (chunk 3) has deaths -1 and row 2
    (chunk 1) a direct loss of -5; the same record as with every row in one frame."""
    _accidents(con, 7, {2: {"direct_loss_10k_yuan": -5.0}, 6: {"deaths": -1}})
    con.close()
    monkeypatch.setattr(chunks, "CHUNK_ROWS", 2)
    small = meta(check(settings, ACCIDENTS, VALUES))
    assert (small["validated_scope"], small["rows_validated"], small["offending_count"]) == ("full", 7, 2)
    assert "2024-03.xlsx 第2行" in small["message_zh"] and "2024-03.xlsx 第6行" in small["message_zh"]
    monkeypatch.setattr(chunks, "CHUNK_ROWS", 1000)
    forget_baselines(settings)
    whole = meta(check(settings, ACCIDENTS, VALUES))
    for k in ("offending_count", "offending_sample", "message_zh", "message_en", "observed_value",
              "rows_validated"):
        assert small[k] == whole[k], k


def test_only_suites_about_single_rows_and_unique_index_columns_are_chunked(gx_root):
    from pipelines.quality.checks import CHECK_DEFS
    from pipelines.quality.increment import RowFrame

    row_level = [d for d in CHECK_DEFS if isinstance(d.frame, RowFrame)]
    assert row_level and all(may_chunk(d.name, d.frame.key) for d in row_level)
    suite = gx_root / "expectations" / f"{DENOMINATORS}.json"
    original = suite.read_text(encoding="utf-8")
    try:
        for extra in ({"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}},
                      {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "region_code"}}):
            doc = json.loads(original)
            doc["expectations"].append(extra)
            suite.write_text(json.dumps(doc), encoding="utf-8")
            assert not may_chunk(DENOMINATORS, ("region_code", "year")), extra["type"]
    finally:
        suite.write_text(original, encoding="utf-8")
