"""Reading a file into text cells: workbook sheets or CSV, with its header row located.

Everything is read as text; parsing happens later, vectorised. Row numbers are those a
spreadsheet user sees (1-based, title rows counted).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import polars as pl

from pipelines.ingest.contracts import HeaderMatch, SourceSpec, match_header, normalize_header
from pipelines.ingest.errors import FileRejected

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


def _cell(v) -> str | None:
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


class _ScannedRows:
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
            self._rows[i] = [_cell(v) for v in r] + [None] * (self.width - len(r))
        return self._rows[i]


def find_header(spec: SourceSpec, rows: list) -> tuple[int, int, list[str | None]] | None:
    """(index of the first header row, number of header rows, combined headers) or None."""
    rows = rows if isinstance(rows, _ScannedRows) else _ScannedRows(rows)
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
    rows = rows if isinstance(rows, _ScannedRows) else _ScannedRows(rows)
    best: tuple[int, int, list[str | None]] | None = None
    for i in range(len(rows)):
        row = rows[i]
        n = len({m.col.name for h in row if (m := match_header(spec, h))})
        if n >= 3 and (best is None or n > best[1]):
            best = (i, n, list(row))
    return None if best is None else (best[0], best[2])


def _check_mandatory(
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


def _no_header(spec: SourceSpec, file_name: str, extra_zh: str = "", extra_en: str = "") -> FileRejected:
    need = [c.header for c in spec.columns if c.detect]
    return FileRejected(
        "no_header_row",
        f"文件 {file_name} 中未找到表头行：应有一行包含 {'、'.join(need)}{extra_zh}",
        f"file {file_name}: no header row found; expected a row containing {', '.join(need)}{extra_en}",
    )


def _unique_matches(headers: list[str | None], spec: SourceSpec) -> list[HeaderMatch | None]:
    """Match headers; a column named twice keeps its first occurrence (later ones are extras)."""
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


# --------------------------------------------------------------------------- xlsx


def read_xlsx(path: Path, file_name: str, spec: SourceSpec) -> list[SheetData]:
    with open(path, "rb") as fh:
        head = fh.read(8)
    if not head:
        raise FileRejected(
            "empty_file", f"文件 {file_name} 为空（0 字节）", f"file {file_name} is empty (0 bytes)"
        )
    if head.startswith(OLE2_MAGIC):
        raise FileRejected(
            "password_protected",
            f"文件 {file_name} 是加密（受密码保护）的工作簿或旧版 .xls 文件（OLE2 复合文档），无法读取；"
            "请取消密码并另存为 .xlsx",
            f"file {file_name} is a password-protected (encrypted) workbook or a legacy .xls file "
            "(OLE2 compound document) and cannot be read; remove the password and save it as .xlsx",
        )
    if not head.startswith(ZIP_MAGIC):
        raise FileRejected(
            "not_a_workbook",
            f"文件 {file_name} 的扩展名为 .xlsx，但内容不是 Excel 工作簿",
            f"file {file_name} has an .xlsx name but is not an Excel workbook",
        )
    try:
        reader = fastexcel.read_excel(str(path))
        names = reader.sheet_names
    except Exception as exc:  # noqa: BLE001 - any reader failure means an unreadable workbook
        raise FileRejected(
            "not_a_workbook",
            f"文件 {file_name} 无法作为 Excel 工作簿读取（文件损坏？）：{exc}",
            f"file {file_name} cannot be read as an Excel workbook (corrupt?): {exc}",
        ) from exc
    out: list[SheetData] = []
    partial: tuple[str, int, list[str | None]] | None = None  # sheet, header row index, headers
    for name in names:
        try:
            sheet = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
        except Exception as exc:  # noqa: BLE001
            raise FileRejected(
                "not_a_workbook",
                f"文件 {file_name} 工作表 {name} 无法读取：{exc}",
                f"file {file_name}, sheet {name} cannot be read: {exc}",
            ) from exc
        if sheet.width == 0 or sheet.height == 0:
            continue
        df = sheet.to_polars()
        df = df.rename({c: f"c{i}" for i, c in enumerate(df.columns)})
        scan = _ScannedRows(list(df.head(HEADER_SCAN_ROWS).iter_rows()))
        found = find_header(spec, scan)
        if found is None:
            if partial is None and (near := best_partial_header(spec, scan)) is not None:
                partial = (name, near[0], near[1])
            continue
        idx, nhdr, headers = found
        matches = _unique_matches(headers, spec)
        _check_mandatory(spec, file_name, name, idx + nhdr, matches)
        data = df.slice(idx + nhdr).with_columns(
            _row=pl.int_range(idx + nhdr + 1, idx + nhdr + 1 + df.height - idx - nhdr, dtype=pl.Int32)
        )
        out.append(SheetData(name, headers, matches, idx + nhdr, data))
    if not out:
        if partial is not None:  # a header row lacking a column used to find it: say which
            sheet_name, idx, headers = partial
            _check_mandatory(spec, file_name, sheet_name, idx + 1, _unique_matches(headers, spec))
        raise _no_header(spec, file_name)
    return out


# --------------------------------------------------------------------------- csv


GB18030_AFTER_BOM = "gb18030-after-utf8-bom"


PREFIX_CHARS = 256 * 1024  # the text the header is looked for in


def detect_encoding(path: Path, file_name: str) -> str:
    """'utf-8-sig', 'utf-8', 'gb18030', or GB18030_AFTER_BOM (GBK/GB18030 bytes behind a wrong UTF-8
    BOM, as some tools write); anything else rejects the file."""
    return _detect_encoding(path, file_name)[0]


def _binary(file_name: str) -> FileRejected:
    return FileRejected(
        "not_a_text_file",
        f"文件 {file_name} 的扩展名为 .csv，但内容是二进制数据，不是文本",
        f"file {file_name} has a .csv name but holds binary data, not text",
    )


def _detect_encoding(path: Path, file_name: str) -> tuple[str, str | None]:
    """(encoding, the file's first PREFIX_CHARS characters when the whole file was read in one
    go, else None)."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 20)  # most files: all of it
    if not head:
        raise FileRejected(
            "empty_file", f"文件 {file_name} 为空（0 字节）", f"file {file_name} is empty (0 bytes)"
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRejected(
            "unsupported_encoding",
            f"文件 {file_name} 为 UTF-16 编码，不受支持：请另存为 UTF-8 或 GB18030 编码的 CSV",
            f"file {file_name} is UTF-16 encoded, which is not supported; save it as UTF-8 or GB18030 CSV",
        )
    bom = head.startswith(codecs.BOM_UTF8)
    if len(head) < 1 << 20:  # the whole file is read: try UTF-8 in one go
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError:
            pass  # GB18030 (or neither): below
        else:
            if "\x00" in text:
                raise _binary(file_name)
            return "utf-8-sig" if bom else "utf-8", (text[1:] if bom else text)[:PREFIX_CHARS]
    for enc in ("utf-8", "gb18030"):
        dec = codecs.getincrementaldecoder(enc)(errors="strict")
        try:
            with open(path, "rb") as fh:
                if bom and enc == "gb18030":
                    fh.seek(len(codecs.BOM_UTF8))  # a UTF-8 BOM in front of GBK bytes: a wrong BOM
                while block := fh.read(1 << 20):
                    if "\x00" in dec.decode(block):
                        raise _binary(file_name)
                dec.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        if enc == "utf-8":
            return "utf-8-sig" if bom else "utf-8", None
        return GB18030_AFTER_BOM if bom else enc, None
    raise FileRejected(
        "unknown_encoding",
        f"文件 {file_name} 的编码无法识别：既不是有效的 UTF-8，也不是有效的 GB18030/GBK",
        f"file {file_name}: unknown text encoding; it is neither valid UTF-8 nor valid GB18030/GBK",
    )


def _transcode(path: Path, enc: str) -> Path:
    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="em_ingest_")
    skip = len(codecs.BOM_UTF8) if enc == GB18030_AFTER_BOM else 0
    dec = codecs.getincrementaldecoder("gb18030" if skip else enc)(errors="strict")
    with os.fdopen(fd, "wb") as out, open(path, "rb") as fh:
        fh.seek(skip)
        while block := fh.read(1 << 20):
            out.write(dec.decode(block).encode("utf-8"))
        out.write(dec.decode(b"", final=True).encode("utf-8"))
    return Path(tmp)


def _read_prefix(path: Path, enc: str) -> str:
    """The file's first PREFIX_CHARS characters, in which the header is looked for."""
    if enc == GB18030_AFTER_BOM:
        with open(path, "rb") as fh:
            fh.seek(len(codecs.BOM_UTF8))
            return codecs.getincrementaldecoder("gb18030")(errors="replace").decode(fh.read(PREFIX_CHARS))
    with open(path, encoding=enc, newline="") as fh:
        return fh.read(PREFIX_CHARS)


def read_csv(path: Path, file_name: str, spec: SourceSpec) -> list[SheetData]:
    enc, prefix = _detect_encoding(path, file_name)
    enc_label = "GB18030（文件开头有多余的 UTF-8 BOM）" if enc == GB18030_AFTER_BOM else enc
    if prefix is None:  # not read while detecting the encoding
        prefix = _read_prefix(path, enc)
    found = None
    for delim in (",", "\t", ";"):
        reader = csv.reader(io.StringIO(prefix), delimiter=delim)
        records = _ScannedRows(list(itertools.islice(reader, HEADER_SCAN_ROWS)))
        found = find_header(spec, records)
        if found is not None:
            break
    if found is None:
        for delim in (",", "\t", ";"):  # a header row lacking a column used to find it: say which
            reader = csv.reader(io.StringIO(prefix), delimiter=delim)
            records = _ScannedRows(list(itertools.islice(reader, HEADER_SCAN_ROWS)))
            if (near := best_partial_header(spec, records)) is not None:
                _check_mandatory(spec, file_name, None, near[0] + 1, _unique_matches(near[1], spec))
        raise _no_header(
            spec, file_name, f"（编码识别为 {enc_label}）", f" (encoding detected as {enc_label})"
        )
    idx, nhdr, headers = found
    width = max(len(headers), records.width)
    headers = list(headers) + [None] * (width - len(headers))
    matches = _unique_matches(headers, spec)
    _check_mandatory(spec, file_name, None, idx + nhdr, matches)
    src = path if enc in ("utf-8", "utf-8-sig") else _transcode(path, enc)
    start = idx + nhdr + 1
    lazy = pl.scan_csv(
        src,
        has_header=False,
        separator=delim,
        skip_rows=idx + nhdr,
        schema={f"c{i}": pl.String for i in range(width)},
        truncate_ragged_lines=True,
        encoding="utf8",
        quote_char='"',
        raise_if_empty=False,
        row_index_name="_row",
        row_index_offset=start,
    )
    return [
        SheetData(
            None,
            headers,
            matches,
            idx + nhdr,
            None,
            enc,
            lazy=lazy,
            cleanup=None if src == path else src,
            file_name=file_name,
        )
    ]


def read_file(path: Path, file_name: str, spec: SourceSpec) -> list[SheetData]:
    if path.suffix.lower() == ".csv":
        return read_csv(path, file_name, spec)
    return read_xlsx(path, file_name, spec)


__all__ = ["SheetData", "read_file", "find_header", "detect_encoding", "normalize_header"]
