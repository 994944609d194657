"""Tables shaped like the dbt model contracts, for tests that fill marts by hand.

The columns and types of every mart that reports and analysts read are declared once, in
``dbt_project/models/marts/_marts__models.yml`` and ``_plans__models.yml`` (``contract:
enforced``), and dbt checks every build against them. A test that needs such a table without
running dbt builds it here, from the manifest, never from DDL copied by hand: when a mart
changes, the fixtures change with it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from pipelines.sql import sql_identifier
from pipelines.transform.project import ensure_manifest


@cache
def contracts() -> dict[str, tuple[str, tuple[tuple[str, str], ...]]]:
    """Model name → (schema, ((column, data type), ...)) for every model with an enforced contract."""
    manifest = json.loads(ensure_manifest().read_text(encoding="utf-8"))
    found = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or not node["config"].get("contract", {}).get("enforced"):
            continue
        columns = tuple((c["name"], c["data_type"]) for c in node["columns"].values())
        found[node["name"]] = (node["schema"], columns)
    return found


def create_contract_tables(con, names: Iterable[str] | None = None) -> None:
    """Create each named model's table (all contracted models by default), empty."""
    for name in names if names is not None else sorted(contracts()):
        schema, columns = contracts()[name]
        con.execute(f"create schema if not exists {sql_identifier(schema)}")
        body = ", ".join(f"{sql_identifier(c)} {t}" for c, t in columns)
        con.execute(f"create table {sql_identifier(schema)}.{sql_identifier(name)} ({body})")


def insert_rows(con, name: str, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert rows given as {column: value}; columns a row leaves out are null."""
    schema, _ = contracts()[name]
    for row in rows:
        cols = ", ".join(sql_identifier(c) for c in row)
        marks = ", ".join("?" for _ in row)
        con.execute(f"insert into {sql_identifier(schema)}.{sql_identifier(name)} ({cols}) values ({marks})",
                    list(row.values()))
