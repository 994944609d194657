"""What the workbook reader does not say: which sheets are hidden, and which cells hold a formula
without a saved result or an error value.

fastexcel (calamine) reads a formula cell without a cached value as empty, and an error value
(``#DIV/0!``) as empty too. An empty count is 0 deaths: these cells must be rejected with a reason,
not read as blanks. This module reads the sheet's XML (an .xlsx is a zip of XML parts) for those
facts only; the values themselves come from fastexcel, whose columns start at the sheet's first
non-empty column (rows, read with ``skip_rows=0``, start at row 1).

Per-cell Python work happens only for formula and error cells, which are few; the rest is a byte
search over the sheet's XML.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# a cell element with content (not self-closing): its reference and its inner XML
_CELL = re.compile(rb'<c\b([^>/]*)>(.*?)</c>', re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_TYPE = re.compile(rb'\bt="([a-zA-Z]+)"')
_HAS_VALUE = re.compile(rb"<v>[^<]|<v\s[^>]*>[^<]|<is>")
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.S)
_ERROR_VALUE = re.compile(rb"<v>([^<]*)</v>")


@dataclass(frozen=True)
class ProblemCell:
    """A cell that holds no usable value although it is not empty in the workbook."""

    row: int  # 1-based, as Excel shows it
    column: int  # 0-based offset from the sheet's first column with a value (fastexcel's c0)
    kind: str  # "formula_without_value" or "error_value"
    text: str  # the formula (=SUM(B2:B4)) or the error value (#DIV/0!)


@dataclass(frozen=True)
class SheetFacts:
    name: str
    visibility: str  # visible / hidden / veryHidden
    problems: tuple[ProblemCell, ...]


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


def _unescape(text: bytes) -> str:
    s = text.decode("utf-8", errors="replace")
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace(
        "&amp;", "&"
    )


def _sheet_parts(z: zipfile.ZipFile) -> list[tuple[str, str, str]]:
    """(sheet name, visibility, zip member of its XML) in workbook order."""
    book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rels_xml = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") or "" for r in rels_xml.iter(f"{_PKG_REL}Relationship")}
    out = []
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target)
        )
        out.append((sheet.get("name") or "", sheet.get("state") or "visible", member))
    return out


def _first_value_position(xml: bytes) -> tuple[int, int] | None:
    """(first row, first column) of the cells holding a value: fastexcel's column c0 is that column."""
    first_row = None
    first_col = None
    for m in _CELL.finditer(xml):
        if not _HAS_VALUE.search(m.group(2)):
            continue
        ref = _REF.search(m.group(1))
        if ref is None:
            return None
        row, col = int(ref.group(2)), _col_index(ref.group(1))
        first_row = row if first_row is None else min(first_row, row)
        first_col = col if first_col is None else min(first_col, col)
    return None if first_row is None else (first_row, first_col)


def _problems(xml: bytes) -> tuple[ProblemCell, ...]:
    if b"<f" not in xml and b't="e"' not in xml:
        return ()
    position = _first_value_position(xml)
    first_col = position[1] if position else 0
    found = []
    for m in _CELL.finditer(xml):
        attrs, inner = m.group(1), m.group(2)
        formula = _FORMULA.search(inner)
        is_error = _TYPE.search(attrs) is not None and _TYPE.search(attrs).group(1) == b"e"
        if formula is None and not is_error:
            continue
        ref = _REF.search(attrs)
        if ref is None:
            continue
        row, col = int(ref.group(2)), _col_index(ref.group(1)) - first_col
        if is_error:
            value = _ERROR_VALUE.search(inner)
            found.append(ProblemCell(row, col, "error_value", _unescape(value.group(1)) if value else "#?"))
        elif not _HAS_VALUE.search(inner):
            text = _unescape(formula.group(1) or b"") if formula.group(1) else "(共享公式 shared formula)"
            found.append(ProblemCell(row, col, "formula_without_value", "=" + text.lstrip("=")))
    return tuple(found)


def workbook_facts(path: Path) -> list[SheetFacts]:
    """Every sheet's visibility and problem cells, in workbook order. Raises
    zipfile.BadZipFile / KeyError / ElementTree.ParseError on a damaged workbook."""
    with zipfile.ZipFile(path) as z:
        out = []
        for name, state, member in _sheet_parts(z):
            try:
                xml = z.read(member)
            except KeyError:
                out.append(SheetFacts(name, state, ()))
                continue
            out.append(SheetFacts(name, state, _problems(xml)))
        return out


__all__ = ["ProblemCell", "SheetFacts", "workbook_facts"]
