"""The rules of each kind of cell (``Col.kind`` in ``contracts.py``): how its text is parsed, and
which checks it gets, each with its reason in Chinese and English.

One function per family of kinds, looked up in :data:`COLUMN_RULES`; each returns the
expressions for the parsed value (named after the column) and its check flags, and registers the
checks on the validator. A new kind of cell is a new function here (or, for a source's own
kinds, in its validator subclass, as ``plans.py`` does).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import polars as pl

from pipelines.enumerations import CAPABILITY_INDICATORS
from pipelines.ingest.columns import Col, SourceSpec
from pipelines.ingest.contracts import YES_NO
from pipelines.ingest.normalise import clean_free_text, clean_text
from pipelines.ingest.parsing import parse_date, parse_datetime, parse_enum, parse_number, parse_year

if TYPE_CHECKING:
    from pipelines.ingest.validation import SheetValidator

Rule = Callable[["SheetValidator", Col, pl.Expr], list[pl.Expr]]

_DATE_ZH = "应为日期（如 2024-03-05、2024/3/5、2024.3.5、2024年3月5日，可带时间 14:20 或 14时20分）"
_DATE_EN = ("expected a date such as 2024-03-05, 2024/3/5, 2024.3.5 or 2024年3月5日, "
            "optionally with a time 14:20 or 14时20分")


def _is_identifier(spec: SourceSpec, name: str) -> bool:
    """Text columns that identify something (事故编号, 国民经济行业代码) get the normalisation of
    keys and codes; the others (事故简况, 单位名称) are prose and keep their characters."""
    return name in spec.key or name == spec.key_column or name.endswith(("_id", "_code"))


def _scale(e: pl.Expr, factor: float) -> pl.Expr:
    """Unit conversion, so that 1,742,000 万元 is 174.2 亿元 (not 174.20000000000002)."""
    if factor == 1:
        return e
    # polars divides by a scalar through its reciprocal (174.20000000000002): round the noise off
    return (e * factor).round(9)


def enum_map(col: Col) -> dict[str, str]:
    """Every accepted spelling of a closed list's values → the value (half-width brackets too)."""
    m = {v: v for v in col.values}
    m.update(col.value_aliases)
    return m | {k.replace("（", "(").replace("）", ")"): v for k, v in m.items()}


def _text(v: SheetValidator, col: Col, t: pl.Expr) -> list[pl.Expr]:
    n = col.name
    if n == v.spec.key_column and v.has(n):
        value = pl.col("_key")  # cleaned when the rows were classified
    else:
        value = clean_text(t) if _is_identifier(v.spec, n) else clean_free_text(t)
    exprs = [value.alias(n)]
    if col.required:
        exprs.append(v.flag(n, "missing", value.is_null(), "missing_value", "必须填写",
                            "a value is required"))
    return exprs


def _date(v: SheetValidator, col: Col, t: pl.Expr) -> list[pl.Expr]:
    n = col.name
    p = v.stage(n, parse_datetime(t) if col.kind == "datetime" else parse_date(t))
    exprs = [p.value.alias(n), v.flag(n, "invalid", p.invalid, "invalid_date", _DATE_ZH, _DATE_EN)]
    if col.required:
        exprs.append(v.flag(n, "missing", p.blank, "missing_value", "必须填写日期", "a date is required"))
    day = p.value.dt.date() if col.kind == "datetime" else p.value
    v.as_of_dates.append(day)
    exprs.append(v.flag(n, "future", (day > pl.lit(v.as_of)).fill_null(False), "future_date",
                        f"日期不能晚于数据截止日期 {v.as_of.isoformat()}",
                        f"expected a date not after the as-of date {v.as_of.isoformat()}"))
    return exprs


def _non_negative(v: SheetValidator, n: str, p, value: pl.Expr, what_zh: str, what_en: str) -> list[pl.Expr]:
    """A number's checks: readable, not negative, within its raw column's range."""
    return [
        v.flag(n, "nan", p.invalid, "not_a_number", f"应为{what_zh}", f"expected {what_en}"),
        v.flag(n, "neg", (value < 0).fill_null(False), "negative_value", f"应为{what_zh}，不能为负数",
               f"expected {what_en}, not a negative one"),
        v.range_check(n, value),
    ]


def _quantity(v: SheetValidator, col: Col, t: pl.Expr) -> list[pl.Expr]:
    """count, amount, area: an empty cell is 0 (minor_injuries: null when the column is absent)."""
    n = col.name
    p = v.stage(n, parse_number(t))
    value = _scale(p.value, v.factor(n))
    if col.kind == "count":
        value = value.round(6)
    if col.name == "minor_injuries" and not v.has(n):
        exprs = [pl.lit(None, pl.Float64).alias(n)]
    else:
        exprs = [pl.when(p.blank).then(pl.lit(0.0)).otherwise(value).alias(n)]
    what_zh = "非负整数" if col.kind == "count" else "非负数"
    what_en = "a non-negative whole number" if col.kind == "count" else "a non-negative number"
    exprs += _non_negative(v, n, p, value, what_zh, what_en)
    if col.kind == "count":
        exprs.append(v.flag(n, "frac", ((value >= 0) & (value != value.floor())).fill_null(False),
                            "not_a_whole_number", "应为非负整数", "expected a non-negative whole number"))
    return exprs


def _measure(v: SheetValidator, col: Col, t: pl.Expr) -> list[pl.Expr]:
    """pct_number (a capability value, % allowed), measure (a statistic, 0 tokens allowed)."""
    n = col.name
    p = v.stage(n, parse_number(t, zero_tokens=(col.kind == "measure"), percent=(col.kind == "pct_number")))
    value = _scale(p.value, v.factor(n))
    exprs = [value.alias(n), *_non_negative(v, n, p, value, "非负数", "a non-negative number")]
    if col.kind == "pct_number":
        exprs.append(v.flag(n, "missing", p.blank, "missing_value", "必须填写数值", "a value is required"))
    return exprs


def _enum(v: SheetValidator, col: Col, t: pl.Expr) -> list[pl.Expr]:
    n = col.name
    p = v.stage(n, parse_enum(t, enum_map(col)))
    value = p.value if not col.default else pl.when(p.blank).then(pl.lit(col.default)).otherwise(p.value)
    exprs = [value.alias(n), v.flag(n, "invalid", p.invalid, "invalid_value",
                                    f"应为以下之一：{'、'.join(col.values)}",
                                    f"expected one of: {', '.join(col.values)}")]
    if col.required and not col.default:
        exprs.append(v.flag(n, "missing", p.blank, "missing_value", "必须填写", "a value is required"))
    return exprs


def _yes_no(v: SheetValidator, col: Col, t: pl.Expr) -> list[pl.Expr]:
    n = col.name
    p = v.stage(n, parse_enum(t, YES_NO, pl.Boolean))
    return [p.value.alias(n), v.flag(n, "invalid", p.invalid, "invalid_value", "应为“是”或“否”",
                                     "expected 是 (yes) or 否 (no)")]


def _year(v: SheetValidator, col: Col, t: pl.Expr) -> list[pl.Expr]:
    n = col.name
    p = v.stage(n, parse_year(t))
    v.as_of_dates.append(pl.date(p.value, 1, 1))
    return [
        p.value.alias(n),
        v.flag(n, "invalid", p.invalid, "invalid_year", "应为四位年份（如 2024）",
               "expected a 4-digit year such as 2024"),
        v.flag(n, "missing", p.blank, "missing_value", "必须填写年份", "a year is required"),
        v.flag(n, "future", (p.value > v.as_of.year).fill_null(False), "future_date",
               f"年份不能晚于数据截止日期所在年份 {v.as_of.year}",
               f"expected a year not after the as-of year {v.as_of.year}"),
    ]


def _capability_indicator(v: SheetValidator, col: Col, t: pl.Expr) -> list[pl.Expr]:
    n = col.name
    mapping = dict(CAPABILITY_INDICATORS) | {c: c for c in CAPABILITY_INDICATORS.values()}
    p = v.stage(n, parse_enum(t, mapping))
    return [
        p.value.alias(n),
        v.flag(n, "invalid", p.invalid, "unknown_indicator",
               "应为能力建设指标的中文名称或代码（见 indicators.md）",
               "expected a capability indicator's Chinese name or code (see indicators.md)"),
        v.flag(n, "missing", p.blank, "missing_value", "必须填写指标", "an indicator is required"),
    ]


def _resolved_elsewhere(v: SheetValidator, col: Col, t: pl.Expr) -> list[pl.Expr]:  # noqa: ARG001
    """region_code / region_name: resolved together (SheetValidator.regions)."""
    return []


COLUMN_RULES: dict[str, Rule] = {
    "text": _text,
    "datetime": _date,
    "date": _date,
    "count": _quantity,
    "amount": _quantity,
    "area": _quantity,
    "enum": _enum,
    "bool": _yes_no,
    "year": _year,
    "indicator": _capability_indicator,
    "pct_number": _measure,
    "measure": _measure,
    "code": _resolved_elsewhere,
    "region_name": _resolved_elsewhere,
}
