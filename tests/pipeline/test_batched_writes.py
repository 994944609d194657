"""The check results of a dbt build are written in one statement, and the pipeline's table
comments only where the file's differ: the same rows and comments as one statement each."""

from __future__ import annotations

import duckdb

from pipelines.gate_records import CHECK_RESULTS, CheckOutcome, write_check_results
from pipelines.tables import Column, Table, apply_comments


def _outcome(i: int) -> CheckOutcome:
    return CheckOutcome(f"test_{i}", "marts.fct_x", "ERROR" if i % 2 else "WARN", i % 3 != 0, i,
                        f"测试 {i}", f"test {i}", float(i), [{"row": i}] if i % 4 else None)


def test_a_builds_results_are_written_at_once_and_a_retry_replaces_them():
    con = duckdb.connect()
    write_check_results(con, "run-1", [_outcome(i) for i in range(300)])
    write_check_results(con, "run-2", [_outcome(i) for i in range(3)])
    # a retried step writes some of its results again: replaced, not doubled
    write_check_results(con, "run-1", [_outcome(i) for i in (7, 8)])
    rows = con.execute(f"select run_id, count(*), sum(offending_count), count(offending_sample), "
                       f"count(*) filter (where not passed) from {CHECK_RESULTS.qualified_name} "
                       "group by 1 order by 1").fetchall()
    # 0+1+…+299 = 44,850; samples for the i not divisible by 4: 225 of 300; failed: i % 3 == 0: 100
    assert rows == [("run-1", 300, 44_850, 225, 100), ("run-2", 3, 3, 2, 1)]
    assert con.execute(f"select message_zh, severity, offending_sample from {CHECK_RESULTS.qualified_name} "
                       "where run_id = 'run-1' and check_name = 'test_7'").fetchone() == (
        "测试 7", "ERROR", '[{"row": 7}]')


def test_comments_are_written_where_the_file_differs_only():
    table = Table("raw", "things", "Things. / 事物。", (
        Column("a", "integer", "A, rows. / 甲。"), Column("b", "varchar", "B. / 乙。", nullable=True)))
    con = duckdb.connect()
    table.create(con)
    assert apply_comments(con, [table]) == 2
    con.execute("comment on column raw.things.b is 'stale'")
    statements = []
    real_execute = con.execute

    class Recording:
        def execute(self, sql, *args):
            statements.append(sql)
            return real_execute(sql, *args)

    assert apply_comments(Recording(), [table]) == 2
    written = [s for s in statements if s.startswith("comment")]
    assert written == ["comment on column raw.things.b is 'B. / 乙。'"]
    comments = dict(con.execute("select column_name, comment from duckdb_columns() "
                                "where table_name = 'things'").fetchall())
    assert comments == {"a": "A, rows. / 甲。", "b": "B. / 乙。"}
    assert con.execute("select comment from duckdb_tables() where table_name = 'things'").fetchone() == (
        "Things. / 事物。",)
