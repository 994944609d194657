"""DuckDB comments on the tables the pipeline creates itself (``raw.*``, ``quality.*``).

dbt stores the marts' descriptions as comments (persist_docs); the raw and quality tables are
defined as data (``pipelines/tables.py``: each column with its English / 中文 comment and unit),
and this module sets those comments after the dbt build, so that analysts see them in
``duckdb_columns()`` / ``duckdb_tables()`` like the marts'.
"""

from __future__ import annotations

from pipelines.gate_records import QUALITY_TABLES
from pipelines.ingest.raw_tables import RAW_TABLES
from pipelines.tables import Table, apply_comments
from pipelines.transform.selective import TRANSFORM_INPUTS


def documented_tables() -> list[Table]:
    """Every raw and quality table the pipeline creates."""
    return [*RAW_TABLES.values(), *QUALITY_TABLES, TRANSFORM_INPUTS]


def apply_table_comments(con) -> int:
    """Set the comments on every documented table that exists; returns the columns commented."""
    return apply_comments(con, documented_tables())
