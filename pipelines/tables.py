"""The tables the pipeline creates itself (``raw.*``, ``quality.*``), defined as data.

One definition per table: its columns with their DuckDB types and their English / 中文 comments
(with units). The DDL, the column types the loaders cast to and the comments analysts read in
``duckdb_columns()`` / ``duckdb_tables()`` are all derived from it; nothing parses SQL text back.
dbt stores the marts' comments itself (persist_docs); :func:`apply_comments` sets these tables'.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pipelines.sql import sql_string


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB type, lower case: varchar, integer, bigint, double, boolean, date, timestamp, json
    comment: str  # "English, with the unit. / 中文。"
    nullable: bool = False


@dataclass(frozen=True)
class Table:
    schema: str
    name: str
    comment: str  # "English. / 中文。"
    columns: tuple[Column, ...]
    # columns added after the first release: added to the tables of warehouses made before
    added: tuple[str, ...] = ()

    @property
    def qualified_name(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column_types(self) -> dict[str, str]:
        """Column name → DuckDB type, in table order."""
        return {c.name: c.type for c in self.columns}

    def ddl(self) -> str:
        lines = [f"    {c.name} {c.type}{'' if c.nullable else ' not null'}" for c in self.columns]
        return f"create table if not exists {self.qualified_name} (\n" + ",\n".join(lines) + "\n)"

    def create(self, con) -> None:
        """Create the table if missing and add the columns added since (idempotent: a warehouse
        published by an earlier version is brought up to date)."""
        con.execute(f"create schema if not exists {self.schema}")
        con.execute(self.ddl())
        types = self.column_types()
        for name in self.added:
            con.execute(f"alter table {self.qualified_name} add column if not exists {name} {types[name]}")


def apply_comments(con, tables: Iterable[Table]) -> int:
    """Set the table and column comments of every given table that exists; returns the number
    of columns commented. A comment the file already has is not written again (a copy of the
    published warehouse has them all: one statement per column was most of this step)."""
    existing = dict(con.execute(
        "select schema_name || '.' || table_name, comment from duckdb_tables() "
        "where database_name = current_database()"
    ).fetchall())
    columns = {(t, c): comment for t, c, comment in con.execute(
        "select schema_name || '.' || table_name, column_name, comment from duckdb_columns() "
        "where database_name = current_database()"
    ).fetchall()}
    count = 0
    for table in tables:
        name = f"{table.schema}.{table.name}"
        if name not in existing:
            continue
        if existing[name] != table.comment:
            con.execute(f"comment on table {table.qualified_name} is {sql_string(table.comment)}")
        for column in table.columns:
            if columns.get((name, column.name)) != column.comment:
                con.execute(
                    f"comment on column {table.qualified_name}.{column.name} is {sql_string(column.comment)}"
                )
            count += 1
    return count
