"""Names and text shown to people, with nothing hidden: invisible and control characters written out.

File names, sheet names and cells come from users' files. ESC sequences would recolour or rewrite a
terminal; direction overrides (U+202E) reorder what a page or a log shows (``报表\u202excsl.exe``);
zero-width characters make two different names look the same. :func:`printable` writes every such
character as ``\\u202e`` wherever a name is shown: messages, the command line, HTML, Dagster.
The data itself keeps its characters (the loaders' normalisation is in ``pipelines.ingest.normalise``).
"""

from __future__ import annotations

import polars as pl

# invisible: zero-width, direction marks / embeddings / overrides / isolates, BOM, soft hyphen, word
# joiner and invisible operators, Mongolian vowel separator, C0 and C1 controls, DEL
INVISIBLE = sorted(
    {"\u00ad", "\u180e", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\ufeff"}
    | set(map(chr, range(0x202A, 0x202F)))
    | set(map(chr, range(0x2060, 0x2065)))
    | set(map(chr, range(0x2066, 0x206A)))
    | {chr(c) for c in range(0x00, 0x20) if chr(c) not in "\t\n\r\x0b\x0c"}
    | {"\x7f"}
    | set(map(chr, range(0x80, 0xA0)))
)

# in names, line breaks and tabs are shown too (a name is one line of a log or a table)
_HIDDEN_IN_NAMES = INVISIBLE + ["\t", "\n", "\r", "\x0b", "\x0c", "\u2028", "\u2029"]
_ESCAPED = [f"\\u{ord(c):04x}" for c in _HIDDEN_IN_NAMES]
_ESCAPE_TABLE = str.maketrans(dict(zip(_HIDDEN_IN_NAMES, _ESCAPED, strict=True)))


def printable(name: str) -> str:
    """A name as it may be shown in a message, a terminal or a page: invisible and control characters
    written out (``\\u202e``, ``\\u001b``) so that nothing can hide, reorder or recolour text."""
    return name.translate(_ESCAPE_TABLE)


def printable_lines(text: str) -> str:
    """:func:`printable` line by line: a message's own line breaks are kept."""
    return "\n".join(printable(line) for line in str(text).split("\n"))


def printable_expr(e: pl.Expr) -> pl.Expr:
    """:func:`printable` as a polars expression."""
    return e.str.replace_many(
        pl.lit(pl.Series(_HIDDEN_IN_NAMES, dtype=pl.String)).implode(),
        pl.lit(pl.Series(_ESCAPED, dtype=pl.String)).implode(),
    )


__all__ = ["INVISIBLE", "printable", "printable_expr", "printable_lines"]
