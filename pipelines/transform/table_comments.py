"""DuckDB comments on the tables the pipeline creates itself (``raw.*``, ``quality.*``).

dbt stores the marts' descriptions as comments (persist_docs); the raw and quality tables are
defined as data (``pipelines/tables.py``: each column with its English / 中文 comment and unit),
and this module sets those comments after the dbt build, so that analysts see them in
``duckdb_columns()`` / ``duckdb_tables()`` like the marts'.

The load log (``raw.load_log``) is still a DDL string of ``pipelines/load_report.py``, its
comments at the end of each column's line: it is read back into a table definition here.
"""

from __future__ import annotations

import re

from pipelines.gate_records import QUALITY_TABLES
from pipelines.ingest.raw_tables import RAW_TABLES
from pipelines.load_report import LOAD_LOG_DDL
from pipelines.tables import Column, Table, apply_comments

_COLUMN = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s+(varchar|integer|bigint|double|boolean|date|timestamp|json)\b"
                     r"([^-]*)--\s*(.+?)\s*$", re.IGNORECASE)
_TABLE_LINE = re.compile(r"^\s*--\s*(.+?)\s*$")
_CREATE = re.compile(r"create table if not exists (\w+)\.(\w+)", re.IGNORECASE)


def table_from_ddl(ddl: str) -> Table:
    """A table definition from a commented DDL string (``--`` lines before the first column for
    the table, a ``--`` comment at the end of each column's line)."""
    schema, name = _CREATE.search(ddl).groups()
    columns: list[Column] = []
    table_lines: list[str] = []
    for line in ddl.splitlines():
        column = _COLUMN.match(line)
        if column:
            columns.append(Column(column.group(1), column.group(2).lower(), column.group(4),
                                  nullable="not null" not in column.group(3).lower()))
            continue
        only_comment = _TABLE_LINE.match(line)
        if only_comment and not columns:
            table_lines.append(only_comment.group(1))
    return Table(schema, name, " ".join(table_lines), tuple(columns))


def documented_tables() -> list[Table]:
    """Every raw and quality table the pipeline creates."""
    return [*RAW_TABLES.values(), table_from_ddl(LOAD_LOG_DDL), *QUALITY_TABLES]


def apply_table_comments(con) -> int:
    """Set the comments on every documented table that exists; returns the columns commented."""
    return apply_comments(con, documented_tables())
