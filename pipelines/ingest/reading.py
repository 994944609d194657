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
from dataclasses import dataclass, field
from pathlib import Path

import fastexcel
import polars as pl

from pipelines.ingest.contracts import HeaderMatch, SourceSpec, match_header, normalize_header
from pipelines.ingest.errors import FileRejected
from pipelines.ingest.xlsx_cells import ProblemCell, workbook_facts

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


def _check_header(
    spec: SourceSpec, file_name: str, sheet: str | None, row_no: int, headers: list[str | None]
) -> list[HeaderMatch | None]:
    matches = _unique_matches(headers, spec)
    _check_mandatory(spec, file_name, sheet, row_no, matches)
    _check_duplicates(spec, file_name, sheet, row_no, headers)
    return matches


# --------------------------------------------------------------------------- xlsx


_VISIBILITY = {"hidden": ("隐藏", "hidden"), "veryHidden": ("深度隐藏", "very hidden")}


def _skipped_sheets_note(hidden: list[tuple[str, str]]) -> tuple[str, str]:
    zh = "、".join(f"{name}（{_VISIBILITY.get(state, (state,))[0]}）" for name, state in hidden)
    en = ", ".join(f"{name} ({_VISIBILITY.get(state, ('', state))[1]})" for name, state in hidden)
    return f"未读取隐藏的工作表：{zh}", f"hidden sheets not read: {en}"


def _with_problem_cells(data: pl.DataFrame, problems: tuple[ProblemCell, ...], width: int) -> pl.DataFrame:
    """Columns ``_fx<i>``: the formula (``=…``, no saved result) or error value (``#…``) of the cells
    of column i that have no usable value; null elsewhere. The validator rejects those cells."""
    by_column: dict[int, dict[int, str]] = {}
    for p in problems:
        if 0 <= p.column < width:
            by_column.setdefault(p.column, {})[p.row] = p.text
    # a trailing row of formulas without results has no value: fastexcel's range ends before it
    last = data["_row"].max() if data.height else 0
    beyond = sorted({r for cells in by_column.values() for r in cells if last is None or r > last})
    if beyond:
        data = pl.concat([data, pl.DataFrame({"_row": beyond}, schema={"_row": pl.Int32})],
                         how="diagonal_relaxed")
    for col, cells in sorted(by_column.items()):
        marks = pl.DataFrame(
            {"_row": list(cells), f"_fx{col}": list(cells.values())},
            schema={"_row": pl.Int32, f"_fx{col}": pl.String},
        )
        data = data.join(marks, on="_row", how="left", maintain_order="left")
    return data


def read_xlsx(path: Path, file_name: str, spec: SourceSpec) -> FileContent:
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
        facts = {f.name: f for f in workbook_facts(path)}
    except Exception as exc:  # noqa: BLE001 - any reader failure means an unreadable workbook
        raise FileRejected(
            "not_a_workbook",
            f"文件 {file_name} 无法作为 Excel 工作簿读取（文件损坏？）：{exc}",
            f"file {file_name} cannot be read as an Excel workbook (corrupt?): {exc}",
        ) from exc
    out: list[SheetData] = []
    hidden: list[tuple[str, str]] = []
    partial: tuple[str, int, list[str | None]] | None = None  # sheet, header row number, headers
    for name in names:
        fact = facts.get(name)
        if fact is not None and fact.visibility != "visible":
            hidden.append((name, fact.visibility))  # examples, old copies, lookup lists: not data
            continue
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
        df = sheet.to_polars()  # skip_rows=0: from row 1 of the sheet, as Excel numbers rows
        df = df.rename({c: f"c{i}" for i, c in enumerate(df.columns)})
        scan = _ScannedRows(list(df.head(HEADER_SCAN_ROWS).iter_rows()))
        found = find_header(spec, scan)
        if found is None:
            if partial is None and (near := best_partial_header(spec, scan)) is not None:
                partial = (name, near[0] + 1, near[1])
            continue
        idx, nhdr, headers = found
        header_row = idx + nhdr
        matches = _check_header(spec, file_name, name, header_row, headers)
        data = df.slice(idx + nhdr).with_columns(
            _row=pl.int_range(header_row + 1, header_row + 1 + df.height - idx - nhdr, dtype=pl.Int32)
        )
        if fact is not None and fact.problems:
            data = _with_problem_cells(data, fact.problems, df.width)
        out.append(SheetData(name, headers, matches, header_row, data))
    if not out:
        if partial is not None:  # a header row lacking a column used to find it: say which
            sheet_name, row_no, headers = partial
            _check_mandatory(spec, file_name, sheet_name, row_no, _unique_matches(headers, spec))
        if hidden:
            zh, en = _skipped_sheets_note(hidden)
            raise _no_header(
                spec, file_name, f"（只查找了可见的工作表；{zh}）", f" (only visible sheets are read; {en})"
            )
        raise _no_header(spec, file_name)
    content = FileContent(out)
    if hidden:
        zh, en = _skipped_sheets_note(hidden)
        content.notes_zh.append(zh)
        content.notes_en.append(en)
    return content


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


# A cell longer than the csv module's default limit (131,072 characters) is data, not an error:
# the header scan reads at most PREFIX_CHARS characters, so no field can be longer than that.
csv.field_size_limit(max(csv.field_size_limit(), PREFIX_CHARS + 1))


def _refuse_workbook_named_csv(path: Path, file_name: str) -> None:
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(ZIP_MAGIC):
        raise FileRejected(
            "workbook_named_csv",
            f"文件 {file_name} 的扩展名为 .csv，但内容是 Excel 工作簿（.xlsx）：请把扩展名改为 .xlsx，"
            "或在 Excel 中另存为 CSV",
            f"file {file_name} has a .csv name but is an Excel workbook (.xlsx): rename it to .xlsx, or "
            "save it as CSV from Excel",
        )
    if head.startswith(OLE2_MAGIC):
        raise FileRejected(
            "workbook_named_csv",
            f"文件 {file_name} 的扩展名为 .csv，但内容是旧版 .xls 或加密的 Excel 工作簿：请在 Excel 中"
            "另存为 .xlsx 或 CSV",
            f"file {file_name} has a .csv name but is a legacy .xls or encrypted Excel workbook: save it "
            "as .xlsx or CSV from Excel",
        )


def _line_end(prefix: str) -> str:
    """'\r' for a file whose lines end with a bare carriage return (classic Mac OS exports), else
    '\n' (which covers \r\n too)."""
    return "\r" if "\r" in prefix and "\n" not in prefix else "\n"


def _records(prefix: str, delim: str) -> _ScannedRows:
    # newline="": records split on \n, \r\n and a bare \r alike, quoted line breaks kept
    reader = csv.reader(io.StringIO(prefix, newline=""), delimiter=delim)
    return _ScannedRows(list(itertools.islice(reader, HEADER_SCAN_ROWS)))


def read_csv(path: Path, file_name: str, spec: SourceSpec) -> FileContent:
    _refuse_workbook_named_csv(path, file_name)
    enc, prefix = _detect_encoding(path, file_name)
    enc_label = "GB18030（文件开头有多余的 UTF-8 BOM）" if enc == GB18030_AFTER_BOM else enc
    if prefix is None:  # not read while detecting the encoding
        prefix = _read_prefix(path, enc)
    found = None
    for delim in (",", "\t", ";"):
        records = _records(prefix, delim)
        found = find_header(spec, records)
        if found is not None:
            break
    if found is None:
        for delim in (",", "\t", ";"):  # a header row lacking a column used to find it: say which
            records = _records(prefix, delim)
            if (near := best_partial_header(spec, records)) is not None:
                _check_mandatory(spec, file_name, None, near[0] + 1, _unique_matches(near[1], spec))
        raise _no_header(
            spec, file_name, f"（编码识别为 {enc_label}）", f" (encoding detected as {enc_label})"
        )
    idx, nhdr, headers = found
    width = max(len(headers), records.width)
    headers = list(headers) + [None] * (width - len(headers))
    matches = _check_header(spec, file_name, None, idx + nhdr, headers)
    expects_rows = any(any(cell is not None for cell in records[i]) for i in range(idx + nhdr, len(records)))
    src = path if enc in ("utf-8", "utf-8-sig") else _transcode(path, enc)
    start = idx + nhdr + 1
    lazy = pl.scan_csv(
        src,
        has_header=False,
        separator=delim,
        skip_rows=idx + nhdr,
        schema={f"c{i}": pl.String for i in range(width)},
        truncate_ragged_lines=True,
        missing_columns="insert",  # a first data row without its trailing empty cells
        extra_columns="ignore",
        eol_char=_line_end(prefix),
        encoding="utf8",
        quote_char='"',
        raise_if_empty=False,
        row_index_name="_row",
        row_index_offset=start,
        glob=False,  # a file name is never a pattern: 2024Q1[终版].csv is that file
    )
    return FileContent([
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
            expects_rows=expects_rows,
        )
    ])


def read_file(path: Path, file_name: str, spec: SourceSpec) -> FileContent:
    """Every data sheet of a file (one for CSV) with its header located; ``file_name`` is the name
    shown in messages."""
    if path.suffix.lower() == ".csv":
        return read_csv(path, file_name, spec)
    return read_xlsx(path, file_name, spec)


__all__ = ["FileContent", "SheetData", "read_file", "find_header", "detect_encoding", "normalize_header"]
