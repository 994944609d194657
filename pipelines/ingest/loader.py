"""Loading the sources' folders into DuckDB schema ``raw``, file by file, incrementally: the
transactions. Each source loads in its own transaction on its own connection; inside it the
loader plans the load (``load_plan.py``), reads and validates the files in chunks
(``batching.py``) and writes their rows (``raw_writes.py``).

Public API: :func:`load_source`, :func:`load_sources` (several sources at once),
:class:`SourceOutcome`, :class:`SourceLoadReport`, :class:`FileLoadReport`, :class:`InputError`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from pipelines.ingest.batching import process_ahead
from pipelines.ingest.errors import FileRejected, InputError
from pipelines.ingest.judgment import Judgment
from pipelines.ingest.load_plan import SourcePlan, plan_source
from pipelines.ingest.load_summary import FileLoadReport, SourceLoadReport
from pipelines.ingest.raw_tables import SOURCES, create_raw_tables
from pipelines.ingest.raw_writes import (
    RecordedFile,
    delete_file_rows,
    record_files,
    reject_file,
    run_sql,
    write_chunk,
    write_error,
)

__all__ = [
    "FileLoadReport", "InputError", "SourceLoadReport", "SourceOutcome", "load_source", "load_sources",
]


def _notes(*parts: str | list[str] | None, sep: str) -> str | None:
    flat = [p for part in parts for p in ([part] if isinstance(part, str) else part or []) if p]
    return sep.join(flat) or None


def _apply(con, plan: SourcePlan, seq: int, as_of: date, loaded_at: datetime) -> SourceLoadReport:
    """Carry out a plan in the open transaction; the new and changed files get load_seq seq+1,
    seq+2, …; files judged again keep theirs (revisions resolve as before)."""
    spec, source = plan.spec, plan.spec.source
    judged_against = plan.judgment.record(spec.judged_against)
    for name in plan.to_delete:
        delete_file_rows(con, source, name)
    reports = dict(plan.reports)
    for chunk in process_ahead(spec, plan.to_process, as_of):
        lineage: list[tuple[str, str, int]] = []
        recorded_now: list[RecordedFile] = []
        for f, res in chunk.files:
            old = plan.recorded.get(f.name)
            kept_seq, why = plan.revalidate.get(f.name, (None, []))
            if kept_seq is None:
                seq += 1
            file_seq = seq if kept_seq is None else kept_seq
            again_zh = "重新校验：" + "、".join(zh for zh, _ in why) if why else None
            again_en = "judged again: " + ", ".join(en for _, en in why) if why else None
            if isinstance(res, FileRejected):
                rep = FileLoadReport(
                    f.name, f.sha256, "rejected",
                    reason_zh=res.reason_zh, reason_en=res.reason_en, rows_rejected=0,
                    note_zh=again_zh, note_en=again_en,
                )
                reject_file(con, source, f, res, file_seq, loaded_at)
                recorded_now.append(RecordedFile(f, rep, file_seq))
            else:
                rep = FileLoadReport(
                    f.name,
                    f.sha256,
                    "revalidated" if why else "replaced" if old is not None else "loaded",
                    rows_read=res.rows_read,
                    rows_loaded=res.rows_loaded,
                    rows_zero_reports=res.rows_zero_reports,
                    rows_rejected=res.rows_rejected,
                    note_zh=_notes(res.notes_zh, again_zh, sep="；"),
                    note_en=_notes(res.notes_en, again_en, sep="; "),
                )
                lineage.append((f.name, f.sha256, file_seq))
                recorded_now.append(RecordedFile(f, rep, file_seq, res.latest_date,
                                              _notes(res.notes_zh, sep="；"), _notes(res.notes_en, sep="; ")))
            reports[f.name] = rep
        lineage_frame = pl.DataFrame(
            lineage, schema={"_file": pl.String, "file_sha256": pl.String, "load_seq": pl.Int64},
            orient="row",
        )
        try:
            write_chunk(con, spec, chunk, lineage_frame, loaded_at)
        except duckdb.Error as exc:
            raise write_error(source, [f.name for f, _ in chunk.files], exc) from exc
        record_files(con, source, recorded_now, loaded_at, judged_against)
    return SourceLoadReport(source, [reports[k] for k in sorted(reports)])


def _roll_back(con) -> None:
    """Roll back after an error. If DuckDB has already invalidated the database (a fatal error,
    e.g. the disk filled during the commit), the rollback fails too, but nothing was committed:
    the error worth reporting is the first one, so this one is not raised."""
    try:
        run_sql(con, "rollback")
    except duckdb.Error:
        pass


def _last_load_seq(con) -> int:
    return con.execute("select coalesce(max(load_seq), 0) from raw.files").fetchall()[0][0]


@contextmanager
def _one_duckdb_thread(con):
    """DuckDB on one thread while loading: the inserts are many and small, and its threads would
    only compete with the threads reading and validating the next chunks."""
    threads = con.execute("select current_setting('threads')").fetchall()[0][0]
    run_sql(con, "set threads = 1")
    try:
        yield
    finally:
        run_sql(con, f"set threads = {int(threads)}")


def _check_sources(sources) -> None:
    for source in sources:
        if source not in SOURCES:
            raise ValueError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")


def _naive(loaded_at: datetime) -> datetime:
    """Wall-clock time, as the raw tables' timestamp columns have no zone."""
    return loaded_at.replace(tzinfo=None) if loaded_at.tzinfo is not None else loaded_at


def load_source(con, source: str, data_dir: Path, as_of: date, loaded_at: datetime) -> SourceLoadReport:
    """Load ``<data_dir>/<source>/`` into ``raw`` incrementally, in one transaction.

    Unchanged files (same name and SHA-256) are skipped; a changed file replaces what it loaded
    before; a file gone from the folder has its rows removed. Raises InputError when the data
    folder does not exist, and any error that rolled the load back.
    """
    [outcome] = load_sources(con, [source], data_dir, as_of, loaded_at)
    if outcome.error is not None:
        raise outcome.error
    return outcome.report


@dataclass
class SourceOutcome:
    """One source's part of :func:`load_sources`: its report, or the error that rolled it back
    (``report`` is set and ``error`` too when only ``after_commit`` failed)."""

    source: str
    report: SourceLoadReport | None = None
    after: object = None  # what after_commit returned
    error: Exception | None = None


def load_sources(
    con, sources: list[str], data_dir: Path, as_of: date, loaded_at: datetime,
    after_commit: Callable[[object, SourceLoadReport], object] | None = None, workers: int = 2,
) -> Iterator[SourceOutcome]:
    """Load several sources at once, yielding each one's outcome as it finishes.

    Each source is loaded as :func:`load_source` would, in its own transaction on its own
    connection (a cursor of ``con``), so one source's commit overlaps the others' reading. The
    transactions all start before any source writes, and ``load_seq`` numbers are those of
    loading the sources one after the other in the given order. A source that fails is rolled
    back and yielded with its error; the others still load. ``after_commit(cursor, report)``
    runs on the source's connection after its commit.
    """
    _check_sources(sources)
    loaded_at = _naive(loaded_at)
    judgment = Judgment.current(as_of, Path(data_dir))
    create_raw_tables(con)
    cursors = {s: con.cursor() for s in sources}
    try:
        with _one_duckdb_thread(con):
            seq = _last_load_seq(con)
            planned: dict[str, tuple[SourcePlan, int]] = {}
            failed: list[SourceOutcome] = []
            for source in sources:
                cur = cursors[source]
                run_sql(cur, "begin transaction")
                try:
                    plan = plan_source(cur, source, data_dir, judgment)
                except Exception as exc:
                    _roll_back(cur)
                    failed.append(SourceOutcome(source, error=exc))
                    continue
                planned[source] = (plan, seq)
                seq += plan.new_seqs
            yield from failed

            def load_one(source: str) -> SourceOutcome:
                cur = cursors[source]
                plan, first_seq = planned[source]
                try:
                    report = _apply(cur, plan, first_seq, as_of, loaded_at)
                    run_sql(cur, "commit")
                except BaseException as exc:
                    _roll_back(cur)
                    if not isinstance(exc, Exception):
                        raise
                    return SourceOutcome(source, error=exc)
                try:
                    after = after_commit(cur, report) if after_commit else None
                except Exception as exc:
                    return SourceOutcome(source, report, error=exc)
                return SourceOutcome(source, report, after)

            # the largest first, so that the small ones fill in beside it
            order = sorted(planned, key=lambda s: -sum(f.size for f in planned[s][0].to_process))
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for done in as_completed([pool.submit(load_one, s) for s in order]):
                    yield done.result()
    finally:
        for cur in cursors.values():
            cur.close()
