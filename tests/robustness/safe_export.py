"""Cells for CSV/Excel exports that a spreadsheet will never run as a formula (CSV injection).

Text from the source files (事故简况, 单位名称, a reason quoting a cell) may start with ``=``, ``+``,
``-`` or ``@``; a spreadsheet opening an export would take such a cell for a formula (``=HYPERLINK``,
``=cmd|' /C calc'!A0``). :func:`neutralise_cell` prefixes such text with an apostrophe, which
spreadsheets show as plain text. Numbers, and text that is a plain number (``-3``, ``+1.5``), are left
as they are. Use it for every cell of every CSV or Excel export built from data (with xlsxwriter,
also write text with ``write_string``, never ``write``, which turns ``=...`` into a formula).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise_cell(value: Any) -> Any:
    """The value, or for text a spreadsheet would treat as a formula, the text behind an apostrophe."""
    if not isinstance(value, str) or not value:
        return value
    stripped = value.lstrip(" \u3000")
    if not stripped.startswith(FORMULA_PREFIXES):
        return value
    if _PLAIN_NUMBER.fullmatch(value.strip()):
        return value
    return "'" + value


def neutralise_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise_cell(v) for v in values]


__all__ = ["FORMULA_PREFIXES", "neutralise_cell", "neutralise_row"]
