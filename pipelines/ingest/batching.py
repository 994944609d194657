"""Reading and validating a source's files: one file, or many at once in chunks, one chunk ahead.

Reading and validating is pure (files in, frames out): :func:`process_chunk` stacks the sheets of
small files that share a header layout and validates them in one pass; :func:`process_ahead`
works on the next chunk while the loader writes the one before. An error no rule
foresaw stops at the boundary of the file that caused it (:func:`guarded`).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from pipelines.ingest.columns import SourceSpec
from pipelines.ingest.conflicts import split_conflicts
from pipelines.ingest.discovery import SourceFile
from pipelines.ingest.errors import FileRejected, is_environment_fault, unexpected_file_error
from pipelines.ingest.messages import QUARANTINE_COLUMNS
from pipelines.ingest.normalise import printable
from pipelines.ingest.plans import validator_for
from pipelines.ingest.reading import SheetData, read_file


@dataclass
class FileResult:
    records: pl.DataFrame
    zero: pl.DataFrame
    quarantine: pl.DataFrame
    rows_read: int
    latest_date: date | None = None  # the latest date compared with the as-of date (judgment.py)
    notes_zh: list[str] = field(default_factory=list)
    notes_en: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- one file


def process_file(spec: SourceSpec, f: SourceFile, as_of: date) -> FileResult:
    """Read and validate one file (raises FileRejected when it cannot be read at all)."""
    if f.refused_code:
        raise FileRejected(f.refused_code, f.refused_zh or "", f.refused_en or "")
    content = read_file(f.path, printable(f.name), spec)
    recs, zeros, rejects = [], [], []
    rows_read = 0
    latest: list[date] = []
    for sheet in content.sheets:
        after_footer = False
        for batch in sheet.batches():
            if after_footer:
                continue  # everything after a footer row is not data
            part = dataclasses.replace(sheet, data=batch, lazy=None, cleanup=None)
            validator = validator_for(spec)(spec, part, f.name, as_of)
            res = validator.run()
            after_footer = validator.footer_seen
            rows_read += res.rows_read
            latest += [d for d in res.latest_dates.values() if d is not None]
            recs.append(res.records)
            zeros.append(res.zero)
            rejects.append(res.rejects.select(QUARANTINE_COLUMNS))
    records, conflicts = split_conflicts(recs, spec, f.name)
    if conflicts.height:
        rejects.append(conflicts.select(QUARANTINE_COLUMNS))
    quarantine = pl.concat(rejects, how="vertical_relaxed").sort("_sheet", "_row", nulls_last=False)
    return FileResult(records, pl.concat(zeros, how="vertical_relaxed"), quarantine, rows_read,
                      max(latest, default=None), content.notes_zh, content.notes_en)


# --------------------------------------------------------------------------- many files at once

BATCH_FILE_BYTES = 4 << 20  # files up to this size are validated together with others
# Files per chunk: validated together, then written together. What the ingest holds at once grows
# with (chunks in work + the one being written) x chunk size x the sources loading at once: at 4x
# national, 32 MB chunks two ahead took the ingest alone to 1.5 GB, 16 MB one ahead to 1.0-1.1 GB
# in the same CPU time (docs/performance.md, issue 20 round 4).
CHUNK_FILES = 48
CHUNK_BYTES = 16 << 20
AHEAD = 1  # chunks read and validated while the one before is written


def _layout_key(sheet: SheetData) -> tuple:
    """Sheets with equal keys validate identically (same cells, header labels, units)."""
    return (
        tuple(sheet.headers),
        tuple(None if m is None else (m.col.name, m.factor) for m in sheet.matches),
    )


def guarded(f: SourceFile, exc: BaseException) -> FileRejected:
    """The error a file caused, as its rejection; faults of the machine are raised on."""
    if isinstance(exc, FileRejected):
        return exc
    panic = type(exc).__name__ == "PanicException"  # a reader library's panic (a BaseException)
    if is_environment_fault(exc) or not (isinstance(exc, Exception) or panic):
        raise exc
    return unexpected_file_error(printable(f.name), exc)


def _read_small_files(
    spec: SourceSpec, files: list[SourceFile]
) -> tuple[dict[str, object], dict[str, tuple[list[str], list[str]]]]:
    """(name -> every sheet of the file with all its data rows [(sheet, frame with _file, _sheet,
    _row)], or the FileRejected; name -> the file's notes (zh, en)). The CSV bodies of all files
    are parsed together."""
    out: dict[str, object] = {}
    notes: dict[str, tuple[list[str], list[str]]] = {}
    for f in files:
        try:
            if f.refused_code:
                raise FileRejected(f.refused_code, f.refused_zh or "", f.refused_en or "")
            content = read_file(f.path, printable(f.name), spec)
            out[f.name] = content.sheets
            notes[f.name] = (content.notes_zh, content.notes_en)
        except BaseException as exc:  # noqa: BLE001 - stops at the file's boundary (guarded)
            out[f.name] = guarded(f, exc)
    by_name = {f.name: f for f in files}
    lazy = [(name, sheet) for name, sheets in out.items() if isinstance(sheets, list)
            for sheet in sheets if sheet.data is None]
    try:
        frames = pl.collect_all([
            sheet.lazy.with_columns(
                pl.col("_row").cast(pl.Int32), _file=pl.lit(name), _sheet=pl.lit(None, pl.String)
            )
            for name, sheet in lazy
        ])
    except Exception:  # noqa: BLE001 - a malformed CSV body: find whose, file by file
        frames = None
    if frames is not None:
        for (_, sheet), frame in zip(lazy, frames, strict=True):
            if frame.height == 0 and sheet.expects_rows:
                continue  # read on its own below, which says why no row could be parsed
            sheet.data = frame
            if sheet.cleanup is not None:  # a transcoded copy
                sheet.cleanup.unlink(missing_ok=True)
    for name, sheets in list(out.items()):
        if not isinstance(sheets, list):
            continue
        read = []
        try:
            for sheet in sheets:
                if sheet.data is not None and "_file" in sheet.data.columns:
                    read.append((sheet, sheet.data))
                    continue
                empty = None if sheet.data is not None else pl.DataFrame(schema=sheet.lazy.collect_schema())
                parts = list(sheet.batches()) or [empty.with_columns(pl.col("_row").cast(pl.Int32))]
                data = parts[0] if len(parts) == 1 else pl.concat(parts, how="vertical_relaxed")
                data = data.with_columns(_file=pl.lit(name), _sheet=pl.lit(sheet.sheet_name, pl.String))
                read.append((sheet, data))
        except BaseException as exc:  # noqa: BLE001 - stops at the file's boundary (guarded)
            out[name] = guarded(by_name[name], exc)
            continue
        out[name] = read
    return out, notes


@dataclass
class ChunkResult:
    """Several files read and validated together: what each file gave (its FileCounts, or the
    FileRejected that refused it) and the rows of all of them, each with its ``_file``, in file
    order and, within a file, in the order read."""

    files: list[tuple[SourceFile, object]]
    records: pl.DataFrame
    zero: pl.DataFrame
    quarantine: pl.DataFrame


@dataclass
class FileCounts:
    rows_read: int
    rows_loaded: int
    rows_zero_reports: int
    rows_rejected: int
    latest_date: date | None = None
    notes_zh: list[str] = field(default_factory=list)
    notes_en: list[str] = field(default_factory=list)


def process_chunk(spec: SourceSpec, files: list[SourceFile], as_of: date) -> ChunkResult:
    """Read and validate several files; per file the same rows as :func:`process_file`, for less:
    the sheets of small files that share a header layout are stacked and validated in one pass
    (batch mode of SheetValidator). Large files go through :func:`process_file` (bounded
    memory).

    An error no rule foresaw stops at the boundary of the file that caused it: that file is
    rejected whole with what happened, the others load. (Validated together, the files are then
    validated one by one to find whose it was.)"""
    try:
        return _process_chunk(spec, files, as_of)
    except BaseException as exc:  # noqa: BLE001 - narrowed by _guarded
        if len(files) == 1:
            rejection = guarded(files[0], exc)
            return _chunk_of_rejections([(files[0], rejection)])
        if is_environment_fault(exc):
            raise
    return _merge_chunks([process_chunk(spec, [f], as_of) for f in files])


def _chunk_of_rejections(rejected: list[tuple[SourceFile, FileRejected]]) -> ChunkResult:
    empty = pl.DataFrame(schema={"_file": pl.String, "_sheet": pl.String, "_row": pl.Int32})
    return ChunkResult(list(rejected), empty, empty, empty)


def _merge_chunks(chunks: list[ChunkResult]) -> ChunkResult:
    def stack(kind: str) -> pl.DataFrame:
        frames = [getattr(c, kind) for c in chunks if getattr(c, kind).height]
        if not frames:
            return getattr(chunks[0], kind)
        return pl.concat(frames, how="diagonal_relaxed")

    return ChunkResult([f for c in chunks for f in c.files], stack("records"), stack("zero"),
                       stack("quarantine"))


def _process_chunk(spec: SourceSpec, files: list[SourceFile], as_of: date) -> ChunkResult:
    rejected: dict[str, FileRejected] = {}
    rows_read: Counter[str] = Counter()
    parts: dict[str, list[pl.DataFrame]] = {"records": [], "zero": [], "quarantine": []}
    groups: dict[tuple, list[tuple[str, SheetData, pl.DataFrame]]] = {}
    layout_of: dict[tuple, int] = {}  # layout key -> its group's number (the order of groups)
    ranks = []  # (file, layout, rank of the layout among the file's sheets)
    small = []
    n_large = 0
    latest: dict[str, date] = {}
    notes: dict[str, tuple[list[str], list[str]]] = {}
    for f in files:
        if f.size <= BATCH_FILE_BYTES or f.refused_code:
            small.append(f)
            continue
        try:
            res = process_file(spec, f, as_of)
        except BaseException as exc:  # noqa: BLE001 - stops at the file's boundary (guarded)
            rejected[f.name] = guarded(f, exc)
            continue
        rows_read[f.name] = res.rows_read
        if res.latest_date is not None:
            latest[f.name] = res.latest_date
        notes[f.name] = (res.notes_zh, res.notes_en)
        n_large += 1
        for kind in parts:
            parts[kind].append(getattr(res, kind).with_columns(_file=pl.lit(f.name), _layout=pl.lit(-1)))
    read_small, small_notes = _read_small_files(spec, small)
    notes.update(small_notes)
    for name, sheets in read_small.items():
        if isinstance(sheets, FileRejected):
            rejected[name] = sheets
            continue
        layouts = []
        for sheet, data in sheets:
            key = _layout_key(sheet)
            groups.setdefault(key, []).append((name, sheet, data))
            layout_of.setdefault(key, len(layout_of))
            layouts.append(layout_of[key])
        ranks += [(name, lay, i) for i, lay in enumerate(dict.fromkeys(layouts))]

    # every layout validated in one pass; conflicts looked for across all layouts of a file
    validated = []
    for lay, members in enumerate(groups.values()):
        stacked = pl.concat([d for _, _, d in members], how="diagonal_relaxed")
        sheet = dataclasses.replace(members[0][1], sheet_name=None, data=stacked, lazy=None, cleanup=None)
        res = validator_for(spec)(spec, sheet, None, as_of).run()
        rows_read.update(res.rows_read_by_file or {})
        for name, day in res.latest_dates.items():
            if day is not None and (name not in latest or day > latest[name]):
                latest[name] = day
        validated.append((res, pl.lit(lay).alias("_layout")))
    if validated:
        records, conflicts = split_conflicts(
            [r.records.with_columns(lay) for r, lay in validated], spec, None
        )
        parts["records"].append(records)
        parts["zero"] += [r.zero.with_columns(lay) for r, lay in validated]
        per_file_columns = QUARANTINE_COLUMNS + ["_file"]
        parts["quarantine"] += [r.rejects.select(per_file_columns).with_columns(lay) for r, lay in validated]
        if conflicts.height:
            parts["quarantine"].append(conflicts.select(per_file_columns).with_columns(_layout=pl.lit(-1)))

    position = pl.DataFrame(
        {"_file": [f.name for f in files], "_pos": list(range(len(files)))},
        schema={"_file": pl.String, "_pos": pl.Int32},
    )
    rank = pl.DataFrame(
        ranks, schema={"_file": pl.String, "_layout": pl.Int32, "_rank": pl.Int32}, orient="row"
    )

    def in_file_order(kind: str, by: list[str]) -> pl.DataFrame:
        if not parts[kind]:
            return pl.DataFrame(schema={"_file": pl.String, "_sheet": pl.String, "_row": pl.Int32})
        if by == ["_rank"] and len(validated) + n_large <= 1:  # one layout group: already in file order
            return parts[kind][0].drop("_layout")
        df = pl.concat(parts[kind], how="diagonal_relaxed").with_columns(pl.col("_layout").cast(pl.Int32))
        df = df.join(position, on="_file", how="left").join(rank, on=["_file", "_layout"], how="left")
        return df.sort(["_pos", *by], maintain_order=True, nulls_last=False).drop("_pos", "_layout", "_rank")

    records = in_file_order("records", ["_rank"])
    zero = in_file_order("zero", ["_rank"])
    quarantine = in_file_order("quarantine", ["_sheet", "_row"])
    counts = {
        kind: dict(df.group_by("_file").len().iter_rows()) if df.height else {}
        for kind, df in (("records", records), ("zero", zero), ("quarantine", quarantine))
    }
    results: list[tuple[SourceFile, object]] = []
    for f in files:
        if f.name in rejected:
            results.append((f, rejected[f.name]))
            continue
        results.append((f, FileCounts(
            rows_read=rows_read.get(f.name, 0),
            rows_loaded=counts["records"].get(f.name, 0),
            rows_zero_reports=counts["zero"].get(f.name, 0),
            rows_rejected=counts["quarantine"].get(f.name, 0),
            latest_date=latest.get(f.name),
            notes_zh=notes.get(f.name, ([], []))[0],
            notes_en=notes.get(f.name, ([], []))[1],
        )))
    return ChunkResult(results, records, zero, quarantine)


def process_ahead(spec: SourceSpec, files: list[SourceFile], as_of: date, window: int = AHEAD):
    """Yield ChunkResults, chunk by chunk in file order, working on the next chunks meanwhile.

    Reading and validating is pure (files in, frames out) and mostly native polars work, so it
    overlaps the (sequential) writes of the chunk before; at most ``window`` chunks are in work
    plus the one being written (two sources load at once: on two cores, one chunk ahead each
    keeps both busy)."""
    chunks: list[list[SourceFile]] = []
    size = 0
    for f in files:
        if not chunks or len(chunks[-1]) >= CHUNK_FILES or size + f.size > CHUNK_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(f)
        size += f.size
    todo = iter(chunks)
    with ThreadPoolExecutor(max_workers=max(window, 1)) as pool:
        pending = deque(pool.submit(process_chunk, spec, c, as_of) for c in itertools.islice(todo, window))
        while pending:
            done = pending.popleft().result()
            if (chunk := next(todo, None)) is not None:  # read the next one during the write
                pending.append(pool.submit(process_chunk, spec, chunk, as_of))
            yield done
