"""Loading the sources' folders into DuckDB schema ``raw``, file by file, incrementally.

Public API: :func:`load_source`, :func:`load_sources` (several sources at once),
:class:`SourceOutcome`, :class:`SourceLoadReport`, :class:`FileLoadReport`, :class:`InputError`.
"""

from __future__ import annotations

import dataclasses
import itertools
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from pipelines.ingest.contracts import MEASURE_COLUMNS, SPECS, SourceSpec
from pipelines.ingest.discovery import SourceFile, ignored_entries, list_source_files
from pipelines.ingest.errors import FileRejected, InputError, is_environment_fault, unexpected_file_error
from pipelines.ingest.judgment import Judgment
from pipelines.ingest.normalise import printable, printable_expr
from pipelines.ingest.plans import validator_for
from pipelines.ingest.raw_tables import RAW_TABLES, SOURCES, column_types, create_raw_tables
from pipelines.ingest.reading import SheetData, read_file
from pipelines.ingest.validation import QUARANTINE_COLUMNS, build_messages

__all__ = [
    "FileLoadReport", "InputError", "SourceLoadReport", "SourceOutcome", "load_source", "load_sources",
    "process_file",
]


@dataclass
class FileLoadReport:
    file_name: str
    sha256: str
    status: str  # loaded / skipped / replaced / revalidated / removed / rejected / ignored
    rows_read: int = 0
    rows_loaded: int = 0
    rows_zero_reports: int = 0
    rows_rejected: int = 0
    reason_zh: str | None = None  # why the file was rejected whole (or ignored)
    reason_en: str | None = None
    note_zh: str | None = None  # e.g. hidden sheets not read; why an unchanged file was judged again
    note_en: str | None = None


@dataclass
class SourceLoadReport:
    source: str
    files: list[FileLoadReport] = field(default_factory=list)

    def _sum(self, attr: str, statuses=("loaded", "replaced", "revalidated", "rejected")) -> int:
        return sum(getattr(f, attr) for f in self.files if f.status in statuses)

    @property
    def rows_read(self) -> int:
        return self._sum("rows_read")

    @property
    def rows_loaded(self) -> int:
        return self._sum("rows_loaded")

    @property
    def rows_zero_reports(self) -> int:
        return self._sum("rows_zero_reports")

    @property
    def rows_rejected(self) -> int:
        return self._sum("rows_rejected")

    @property
    def files_rejected(self) -> int:
        return sum(1 for f in self.files if f.status == "rejected")

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)


@dataclass
class FileResult:
    records: pl.DataFrame
    zero: pl.DataFrame
    quarantine: pl.DataFrame
    rows_read: int
    latest_date: date | None = None  # the latest date compared with the as-of date (judgment.py)
    notes_zh: list[str] = field(default_factory=list)
    notes_en: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- conflicts


def _value_columns(spec: SourceSpec) -> list[str]:
    # names as written are not values: the same quota under two spellings of its name is no conflict
    names = ("region_name", "indicator_name_as_printed")
    return [c.name for c in spec.columns if c.name not in names] + ["is_region_from_name"]


def _conflict_messages(rows: pl.DataFrame, spec: SourceSpec, file_name: str | None) -> pl.DataFrame:
    """rows: _sheet, _row, _key (display), _others (list of row numbers), _others_zh / _others_en
    (the same rows with their sheet, when they lie in several sheets) + _raw_record, _deaths_in_row."""
    key_label = "、".join(spec.col(k).header for k in spec.key if k != "region_code") or "行政区划代码"
    if "region_code" in spec.key and spec.key != ("region_code",):
        key_label += "、行政区划代码"
    date_label = next((c.header for c in spec.columns if c.name == spec.dated_by), "填报日期")
    rows = rows.with_columns(
        _where_zh=pl.when(pl.col("_others_zh").is_not_null()).then(pl.col("_others_zh")).otherwise(
            pl.lit("第 ") + pl.col("_others").cast(pl.List(pl.String)).list.join("、") + pl.lit(" 行")
        ),
        _where_en=pl.when(pl.col("_others_en").is_not_null()).then(pl.col("_others_en")).otherwise(
            pl.lit("rows ") + pl.col("_others").cast(pl.List(pl.String)).list.join(", ")
        ),
    )
    checks_zh = pl.concat_str(
        [
            pl.lit(f"同一文件中{key_label}（"),
            pl.col("_key"),
            pl.lit(f"）与{date_label}都相同的记录出现多次且数值不同（"),
            pl.col("_where_zh"),
            pl.lit("），无法判断哪一条正确，均不入库"),
        ]
    )
    checks_en = pl.concat_str(
        [
            pl.lit(f"the same key {key_label} ("),
            pl.col("_key"),
            pl.lit(f") with the same {date_label} appears more than once in this file with different values"),
            pl.lit(" ("),
            pl.col("_where_en"),
            pl.lit("); ambiguous, none of them is loaded"),
        ]
    )
    from pipelines.ingest.validation import Check

    rows = rows.with_columns(_e_conflict=pl.lit(True))
    check = Check(
        "_e_conflict", "conflicting_duplicate", spec.col(spec.key[0]).header, None, checks_zh, checks_en
    )
    return build_messages(rows, [check], file_name)


def _find_conflicts(
    records: pl.DataFrame, spec: SourceSpec, group_cols: list[str], value_cols: list[str],
    rows_id: list[str],
) -> pl.DataFrame:
    """Rows (rows_id: [_file,] _sheet, _row) whose key + 填报日期 repeats with different values;
    with _others (the rows of the group) and, when they lie in more than one sheet, _others_zh /
    _others_en naming each row's sheet."""
    none = records.select(rows_id).head(0).with_columns(
        _others=pl.lit(None, pl.List(pl.Int32)), _others_zh=pl.lit(None, pl.String),
        _others_en=pl.lit(None, pl.String),
    )
    if records.height == 0:
        return none
    # only a repeated key can conflict: compare values on those rows alone
    repeated = records.filter(pl.struct(group_cols).is_duplicated())
    if repeated.height == 0:
        return none
    sheet = printable_expr(pl.col("_sheet"))
    h = repeated.with_columns(
        _h=pl.struct(value_cols).hash(),
        _at_zh=pl.concat_str([pl.lit("工作表 "), sheet, pl.lit(" 第 "), pl.col("_row").cast(pl.String),
                              pl.lit(" 行")]),
        _at_en=pl.concat_str([pl.lit("sheet "), sheet, pl.lit(" row "), pl.col("_row").cast(pl.String)]),
    )
    groups = (
        h.sort("_sheet", "_row", nulls_last=False)
        .group_by(group_cols)
        .agg(
            _n=pl.col("_h").n_unique(), _others=pl.col("_row").unique().sort(),
            _sheets=pl.col("_sheet").n_unique(), _at_zh=pl.col("_at_zh").unique(maintain_order=True),
            _at_en=pl.col("_at_en").unique(maintain_order=True),
        )
        .filter(pl.col("_n") > 1)
    )
    if groups.height == 0:
        return none
    several = pl.col("_sheets") > 1
    groups = groups.with_columns(
        _others_zh=pl.when(several).then(pl.col("_at_zh").list.join("、")),
        _others_en=pl.when(several).then(pl.col("_at_en").list.join(", ")),
    )
    return (
        h.drop("_at_zh", "_at_en")
        .join(groups, on=group_cols, how="inner", nulls_equal=True)
        .select(*rows_id, "_others", "_others_zh", "_others_en")
        .unique(rows_id)
    )


def _split_conflicts(
    parts: list[pl.DataFrame], spec: SourceSpec, file_name: str | None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(records without ambiguous duplicates, quarantine rows for them).

    ``parts``: validated records (SheetResult.records), each with its own ``_cells``; the
    records come back concatenated, without ``_cells``. A conflict is within one file:
    ``file_name=None`` (batch mode) groups by ``_file`` too."""
    per_file = ["_file"] if file_name is None else []
    rows_id = per_file + ["_sheet", "_row"]
    bare = [p.drop("_cells") for p in parts]
    records = pl.concat(bare, how="diagonal_relaxed") if len(bare) > 1 else bare[0]
    if spec.source == "statistics":
        long = _statistics_long(records, per_file)
        bad = _find_conflicts(
            long, spec, per_file + ["region_code", "year", "measure", "data_status", "reported_date"],
            ["value"], rows_id,
        )
    else:
        dated = [spec.dated_by] if spec.dated_by in records.columns else []  # plans have none
        group = per_file + list(spec.key) + dated
        bad = _find_conflicts(records, spec, group, _value_columns(spec), rows_id)
    if bad.height == 0:
        return records, records.head(0)
    raw = pl.concat(
        [
            p.join(bad.select(rows_id), on=rows_id, how="semi", nulls_equal=True).select(
                *rows_id, _raw_record=pl.col("_cells").struct.json_encode()
            )
            for p in parts
        ]
    )
    hit = records.join(bad, on=rows_id, how="inner", nulls_equal=True).join(
        raw, on=rows_id, how="left", nulls_equal=True
    )
    key = pl.concat_str([pl.col(k).cast(pl.String) for k in spec.key], separator=" / ")
    q = _conflict_messages(hit.with_columns(_key=key), spec, file_name)
    keep = records.join(bad.select(rows_id), on=rows_id, how="anti", nulls_equal=True)
    return keep, q


def _statistics_long(records: pl.DataFrame, extra: list[str] | None = None) -> pl.DataFrame:
    idx = (extra or []) + [
        "region_code",
        "region_name",
        "is_region_from_name",
        "year",
        "data_status",
        "vintage_rank",
        "reported_date",
        "_sheet",
        "_row",
    ]
    return (
        records.select(idx + list(MEASURE_COLUMNS))
        .unpivot(index=idx, on=list(MEASURE_COLUMNS), variable_name="measure", value_name="value")
        .filter(pl.col("value").is_not_null())
    )


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
    records, conflicts = _split_conflicts(recs, spec, f.name)
    if conflicts.height:
        rejects.append(conflicts.select(QUARANTINE_COLUMNS))
    quarantine = pl.concat(rejects, how="vertical_relaxed").sort("_sheet", "_row", nulls_last=False)
    return FileResult(records, pl.concat(zeros, how="vertical_relaxed"), quarantine, rows_read,
                      max(latest, default=None), content.notes_zh, content.notes_en)


# --------------------------------------------------------------------------- many files at once

BATCH_FILE_BYTES = 4 << 20  # files up to this size are validated together with others
CHUNK_FILES = 96  # files per chunk: validated together, then written together
CHUNK_BYTES = 32 << 20


def _layout_key(sheet: SheetData) -> tuple:
    """Sheets with equal keys validate identically (same cells, header labels, units)."""
    return (
        tuple(sheet.headers),
        tuple(None if m is None else (m.col.name, m.factor) for m in sheet.matches),
    )


def _guarded(f: SourceFile, exc: BaseException) -> FileRejected:
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
        except BaseException as exc:  # noqa: BLE001 - stops at the file's boundary (_guarded)
            out[f.name] = _guarded(f, exc)
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
        except BaseException as exc:  # noqa: BLE001 - stops at the file's boundary (_guarded)
            out[name] = _guarded(by_name[name], exc)
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
            rejection = _guarded(files[0], exc)
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
        except BaseException as exc:  # noqa: BLE001 - stops at the file's boundary (_guarded)
            rejected[f.name] = _guarded(f, exc)
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
        records, conflicts = _split_conflicts(
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


def _process_ahead(spec: SourceSpec, files: list[SourceFile], as_of: date, window: int = 2):
    """Yield ChunkResults, chunk by chunk in file order, working on the next chunks on 2 threads
    meanwhile.

    Reading and validating is pure (files in, frames out) and mostly native polars work, so two
    threads overlap it and the (sequential) writes of the chunk before; at most ``window``
    chunks are in work plus the one being written."""
    chunks: list[list[SourceFile]] = []
    size = 0
    for f in files:
        if not chunks or len(chunks[-1]) >= CHUNK_FILES or size + f.size > CHUNK_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(f)
        size += f.size
    todo = iter(chunks)
    with ThreadPoolExecutor(max_workers=2) as pool:
        pending = deque(pool.submit(process_chunk, spec, c, as_of) for c in itertools.islice(todo, window))
        while pending:
            done = pending.popleft().result()
            if (chunk := next(todo, None)) is not None:  # keep both threads busy during the write
                pending.append(pool.submit(process_chunk, spec, chunk, as_of))
            yield done


# --------------------------------------------------------------------------- database


def _run(con, sql: str, params=None) -> None:
    """Execute and read the result fully (DuckDB 2.0: an unread result holds the connection)."""
    con.execute(sql, params or []).fetchall()


_TABLE_COLUMNS = {t: list(column_types(t)) for t in RAW_TABLES}


def _insert(con, table: str, df: pl.DataFrame, constants: dict | None = None) -> None:
    """Insert df by column name; ``constants`` (file lineage) are added by DuckDB, not repeated
    in the frame."""
    if df.height == 0:
        return
    constants = constants or {}
    table_cols = _TABLE_COLUMNS[table]  # from raw_tables.py, no catalog query
    cols = [c for c in table_cols if c in df.columns and c not in constants]
    const_cols = [c for c in table_cols if c in constants]
    view = f"_ingest_{uuid.uuid4().hex}"
    # one chunk per column, strings as Arrow string views: the cheapest hand-over to DuckDB
    con.register(view, df.select(cols).rechunk().to_arrow(compat_level=pl.CompatLevel.newest()))
    try:
        select = ", ".join([f'"{c}"' for c in cols] + [f'?::{_TYPES[c]} as "{c}"' for c in const_cols])
        _run(
            con,
            f"insert into raw.{table} by name select {select} from {view}",
            [constants[c] for c in const_cols],
        )
    finally:
        con.unregister(view)


_TYPES = {
    "source": "varchar",
    "source_file": "varchar",
    "file_name": "varchar",
    "file_sha256": "varchar",
    "load_seq": "bigint",
    "loaded_at": "timestamp",
    "judged_against": "varchar",
}


def _delete_file_rows(con, source: str, file_name: str) -> None:
    _run(con, f"delete from raw.{source} where source_file = ?", [file_name])
    _run(con, "delete from raw.zero_reports where source = ? and source_file = ?", [source, file_name])
    _run(con, "delete from raw.quarantine where source = ? and file_name = ?", [source, file_name])
    _run(con, "delete from raw.files where source = ? and file_name = ?", [source, file_name])


def _with_lineage(df: pl.DataFrame, lineage: pl.DataFrame) -> pl.DataFrame:
    """Rows of a chunk (``_file``, ``_sheet``, ``_row``) with their file's lineage."""
    return (
        df.join(lineage, on="_file", how="left", maintain_order="left")
        .rename({"_file": "source_file", "_sheet": "sheet_name", "_row": "row_number"})
    )


def _write_chunk(
    con, spec: SourceSpec, chunk: ChunkResult, lineage: pl.DataFrame, loaded_at: datetime
) -> None:
    """Insert the rows of a chunk: one insert per table, each row with its file's lineage
    (``lineage``: _file, file_sha256, load_seq)."""
    constants = {"loaded_at": loaded_at}
    if chunk.records.height:
        records = _with_lineage(chunk.records, lineage)
        if spec.source == "statistics":  # one row per measure; a file's rows together, in file order
            long = _statistics_long(chunk.records, ["_file"])
            records = _with_lineage(long, lineage).sort("load_seq", maintain_order=True)
        _insert(con, spec.source, records, constants)
    if spec.event_register and chunk.zero.height:
        _insert(con, "zero_reports", _with_lineage(chunk.zero, lineage), constants | {"source": spec.source})
    if chunk.quarantine.height:
        q = _with_lineage(chunk.quarantine, lineage).rename(
            {"_raw_record": "raw_record", "_deaths_in_row": "deaths_in_row", "source_file": "file_name"}
        )
        _insert(con, "quarantine", q, constants | {"source": spec.source})


@dataclass
class _Recorded:
    """A file's raw.files row to be: its report, load_seq, latest date and its own notes."""

    file: SourceFile
    report: FileLoadReport
    load_seq: int
    latest_date: date | None = None
    note_zh: str | None = None  # what the file gave (hidden sheets …), not why it was read again
    note_en: str | None = None


def _record_files(con, source: str, done: list[_Recorded], loaded_at: datetime, judged_against: str) -> None:
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
    _insert(con, "files", rows, {"source": source, "loaded_at": loaded_at, "judged_against": judged_against})


def _reject_file(con, source: str, f: SourceFile, exc: FileRejected, load_seq: int, loaded_at: datetime):
    _run(
        con,
        "insert into raw.quarantine (source, file_name, file_sha256, sheet_name, row_number, column_name, "
        "reason_code, reason_zh, reason_en, raw_record, deaths_in_row, load_seq, loaded_at) "
        "values (?, ?, ?, null, null, null, ?, ?, ?, null, null, ?, ?)",
        [source, f.name, f.sha256, exc.reason_code, exc.reason_zh, exc.reason_en, load_seq, loaded_at],
    )


@dataclass
class _SourcePlan:
    """What one load of a source will do, decided from ``raw.files`` inside its transaction."""

    spec: SourceSpec
    judgment: Judgment
    recorded: dict[str, tuple]  # file name -> its raw.files row
    reports: dict[str, FileLoadReport]  # removed, skipped and ignored entries
    to_delete: list[str]  # files whose rows go: removed from the folder, changed, or judged again
    to_process: list[SourceFile]  # new, changed and re-judged files, in name order
    # unchanged files judged again: name -> (their load_seq, kept; why, as (zh, en) reasons)
    revalidate: dict[str, tuple[int, list[tuple[str, str]]]] = field(default_factory=dict)

    @property
    def new_seqs(self) -> int:
        """How many load_seq numbers the plan takes (re-judged files keep theirs)."""
        return sum(1 for f in self.to_process if f.name not in self.revalidate)


_RECORDED = ("file_name, file_sha256, status, rows_read, rows_loaded, rows_zero_reports, rows_rejected, "
             "reason_zh, reason_en, load_seq, judged_against, latest_date, note_zh, note_en")


def _plan(con, source: str, data_dir: Path, judgment: Judgment) -> _SourcePlan:
    files = list_source_files(Path(data_dir), source)
    recorded = {
        r[0]: r
        for r in con.execute(f"select {_RECORDED} from raw.files where source = ?", [source]).fetchall()
    }
    present = {f.name for f in files}
    spec = SPECS[source]
    plan = _SourcePlan(spec, judgment, recorded, {}, [], [])
    for entry in ignored_entries(Path(data_dir), source):
        plan.reports[entry.name] = FileLoadReport(entry.name, "", "ignored", reason_zh=entry.reason_zh,
                                                  reason_en=entry.reason_en)
    for name in sorted(set(recorded) - present):
        plan.to_delete.append(name)
        plan.reports[name] = FileLoadReport(name, recorded[name][1], "removed")
    for f in files:
        old = recorded.get(f.name)
        if old is not None and old[1] == f.sha256:
            why = judgment.changes(old[10], old[11], spec.judged_against)
            if not why:
                plan.reports[f.name] = FileLoadReport(
                    f.name, f.sha256, "skipped", old[3], old[4], old[5], old[6], old[7], old[8],
                    old[12], old[13],
                )
                continue
            plan.revalidate[f.name] = (old[9], why)
        if old is not None:
            plan.to_delete.append(f.name)
        plan.to_process.append(f)
    return plan


def _notes(*parts: str | list[str] | None, sep: str) -> str | None:
    flat = [p for part in parts for p in ([part] if isinstance(part, str) else part or []) if p]
    return sep.join(flat) or None


def _apply(con, plan: _SourcePlan, seq: int, as_of: date, loaded_at: datetime) -> SourceLoadReport:
    """Carry out a plan in the open transaction; the new and changed files get load_seq seq+1,
    seq+2, …; files judged again keep theirs (revisions resolve as before)."""
    spec, source = plan.spec, plan.spec.source
    judged_against = plan.judgment.record(spec.judged_against)
    for name in plan.to_delete:
        _delete_file_rows(con, source, name)
    reports = dict(plan.reports)
    for chunk in _process_ahead(spec, plan.to_process, as_of):
        lineage: list[tuple[str, str, int]] = []
        recorded_now: list[_Recorded] = []
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
                _reject_file(con, source, f, res, file_seq, loaded_at)
                recorded_now.append(_Recorded(f, rep, file_seq))
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
                recorded_now.append(_Recorded(f, rep, file_seq, res.latest_date,
                                              _notes(res.notes_zh, sep="；"), _notes(res.notes_en, sep="; ")))
            reports[f.name] = rep
        lineage_frame = pl.DataFrame(
            lineage, schema={"_file": pl.String, "file_sha256": pl.String, "load_seq": pl.Int64},
            orient="row",
        )
        try:
            _write_chunk(con, spec, chunk, lineage_frame, loaded_at)
        except duckdb.Error as exc:
            raise _write_error(source, [f.name for f, _ in chunk.files], exc) from exc
        _record_files(con, source, recorded_now, loaded_at, judged_against)
    return SourceLoadReport(source, [reports[k] for k in sorted(reports)])


def _write_error(source: str, names: list[str], exc: Exception) -> InputError:
    """A write DuckDB refused (it should never happen: values are range-checked first) names the
    files being written; the source is rolled back."""
    shown = [printable(n) for n in names[:10]] + (["…"] if len(names) > 10 else [])
    return InputError(
        f"写入 raw.{source} 时出错，该来源已回滚、保持原样（本批文件：{'、'.join(shown)}）：{exc}",
        f"writing raw.{source} failed; the source was rolled back and is as it was (files of this "
        f"batch: {', '.join(shown)}): {exc}",
    )


def _roll_back(con) -> None:
    """Roll back after an error. If DuckDB has already invalidated the database (a fatal error,
    e.g. the disk filled during the commit), the rollback fails too, but nothing was committed:
    the error worth reporting is the first one, so this one is not raised."""
    try:
        _run(con, "rollback")
    except duckdb.Error:
        pass


def _last_load_seq(con) -> int:
    return con.execute("select coalesce(max(load_seq), 0) from raw.files").fetchall()[0][0]


@contextmanager
def _one_duckdb_thread(con):
    """DuckDB on one thread while loading: the inserts are many and small, and its threads would
    only compete with the threads reading and validating the next chunks."""
    threads = con.execute("select current_setting('threads')").fetchall()[0][0]
    _run(con, "set threads = 1")
    try:
        yield
    finally:
        _run(con, f"set threads = {int(threads)}")


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
            planned: dict[str, tuple[_SourcePlan, int]] = {}
            failed: list[SourceOutcome] = []
            for source in sources:
                cur = cursors[source]
                _run(cur, "begin transaction")
                try:
                    plan = _plan(cur, source, data_dir, judgment)
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
                    _run(cur, "commit")
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
