"""The control quotas' own cell rules (docs/spec/monthly.md), on top of the generic validation.

A 年度控制指标下达表 hands each county-level unit (or prefecture) a quota for a year: at most so many
deaths, accidents, 较大及以上 accidents. Its cells are of three kinds the registers do not have:

- **年度**: the year the quota is for. Quotas are issued in January, sometimes in the December
  before, so the year may be the as-of year's next one, never later;
- **指标代码**: a *count* indicator of the catalogue (``seeds/indicators.csv``, kind ``count``): a
  quota caps a number of deaths or accidents, never a rate;
- **控制数**: a non-negative whole number that must be given (an empty cell is not a quota of 0).

The rest is the generic validation: the region (a known county-level unit or prefecture, its name
checked against the code), the 下达日期 (a date, not after the as-of date), and, in the loader, the
same key and 下达日期 twice in a file with different numbers (both rows rejected:
``SourceSpec.dated_by``). Which quota is in force when a later 下达日期 adjusts it depends on the
other files, so raw keeps every filing and dbt decides (``int_quota_versions``).
"""

from __future__ import annotations

import polars as pl

from pipelines.ingest.cell_checks import out_of_range
from pipelines.ingest.contracts import COUNT_INDICATORS, Col
from pipelines.ingest.parsing import parse_enum, parse_number
from pipelines.ingest.validation import SheetValidator

QUOTA_KINDS = ("quota_year", "quota_indicator", "quota_number")


class QuotaSheetValidator(SheetValidator):
    """SheetValidator with the quota table's cell kinds."""

    def parse_column(self, col: Col) -> list[pl.Expr]:
        if col.kind not in QUOTA_KINDS:
            return super().parse_column(col)
        n = col.name
        t = self.text(n)
        exprs: list[pl.Expr] = []
        if col.kind == "quota_year":
            p = self.four_digit_year(n, t, 2026, exprs)
            # a quota for next year may be issued in December; one for the year after is a typo
            self.as_of_dates.append(pl.date(p.value - 1, 1, 1))
            limit = self.as_of.year + 1
            exprs.append((p.value > limit).fill_null(False).alias(f"_e_{n}_future"))
            self.add(
                f"_e_{n}_future",
                "future_date",
                n,
                f"年度不能晚于数据截止日期 {self.as_of.isoformat()} 的下一年（{limit}）",
                f"expected a year not after the year following the as-of date {self.as_of.isoformat()} "
                f"({limit})",
            )
            exprs.append(p.blank.alias(f"_e_{n}_missing"))
            self.add(f"_e_{n}_missing", "missing_value", n, "必须填写年度", "a year is required")
        elif col.kind == "quota_indicator":
            p = self.stage(n, parse_enum(t, {code: code for code in COUNT_INDICATORS}))
            exprs.append(p.value.alias(n))
            exprs.append(p.invalid.alias(f"_e_{n}_invalid"))
            codes = "、".join(COUNT_INDICATORS)
            self.add(
                f"_e_{n}_invalid",
                "unknown_indicator",
                n,
                f"应为计数类指标的代码（控制指标只控制人数或起数）：{codes}",
                f"expected the code of a count indicator (a quota caps a number of deaths or accidents): "
                f"{', '.join(COUNT_INDICATORS)}",
            )
            exprs.append(p.blank.alias(f"_e_{n}_missing"))
            self.add(
                f"_e_{n}_missing", "missing_value", n, "必须填写指标代码", "an indicator code is required"
            )
        elif col.kind == "quota_number":
            # an empty 控制数 is no quota at all, never a quota of 0
            p = self.stage(n, parse_number(t, zero_tokens=False))
            v = p.value
            bad = (v.is_not_null() & ((v < 0) | (v != v.floor()))).fill_null(False)
            too_big, too_big_zh, too_big_en = out_of_range(v, self.spec.source, n)
            exprs.append(pl.when(~bad & ~too_big).then(v).cast(pl.Int32, strict=False).alias(n))
            exprs.append(p.invalid.alias(f"_e_{n}_nan"))
            self.add(
                f"_e_{n}_nan", "not_a_number", n, "控制数应为非负整数", "expected a non-negative whole number"
            )
            exprs.append(bad.alias(f"_e_{n}_invalid"))
            self.add(
                f"_e_{n}_invalid",
                "not_a_whole_number",
                n,
                "控制数应为非负整数（0 表示不允许发生）",
                "expected a non-negative whole number (0: none allowed)",
            )
            exprs.append(too_big.alias(f"_e_{n}_range"))
            self.add(f"_e_{n}_range", "out_of_range", n, too_big_zh, too_big_en)
            exprs.append(p.blank.alias(f"_e_{n}_missing"))
            self.add(
                f"_e_{n}_missing",
                "missing_value",
                n,
                "必须填写控制数（空白不是 0）",
                "a quota is required (an empty cell is not 0)",
            )
        return exprs


__all__ = ["QuotaSheetValidator"]
