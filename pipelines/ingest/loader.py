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
from pipelines.ingest.discovery import SourceFile, list_source_files
from pipelines.ingest.errors import FileRejected, InputError
from pipelines.ingest.plans import validator_for
from pipelines.ingest.raw_tables import RAW_TABLES, SOURCES, create_raw_tables
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
    status: str  # loaded / skipped / replaced / removed / rejected
    rows_read: int = 0
    rows_loaded: int = 0
    rows_zero_reports: int = 0
    rows_rejected: int = 0
    reason_zh: str | None = None
    reason_en: str | None = None


@dataclass
class SourceLoadReport:
    source: str
    files: list[FileLoadReport] = field(default_factory=list)

    def _sum(self, attr: str, statuses=("loaded", "replaced", "rejected")) -> int:
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


# --------------------------------------------------------------------------- conflicts


def _value_columns(spec: SourceSpec) -> list[str]:
    return [c.name for c in spec.columns if c.name not in ("region_name",)] + ["is_region_from_name"]


def _conflict_messages(rows: pl.DataFrame, spec: SourceSpec, file_name: str | None) -> pl.DataFrame:
    """rows: _sheet, _row, _key (display), _others (list of row numbers) + _raw_record, _deaths_in_row."""
    key_label = "、".join(spec.col(k).header for k in spec.key if k != "region_code") or "行政区划代码"
    if "region_code" in spec.key and spec.key != ("region_code",):
        key_label += "、行政区划代码"
    rows = rows.with_columns(
        _others_txt=pl.col("_others").cast(pl.List(pl.String)).list.join("、"),
        _others_en=pl.col("_others").cast(pl.List(pl.String)).list.join(", "),
    )
    checks_zh = pl.concat_str(
        [
            pl.lit(f"同一文件中{key_label}（"),
            pl.col("_key"),
            pl.lit("）与填报日期都相同的记录出现多次且数值不同（第 "),
            pl.col("_others_txt"),
            pl.lit(" 行），无法判断哪一条正确，均不入库"),
        ]
    )
    checks_en = pl.concat_str(
        [
            pl.lit(f"the same key {key_label} ("),
            pl.col("_key"),
            pl.lit(
                ") with the same 填报日期 appears more than once in this file with different values (rows "
            ),
            pl.col("_others_en"),
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
    with _others."""
    none = records.select(rows_id).head(0).with_columns(_others=pl.lit(None, pl.List(pl.Int32)))
    if records.height == 0:
        return none
    # only a repeated key can conflict: compare values on those rows alone
    repeated = records.filter(pl.struct(group_cols).is_duplicated())
    if repeated.height == 0:
        return none
    h = repeated.with_columns(_h=pl.struct(value_cols).hash())
    groups = (
        h.group_by(group_cols)
        .agg(_n=pl.col("_h").n_unique(), _others=pl.col("_row").unique().sort())
        .filter(pl.col("_n") > 1)
    )
    if groups.height == 0:
        return none
    return (
        h.join(groups, on=group_cols, how="inner", nulls_equal=True)
        .select(*rows_id, "_others")
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
        dated = ["reported_date"] if "reported_date" in records.columns else []  # plans have none
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
    sheets = read_file(f.path, f.name, spec)
    recs, zeros, rejects = [], [], []
    rows_read = 0
    for sheet in sheets:
        after_footer = False
        for batch in sheet.batches():
            if after_footer:
                continue  # everything after a footer row is not data
            part = dataclasses.replace(sheet, data=batch, lazy=None, cleanup=None)
            validator = validator_for(spec)(spec, part, f.name, as_of)
            res = validator.run()
            after_footer = validator.footer_seen
            rows_read += res.rows_read
            recs.append(res.records)
            zeros.append(res.zero)
            rejects.append(res.rejects.select(QUARANTINE_COLUMNS))
    records, conflicts = _split_conflicts(recs, spec, f.name)
    if conflicts.height:
        rejects.append(conflicts.select(QUARANTINE_COLUMNS))
    quarantine = pl.concat(rejects, how="vertical_relaxed").sort("_sheet", "_row", nulls_last=False)
    return FileResult(records, pl.concat(zeros, how="vertical_relaxed"), quarantine, rows_read)


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


def _read_small_files(spec: SourceSpec, files: list[SourceFile]) -> dict[str, object]:
    """name -> every sheet of the file with all its data rows [(sheet, frame with _file, _sheet,
    _row)], or the FileRejected. The CSV bodies of all files are parsed together."""
    out: dict[str, object] = {}
    for f in files:
        try:
            if f.refused_code:
                raise FileRejected(f.refused_code, f.refused_zh or "", f.refused_en or "")
            out[f.name] = read_file(f.path, f.name, spec)
        except FileRejected as exc:
            out[f.name] = exc
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
        except FileRejected as exc:
            out[name] = exc
            continue
        out[name] = read
    return out


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


def process_chunk(spec: SourceSpec, files: list[SourceFile], as_of: date) -> ChunkResult:
    """Read and validate several files; per file the same rows as :func:`process_file`, for less:
    the sheets of small files that share a header layout are stacked and validated in one pass
    (batch mode of SheetValidator). Large files go through :func:`process_file` (bounded
    memory)."""
    rejected: dict[str, FileRejected] = {}
    rows_read: Counter[str] = Counter()
    parts: dict[str, list[pl.DataFrame]] = {"records": [], "zero": [], "quarantine": []}
    groups: dict[tuple, list[tuple[str, SheetData, pl.DataFrame]]] = {}
    layout_of: dict[tuple, int] = {}  # layout key -> its group's number (the order of groups)
    ranks = []  # (file, layout, rank of the layout among the file's sheets)
    small = []
    n_large = 0
    for f in files:
        if f.size <= BATCH_FILE_BYTES or f.refused_code:
            small.append(f)
            continue
        try:
            res = process_file(spec, f, as_of)
        except FileRejected as exc:
            rejected[f.name] = exc
            continue
        rows_read[f.name] = res.rows_read
        n_large += 1
        for kind in parts:
            parts[kind].append(getattr(res, kind).with_columns(_file=pl.lit(f.name), _layout=pl.lit(-1)))
    for name, sheets in _read_small_files(spec, small).items():
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


def _parse_columns(definition: str) -> list[str]:
    names = []
    for line in definition.splitlines():
        line = line.split("--", 1)[0].strip()
        if line and not line.startswith("{"):
            names.append(line.split()[0])
    return names


_TABLE_COLUMNS = {t: _parse_columns(d) for t, d in RAW_TABLES.items()}


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


def _record_files(con, source: str, done: list[tuple[SourceFile, FileLoadReport, int]],
                  loaded_at: datetime) -> None:
    """One raw.files row per file, in one insert."""
    if not done:
        return
    rows = pl.DataFrame(
        {
            "file_name": [f.name for f, _, _ in done],
            "file_sha256": [f.sha256 for f, _, _ in done],
            "file_size_bytes": [f.size for f, _, _ in done],
            "status": ["rejected" if r.status == "rejected" else "loaded" for _, r, _ in done],
            "rows_read": [r.rows_read for _, r, _ in done],
            "rows_loaded": [r.rows_loaded for _, r, _ in done],
            "rows_zero_reports": [r.rows_zero_reports for _, r, _ in done],
            "rows_rejected": [r.rows_rejected for _, r, _ in done],
            "reason_zh": [r.reason_zh for _, r, _ in done],
            "reason_en": [r.reason_en for _, r, _ in done],
            "load_seq": [seq for _, _, seq in done],
        },
        schema_overrides={"reason_zh": pl.String, "reason_en": pl.String, "load_seq": pl.Int64,
                          "file_size_bytes": pl.Int64},
    )
    _insert(con, "files", rows, {"source": source, "loaded_at": loaded_at})


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
    recorded: dict[str, tuple]  # file name -> its raw.files row
    reports: dict[str, FileLoadReport]  # removed and skipped files
    to_delete: list[str]  # files whose rows go: removed from the folder, or changed
    to_process: list[SourceFile]  # new and changed files, in name order


def _plan(con, source: str, data_dir: Path) -> _SourcePlan:
    files = list_source_files(Path(data_dir), source)
    recorded = {
        r[0]: r
        for r in con.execute(
            "select file_name, file_sha256, status, rows_read, rows_loaded, rows_zero_reports, "
            "rows_rejected, reason_zh, reason_en from raw.files where source = ?",
            [source],
        ).fetchall()
    }
    present = {f.name for f in files}
    plan = _SourcePlan(SPECS[source], recorded, {}, [], [])
    for name in sorted(set(recorded) - present):
        plan.to_delete.append(name)
        plan.reports[name] = FileLoadReport(name, recorded[name][1], "removed")
    for f in files:
        old = recorded.get(f.name)
        if old is not None and old[1] == f.sha256:
            plan.reports[f.name] = FileLoadReport(
                f.name, f.sha256, "skipped", old[3], old[4], old[5], old[6], old[7], old[8]
            )
            continue
        if old is not None:
            plan.to_delete.append(f.name)
        plan.to_process.append(f)
    return plan


def _apply(con, plan: _SourcePlan, seq: int, as_of: date, loaded_at: datetime) -> SourceLoadReport:
    """Carry out a plan in the open transaction; the files processed get load_seq seq+1, seq+2, …"""
    spec, source = plan.spec, plan.spec.source
    for name in plan.to_delete:
        _delete_file_rows(con, source, name)
    reports = dict(plan.reports)
    for chunk in _process_ahead(spec, plan.to_process, as_of):
        lineage: list[tuple[str, str, int]] = []
        recorded_now: list[tuple[SourceFile, FileLoadReport, int]] = []
        for f, res in chunk.files:
            old = plan.recorded.get(f.name)
            seq += 1
            if isinstance(res, FileRejected):
                rep = FileLoadReport(
                    f.name, f.sha256, "rejected",
                    reason_zh=res.reason_zh, reason_en=res.reason_en, rows_rejected=0,
                )
                _reject_file(con, source, f, res, seq, loaded_at)
            else:
                rep = FileLoadReport(
                    f.name,
                    f.sha256,
                    "replaced" if old is not None else "loaded",
                    rows_read=res.rows_read,
                    rows_loaded=res.rows_loaded,
                    rows_zero_reports=res.rows_zero_reports,
                    rows_rejected=res.rows_rejected,
                )
                lineage.append((f.name, f.sha256, seq))
            recorded_now.append((f, rep, seq))
            reports[f.name] = rep
        lineage_frame = pl.DataFrame(
            lineage, schema={"_file": pl.String, "file_sha256": pl.String, "load_seq": pl.Int64},
            orient="row",
        )
        _write_chunk(con, spec, chunk, lineage_frame, loaded_at)
        _record_files(con, source, recorded_now, loaded_at)
    return SourceLoadReport(source, [reports[k] for k in sorted(reports)])


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
                    plan = _plan(cur, source, data_dir)
                except Exception as exc:
                    _roll_back(cur)
                    failed.append(SourceOutcome(source, error=exc))
                    continue
                planned[source] = (plan, seq)
                seq += len(plan.to_process)
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
