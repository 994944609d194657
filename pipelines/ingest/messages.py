"""The reasons a rejected row carries into quarantine, in Chinese and English, naming the file,
sheet, row and column: built only for the rows that failed a check (the hot path never formats
a message)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipelines.ingest.normalise import printable, printable_expr

# The columns of a quarantined row, before the file-level lineage is added.
QUARANTINE_COLUMNS = [
    "_sheet",
    "_row",
    "column_name",
    "reason_code",
    "reason_zh",
    "reason_en",
    "_raw_record",
    "_deaths_in_row",
]


@dataclass(frozen=True)
class Check:
    flag: str  # boolean column name
    code: str  # reason_code
    column: str | None  # header as written (None: the whole row)
    value: str | None  # text column shown as "got"
    expected_zh: str | pl.Expr
    expected_en: str | pl.Expr


def build_messages(df: pl.DataFrame, checks: list[Check], file_name: str | None) -> pl.DataFrame:
    """Quarantine reason columns for rows with at least one failed check.

    Returns df with reason_code, column_name, reason_zh, reason_en (first failing check gives
    code and column; the texts list every failure). ``file_name=None``: the rows' ``_file``."""
    if df.height == 0:
        return df.with_columns(
            reason_code=pl.lit(None, pl.String),
            column_name=pl.lit(None, pl.String),
            reason_zh=pl.lit(None, pl.String),
            reason_en=pl.lit(None, pl.String),
        )
    sheet = printable_expr(pl.col("_sheet"))
    row = pl.col("_row").cast(pl.String)
    shown = pl.lit(printable(file_name)) if file_name is not None else printable_expr(pl.col("_file"))
    file_zh = pl.lit("文件 ") + shown
    file_en = pl.lit("file ") + shown
    loc_zh = pl.concat_str(
        [
            file_zh,
            pl.when(sheet.is_not_null()).then(pl.lit(" 工作表 ") + sheet).otherwise(pl.lit("")),
            pl.lit(" 第 "),
            row,
            pl.lit(" 行"),
        ]
    )
    loc_en = pl.concat_str(
        [
            file_en,
            pl.when(sheet.is_not_null()).then(pl.lit(", sheet ") + sheet).otherwise(pl.lit("")),
            pl.lit(", row "),
            row,
        ]
    )
    structs = []
    for ch in checks:
        v = printable_expr(pl.col(ch.value)) if ch.value else pl.lit(None, pl.String)
        exp_zh = ch.expected_zh if isinstance(ch.expected_zh, pl.Expr) else pl.lit(ch.expected_zh)
        exp_en = ch.expected_en if isinstance(ch.expected_en, pl.Expr) else pl.lit(ch.expected_en)
        col_zh = pl.lit(f" “{ch.column}” 列：" if ch.column else "：")
        col_en = pl.lit(f", column {ch.column}: " if ch.column else ": ")
        got_zh = (
            pl.when(v.is_null()).then(pl.lit("，实际为空")).otherwise(pl.lit("，实际为“") + v + pl.lit("”"))
        )
        got_en = (
            pl.when(v.is_null())
            .then(pl.lit(", got an empty cell"))
            .otherwise(pl.lit(", got '") + v + pl.lit("'"))
        )
        if ch.value is None:
            got_zh, got_en = pl.lit(""), pl.lit("")
        zh = pl.concat_str([loc_zh, col_zh, exp_zh, got_zh])
        en = pl.concat_str([loc_en, col_en, exp_en, got_en])
        structs.append(
            pl.when(pl.col(ch.flag).fill_null(False)).then(
                pl.struct(code=pl.lit(ch.code), col=pl.lit(ch.column, pl.String), zh=zh, en=en)
            )
        )
    errs = pl.concat_list(structs).list.drop_nulls()
    out = df.with_columns(_errs=errs)
    return out.with_columns(
        reason_code=pl.col("_errs").list.first().struct.field("code"),
        column_name=pl.col("_errs").list.first().struct.field("col"),
        reason_zh=pl.col("_errs").list.eval(pl.element().struct.field("zh")).list.join("；"),
        reason_en=pl.col("_errs").list.eval(pl.element().struct.field("en")).list.join("; "),
    ).drop("_errs")
