"""Deterministic file writers: same rows in, same bytes out."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

Cell = str | int | float | date | datetime | None


def _text(v: Cell) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float):
        return fmt_num(v)
    return str(v)


def fmt_num(v: float, digits: int = 4) -> str:
    """A float without trailing zeros (12.50 -> 12.5, 3.0 -> 3)."""
    s = f"{v:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if s in ("", "-0") else s


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    encoding: str = "utf-8",
    lineterminator: str = "\r\n",
) -> int:
    """Write a CSV; ``encoding`` is ``utf-8``, ``utf-8-sig`` or ``gb18030``. Returns bytes written."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=lineterminator)
    w.writerow(header)
    for r in rows:
        w.writerow([_text(v) for v in r])
    data = buf.getvalue().encode(encoding)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(data)


def write_xlsx(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    created: datetime,
    sheet_name: str = "Sheet1",
    title_lines: Sequence[str] = (),
    total_row: Sequence[Cell] | None = None,
    footer_lines: Sequence[str] = (),
    author: str = "应急管理局",
) -> int:
    """Write one sheet: optional title lines, the header, rows, an optional 合计 row, footer lines.

    ``created`` fixes the workbook's creation time so that the file is byte-identical on every
    run (xlsxwriter already writes fixed zip timestamps).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    wb.set_properties({"created": created, "author": author, "title": path.stem})
    ws = wb.add_worksheet(sheet_name)
    f_dt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    f_d = wb.add_format({"num_format": "yyyy-mm-dd"})
    f_head = wb.add_format({"bold": True, "text_wrap": True, "border": 1})
    f_title = wb.add_format({"bold": True, "font_size": 14})
    r = 0
    for line in title_lines:
        ws.write_string(r, 0, line, f_title if r == 0 else None)
        r += 1
    for c, h in enumerate(header):
        ws.write_string(r, c, h, f_head)
    r += 1

    def put(row_idx: int, values: Sequence[Cell]) -> None:
        for c, v in enumerate(values):
            if v is None or v == "":
                continue
            if isinstance(v, datetime):
                ws.write_datetime(row_idx, c, v, f_dt)
            elif isinstance(v, date):
                ws.write_datetime(row_idx, c, datetime(v.year, v.month, v.day), f_d)
            elif isinstance(v, bool):
                ws.write_string(row_idx, c, "是" if v else "否")
            elif isinstance(v, (int, float)):
                ws.write_number(row_idx, c, v)
            else:
                ws.write_string(row_idx, c, str(v))

    for values in rows:
        put(r, values)
        r += 1
    if total_row is not None:
        put(r, total_row)
        r += 1
    if footer_lines:
        r += 1  # a blank line before the footer, as people do
        for line in footer_lines:
            ws.write_string(r, 0, line)
            r += 1
    ws.set_column(0, max(len(header) - 1, 0), 14)
    wb.close()
    return path.stat().st_size
