"""Checks of single cells that need more than their text: does the number fit the column it is stored
in, and did the workbook hold a usable value at all (formula without a saved result, error value)?

Both return polars expressions (vectorised); the validator turns them into its checks. Kept apart from
``validation.py`` because they know about things outside the cell: the raw tables' DuckDB types and
the reader's marks of problem cells (``_fx<i>`` columns, see ``reading.py`` / ``xlsx_cells.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import polars as pl

from pipelines.ingest.raw_tables import RAW_TABLES, column_types

# bits of each integer type: 2**k is exact in float64, so a value v fits when abs(v) < 2**k (the most
# negative value, -2**k, is never a count anyway)
_INTEGER_BITS = {"tinyint": 7, "smallint": 15, "integer": 31, "int": 31, "bigint": 63, "hugeint": 127}


@lru_cache(maxsize=64)
def target_type(source: str, column: str) -> str:
    """The DuckDB type a parsed number is stored as (statistics' measures are rows of ``value``)."""
    types = column_types(source) if source in RAW_TABLES else {}
    return types.get(column) or types.get("value") or "double"


def out_of_range(v: pl.Expr, source: str, column: str) -> tuple[pl.Expr, str, str]:
    """(flag, expected zh, expected en): the number ``v`` does not fit ``raw.<source>.<column>``
    (1e400 is not a loss; 3,000,000,000 is not a count of deaths, an INTEGER). Checked before DuckDB
    sees it, which would otherwise abort the whole load."""
    dtype = target_type(source, column)
    if dtype in _INTEGER_BITS:
        bound = 2 ** _INTEGER_BITS[dtype]
        return (
            (~v.is_finite() | (v.abs() >= float(bound))).fill_null(False),
            f"数值超出该列能保存的范围（整数，最大 {bound - 1:,}）",
            f"expected a number this column can store (whole numbers up to {bound - 1:,})",
        )
    return (
        (~v.is_finite()).fill_null(False),
        "数值过大，超出能保存的范围（不是有限的数）",
        "expected a number this column can store (this one is not finite: too large)",
    )


@dataclass(frozen=True)
class CellCheck:
    flag: str  # name of the boolean column
    expr: pl.Expr  # its value
    code: str
    column: str  # header label of the cell's column
    expected_zh: pl.Expr
    expected_en: pl.Expr


def problem_cell_checks(columns: list[str], labels: list[str]) -> list[CellCheck]:
    """Checks for the cells the reader marked (``_fx<i>``: the formula ``=…`` or the error value
    ``#…``). fastexcel reads both as empty, which a count would take for 0. ``labels[i]``: the header
    label of cell column i."""
    out = []
    for c in sorted((c for c in columns if c.startswith("_fx")), key=lambda c: int(c[3:])):
        i = int(c[3:])
        label = labels[i] if i < len(labels) else f"第{i + 1}列"
        formula = pl.col(c).str.starts_with("=").fill_null(False)
        out.append(CellCheck(
            f"_e_formula{i}", formula, "formula_without_value", label,
            pl.concat_str([pl.lit("公式单元格（"), pl.col(c),
                           pl.lit("）没有保存计算结果：请在 Excel 中打开并保存，或把公式粘贴为数值")]),
            pl.concat_str([pl.lit("a formula cell ("), pl.col(c),
                           pl.lit(") without a saved result: open and save the file in Excel, or paste the "
                                  "formulas as values")]),
        ))
        out.append(CellCheck(
            f"_e_error{i}", pl.col(c).is_not_null() & ~formula, "error_value", label,
            pl.concat_str([pl.lit("单元格是错误值 "), pl.col(c), pl.lit("，不是数据：请改正公式后保存")]),
            pl.concat_str([pl.lit("the cell holds the error value "), pl.col(c),
                           pl.lit(", not data: correct the formula and save")]),
        ))
    return out


__all__ = ["CellCheck", "out_of_range", "problem_cell_checks", "target_type"]
