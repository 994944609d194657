"""Every mart that reports and analysts read has an enforced dbt contract, and the test fixtures
are built from it."""

from __future__ import annotations

import duckdb

from pipelines.transform.project import DBT_PROJECT_DIR
from tests.contract_tables import contracts, create_contract_tables, insert_rows


def test_every_mart_has_an_enforced_contract_with_a_type_per_column():
    """Every mart, the plan marts included. A mart is SQL: dbt-duckdb does not enforce a contract on
    a Python model, so a Python step (the outlook's fit) is an intermediate model that a SQL mart
    publishes under the contract."""
    folder = DBT_PROJECT_DIR / "models" / "marts"
    assert not list(folder.glob("*.py"))
    marts = {p.stem for p in folder.glob("*.sql")}
    assert {"dim_plan", "fct_plan_progress", "fct_plan_outlook"} <= marts
    contracted = {name for name, (schema, _) in contracts().items() if schema == "marts"}
    assert contracted == marts
    for name, (_, columns) in contracts().items():
        assert columns, name
        assert all(t for _, t in columns), name


def test_fixture_tables_follow_the_contract():
    con = duckdb.connect()
    create_contract_tables(con)
    _, columns = contracts()["fct_accidents"]
    found = con.execute(
        "select column_name, lower(data_type) from duckdb_columns() where table_name = 'fct_accidents' "
        "order by column_index").fetchall()
    assert found == list(columns)
    insert_rows(con, "fct_accidents", [{"accident_id": "A-1", "year": 2024, "is_written_off": False}])
    assert con.execute("select accident_id, year, region_code from marts.fct_accidents").fetchall() == [
        ("A-1", 2024, None)]
