"""DuckDB comments on the tables the pipeline creates itself (``raw.*``, ``quality.*``).

dbt stores the marts' descriptions as comments (persist_docs); the raw and quality tables are
created by Python DDL, and their descriptions live in that DDL, one home: a ``-- `` comment at the
end of each column's line (English / 中文, with units), and a ``-- `` line before the first column
for the table. This module reads them back and sets them with ``COMMENT ON``, so analysts see
them in ``duckdb_columns()`` / ``duckdb_tables()`` like the marts'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipelines.ingest.raw_tables import RAW_TABLES
from pipelines.quality.results import DDL as QUALITY_DDL

_COLUMN = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s+(varchar|integer|bigint|double|boolean|date|timestamp|json)\b"
                     r"[^-]*--\s*(.+?)\s*$", re.IGNORECASE)
_TABLE_LINE = re.compile(r"^\s*--\s*(.+?)\s*$")
_CREATE = re.compile(r"create table if not exists (\w+)\.(\w+)", re.IGNORECASE)


@dataclass
class TableDoc:
    schema: str
    table: str
    comment: str | None = None
    columns: dict[str, str] = field(default_factory=dict)


def parse_ddl(schema: str, table: str, ddl: str) -> TableDoc:
    """The table comment (``--`` lines before the first column) and each column's comment."""
    doc = TableDoc(schema, table)
    table_lines: list[str] = []
    for line in ddl.splitlines():
        column = _COLUMN.match(line)
        if column:
            doc.columns[column.group(1)] = column.group(3)
            continue
        only_comment = _TABLE_LINE.match(line)
        if only_comment and not doc.columns:
            table_lines.append(only_comment.group(1))
    doc.comment = " ".join(table_lines) or None
    return doc


def documented_tables() -> list[TableDoc]:
    """Every raw and quality table with the comments its DDL carries."""
    docs = [parse_ddl("raw", name, ddl) for name, ddl in RAW_TABLES.items()]
    for statement in QUALITY_DDL:
        created = _CREATE.search(statement)
        if created:
            docs.append(parse_ddl(created.group(1), created.group(2), statement))
    return docs


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def apply_comments(con) -> int:
    """Set the comments on every documented table that exists; returns the columns commented."""
    existing = {(s, t) for s, t in con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
    ).fetchall()}
    count = 0
    for doc in documented_tables():
        if (doc.schema, doc.table) not in existing:
            continue
        if doc.comment:
            con.execute(f"comment on table {doc.schema}.{doc.table} is {_literal(doc.comment)}")
        for column, comment in doc.columns.items():
            con.execute(f"comment on column {doc.schema}.{doc.table}.{column} is {_literal(comment)}")
            count += 1
    return count
