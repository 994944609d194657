"""Writing a source's rows into ``raw``: the rows of a chunk of files with their lineage, each
file's ``raw.files`` row, whole-file rejections, and removing what a file loaded before.

The column types come from the raw tables' definitions (``raw_tables.py``); inserts go by column
name, the lineage constants added by DuckDB.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

import polars as pl

from pipelines.ingest.batching import ChunkResult
from pipelines.ingest.columns import SourceSpec
from pipelines.ingest.conflicts import statistics_long
from pipelines.ingest.discovery import SourceFile
from pipelines.ingest.errors import FileRejected, InputError
from pipelines.ingest.load_summary import FileLoadReport
from pipelines.ingest.normalise import printable
from pipelines.ingest.raw_tables import RAW_TABLES


def run_sql(con, sql: str, params=None) -> None:
    """Execute and read the result fully (DuckDB 2.0: an unread result holds the connection)."""
    con.execute(sql, params or []).fetchall()


def insert(con, table: str, df: pl.DataFrame, constants: dict | None = None) -> None:
    """Insert df by column name; ``constants`` (file lineage) are added by DuckDB, not repeated
    in the frame."""
    if df.height == 0:
        return
    constants = constants or {}
    types = RAW_TABLES[table].column_types()  # from raw_tables.py, no catalog query
    table_cols = list(types)
    cols = [c for c in table_cols if c in df.columns and c not in constants]
    const_cols = [c for c in table_cols if c in constants]
    view = f"_ingest_{uuid.uuid4().hex}"
    # one chunk per column, strings as Arrow string views: the cheapest hand-over to DuckDB
    con.register(view, df.select(cols).rechunk().to_arrow(compat_level=pl.CompatLevel.newest()))
    try:
        select = ", ".join([f'"{c}"' for c in cols] + [f'?::{types[c]} as "{c}"' for c in const_cols])
        run_sql(
            con,
            f"insert into raw.{table} by name select {select} from {view}",
            [constants[c] for c in const_cols],
        )
    finally:
        con.unregister(view)


def delete_file_rows(con, source: str, file_name: str) -> None:
    run_sql(con, f"delete from raw.{source} where source_file = ?", [file_name])
    run_sql(con, "delete from raw.zero_reports where source = ? and source_file = ?", [source, file_name])
    run_sql(con, "delete from raw.quarantine where source = ? and file_name = ?", [source, file_name])
    run_sql(con, "delete from raw.files where source = ? and file_name = ?", [source, file_name])


def with_lineage(df: pl.DataFrame, lineage: pl.DataFrame) -> pl.DataFrame:
    """Rows of a chunk (``_file``, ``_sheet``, ``_row``) with their file's lineage."""
    return (
        df.join(lineage, on="_file", how="left", maintain_order="left")
        .rename({"_file": "source_file", "_sheet": "sheet_name", "_row": "row_number"})
    )


def write_chunk(
    con, spec: SourceSpec, chunk: ChunkResult, lineage: pl.DataFrame, loaded_at: datetime
) -> None:
    """Insert the rows of a chunk: one insert per table, each row with its file's lineage
    (``lineage``: _file, file_sha256, load_seq)."""
    constants = {"loaded_at": loaded_at}
    if chunk.records.height:
        records = with_lineage(chunk.records, lineage)
        if spec.source == "statistics":  # one row per measure; a file's rows together, in file order
            long = statistics_long(chunk.records, ["_file"])
            records = with_lineage(long, lineage).sort("load_seq", maintain_order=True)
        insert(con, spec.source, records, constants)
    if spec.event_register and chunk.zero.height:
        insert(con, "zero_reports", with_lineage(chunk.zero, lineage), constants | {"source": spec.source})
    if chunk.quarantine.height:
        q = with_lineage(chunk.quarantine, lineage).rename(
            {"_raw_record": "raw_record", "_deaths_in_row": "deaths_in_row", "source_file": "file_name"}
        )
        insert(con, "quarantine", q, constants | {"source": spec.source})


@dataclass
class RecordedFile:
    """A file's raw.files row to be: its report, load_seq, latest date and its own notes."""

    file: SourceFile
    report: FileLoadReport
    load_seq: int
    latest_date: date | None = None
    note_zh: str | None = None  # what the file gave (hidden sheets …), not why it was read again
    note_en: str | None = None


def record_files(con, source: str, done: list[RecordedFile], loaded_at: datetime,
                 judged_against: str) -> None:
    """One raw.files row per file, in one insert; ``judged_against``: what the rows were judged
    against (judgment.py), the same for every file of the load."""
    if not done:
        return
    rows = pl.DataFrame(
        {
            "file_name": [d.file.name for d in done],
            "file_sha256": [d.file.sha256 for d in done],
            "file_size_bytes": [d.file.size for d in done],
            "status": ["rejected" if d.report.status == "rejected" else "loaded" for d in done],
            "rows_read": [d.report.rows_read for d in done],
            "rows_loaded": [d.report.rows_loaded for d in done],
            "rows_zero_reports": [d.report.rows_zero_reports for d in done],
            "rows_rejected": [d.report.rows_rejected for d in done],
            "reason_zh": [d.report.reason_zh for d in done],
            "reason_en": [d.report.reason_en for d in done],
            "load_seq": [d.load_seq for d in done],
            "latest_date": [d.latest_date for d in done],
            "note_zh": [d.note_zh for d in done],
            "note_en": [d.note_en for d in done],
        },
        schema_overrides={"reason_zh": pl.String, "reason_en": pl.String, "load_seq": pl.Int64,
                          "file_size_bytes": pl.Int64, "latest_date": pl.Date, "note_zh": pl.String,
                          "note_en": pl.String},
    )
    insert(con, "files", rows, {"source": source, "loaded_at": loaded_at, "judged_against": judged_against})


def reject_file(con, source: str, f: SourceFile, exc: FileRejected, load_seq: int, loaded_at: datetime):
    """The quarantine row of a file rejected whole (no sheet, row, column or cells)."""
    run_sql(
        con,
        "insert into raw.quarantine (source, file_name, file_sha256, reason_code, reason_zh, reason_en, "
        "load_seq, loaded_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
        [source, f.name, f.sha256, exc.reason_code, exc.reason_zh, exc.reason_en, load_seq, loaded_at],
    )


def write_error(source: str, names: list[str], exc: Exception) -> InputError:
    """A write DuckDB refused (it should never happen: values are range-checked first) names the
    files being written; the source is rolled back."""
    shown = [printable(n) for n in names[:10]] + (["…"] if len(names) > 10 else [])
    return InputError(
        f"写入 raw.{source} 时出错，该来源已回滚、保持原样（本批文件：{'、'.join(shown)}）：{exc}",
        f"writing raw.{source} failed; the source was rolled back and is as it was (files of this "
        f"batch: {', '.join(shown)}): {exc}",
    )
