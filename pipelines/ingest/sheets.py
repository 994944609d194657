"""A file's content as text cells: its data sheets (one for a CSV), each with its header row
located and its columns matched to the source's contract (``contracts.py``: names, aliases,
units). The readers (``xlsx_reader.py``, ``csv_reader.py``) find the rows; this module decides
which row is the header and refuses a file whose header the contract cannot use.

Everything is read as text; parsing happens later, vectorised. Row numbers are those a
spreadsheet user sees (1-based, title rows counted).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines.ingest.columns import SourceSpec
from pipelines.ingest.errors import FileRejected
from pipelines.ingest.headers import HeaderMatch, match_header

HEADER_SCAN_ROWS = 60
BATCH_ROWS = 100_000
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class SheetData:
    sheet_name: str | None  # None for CSV
    headers: list[str | None]  # header text as written, per column c0..c{n-1}
    matches: list[HeaderMatch | None]
    header_row_number: int  # 1-based row of the (last) header row
    data: pl.DataFrame | None  # c0..c{n-1} as String, plus _row (Int32); None: read in batches
    encoding: str | None = None
    lazy: pl.LazyFrame | None = None  # CSV: scanned in batches of BATCH_ROWS rows
    cleanup: Path | None = None  # temporary transcoded copy, removed after reading
    file_name: str = ""
    # CSV: the first lines after the header hold cells, so reading no row at all means polars
    # failed quietly (it does, on a malformed first data row) and the file must not load as empty
    expects_rows: bool = False

    def batches(self, size: int | None = None) -> Iterator[pl.DataFrame]:
        """The data rows in batches (bounded memory for large CSV files)."""
        size = size or BATCH_ROWS
        if self.data is not None:
            for start in range(0, max(self.data.height, 1), size):
                yield self.data.slice(start, size)
            return
        assert self.lazy is not None
        try:
            offset = 0
            while True:  # slices of the scan: bounded memory (collect_batches reads ahead)
                batch = self.lazy.slice(offset, size).collect()
                if batch.height == 0:
                    break
                offset += batch.height
                yield batch.with_columns(pl.col("_row").cast(pl.Int32))
                if batch.height < size:
                    break
            if offset == 0 and self.expects_rows:
                raise ValueError("the lines after the header hold cells, but no row could be parsed")
        except FileRejected:
            raise
        except Exception as exc:  # noqa: BLE001 - a malformed CSV body
            raise FileRejected(
                "unreadable_csv",
                f"文件 {self.file_name} 无法按 CSV 格式读取：{exc}",
                f"file {self.file_name} cannot be read as CSV: {exc}",
            ) from exc
        finally:
            if self.cleanup is not None:
                self.cleanup.unlink(missing_ok=True)


@dataclass
class FileContent:
    """What a file gave: its data sheets, and notes for the load report (sheets skipped …)."""

    sheets: list[SheetData]
    notes_zh: list[str] = field(default_factory=list)
    notes_en: list[str] = field(default_factory=list)


def cell_text(v) -> str | None:
    if v is None:
        return None
    s = str(v)
    return s if s.strip() else None


def _combine(spec: SourceSpec, top: list[str | None], sub: list[str | None]) -> list[str | None]:
    out: list[str | None] = []
    for a, b in zip(top, sub, strict=True):
        if b is None:
            out.append(a)
            continue
        choices = [b, (a or "") + b, a] if a is not None else [b]
        pick = next((c for c in choices if c is not None and match_header(spec, c)), None)
        out.append(pick if pick is not None else (b if a is None else a))
    return out


def _satisfies(spec: SourceSpec, headers: list[str | None]) -> tuple[bool, int]:
    matched = {m.col.name for h in headers if (m := match_header(spec, h))}
    need = {c.name for c in spec.columns if c.detect}
    return need <= matched, len(matched)


class ScannedRows:
    """The first rows of a sheet as read; each row's cells are normalised (:func:`_cell`) and
    padded to the widest row when first looked at — the header is usually in the first rows."""

    def __init__(self, raw: list) -> None:
        self.raw = raw
        self.width = max((len(r) for r in raw), default=0)
        self._rows: dict[int, list[str | None]] = {}

    def __len__(self) -> int:
        return len(self.raw)

    def __getitem__(self, i: int) -> list[str | None]:
        if i not in self._rows:
            r = self.raw[i]
            self._rows[i] = [cell_text(v) for v in r] + [None] * (self.width - len(r))
        return self._rows[i]


def find_header(spec: SourceSpec, rows: list) -> tuple[int, int, list[str | None]] | None:
    """(index of the first header row, number of header rows, combined headers) or None."""
    rows = rows if isinstance(rows, ScannedRows) else ScannedRows(rows)
    for i in range(len(rows)):
        row = rows[i]
        ok, n = _satisfies(spec, row)
        if n == 0:
            continue
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if nxt is not None and any(match_header(spec, v) for v in nxt if v is not None):
            comb = _combine(spec, row, nxt)  # the next row is a sub-header
            ok2, n2 = _satisfies(spec, comb)
            if ok2 and (not ok or n2 > n):
                return i, 2, comb
        if ok:
            return i, 1, list(row)
    return None


def best_partial_header(spec: SourceSpec, rows: list) -> tuple[int, list[str | None]] | None:
    """The row that looks most like a header (at least 3 of the source's columns) when no row has
    every header-detecting column: (index, headers), to say which columns are missing."""
    rows = rows if isinstance(rows, ScannedRows) else ScannedRows(rows)
    best: tuple[int, int, list[str | None]] | None = None
    for i in range(len(rows)):
        row = rows[i]
        n = len({m.col.name for h in row if (m := match_header(spec, h))})
        if n >= 3 and (best is None or n > best[1]):
            best = (i, n, list(row))
    return None if best is None else (best[0], best[2])


def check_mandatory(
    spec: SourceSpec, file_name: str, sheet: str | None, row_no: int, matches: list[HeaderMatch | None]
) -> None:
    present = {m.col.name for m in matches if m}
    missing = [c.header for c in spec.columns if (c.mandatory or c.detect) and c.name not in present]
    if "region_code" not in present and "region_name" not in present:
        missing.append("行政区划代码")
    if missing:
        where_zh = f"文件 {file_name}" + (f" 工作表 {sheet}" if sheet else "") + f" 第 {row_no} 行的表头"
        where_en = f"file {file_name}" + (f", sheet {sheet}" if sheet else "") + f", header row {row_no}"
        raise FileRejected(
            "missing_columns",
            f"{where_zh}缺少必需的列：{'、'.join(missing)}",
            f"{where_en}: required columns missing: {', '.join(missing)}",
        )


def no_header(spec: SourceSpec, file_name: str, extra_zh: str = "", extra_en: str = "") -> FileRejected:
    need = [c.header for c in spec.columns if c.detect]
    return FileRejected(
        "no_header_row",
        f"文件 {file_name} 中未找到表头行：应有一行包含 {'、'.join(need)}{extra_zh}",
        f"file {file_name}: no header row found; expected a row containing {', '.join(need)}{extra_en}",
    )


def unique_matches(headers: list[str | None], spec: SourceSpec) -> list[HeaderMatch | None]:
    """Match headers; a column named twice keeps its first occurrence (used only to say which
    columns are missing: a header row that names a column twice is refused by _check_duplicates)."""
    seen: set[str] = set()
    out: list[HeaderMatch | None] = []
    for h in headers:
        m = match_header(spec, h)
        if m and m.col.name in seen:
            m = None
        if m:
            seen.add(m.col.name)
        out.append(m)
    return out


def _check_duplicates(
    spec: SourceSpec, file_name: str, sheet: str | None, row_no: int, headers: list[str | None]
) -> None:
    """A header row naming one column twice (死亡人数 twice, or 死亡人数 and its alias 死亡) is
    ambiguous: which cells are the deaths? The file is refused rather than one column guessed."""
    positions: dict[str, list[int]] = {}
    for i, h in enumerate(headers):
        if (m := match_header(spec, h)) is not None:
            positions.setdefault(m.col.name, []).append(i)
    twice = {name: at for name, at in positions.items() if len(at) > 1}
    if not twice:
        return
    where_zh = f"文件 {file_name}" + (f" 工作表 {sheet}" if sheet else "") + f" 第 {row_no} 行的表头中"
    where_en = f"file {file_name}" + (f", sheet {sheet}" if sheet else "") + f", header row {row_no}"
    zh = "；".join(
        f"“{spec.col(n).header}”出现 {len(at)} 次（"
        + "、".join(f"第 {i + 1} 列“{headers[i]}”" for i in at) + "）"
        for n, at in twice.items()
    )
    en = "; ".join(
        f"{spec.col(n).header} appears {len(at)} times ("
        + ", ".join(f"column {i + 1} '{headers[i]}'" for i in at) + ")"
        for n, at in twice.items()
    )
    raise FileRejected(
        "duplicate_columns",
        f"{where_zh}{zh}，无法确定使用哪一列；请删除或改名多余的列",
        f"{where_en}: {en}; cannot tell which one to use. Remove or rename the extra column",
    )


def check_header(
    spec: SourceSpec, file_name: str, sheet: str | None, row_no: int, headers: list[str | None]
) -> list[HeaderMatch | None]:
    matches = unique_matches(headers, spec)
    check_mandatory(spec, file_name, sheet, row_no, matches)
    _check_duplicates(spec, file_name, sheet, row_no, headers)
    return matches
