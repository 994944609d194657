"""One normalisation for every cell the loaders compare: keys, codes, numbers, dates, lists, headers.

Units type the same text many ways: full-width digits and letters (``３６０２８１``, ``ＳＹ``), ideographic
and non-breaking spaces, zero-width characters and direction marks pasted from web pages and chat
(U+200B, U+202E), a byte-order mark in the middle of a cell, stray control characters. Two cells that
look the same to a person must compare equal, so every compared cell goes through :func:`clean_text`:

- full-width ASCII (U+FF01–U+FF5E) → ASCII, e.g. ``３`` → ``3``, ``Ａ`` → ``A``, ``（`` → ``(``;
- every kind of space (ideographic, non-breaking, tab, line break …) → one space, runs collapsed,
  surrounding spaces trimmed;
- invisible characters removed: zero-width spaces and joiners, direction marks and overrides, the BOM,
  the soft hyphen, and control characters.

Free text (事故简况, 单位名称) keeps its full-width punctuation: :func:`clean_free_text` only removes the
invisible characters and trims. :func:`printable` shows a name (a file name, a sheet name) with its
invisible and control characters made visible (``\\u202e``), for messages, terminals and HTML
(defined in :mod:`pipelines.visible`, re-exported here).

Everything here is a polars expression (vectorised) except the two helpers for single names.
"""

from __future__ import annotations

import polars as pl

from pipelines.visible import INVISIBLE, printable, printable_expr

# full-width ASCII -> ASCII
_FULL_WIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
# spaces that are not U+0020
_SPACES = ["\u00a0", "\u1680", *map(chr, range(0x2000, 0x200B)), "\u2028", "\u2029", "\u202f", "\u205f",
           "\u3000", "\t", "\n", "\r", "\x0b", "\x0c"]
_FOLD: dict[str, str] = {**_FULL_WIDTH, **dict.fromkeys(_SPACES, " "), **dict.fromkeys(INVISIBLE, "")}
_FOLD_TABLE = str.maketrans(_FOLD)
_FOLD_FROM = pl.lit(pl.Series(list(_FOLD), dtype=pl.String)).implode()
_FOLD_TO = pl.lit(pl.Series(list(_FOLD.values()), dtype=pl.String)).implode()
_INVISIBLE_FROM = pl.lit(pl.Series(INVISIBLE, dtype=pl.String)).implode()
_INVISIBLE_TO = pl.lit(pl.Series([""] * len(INVISIBLE), dtype=pl.String)).implode()
_SURROUNDING_SPACE = "".join([" ", *_SPACES])


def _char_class(chars) -> str:
    return "[" + "".join(f"\\x{{{ord(c):x}}}" for c in chars) + "]"


_NEEDS_FOLD = _char_class(_FOLD)
_HAS_INVISIBLE = _char_class(INVISIBLE)


def _fold_series(s: pl.Series) -> pl.Series:
    return s.str.replace_many(_FOLD_FROM, _FOLD_TO)


def _only_where(s: pl.Series, pattern: str, fn) -> pl.Series:
    """fn applied to the cells matching pattern alone: most cells are plain, and a regex test is
    several times cheaper than the replacement."""
    hit = s.str.contains(pattern).fill_null(False)
    if not hit.any():
        return s
    at = hit.arg_true()
    return s.clone().scatter(at, fn(s.gather(at)))


def _empty_to_null(s: pl.Series) -> pl.Series:
    return s.to_frame("s").select(pl.when(pl.col("s").str.len_bytes() > 0).then(pl.col("s"))).to_series()


def _clean_series(s: pl.Series) -> pl.Series:
    s = _only_where(s.cast(pl.String), _NEEDS_FOLD, _fold_series)
    if s.str.contains("  ", literal=True).any():
        s = s.str.replace_all(" {2,}", " ")
    return _empty_to_null(s.str.strip_chars(" "))


def _clean_free_series(s: pl.Series) -> pl.Series:
    s = _only_where(s.cast(pl.String), _HAS_INVISIBLE,
                    lambda t: t.str.replace_many(_INVISIBLE_FROM, _INVISIBLE_TO))
    return _empty_to_null(s.str.strip_chars(_SURROUNDING_SPACE))


def fold(e: pl.Expr) -> pl.Expr:
    """Full-width ASCII to ASCII, every space to U+0020, invisible characters removed (no trimming)."""
    return e.cast(pl.String).str.replace_many(_FOLD_FROM, _FOLD_TO)


def clean_text(e: pl.Expr) -> pl.Expr:
    """:func:`fold`, space runs collapsed, trimmed; an empty result is null. For every cell that is
    compared or parsed: keys, codes, numbers, dates, list values."""
    return e.map_batches(_clean_series, return_dtype=pl.String)


def clean_free_text(e: pl.Expr) -> pl.Expr:
    """Prose (事故简况, 单位名称): invisible characters removed, surrounding spaces trimmed, nothing else
    changed; an empty result is null."""
    return e.map_batches(_clean_free_series, return_dtype=pl.String)


def fold_str(text: str) -> str:
    """:func:`fold` for one Python string (header cells)."""
    return text.translate(_FOLD_TABLE)


__all__ = ["clean_free_text", "clean_text", "fold", "fold_str", "printable", "printable_expr"]
