"""Vectorised parsers (polars expressions) for numbers, dates and region codes/names.

Every parser takes an expression of text cells and returns expressions; nothing loops over rows
in Python. Cells are first cleaned by :func:`~pipelines.ingest.normalise.clean_text` (the one
normalisation shared with keys and codes: full-width → half-width, invisible characters removed,
spaces trimmed).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

import polars as pl

from pipelines.ingest.normalise import clean_text
from pipelines.settings import REGIONS_CSV

# In count and amount columns these mean 0.
ZERO_TOKENS = ["", "—", "——", "-", "--", "–", "/", "无", "―"]


_NUMBER_RE = r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?$|^[+-]?\.\d+$"
_SEP = r"\s*([-/.年月日时分秒:T])\s*"
_DATE_RE = (
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[ T]?(\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?|时(?:(\d{1,2})分?(?:(\d{1,2})秒)?)?))?$"
)
_MONTH_RE = r"^(\d{4})[-/.年](\d{1,2})月?$"


@dataclass(frozen=True)
class Parsed:
    """A parsed column: ``struct`` holds fields value/blank/invalid (evaluate it once, e.g. into a
    temporary column, and use :meth:`of` on that column to avoid parsing twice)."""

    struct: pl.Expr

    @property
    def value(self) -> pl.Expr:  # parsed value, null when blank or invalid
        return self.struct.struct.field("value")

    @property
    def blank(self) -> pl.Expr:  # cell empty (or a zero token, for counts and amounts)
        return self.struct.struct.field("blank")

    @property
    def invalid(self) -> pl.Expr:  # cell holds something that is not a valid value
        return self.struct.struct.field("invalid")

    @staticmethod
    def of(column: str) -> Parsed:
        return Parsed(pl.col(column))


def _via_uniques(fn, dtype: pl.DataType):
    """Batch function: parse the distinct texts of a column once, map the results back.

    Registers repeat the same few texts (months, zero, region codes) a million times."""

    def batch(s: pl.Series) -> pl.Series:
        s = s.cast(pl.String)
        uniq = fn(pl.DataFrame({"s": s.unique()}))
        out = s.to_frame("s").join(uniq, on="s", how="left", nulls_equal=True, maintain_order="left")
        return out.select(pl.struct(pl.exclude("s")).alias(s.name)).to_series().cast(dtype)

    return batch


def _struct_type(value_dtype: pl.DataType) -> pl.Struct:
    return pl.Struct({"value": value_dtype, "blank": pl.Boolean, "invalid": pl.Boolean})


def _number_frame(df: pl.DataFrame, zero_tokens: bool, percent: bool) -> pl.DataFrame:
    df = df.with_columns(t=clean_text(pl.col("s")).str.replace_all(" ", ""))
    if percent:
        df = df.with_columns(t=pl.col("t").str.strip_suffix("%"))
    blank = pl.col("t").is_null()
    if zero_tokens:
        blank = blank | pl.col("t").is_in(ZERO_TOKENS)
    df = df.with_columns(blank=blank, ok=pl.col("t").str.contains(_NUMBER_RE).fill_null(False))
    df = df.with_columns(
        value=pl.when(~pl.col("blank") & pl.col("ok")).then(
            pl.col("t").str.replace_all(",", "").cast(pl.Float64, strict=False)
        ),
        invalid=~pl.col("blank") & ~pl.col("ok"),
    )
    return df.select("s", "value", "blank", "invalid")


# Registers write most timestamps one way; these parse directly (no regex groups), the rest —
# and anything these formats refuse — goes through the general parser below.
_CANONICAL_DATETIMES = (
    (r"^\d{4}-\d{2}-\d{2} (?:[01]\d|2[0-3]):[0-5]\d$", "%Y-%m-%d %H:%M"),
    (r"^\d{4}-\d{2}-\d{2} (?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d$", "%Y-%m-%d %H:%M:%S"),
    (r"^\d{4}-\d{2}-\d{2}$", "%Y-%m-%d"),
)


def _datetime_frame(df: pl.DataFrame) -> pl.DataFrame:
    """s -> value/blank/invalid; canonical texts take the direct route."""
    s = pl.col("s").cast(pl.String)
    direct = pl.lit(None, pl.Datetime("us"))
    for pattern, fmt in reversed(_CANONICAL_DATETIMES):
        direct = pl.when(s.str.contains(pattern)).then(
            s.str.to_datetime(fmt, strict=False, time_unit="us")
        ).otherwise(direct)
    df = df.with_columns(_direct=direct)
    ok = pl.col("_direct").is_not_null() & (pl.col("_direct").dt.year() >= 1900)
    fast = df.filter(ok).select(
        "s", value=pl.col("_direct"), blank=pl.lit(False), invalid=pl.lit(False)
    )
    rest = df.filter(~ok).drop("_direct")
    if rest.height == 0:
        return fast
    return pl.concat([fast, _datetime_frame_general(rest)])


def _datetime_frame_general(df: pl.DataFrame) -> pl.DataFrame:
    df = df.with_columns(t=clean_text(pl.col("s")).str.replace_all(_SEP, "$1"))
    df = df.with_columns(p=pl.col("t").str.extract_groups(_DATE_RE)).unnest("p")
    num = {str(i): pl.col(str(i)).cast(pl.Int32, strict=False) for i in range(4, 9)}
    df = df.with_columns(
        hh=num["4"].fill_null(0),
        mm=pl.coalesce(num["5"], num["7"]).fill_null(0),
        ss=pl.coalesce(num["6"], num["8"]).fill_null(0),
        day=pl.concat_str(
            [pl.col("1"), pl.col("2").str.zfill(2), pl.col("3").str.zfill(2)], separator="-"
        ).str.to_date("%Y-%m-%d", strict=False),
    )
    ok = (pl.col("hh") < 24) & (pl.col("mm") < 60) & (pl.col("ss") < 60)
    ok = ok & (pl.col("1").cast(pl.Int32, strict=False) >= 1900)
    df = df.with_columns(
        value=pl.when(ok).then(
            pl.col("day").cast(pl.Datetime("us"))
            + pl.duration(hours=pl.col("hh"), minutes=pl.col("mm"), seconds=pl.col("ss"))
        ),
        blank=pl.col("t").is_null(),
    )
    return df.with_columns(invalid=~pl.col("blank") & pl.col("value").is_null()).select(
        "s", "value", "blank", "invalid"
    )


def _month_frame(df: pl.DataFrame) -> pl.DataFrame:
    full = _datetime_frame(df).select("s", full=pl.col("value").dt.date().dt.month_start())
    df = df.join(full, on="s", how="left", nulls_equal=True)
    df = df.with_columns(t=clean_text(pl.col("s")).str.replace_all(_SEP, "$1"))
    df = df.with_columns(p=pl.col("t").str.extract_groups(_MONTH_RE)).unnest("p")
    mon = pl.concat_str([pl.col("1"), pl.col("2").str.zfill(2), pl.lit("01")], separator="-").str.to_date(
        "%Y-%m-%d", strict=False
    )
    df = df.with_columns(value=pl.coalesce(pl.col("full"), mon), blank=pl.col("t").is_null())
    return df.with_columns(invalid=~pl.col("blank") & pl.col("value").is_null()).select(
        "s", "value", "blank", "invalid"
    )


def _year_frame(df: pl.DataFrame) -> pl.DataFrame:
    df = df.with_columns(
        t=clean_text(pl.col("s")).str.replace_all(" ", "").str.strip_suffix("年").str.replace(r"\.0+$", "")
    )
    df = df.with_columns(
        value=pl.when(pl.col("t").str.contains(r"^\d{4}$")).then(pl.col("t").cast(pl.Int32, strict=False)),
        blank=pl.col("t").is_null(),
    )
    return df.with_columns(invalid=~pl.col("blank") & pl.col("value").is_null()).select(
        "s", "value", "blank", "invalid"
    )


def parse_number(e: pl.Expr, *, zero_tokens: bool = True, percent: bool = False) -> Parsed:
    """Numbers with full-width digits, thousands separators and spaces.

    With ``zero_tokens`` an empty cell or one of —, -, /, 无 is blank (the caller decides
    whether blank means 0). ``percent`` allows a trailing % sign.
    """
    dtype = _struct_type(pl.Float64)
    fn = _via_uniques(lambda df: _number_frame(df, zero_tokens, percent), dtype)
    return Parsed(e.map_batches(fn, return_dtype=dtype))


def parse_datetime(e: pl.Expr) -> Parsed:
    """Dates 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, Excel date cells (read as
    ``2024-03-05 00:00:00``), with an optional time 14:20 or 14时20分. Value: Datetime."""
    dtype = _struct_type(pl.Datetime("us"))
    return Parsed(e.map_batches(_via_uniques(_datetime_frame, dtype), return_dtype=dtype))


def parse_date(e: pl.Expr) -> Parsed:
    dtype = _struct_type(pl.Date)

    def frame(df: pl.DataFrame) -> pl.DataFrame:
        return _datetime_frame(df).with_columns(value=pl.col("value").dt.date())

    return Parsed(e.map_batches(_via_uniques(frame, dtype), return_dtype=dtype))


def parse_month(e: pl.Expr) -> Parsed:
    """A month: ``2024-03``, ``2024年3月`` or any date in it. Value: first day of the month."""
    dtype = _struct_type(pl.Date)
    return Parsed(e.map_batches(_via_uniques(_month_frame, dtype), return_dtype=dtype))


def parse_year(e: pl.Expr) -> Parsed:
    dtype = _struct_type(pl.Int32)
    return Parsed(e.map_batches(_via_uniques(_year_frame, dtype), return_dtype=dtype))


def parse_enum(e: pl.Expr, mapping: dict, dtype: pl.DataType = pl.String) -> Parsed:
    """A value from a closed list: the cell (cleaned, spaces removed) looked up in ``mapping``
    (spelling -> value). ``blank``: empty cell; ``invalid``: a text the list does not know."""
    sdtype = _struct_type(dtype)

    def frame(df: pl.DataFrame) -> pl.DataFrame:
        df = df.with_columns(t=clean_text(pl.col("s")).str.replace_all(" ", ""))
        df = df.with_columns(value=pl.col("t").replace_strict(mapping, default=None, return_dtype=dtype))
        return df.select(
            "s", "value", blank=pl.col("t").is_null(),
            invalid=pl.col("t").is_not_null() & pl.col("value").is_null(),
        )

    return Parsed(e.map_batches(_via_uniques(frame, sdtype), return_dtype=sdtype))


# --------------------------------------------------------------------------- regions

_STRIP_SUFFIXES = ("市", "区", "县")
_GENERIC_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@dataclass(frozen=True)
class RegionIndex:
    codes: pl.DataFrame  # region_code, level (county/prefecture units only)
    names: pl.DataFrame  # name_key, n_candidates, name_code, candidates_zh, candidates_en


@lru_cache(maxsize=4)
def region_index(path: str = str(REGIONS_CSV)) -> RegionIndex:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_code = {r["region_code"]: r for r in rows}

    def label(r: dict) -> str:
        chain = [r["region_name"]]
        p = by_code.get(r["parent_code"])
        while p is not None and p["level"] in ("prefecture", "province"):
            if p["region_name"] not in _GENERIC_NAMES:
                chain.append(p["region_name"])
            p = by_code.get(p["parent_code"])
        return "".join(reversed(chain))

    units = [r for r in rows if r["level"] in ("county", "prefecture")]
    keys: dict[str, dict[str, str]] = {}
    for r in units:
        name = r["region_name"]
        if name in _GENERIC_NAMES:
            continue
        cand = {name}
        if name.endswith(_STRIP_SUFFIXES) and len(name) >= 3:
            cand.add(name[:-1])
        parent = by_code.get(r["parent_code"])
        if (
            parent is not None
            and parent["level"] == "prefecture"
            and parent["region_name"] not in _GENERIC_NAMES
        ):
            cand.add(parent["region_name"] + name)
        for k in cand:
            keys.setdefault(k, {})[r["region_code"]] = f"{r['region_code']} {label(r)}"
    names = pl.DataFrame(
        {
            "name_key": list(keys),
            "n_candidates": [len(v) for v in keys.values()],
            "name_code": [next(iter(v)) if len(v) == 1 else None for v in keys.values()],
            "candidates": ["；".join(sorted(v.values())) for v in keys.values()],
        },
        schema={
            "name_key": pl.String,
            "n_candidates": pl.Int32,
            "name_code": pl.String,
            "candidates": pl.String,
        },
    )
    # a prefecture-level city without counties is listed twice (prefecture and county): one row
    levels: dict[str, str] = {}
    for r in units:
        levels.setdefault(r["region_code"], r["level"])
    codes = pl.DataFrame({"region_code": list(levels), "level": list(levels.values())})
    return RegionIndex(codes=codes, names=names)


def clean_region_code(e: pl.Expr) -> pl.Expr:
    """Code text as written: full-width digits, spaces and an Excel ``.0`` removed."""
    return clean_text(e).str.replace_all(" ", "").str.replace(r"^(\d{6})\.0+$", "$1")


def clean_region_name(e: pl.Expr) -> pl.Expr:
    return clean_text(e).str.replace_all(" ", "")


def resolve_regions(
    df: pl.DataFrame, code_col: str | None, name_col: str | None, index: RegionIndex | None = None
) -> pl.DataFrame:
    """Add ``_rcode`` (resolved code or null), ``_rfrom_name`` (bool), ``_rerr`` (error code:
    missing_region, unknown_region_code, unknown_region_name, ambiguous_region_name or null),
    ``_rcands`` (candidate list for ambiguous names) and ``_rname`` (the name cell, cleaned).

    Resolved once per distinct (code, name) pair, then joined back: a register repeats a few
    thousand pairs over a million rows."""
    idx = index or region_index()
    keys = [c for c in (code_col, name_col) if c]
    if not keys:
        return _resolve_pairs(df, None, None, idx)
    pairs = _resolve_pairs(df.select(keys).unique(), code_col, name_col, idx)
    return df.join(pairs, on=keys, how="left", nulls_equal=True, maintain_order="left")


def _resolve_pairs(
    df: pl.DataFrame, code_col: str | None, name_col: str | None, idx: RegionIndex
) -> pl.DataFrame:
    code = clean_region_code(pl.col(code_col)) if code_col else pl.lit(None, pl.String)
    name = clean_region_name(pl.col(name_col)) if name_col else pl.lit(None, pl.String)
    out = df.with_columns(
        _rc_in=code, _rn_in=name, _rname=clean_text(pl.col(name_col)) if name_col else pl.lit(None, pl.String)
    )
    out = out.join(idx.codes.select(_rc_in="region_code", _rc_ok=pl.lit(True)), on="_rc_in", how="left")
    out = out.join(
        idx.names.rename(
            {"name_key": "_rn_in", "n_candidates": "_rn_n", "name_code": "_rn_code", "candidates": "_rcands"}
        ),
        on="_rn_in",
        how="left",
    )
    has_code = pl.col("_rc_in").is_not_null()
    has_name = pl.col("_rn_in").is_not_null()
    out = out.with_columns(
        _rcode=pl.when(has_code & pl.col("_rc_ok").fill_null(False))
        .then(pl.col("_rc_in"))
        .when(~has_code & (pl.col("_rn_n") == 1))
        .then(pl.col("_rn_code")),
        _rfrom_name=~has_code & (pl.col("_rn_n") == 1).fill_null(False),
        _rerr=pl.when(has_code & ~pl.col("_rc_ok").fill_null(False))
        .then(pl.lit("unknown_region_code"))
        .when(~has_code & ~has_name)
        .then(pl.lit("missing_region"))
        .when(~has_code & pl.col("_rn_n").is_null())
        .then(pl.lit("unknown_region_name"))
        .when(~has_code & (pl.col("_rn_n") > 1))
        .then(pl.lit("ambiguous_region_name")),
    )
    return out.drop("_rc_ok", "_rn_n", "_rn_code")
