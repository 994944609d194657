"""The load log: what every run did with every file (read, loaded, revised, rejected and why).

- ``record_source_load(con, run_id, report, logged_at)``: called by each ingest asset right after
  its load, in the build file. It counts the *revised* keys of every file loaded in this run and
  writes one row per file to ``raw.load_log`` (defined with the other raw tables in
  ``raw_tables.py``; kept across runs in the published warehouse). Returns the revised counts
  per file for the Dagster metadata.
- ``rejection_summary(con, source, file_names)``: the quarantine reasons of those files, grouped,
  with their row numbers.
- ``load_report_data(con, run_id)``: everything the load report shows for one run, as plain data
  (``pipelines/reports/load_report.py`` renders it, problems first).

*Revised* means: a record key (accident 事故编号; disaster 灾害过程编号 × 行政区划代码; fire
火灾编号; statistics 区划 × 年份 × 指标; capabilities 区划 × 年份 × 指标; plans 规划编号 × 区划 ×
序号: a later version of a plan; quotas 年度 × 区划 × 指标: an adjustment) that the file files again
although an earlier-loaded file (smaller ``load_seq``) already holds it. Several rows of one key
within the same file are not counted as revisions of an earlier file. It is counted here, at load
time, because the log is written before dbt runs; ``marts.fct_record_revisions`` holds every
filing afterwards.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import polars as pl

from pipelines.enumerations import CHANGED_FILE_STATUSES, FILE_STATUS_ZH
from pipelines.ingest.contracts import SPECS
from pipelines.ingest.raw_tables import create_raw_tables
from pipelines.settings import TIMEZONE

if TYPE_CHECKING:
    from pipelines.ingest.loader import SourceLoadReport

STATUS_ZH = FILE_STATUS_ZH
CHANGED = CHANGED_FILE_STATUSES


def _rows(con, sql: str, params=None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


def _columns(con, schema: str, table: str) -> set[str]:
    return {
        r[0]
        for r in _rows(
            con,
            "select column_name from duckdb_columns() where database_name = current_database() "
            "and schema_name = ? and table_name = ?",
            [schema, table],
        )
    }


def _has_table(con, schema: str, table: str) -> bool:
    return bool(
        _rows(
            con,
            "select 1 from duckdb_tables() where database_name = current_database() "
            "and schema_name = ? and table_name = ?",
            [schema, table],
        )
    )


def create_load_log(con) -> None:
    """raw.load_log, with the columns added since the first release (idempotent; raw_tables.py)."""
    create_raw_tables(con)


def revised_counts(con, source: str, file_names: list[str]) -> dict[str, int]:
    """Per file: distinct keys it files that an earlier-loaded file already holds."""
    if not file_names or source not in SPECS:
        return {}
    keys = SPECS[source].record_key
    same_key = " and ".join(f"e.{k} = f.{k}" for k in keys)
    cols = ", ".join(f"f.{k}" for k in keys)
    marks = ", ".join("?" for _ in file_names)
    # a file's rows all carry its load_seq: an earlier file holds the key when the key's first
    # load_seq is lower than this file's
    found = _rows(
        con,
        f"""
        with e as (select {", ".join(keys)}, min(load_seq) as load_seq from raw.{source} group by all)
        select source_file, count(*) from (
            select distinct f.source_file, {cols}
            from raw.{source} f join e on {same_key}
            where f.source_file in ({marks}) and e.load_seq < f.load_seq
        ) group by source_file
        """,
        file_names,
    )
    return {name: int(n) for name, n in found}


def record_source_load(con, run_id: str, report: SourceLoadReport, logged_at: datetime) -> dict[str, int]:
    """Write this run's outcome for every file of one source to ``raw.load_log``; return revisions."""
    create_load_log(con)
    loaded = [f.file_name for f in report.files if f.status in ("loaded", "replaced", "revalidated")]
    revised = revised_counts(con, report.source, loaded)
    con.execute("delete from raw.load_log where run_id = ? and source = ?", [run_id, report.source])
    if logged_at.tzinfo is not None:
        logged_at = logged_at.astimezone(TIMEZONE).replace(tzinfo=None)
    files = report.files
    rows = pl.DataFrame(  # one insert for all the files
        {
            "file_name": [f.file_name for f in files],
            "file_sha256": [f.sha256 or None for f in files],
            "status": [f.status for f in files],
            "rows_read": [f.rows_read for f in files],
            "rows_loaded": [f.rows_loaded for f in files],
            "rows_zero_reports": [f.rows_zero_reports for f in files],
            "rows_rejected": [f.rows_rejected for f in files],
            "rows_revised": [revised.get(f.file_name, 0) for f in files],
            "reason_zh": [f.reason_zh for f in files],
            "reason_en": [f.reason_en for f in files],
            "note_zh": [f.note_zh for f in files],
            "note_en": [f.note_en for f in files],
        },
        schema_overrides={
            "file_sha256": pl.String,
            "reason_zh": pl.String,
            "reason_en": pl.String,
            "note_zh": pl.String,
            "note_en": pl.String,
        },
    ).to_arrow()
    con.register("_load_log_rows", rows)
    try:
        con.execute(
            "insert into raw.load_log by name select ? as run_id, ? as source, file_name, file_sha256, "
            "status, rows_read, rows_loaded, rows_zero_reports, rows_rejected, rows_revised, reason_zh, "
            "reason_en, ?::timestamp as logged_at, note_zh, note_en from _load_log_rows",
            [run_id, report.source, logged_at],
        ).fetchall()
    finally:
        con.unregister("_load_log_rows")
    return revised


def rejection_summary(con, source: str, file_names: list[str]) -> list[dict]:
    """Quarantined rows of these files grouped by reason and column, with their first row numbers."""
    if not file_names or not _has_table(con, "raw", "quarantine"):
        return []
    marks = ", ".join("?" for _ in file_names)
    found = _rows(
        con,
        f"""
        select file_name, reason_code, column_name, min(reason_zh), min(reason_en), count(*),
               list(row_number order by row_number) filter (where row_number is not null)
        from raw.quarantine
        where source = ? and file_name in ({marks})
        group by file_name, reason_code, column_name
        order by file_name, count(*) desc, reason_code, column_name
        """,
        [source, *file_names],
    )
    return [
        {
            "file_name": name,
            "reason_code": code,
            "column_name": column,
            "reason_zh": zh,
            "reason_en": en,
            "rows": int(n),
            "first_rows": list(rows or [])[:10],
        }
        for name, code, column, zh, en, n, rows in found
    ]


# --------------------------------------------------------------------------- the report


def load_report_data(con, run_id: str) -> dict:
    """Everything the report shows, as plain JSON-able data."""
    files: list[dict] = []
    if _has_table(con, "raw", "load_log"):
        columns = [
            "source",
            "file_name",
            "file_sha256",
            "status",
            "rows_read",
            "rows_loaded",
            "rows_zero_reports",
            "rows_rejected",
            "rows_revised",
            "reason_zh",
            "reason_en",
            "logged_at",
        ]
        if {"note_zh", "note_en"} <= _columns(con, "raw", "load_log"):
            columns += ["note_zh", "note_en"]
        for row in _rows(
            con,
            f"select {', '.join(columns)} from raw.load_log where run_id = ? order by source, file_name",
            [run_id],
        ):
            entry = dict(zip(columns, row, strict=True))
            entry["logged_at"] = entry["logged_at"].isoformat(sep=" ") if entry["logged_at"] else None
            entry.setdefault("note_zh", None)
            entry.setdefault("note_en", None)
            files.append(entry)
    # the reasons of this run's rejections, and of rows an unchanged file still has in quarantine
    by_source: dict[str, list[str]] = {}
    for f in files:
        if f["status"] in CHANGED or (f["rows_rejected"] and f["status"] != "removed"):
            by_source.setdefault(f["source"], []).append(f["file_name"])
    reasons: dict[tuple[str, str], list[dict]] = {}
    for source, names in by_source.items():
        for r in rejection_summary(con, source, names):
            reasons.setdefault((r["file_name"], source), []).append(r)
    for f in files:
        f["status_zh"] = STATUS_ZH.get(f["status"], f["status"])
        f["rejections"] = reasons.get((f["file_name"], f["source"]), [])
    changed = [f for f in files if f["status"] in CHANGED]
    totals = {
        "files": len(files),
        "files_loaded": sum(f["status"] in ("loaded", "replaced") for f in files),
        "files_rejected": sum(f["status"] == "rejected" for f in files),
        "files_skipped": sum(f["status"] == "skipped" for f in files),
        "files_removed": sum(f["status"] == "removed" for f in files),
        "files_revalidated": sum(f["status"] == "revalidated" for f in files),
        "files_ignored": sum(f["status"] == "ignored" for f in files),
        **{
            k: sum(f[k] for f in changed)
            for k in ("rows_read", "rows_loaded", "rows_zero_reports", "rows_rejected", "rows_revised")
        },
        # rows still in quarantine from the files the warehouse holds (this run's and earlier loads')
        "rows_rejected_held": sum(
            f["rows_rejected"] or 0 for f in files if f["status"] not in ("rejected", "removed")
        ),
    }
    return {
        "run_id": run_id,
        "generated_at": datetime.now(TIMEZONE).isoformat(timespec="seconds"),
        "totals": totals,
        "files": files,
    }
