"""Reading a file into text cells: workbook sheets or CSV, with its header row located
(``sheets.py``; the readers: ``xlsx_reader.py``, ``csv_reader.py``)."""

from __future__ import annotations

from pathlib import Path

from pipelines.ingest.columns import SourceSpec
from pipelines.ingest.csv_reader import detect_encoding, read_csv
from pipelines.ingest.headers import normalize_header
from pipelines.ingest.sheets import FileContent, SheetData, find_header
from pipelines.ingest.xlsx_reader import read_xlsx


def read_file(path: Path, file_name: str, spec: SourceSpec) -> FileContent:
    """Every data sheet of a file (one for CSV) with its header located; ``file_name`` is the name
    shown in messages."""
    if path.suffix.lower() == ".csv":
        return read_csv(path, file_name, spec)
    return read_xlsx(path, file_name, spec)


__all__ = ["FileContent", "SheetData", "read_file", "find_header", "detect_encoding", "normalize_header"]
