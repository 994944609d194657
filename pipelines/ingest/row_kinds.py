"""Which rows of a sheet are data: blank rows, total rows (合计) and everything from a footer row
(填表人, 审核人, 注 …) on are not."""

from __future__ import annotations

import polars as pl

from pipelines.ingest.normalise import clean_text

TOTAL_WORDS = r"^(合计|总计|小计|总合计)[:：]?$"
FOOTER_RE = (
    r"^(填表人|审核人|填报日期|制表人|填报人|制表日期|报出日期|单位负责人|统计负责人|负责人|"
    r"联系电话|联系人|注|备注|说明)([:：]|$)"
)


# A blank, total or footer row's first filled cell, before cleaning, is blank-looking or starts
# with the first character of one of those words (after spaces and a stray BOM).
def _first_characters(*patterns: str) -> str:
    """The first characters of the words of ``^(word|word|…)…`` patterns."""
    words = [w for p in patterns for w in p[p.index("(") + 1 : p.index(")")].split("|")]
    return "".join(sorted({w[0] for w in words}))


_SUSPECT_FIRST_CELL = rf"^[\s\ufeff]*($|[{_first_characters(FOOTER_RE, TOTAL_WORDS)}])"


def data_rows(df: pl.DataFrame, batch: bool) -> tuple[pl.DataFrame, bool]:
    """(the data rows of ``df``, whether a footer row was seen). ``batch``: the sheets of several
    files stacked (``_file``, ``_sheet``), where a footer ends its own file's sheet only.

    Only a row whose first filled cell is blank-looking or starts with the first character of a
    total or footer word can be one of those; the exact test (cells trimmed and cleaned) runs on
    those rows alone."""
    cells = [c for c in df.columns if c.startswith("c")]
    n = df.height
    suspect = df.select(
        pl.coalesce([pl.col(c) for c in cells]).str.contains(_SUSPECT_FIRST_CELL).fill_null(True)
    ).to_series()
    blank = pl.repeat(False, n, eager=True)
    footer, total = blank.clone(), blank.clone()
    at = suspect.arg_true()
    if len(at):
        stripped = [pl.col(c).str.strip_chars().replace("", None) for c in cells]
        first = clean_text(pl.coalesce(stripped)).str.replace_all(" ", "")
        exact = df.select(pl.all().gather(at)).select(
            blank=first.is_null(),
            footer=first.str.contains(FOOTER_RE).fill_null(False),
            total=first.str.contains(TOTAL_WORDS).fill_null(False),
        )
        blank = blank.scatter(at, exact["blank"])
        footer = footer.scatter(at, exact["footer"])
        total = total.scatter(at, exact["total"])
    problem_cells = [c for c in df.columns if c.startswith("_fx")]
    if problem_cells:  # a row of formulas without saved results is not blank: it is rejected
        empty = pl.all_horizontal([pl.col(c).is_null() for c in problem_cells])
        blank = blank & df.select(empty).to_series()
    df = df.with_columns(_footer=footer)
    after = pl.col("_footer").cast(pl.Int32).cum_sum()
    if batch:  # a footer ends its own file's sheet only
        after = after.over("_file", "_sheet")
    df = df.with_columns(_after_footer=after > 0)
    footer_seen = bool(df.height) and bool(df["_after_footer"].any())
    df = df.filter(~blank & ~df["_after_footer"] & ~total).drop("_footer", "_after_footer")
    return df, footer_seen
