"""Loading one source's folder into DuckDB schema ``raw``, file by file, incrementally.

Public API: :func:`load_source`, :class:`SourceLoadReport`, :class:`FileLoadReport`,
:class:`InputError`.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import polars as pl

from pipelines.ingest.contracts import MEASURE_COLUMNS, SPECS, SourceSpec
from pipelines.ingest.discovery import SourceFile, list_source_files
from pipelines.ingest.errors import FileRejected, InputError
from pipelines.ingest.raw_tables import RAW_TABLES, SOURCES, create_raw_tables
from pipelines.ingest.reading import SheetData, read_file
from pipelines.ingest.validation import QUARANTINE_COLUMNS, SheetValidator, build_messages

__all__ = ["FileLoadReport", "SourceLoadReport", "InputError", "load_source", "process_file"]


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
        group = per_file + list(spec.key) + ["reported_date"]
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
            validator = SheetValidator(spec, part, f.name, as_of)
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
CHUNK_FILES = 48  # files per chunk: validated together, then written together
CHUNK_BYTES = 16 << 20


def _layout_key(sheet: SheetData) -> tuple:
    """Sheets with equal keys validate identically (same cells, header labels, units)."""
    return (
        tuple(sheet.headers),
        tuple(None if m is None else (m.col.name, m.factor) for m in sheet.matches),
    )


def _read_whole(spec: SourceSpec, f: SourceFile) -> list[tuple[SheetData, pl.DataFrame]]:
    """Every sheet of a small file with all its data rows (raises FileRejected)."""
    if f.refused_code:
        raise FileRejected(f.refused_code, f.refused_zh or "", f.refused_en or "")
    out = []
    for sheet in read_file(f.path, f.name, spec):
        frames = list(sheet.batches())
        data = frames[0] if len(frames) == 1 else pl.concat(frames, how="vertical_relaxed")
        data = data.with_columns(_file=pl.lit(f.name), _sheet=pl.lit(sheet.sheet_name, pl.String))
        out.append((sheet, data))
    return out


def _split_by_file(df: pl.DataFrame) -> dict[str, pl.DataFrame]:
    return {k[0]: v.drop("_file") for k, v in df.partition_by("_file", as_dict=True).items()}


def process_files(spec: SourceSpec, files: list[SourceFile], as_of: date) -> list[tuple[SourceFile, object]]:
    """Read and validate several files: [(file, FileResult | FileRejected)] in the given order.

    The same result per file as :func:`process_file`, for less: the sheets of small files that
    share a header layout are stacked and validated in one pass (batch mode of SheetValidator).
    Large files go through :func:`process_file` (bounded memory)."""
    results: dict[str, object] = {}
    rows_read: Counter[str] = Counter()
    groups: dict[tuple, list[tuple[str, SheetData, pl.DataFrame]]] = {}
    order: dict[str, list[tuple]] = {}  # file -> its sheets' layout keys, in sheet order
    for f in files:
        if f.size > BATCH_FILE_BYTES and not f.refused_code:
            try:
                results[f.name] = process_file(spec, f, as_of)
            except FileRejected as exc:
                results[f.name] = exc
            continue
        try:
            sheets = _read_whole(spec, f)
        except FileRejected as exc:
            results[f.name] = exc
            continue
        order[f.name] = []
        for sheet, data in sheets:
            key = _layout_key(sheet)
            groups.setdefault(key, []).append((f.name, sheet, data))
            order[f.name].append(key)

    # every layout validated in one pass; conflicts looked for across all layouts of a file
    validated = []
    layout_index = {key: i for i, key in enumerate(groups)}
    for members in groups.values():
        stacked = pl.concat([d for _, _, d in members], how="diagonal_relaxed")
        sheet = dataclasses.replace(members[0][1], sheet_name=None, data=stacked, lazy=None, cleanup=None)
        res = SheetValidator(spec, sheet, None, as_of).run()
        rows_read.update(res.rows_read_by_file or {})
        validated.append(res)
    if not validated:
        return [(f, results[f.name]) for f in files]
    layout = [pl.lit(layout_index[k], pl.Int32).alias("_layout") for k in groups]
    records, conflicts = _split_conflicts(
        [res.records.with_columns(lay) for res, lay in zip(validated, layout, strict=True)], spec, None
    )
    per_file_columns = QUARANTINE_COLUMNS + ["_file"]
    zero = pl.concat(
        [res.zero.with_columns(lay) for res, lay in zip(validated, layout, strict=True)],
        how="vertical_relaxed",
    )
    rejects = pl.concat(
        [res.rejects.select(per_file_columns) for res in validated]
        + ([conflicts.select(per_file_columns)] if conflicts.height else []),
        how="vertical_relaxed",
    )
    split = {kind: (df.head(0).drop("_file"), _split_by_file(df))
             for kind, df in (("records", records), ("zero", zero), ("quarantine", rejects))}
    for name, keys in order.items():
        mine = {kind: by_file.get(name, empty) for kind, (empty, by_file) in split.items()}
        sheet_order = list(dict.fromkeys(layout_index[k] for k in keys))
        for kind in ("records", "zero"):  # a file's rows in its sheets' order, as read
            df = mine[kind]
            if len(sheet_order) > 1:
                rank = {lay: i for i, lay in enumerate(sheet_order)}
                by_rank = pl.col("_layout").replace_strict(rank, return_dtype=pl.Int32)
                df = df.sort(by_rank, maintain_order=True)
            mine[kind] = df.drop("_layout")
        results[name] = FileResult(
            records=mine["records"],
            zero=mine["zero"],
            quarantine=mine["quarantine"].sort("_sheet", "_row", nulls_last=False),
            rows_read=rows_read.get(name, 0),
        )
    return [(f, results[f.name]) for f in files]


def _process_ahead(spec: SourceSpec, files: list[SourceFile], as_of: date, window: int = 2):
    """Yield lists of (file, FileResult | FileRejected), chunk by chunk in file order, working
    on the next chunks on 2 threads meanwhile.

    Reading and validating is pure (files in, frames out) and mostly native polars work, so two
    threads overlap it; at most ``window`` chunks wait in memory for the (sequential) writes.
    """
    chunks: list[list[SourceFile]] = []
    size = 0
    for f in files:
        if not chunks or len(chunks[-1]) >= CHUNK_FILES or size + f.size > CHUNK_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(f)
        size += f.size
    with ThreadPoolExecutor(max_workers=2) as pool:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(pool.submit(process_files, spec, chunk, as_of))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


# --------------------------------------------------------------------------- database


def _run(con, sql: str, params=None) -> None:
    """Execute and read the result fully (DuckDB 2.0: an unread result holds the connection)."""
    con.execute(sql, params or []).fetchall()


def _columns(con, table: str) -> list[str]:
    """Column names of a raw table, from its definition in raw_tables.py (no catalog query)."""
    return _TABLE_COLUMNS[table]


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
    table_cols = _columns(con, table)
    cols = [c for c in table_cols if c in df.columns and c not in constants]
    const_cols = [c for c in table_cols if c in constants]
    view = f"_ingest_{uuid.uuid4().hex}"
    con.register(view, df.select(cols).to_arrow())
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


def _lineage(df: pl.DataFrame) -> pl.DataFrame:
    return df.rename({"_sheet": "sheet_name", "_row": "row_number"})


def _with_lineage(df: pl.DataFrame, f: SourceFile, load_seq: int) -> pl.DataFrame:
    return _lineage(df).with_columns(
        source_file=pl.lit(f.name), file_sha256=pl.lit(f.sha256), load_seq=pl.lit(load_seq, pl.Int64)
    )


def _write_files(con, spec: SourceSpec, done: list[tuple[SourceFile, FileResult, int]],
                 loaded_at: datetime) -> None:
    """Insert the rows of several validated files: one insert per table, each row with its
    file's lineage (file name, SHA-256, load_seq)."""
    if not done:
        return
    table_rows, zero_rows, quarantine_rows = [], [], []
    for f, res, seq in done:
        records = _statistics_long(res.records) if spec.source == "statistics" else res.records
        table_rows.append(_with_lineage(records, f, seq))
        if spec.event_register:
            zero_rows.append(_with_lineage(res.zero, f, seq))
        q = _with_lineage(res.quarantine, f, seq).rename(
            {"_raw_record": "raw_record", "_deaths_in_row": "deaths_in_row", "source_file": "file_name"}
        )
        quarantine_rows.append(q)
    constants = {"loaded_at": loaded_at}
    _insert(con, spec.source, pl.concat(table_rows, how="diagonal_relaxed"), constants)
    if zero_rows:
        _insert(con, "zero_reports", pl.concat(zero_rows, how="diagonal_relaxed"),
                constants | {"source": spec.source})
    _insert(con, "quarantine", pl.concat(quarantine_rows, how="diagonal_relaxed"),
            constants | {"source": spec.source})


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


def load_source(con, source: str, data_dir: Path, as_of: date, loaded_at: datetime) -> SourceLoadReport:
    """Load ``<data_dir>/<source>/`` into ``raw`` incrementally, in one transaction.

    Unchanged files (same name and SHA-256) are skipped; a changed file replaces what it loaded
    before; a file gone from the folder has its rows removed. Raises InputError when the data
    folder does not exist.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")
    spec = SPECS[source]
    files = list_source_files(Path(data_dir), source)
    if loaded_at.tzinfo is not None:
        loaded_at = loaded_at.replace(tzinfo=None)  # wall-clock time, as the column has no zone
    create_raw_tables(con)
    report = SourceLoadReport(source)
    _run(con, "begin transaction")
    try:
        recorded = {
            r[0]: r
            for r in con.execute(
                "select file_name, file_sha256, status, rows_read, rows_loaded, rows_zero_reports, "
                "rows_rejected, reason_zh, reason_en from raw.files where source = ?",
                [source],
            ).fetchall()
        }
        seq = con.execute("select coalesce(max(load_seq), 0) from raw.files").fetchall()[0][0]
        present = {f.name for f in files}
        reports: dict[str, FileLoadReport] = {}
        for name in sorted(set(recorded) - present):
            _delete_file_rows(con, source, name)
            reports[name] = FileLoadReport(name, recorded[name][1], "removed")
        to_process = []
        for f in files:
            old = recorded.get(f.name)
            if old is not None and old[1] == f.sha256:
                reports[f.name] = FileLoadReport(
                    f.name, f.sha256, "skipped", old[3], old[4], old[5], old[6], old[7], old[8]
                )
                continue
            if old is not None:
                _delete_file_rows(con, source, f.name)
            to_process.append(f)
        for chunk in _process_ahead(spec, to_process, as_of):
            written: list[tuple[SourceFile, FileResult, int]] = []
            recorded_now: list[tuple[SourceFile, FileLoadReport, int]] = []
            for f, res in chunk:
                old = recorded.get(f.name)
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
                        rows_loaded=res.records.height,
                        rows_zero_reports=res.zero.height,
                        rows_rejected=res.quarantine.height,
                    )
                    written.append((f, res, seq))
                recorded_now.append((f, rep, seq))
                reports[f.name] = rep
            _write_files(con, spec, written, loaded_at)
            _record_files(con, source, recorded_now, loaded_at)
        report.files = [reports[k] for k in sorted(reports)]
        _run(con, "commit")
    except BaseException:
        _run(con, "rollback")
        raise
    return report
