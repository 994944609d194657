"""Reading a CSV file: its encoding detected (UTF-8, GB18030/GBK, a wrong UTF-8 BOM in front of
GBK bytes), its delimiter and header row found in its first lines, its body scanned lazily in
batches (bounded memory)."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import tempfile
from pathlib import Path

import polars as pl

from pipelines.ingest import sheets
from pipelines.ingest.columns import SourceSpec
from pipelines.ingest.errors import FileRejected

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
    if head.startswith(sheets.ZIP_MAGIC):
        raise FileRejected(
            "workbook_named_csv",
            f"文件 {file_name} 的扩展名为 .csv，但内容是 Excel 工作簿（.xlsx）：请把扩展名改为 .xlsx，"
            "或在 Excel 中另存为 CSV",
            f"file {file_name} has a .csv name but is an Excel workbook (.xlsx): rename it to .xlsx, or "
            "save it as CSV from Excel",
        )
    if head.startswith(sheets.OLE2_MAGIC):
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


def _records(prefix: str, delim: str) -> sheets.ScannedRows:
    # newline="": records split on \n, \r\n and a bare \r alike, quoted line breaks kept
    reader = csv.reader(io.StringIO(prefix, newline=""), delimiter=delim)
    return sheets.ScannedRows(list(itertools.islice(reader, sheets.HEADER_SCAN_ROWS)))


def read_csv(path: Path, file_name: str, spec: SourceSpec) -> sheets.FileContent:
    _refuse_workbook_named_csv(path, file_name)
    enc, prefix = _detect_encoding(path, file_name)
    enc_label = "GB18030（文件开头有多余的 UTF-8 BOM）" if enc == GB18030_AFTER_BOM else enc
    if prefix is None:  # not read while detecting the encoding
        prefix = _read_prefix(path, enc)
    found = None
    for delim in (",", "\t", ";"):
        records = _records(prefix, delim)
        found = sheets.find_header(spec, records)
        if found is not None:
            break
    if found is None:
        for delim in (",", "\t", ";"):  # a header row lacking a column used to find it: say which
            records = _records(prefix, delim)
            if (near := sheets.best_partial_header(spec, records)) is not None:
                sheets.check_mandatory(
                    spec, file_name, None, near[0] + 1, sheets.unique_matches(near[1], spec)
                )
        raise sheets.no_header(
            spec, file_name, f"（编码识别为 {enc_label}）", f" (encoding detected as {enc_label})"
        )
    idx, nhdr, headers = found
    width = max(len(headers), records.width)
    headers = list(headers) + [None] * (width - len(headers))
    matches = sheets.check_header(spec, file_name, None, idx + nhdr, headers)
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
    return sheets.FileContent(
        [
            sheets.SheetData(
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
        ]
    )
