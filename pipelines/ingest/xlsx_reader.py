"""Reading a workbook (.xlsx): its visible sheets as text cells, with formula cells that have no
saved result and error values marked (``xlsx_cells.py``), hidden sheets skipped with a note."""

from __future__ import annotations

from pathlib import Path

import fastexcel
import polars as pl

from pipelines.ingest import sheets
from pipelines.ingest.columns import SourceSpec
from pipelines.ingest.errors import FileRejected
from pipelines.ingest.xlsx_cells import ProblemCell, workbook_facts

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
        data = pl.concat(
            [data, pl.DataFrame({"_row": beyond}, schema={"_row": pl.Int32})], how="diagonal_relaxed"
        )
    for col, cells in sorted(by_column.items()):
        marks = pl.DataFrame(
            {"_row": list(cells), f"_fx{col}": list(cells.values())},
            schema={"_row": pl.Int32, f"_fx{col}": pl.String},
        )
        data = data.join(marks, on="_row", how="left", maintain_order="left")
    return data


def read_xlsx(path: Path, file_name: str, spec: SourceSpec) -> sheets.FileContent:
    with open(path, "rb") as fh:
        head = fh.read(8)
    if not head:
        raise FileRejected(
            "empty_file", f"文件 {file_name} 为空（0 字节）", f"file {file_name} is empty (0 bytes)"
        )
    if head.startswith(sheets.OLE2_MAGIC):
        raise FileRejected(
            "password_protected",
            f"文件 {file_name} 是加密（受密码保护）的工作簿或旧版 .xls 文件（OLE2 复合文档），无法读取；"
            "请取消密码并另存为 .xlsx",
            f"file {file_name} is a password-protected (encrypted) workbook or a legacy .xls file "
            "(OLE2 compound document) and cannot be read; remove the password and save it as .xlsx",
        )
    if not head.startswith(sheets.ZIP_MAGIC):
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
    out: list[sheets.SheetData] = []
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
        scan = sheets.ScannedRows(list(df.head(sheets.HEADER_SCAN_ROWS).iter_rows()))
        found = sheets.find_header(spec, scan)
        if found is None:
            if partial is None and (near := sheets.best_partial_header(spec, scan)) is not None:
                partial = (name, near[0] + 1, near[1])
            continue
        idx, nhdr, headers = found
        header_row = idx + nhdr
        matches = sheets.check_header(spec, file_name, name, header_row, headers)
        data = df.slice(idx + nhdr).with_columns(
            _row=pl.int_range(header_row + 1, header_row + 1 + df.height - idx - nhdr, dtype=pl.Int32)
        )
        if fact is not None and fact.problems:
            data = _with_problem_cells(data, fact.problems, df.width)
        out.append(sheets.SheetData(name, headers, matches, header_row, data))
    if not out:
        if partial is not None:  # a header row lacking a column used to find it: say which
            sheet_name, row_no, headers = partial
            sheets.check_mandatory(spec, file_name, sheet_name, row_no, sheets.unique_matches(headers, spec))
        if hidden:
            zh, en = _skipped_sheets_note(hidden)
            raise sheets.no_header(
                spec, file_name, f"（只查找了可见的工作表；{zh}）", f" (only visible sheets are read; {en})"
            )
        raise sheets.no_header(spec, file_name)
    content = sheets.FileContent(out)
    if hidden:
        zh, en = _skipped_sheets_note(hidden)
        content.notes_zh.append(zh)
        content.notes_en.append(en)
    return content
