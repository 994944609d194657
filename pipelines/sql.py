"""Quoting for the few statements DuckDB cannot take parameters in (ATTACH, COPY ... TO, options).

Everywhere else values go in as ``?`` parameters; SQL that computes something lives in dbt.
"""

from __future__ import annotations

from pathlib import Path


def sql_string(value: str | Path) -> str:
    """A SQL string literal: ``'it''s'`` for ``it's``."""
    return "'" + str(value).replace("'", "''") + "'"


def sql_identifier(name: str) -> str:
    """A quoted SQL identifier: ``"a""b"`` for ``a"b``."""
    return '"' + name.replace('"', '""') + '"'
