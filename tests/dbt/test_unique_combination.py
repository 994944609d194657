"""The generic test ``unique_combination_of_columns`` (dbt_project/tests/generic/), rendered as dbt
renders it and run on a hand-made DuckDB table: it reports exactly the combinations that grouping
by the columns reports (it groups by one hash of them first, to hold less)."""

from __future__ import annotations

import re

import duckdb
import jinja2

from pipelines.settings import DBT_PROJECT_DIR

TEST_SQL = DBT_PROJECT_DIR / "tests" / "generic" / "unique_combination_of_columns.sql"


def _render(model: str, columns: list[str]) -> str:
    text = TEST_SQL.read_text(encoding="utf-8")
    body = re.search(r"{%\s*test unique_combination_of_columns\(.*?\)\s*%}(.*){%\s*endtest\s*%}", text, re.S)
    assert body, "the test's body"
    return jinja2.Template(body.group(1)).render(model=model, combination_of_columns=columns)


def test_it_reports_each_repeated_combination_once_with_its_count_nulls_included():
    con = duckdb.connect()
    con.execute("""create table t as select * from (values
        ('230502', 2024, '工贸'), ('230502', 2024, '工贸'), ('230502', 2024, '工贸'),
        ('230502', 2024, null), ('230502', 2024, null),
        ('230502', 2025, '工贸'), ('230503', 2024, '工贸'), ('230503', null, '工贸')
        ) v(region_code, year, sector)""")
    got = con.execute(_render("t", ["region_code", "year", "sector"]) + " order by duplicates").fetchall()
    # by hand: 230502 2024 工贸 three times, 230502 2024 (no sector) twice; the rest once each
    assert got == [("230502", 2024, None, 2), ("230502", 2024, "工贸", 3)]
    by_columns = con.execute("select region_code, year, sector, count(*) from t group by all "
                             "having count(*) > 1 order by 4").fetchall()
    assert got == by_columns


def test_a_table_without_repeats_passes():
    con = duckdb.connect()
    con.execute("create table t as select range % 1000 as a, range // 1000 as b from range(100000)")
    assert con.execute(_render("t", ["a", "b"])).fetchall() == []
    con.execute("insert into t values (999, 99)")
    assert con.execute(_render("t", ["a", "b"])).fetchall() == [(999, 99, 2)]
