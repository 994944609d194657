"""The one quoting helper, for the statements DuckDB takes no parameters in."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.publish.workspace import create_empty_warehouse
from pipelines.sql import sql_identifier, sql_string

HOSTILE = ["it's", "'; drop table x; --", 'a"b', "双鸭山市's 数据", "back\\slash", ""]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_literal_and_an_identifier_come_back_as_written(text):
    con = duckdb.connect()
    assert con.execute(f"select {sql_string(text)}").fetchone()[0] == text
    if text:
        con.execute(f"create table {sql_identifier(text)} (x integer)")
        assert con.execute("select table_name from duckdb_tables()").fetchone()[0] == text


def test_a_warehouse_path_with_a_quote(tmp_path):
    path = tmp_path / "it's" / "w.duckdb"
    create_empty_warehouse(path)
    assert duckdb.connect(str(path), read_only=True).execute("select 1").fetchone() == (1,)
