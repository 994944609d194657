"""The plans source's own rules (docs/spec/plans.md), on top of the generic validation.

A plan table (规划主要指标表) is one file per plan document. Its cells are of kinds the event
registers do not have (a plan code, plan years that lie in the future, a target number with a
``%`` or ``‰`` sign, words of a closed list in Chinese or as codes), and two rules concern more
than one row:

- **the whole plan** (规划编号 + 行政区划代码 within one sheet): plan-level cells (名称, 起始年,
  终止年, 基期年, 版本日期) that differ between its rows, an end year before the start year, or a
  base year not before the start year reject every row of that plan, with a reason naming it;
- **a 序号 used twice** in one plan rejects both rows.

Which version of a plan is in force when two files define it (the later 版本日期 wins) depends on
the other files, so it is decided in dbt (``int_plan_versions``), where raw's versions meet.
"""

from __future__ import annotations

import polars as pl

from pipelines.ingest.cell_checks import out_of_range
from pipelines.ingest.contracts import INDICATOR_CODES, Col, SourceSpec
from pipelines.ingest.messages import QUARANTINE_COLUMNS, Check, build_messages
from pipelines.ingest.normalise import clean_text, printable_expr
from pipelines.ingest.parsing import parse_enum, parse_number
from pipelines.ingest.quotas import QuotaSheetValidator
from pipelines.ingest.validation import SheetResult, SheetValidator

PLAN_KINDS = ("plan_code", "plan_year", "plan_seq", "plan_indicator", "plan_enum", "target_number")
PLAN_CODE_RE = r"^[A-Za-z0-9_-]+$"
# Cells that describe the plan, not the target: equal on every row of a plan.
PLAN_LEVEL = (
    ("plan_name", "规划名称", "plan name"),
    ("start_year", "规划期起始年", "first plan year"),
    ("end_year", "规划期终止年", "last plan year"),
    ("baseline_year", "基期年", "base year"),
    ("version_date", "版本日期", "version date"),
)


def validator_for(spec: SourceSpec) -> type[SheetValidator]:
    """The validator class of a source: the plans' or the quotas' own, or the generic one."""
    return {"plans": PlanSheetValidator, "quotas": QuotaSheetValidator}.get(spec.source, SheetValidator)


def _words(col: Col) -> tuple[str, str]:
    """The accepted spellings of a closed list, for messages: Chinese words, then codes."""
    zh = [w for w in col.value_aliases if not w.isascii() and len(w) > 1] or list(col.value_aliases)
    codes = "、".join(col.values)
    if col.name == "comparator":
        return f"{'、'.join(col.values)}（或 ＜ ≤ ＞ ≥）", f"{', '.join(col.values)} (or ＜ ≤ ＞ ≥)"
    return f"{'、'.join(zh)}（或 {codes}）", f"{', '.join(zh)} (or {', '.join(col.values)})"


class PlanSheetValidator(SheetValidator):
    """SheetValidator with the plan table's cell kinds, row rules and whole-plan rules."""

    def parse_column(self, col: Col) -> list[pl.Expr]:
        if col.kind not in PLAN_KINDS:
            return super().parse_column(col)
        n = col.name
        t = self.text(n)
        exprs: list[pl.Expr] = []

        def required(blank: pl.Expr, what_zh: str, what_en: str) -> None:
            if col.required:
                exprs.append(blank.alias(f"_e_{n}_missing"))
                self.add(
                    f"_e_{n}_missing", "missing_value", n, f"必须填写{what_zh}", f"{what_en} is required"
                )

        if col.kind == "plan_code":
            v = clean_text(t).str.replace_all(" ", "")
            exprs.append(v.alias(n))
            exprs.append((v.is_not_null() & ~v.str.contains(PLAN_CODE_RE)).alias(f"_e_{n}_invalid"))
            self.add(
                f"_e_{n}_invalid", "invalid_value", n,
                "规划编号只能由字母、数字、下划线和连字符组成（如 14fyp、15fyp）",
                "expected a plan code of letters, digits, _ and - (e.g. 14fyp, 15fyp)",
            )
            required(v.is_null(), "规划编号", "a plan code")
        elif col.kind == "plan_year":
            p = self.four_digit_year(n, t, 2025, exprs)
            required(p.blank, "年份", "a year")
        elif col.kind == "plan_seq":
            p = self.stage(n, parse_number(t, zero_tokens=False))
            bad = (p.value.is_not_null() & ((p.value < 1) | (p.value != p.value.floor()))).fill_null(False)
            # 序号 1e12 does not fit raw.plans.seq (integer): flagged, and never cast
            too_big, too_big_zh, too_big_en = out_of_range(p.value, self.spec.source, n)
            exprs.append(pl.when(~bad & ~too_big).then(p.value).cast(pl.Int32).alias(n))
            exprs.append((p.invalid | bad).alias(f"_e_{n}_invalid"))
            self.add(
                f"_e_{n}_invalid", "invalid_value", n, "序号应为正整数", "expected a positive whole number"
            )
            exprs.append(too_big.alias(f"_e_{n}_range"))
            self.add(f"_e_{n}_range", "out_of_range", n, too_big_zh, too_big_en)
            required(p.blank, "序号", "a number")
        elif col.kind == "plan_indicator":
            p = self.stage(n, parse_enum(t, {code: code for code in INDICATOR_CODES}))
            exprs.append(p.value.alias(n))
            exprs.append(p.invalid.alias(f"_e_{n}_invalid"))
            self.add(
                f"_e_{n}_invalid", "unknown_indicator", n,
                "应为指标目录（indicators.md）中的指标代码，如 safety_deaths",
                "expected an indicator code of the catalogue (indicators.md), e.g. safety_deaths",
            )
            required(p.blank, "指标代码", "an indicator code")
        elif col.kind == "plan_enum":
            mapping = {v: v for v in col.values} | dict(col.value_aliases)
            p = self.stage(n, parse_enum(t, mapping))
            words_zh, words_en = _words(col)
            exprs.append(p.value.alias(n))
            exprs.append(p.invalid.alias(f"_e_{n}_invalid"))
            self.add(f"_e_{n}_invalid", "invalid_value", n, f"应为{words_zh}", f"expected {words_en}")
            required(p.blank, "", "a value")
        elif col.kind == "target_number":
            # 目标值 may carry the unit sign of its indicator: 15%, 0.9‰
            text = clean_text(t).str.strip_suffix("‰")
            p = self.stage(n, parse_number(text, zero_tokens=False, percent=True))
            exprs.append(p.value.alias(n))
            exprs.append(p.invalid.alias(f"_e_{n}_nan"))
            self.add(f"_e_{n}_nan", "not_a_number", n, "目标值应为数字（可带 % 或 ‰）",
                     "expected a number (a trailing % or ‰ is allowed)")
            exprs.append((p.value < 0).fill_null(False).alias(f"_e_{n}_neg"))
            self.add(
                f"_e_{n}_neg", "negative_value", n, "目标值不能为负数", "expected a non-negative number"
            )
            exprs.append(self.range_check(n, p.value))  # 1e400 is no target
        return exprs

    def cross_checks(self) -> list[pl.Expr]:
        kind, comp, value = pl.col("target_kind"), pl.col("comparator"), pl.col("target_value")
        is_bound = kind.is_in(["upper_bound", "lower_bound"])
        comp_unreadable = pl.col("_e_comparator_invalid")
        value_unreadable = pl.col("_e_target_value_nan")
        rules = [
            (
                "_e_bound_comparator", "missing_comparator", "comparator",
                is_bound & comp.is_null() & ~comp_unreadable,
                "上限、下限类目标必须填写比较符（<、<=、>、>=），“<1”与“≤1”在边界上结论不同",
                "a bound needs its comparator (<, <=, >, >=): '<1' and '<=1' differ at the boundary",
            ),
            (
                "_e_comparator_direction", "contradictory_comparator", "comparator",
                ((kind == "upper_bound") & comp.is_in([">", ">="]))
                | ((kind == "lower_bound") & comp.is_in(["<", "<="]))
                | ((kind == "decline_pct") & comp.is_in(["<", "<="])),
                "比较符与目标类型矛盾：上限用 < 或 <=，下限和下降幅度用 > 或 >=",
                "the comparator contradicts the target kind: < or <= for an upper bound, > or >= for a "
                "lower bound or a decline",
            ),
            (
                "_e_target_missing", "missing_value", "target_value",
                ~kind.is_in(["curb"]) & kind.is_not_null() & value.is_null() & ~value_unreadable,
                "必须填写目标值（只有“有效遏制”类目标可以为空）",
                "a target value is required (only a curb target may leave it empty)",
            ),
            (
                "_e_decline_range", "target_out_of_range", "target_value",
                (kind == "decline_pct") & ((value <= 0) | (value >= 100)),
                "下降幅度应大于0且小于100（单位：%）",
                "expected a decline between 0 and 100 (percent), both excluded",
            ),
        ]
        out = []
        for flag, code, column, expr, zh, en in rules:
            out.append(expr.fill_null(False).alias(flag))
            self.add(flag, code, column, zh, en)
        return out

    # ------------------------------------------------------------------ whole plans
    def run(self) -> SheetResult:
        res = super().run()
        if res.records.height == 0:
            return res
        records = res.records.with_columns(
            # "下降15%" means at least 15%: a decline given without a comparator is >=
            comparator=pl.when(pl.col("target_kind") == "decline_pct")
            .then(pl.col("comparator").fill_null(">="))
            .otherwise(pl.col("comparator"))
        )
        per_file = ["_file"] if self.file_name is None else []
        bad, good = _whole_plan_rules(records, per_file, self.file_name)
        if bad.height:
            rejected = bad.select(QUARANTINE_COLUMNS + per_file)
            res.rejects = pl.concat([res.rejects, rejected], how="vertical_relaxed")
        res.records = good
        return res


def _plan_label(zh: bool) -> pl.Expr:
    plan, region = pl.col("plan_id"), pl.col("region_code")
    if zh:
        return pl.concat_str([pl.lit("规划“"), plan, pl.lit("”（行政区划 "), region, pl.lit("）")])
    return pl.concat_str([pl.lit("plan '"), plan, pl.lit("' (region "), region, pl.lit(")")])


def _whole_plan_rules(
    records: pl.DataFrame, per_file: list[str], file_name: str | None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(rejected rows with their quarantine columns, the rows kept)."""
    plan = [*per_file, "plan_id", "region_code"]
    checks: list[Check] = []
    flags: list[pl.Expr] = []
    for column, zh, en in PLAN_LEVEL:
        values = printable_expr(pl.col(column).cast(pl.String)).fill_null("（空）")
        listed = values.unique().sort().str.join("、").over(plan)
        listed_en = values.unique().sort().str.join(", ").over(plan)
        flag = f"_e_plan_{column}"
        flags.append((values.n_unique().over(plan) > 1).alias(flag))
        checks.append(Check(
            flag, "inconsistent_plan", None, None,
            pl.concat_str([_plan_label(True), pl.lit(f"的各行{zh}不一致（"), listed,
                           pl.lit("），整份规划不入库")]),
            pl.concat_str([_plan_label(False), pl.lit(f": its rows give different {en}s ("), listed_en,
                           pl.lit("); the whole plan is rejected")]),
        ))
    start, end, base = (pl.col(c).min().over(plan) for c in ("start_year", "end_year", "baseline_year"))
    flags.append((end < start).alias("_e_plan_end_before_start"))
    checks.append(Check(
        "_e_plan_end_before_start", "invalid_plan_period", None, None,
        pl.concat_str([_plan_label(True), pl.lit("的规划期终止年（"), end.cast(pl.String),
                       pl.lit("）早于起始年（"), start.cast(pl.String), pl.lit("），整份规划不入库")]),
        pl.concat_str([_plan_label(False), pl.lit(": its last plan year ("), end.cast(pl.String),
                       pl.lit(") is before its first ("), start.cast(pl.String),
                       pl.lit("); the whole plan is rejected")]),
    ))
    flags.append((base >= start).alias("_e_plan_base"))
    checks.append(Check(
        "_e_plan_base", "invalid_plan_period", None, None,
        pl.concat_str([_plan_label(True), pl.lit("的基期年（"), base.cast(pl.String),
                       pl.lit("）应早于规划期起始年（"), start.cast(pl.String),
                       pl.lit("），整份规划不入库")]),
        pl.concat_str([_plan_label(False), pl.lit(": its base year ("), base.cast(pl.String),
                       pl.lit(") must be before its first plan year ("), start.cast(pl.String),
                       pl.lit("); the whole plan is rejected")]),
    ))
    rows = pl.col("_row").unique().sort().cast(pl.String)
    seq_rows, seq_rows_en = (rows.str.join(sep).over([*plan, "seq"]) for sep in ("、", ", "))
    flags.append((pl.len().over([*plan, "seq"]) > 1).alias("_e_plan_seq_twice"))
    checks.append(Check(
        "_e_plan_seq_twice", "duplicate_seq", "序号", None,
        pl.concat_str([pl.lit("序号 "), pl.col("seq").cast(pl.String), pl.lit(" 在"), _plan_label(True),
                       pl.lit("中出现多次（第 "), seq_rows, pl.lit(" 行），均不入库")]),
        pl.concat_str([pl.lit("number "), pl.col("seq").cast(pl.String),
                       pl.lit(" is used more than once in "), _plan_label(False), pl.lit(" (rows "),
                       seq_rows_en, pl.lit("); none of them is loaded")]),
    ))
    flagged = records.with_columns(flags)
    names = [c.flag for c in checks]
    flagged = flagged.with_columns(_bad=pl.any_horizontal(names).fill_null(False))
    if not flagged["_bad"].any():
        return flagged.head(0), records
    bad = flagged.filter(pl.col("_bad")).with_columns(_raw_record=pl.col("_cells").struct.json_encode())
    bad = build_messages(bad, checks, file_name)
    good = flagged.filter(~pl.col("_bad")).drop(*names, "_bad")
    return bad, good


__all__ = ["PlanSheetValidator", "validator_for"]
