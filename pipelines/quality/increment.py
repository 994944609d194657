"""Row-level suites on the increment: which rows of a check's frame this run must validate.

A run builds into a copy of the published warehouse and publishes it only when no blocking check
failed; every row-level suite blocks. So the published warehouse's rows passed every row-level
suite, under the rules and the as-of date of the run that published it. This module lets a
row-level check validate only the rows of its frame that differ from the published warehouse's,
and guarantees that the verdict — and the offending rows — are those of a check of every row:

- **The frame over both files.** The check's frame (``frames.py``: the raw table with its
  derived columns, or the dbt view of ``models/quality/``) is computed over the build file and
  over the published warehouse, attached read-only. Over the published file a view is the one
  published with it, compiled for that run's as-of date; a raw frame is given that date too. So
  the published frame is exactly the frame that run validated — and
- **the baseline proves it.** A check that passes records in ``quality.gate_baseline`` (in the
  build file, published with it) the fingerprint of its rules, the as-of date and the count and
  digest (sum of DuckDB row hashes) of the frame it found valid. The next run uses the increment
  only if its rules fingerprint is the same (the check's GX files, this module, ``frames.py`` and
  ``chunks.py``, every file of the dbt project, GX's and DuckDB's versions), its as-of date is
  not earlier, and the published frame still has the recorded count and digest (the published file is the one
  that was validated: not edited by hand, not published by another version of the code that left
  the baseline as it was). Otherwise, and on a fresh warehouse or ``--rebuild`` (the build file
  starts empty: no baseline), every row is validated.
- **The rows validated** are those of every key (the suite's index columns) that has a build
  row which a published row with the same key differs from (column by column, ``is not distinct
  from``; keys too, so a null sheet name matches a null), or which no published row has; and,
  when the suite expects unique keys, of every key the build frame holds more than once. A key
  with an unchanged row and a new duplicate is thus validated whole, so uniqueness expectations
  see every duplicate.
- **The as-of date.** The columns named ``*_after_as_of`` are left out of the comparison: each is
  a date or year of the same row minus the as-of date, so it is the published row's value
  minus the days (years) the as-of date moved on, and the suites bound those columns from above
  only (checked here: a suite with a lower bound on one is always validated whole). An
  unchanged row therefore passes at the new date as it passed at the old one.
- **Row-wise suites only.** Every expectation of the suite must be about single rows (column
  values, column pairs, multicolumn values; no ``mostly`` below 1, which is about a share of all
  rows) or about uniqueness of columns within the index columns; a suite with any other
  expectation (row counts, means, order of rows ...) is validated whole.

A row of the build frame that is not validated is therefore identical, outside its
``*_after_as_of`` columns, to a row the gate passed, and passes the same expectations; every row
that could fail is in the increment. After a blocked run nothing is published: the baseline
written in its build file is discarded with it, and the next run compares with the same
published warehouse as before (the bad rows are validated, and reported, again).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path

import duckdb

from pipelines.gate_records import GATE_BASELINE, ensure_quality_tables, now_in_china
from pipelines.quality import chunks, config
from pipelines.sql import sql_identifier, sql_string

PUBLISHED = "em_published"  # the catalog name the published warehouse is attached under
BUILD_FRAME = "em_frame_build"
PUBLISHED_FRAME = "em_frame_published"
INCREMENT_KEYS = "em_increment_keys"
AS_OF_SUFFIX = "_after_as_of"
# expectations about single rows (or, compound uniqueness, about duplicates of a key)
ROW_WISE = ("expect_column_values_", "expect_column_pair_values_", "expect_multicolumn_values_",
            "expect_select_column_values_to_be_unique_within_record")
# about duplicates across rows: allowed when their columns are among the index columns
UNIQUE_KEYS = ("expect_compound_columns_to_be_unique", "expect_column_values_to_be_unique",
               "expect_multicolumn_values_to_be_unique")
# named like single-row expectations but about the order of rows
ACROSS_ROWS = ("expect_column_values_to_be_increasing", "expect_column_values_to_be_decreasing")


@dataclass(frozen=True)
class RowFrame:
    """A row-level suite's frame: SQL over one catalog (quoted) at an as-of date, and the columns
    that identify a row (the suite's index columns)."""

    sql: Callable[[str, date], tuple[str, dict]]
    key: tuple[str, ...]


@dataclass
class Coverage:
    """Which rows a check validated, and why."""

    scope: str  # "increment" or "full"
    rows_validated: int
    rows_in_frame: int
    reason_en: str
    fingerprint: str = ""
    digest: str = ""


# --- what a verdict depends on besides the rows ---------------------------------------------


def _gx_files(check_name: str) -> list[Path]:
    root = config.expectations_dir()
    return [root / folder / f"{check_name}.json"
            for folder in ("expectations", "validation_definitions", "checkpoints")]


def rules_fingerprint(check_name: str) -> str:
    from pipelines.transform.project import DBT_PROJECT_DIR, project_files

    digest = hashlib.sha256(check_name.encode() + b"\0")
    for package in ("great_expectations", "duckdb", "pandas"):
        digest.update(f"{package}={metadata.version(package)}\0".encode())
    code = [Path(__file__)] + [Path(__file__).with_name(f) for f in ("frames.py", "chunks.py")]
    for path in _gx_files(check_name) + code:
        digest.update(path.name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"-") + b"\0")
    for path in project_files():
        digest.update(str(path.relative_to(DBT_PROJECT_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def suite_shape(check_name: str, key: tuple[str, ...]) -> tuple[str | None, bool]:
    """(why the suite cannot be validated on an increment or None, whether it expects unique keys)."""
    path = _gx_files(check_name)[0]
    try:
        expectations = json.loads(path.read_text(encoding="utf-8"))["expectations"]
    except (OSError, ValueError, KeyError) as exc:
        return f"suite file unreadable ({exc})", False
    unique = False
    for e in expectations:
        kind, kwargs = e.get("type", ""), e.get("kwargs", {})
        columns = [kwargs.get(k) for k in ("column", "column_A", "column_B")] + list(
            kwargs.get("column_list") or [])
        columns = [str(c) for c in columns if c]
        if kind in UNIQUE_KEYS:
            unique = True
            if not set(columns) <= set(key):
                return f"{kind} on columns outside the index columns {list(key)}", unique
        elif kind in ACROSS_ROWS or not kind.startswith(ROW_WISE):
            return f"{kind} is not about single rows", unique
        if kwargs.get("mostly") not in (None, 1, 1.0):
            return f"{kind} with mostly={kwargs['mostly']} is about a share of all rows", unique
        if AS_OF_SUFFIX in str(kwargs.get("row_condition") or ""):
            return f"{kind} has a row condition on an as-of column", unique
        if any(c.endswith(AS_OF_SUFFIX) for c in columns) and (
            kind != "expect_column_values_to_be_between" or kwargs.get("min_value") is not None
        ):
            return f"{kind} bounds an as-of column from below", unique
    return None, unique


# --- the frames ---------------------------------------------------------------------------


def _current_catalog(con) -> str:
    return sql_identifier(con.execute("select current_database()").fetchone()[0])


def _columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute(f"select * from {table} limit 0").description]


def _digest(con, table: str) -> tuple[int, str]:
    sql = f"select count(*), coalesce(sum(hash(t)), 0)::varchar from {table} t"
    rows, total = con.execute(sql).fetchone()
    return int(rows), str(total)


def _baseline(con, check_name: str):
    try:
        return con.execute(
            "select rules_fingerprint, as_of, frame_rows, frame_digest, run_id "
            f"from {GATE_BASELINE.qualified_name} where check_name = ?", [check_name]
        ).fetchone()
    except duckdb.CatalogException:
        return None


def _not_distinct(columns: list[str], left: str, right: str) -> str:
    return " and ".join(f"{left}.{sql_identifier(c)} is not distinct from {right}.{sql_identifier(c)}"
                        for c in columns) or "true"


def _struct(alias: str, columns: list[str]) -> str:
    return "struct_pack(" + ", ".join(f"{sql_identifier(c)} := {alias}.{sql_identifier(c)}"
                                      for c in columns) + ")"


def _increment_keys(con, key: tuple[str, ...], compared: list[str], unique: bool) -> None:
    """The keys to validate: of every build row that some published row with its key differs
    from, or that no published row has; and, when the
    suite expects unique keys, of every key the build frame holds more than once."""
    keys = ", ".join(sql_identifier(k) for k in key)
    b_keys = ", ".join(f"b.{sql_identifier(k)}" for k in key)
    on = _not_distinct(list(key), "b", "p")
    duplicates = (f"union all select {keys} from {BUILD_FRAME} group by all having count(*) > 1"
                  if unique else "")
    con.execute(
        f"""
        create or replace temp table {INCREMENT_KEYS} as
        select distinct * from (
            select {b_keys} from {BUILD_FRAME} b left join {PUBLISHED_FRAME} p on {on}
            where p.{sql_identifier(key[0])} is null
               or {_struct('b', compared)} is distinct from {_struct('p', compared)}
            {duplicates}
        )
        """
    )


def _why_not_increment(con, check_name: str, frame: RowFrame, as_of: date, published: Path,
                       run_id: str, fingerprint: str) -> str | None:
    """None when the increment may be validated (the published frame is then in PUBLISHED_FRAME
    and the keys to validate in INCREMENT_KEYS); otherwise why every row is validated."""
    baseline = _baseline(con, check_name)
    if baseline is None:
        return ("no earlier validation in this warehouse (a fresh warehouse, --rebuild, or the first "
                "run of this check)")
    base_fp, base_as_of, base_rows, base_digest, base_run = baseline
    if base_run == run_id:
        return "validated earlier in this same run (a retried step)"
    if base_fp != fingerprint:
        return "the rules changed since the last validation (GX suite, frame code, dbt project or versions)"
    if as_of < base_as_of:
        return f"the as-of date {as_of} is earlier than the last validation's {base_as_of}"
    refusal, unique = suite_shape(check_name, frame.key)
    if refusal:
        return f"the suite is not row-wise: {refusal}"
    if not published.exists():
        return "no published warehouse to compare with"
    try:
        con.execute(f"attach {sql_string(published)} as {PUBLISHED} (read_only)")
    except duckdb.Error as exc:
        return f"the published warehouse cannot be opened read-only ({str(exc).splitlines()[0]})"
    try:
        sql, params = frame.sql(PUBLISHED, base_as_of)
        con.execute(f"create or replace temp table {PUBLISHED_FRAME} as {sql}", params)
    except duckdb.Error as exc:
        return f"the published frame cannot be read ({str(exc).splitlines()[0]})"
    if _digest(con, PUBLISHED_FRAME) != (int(base_rows), str(base_digest)):
        return "the published rows are not those the last validation passed"
    columns = _columns(con, BUILD_FRAME)
    if _columns(con, PUBLISHED_FRAME) != columns:
        return "the published frame has other columns"
    try:
        _increment_keys(con, frame.key, [c for c in columns if not c.endswith(AS_OF_SUFFIX)], unique)
    except duckdb.Error as exc:
        return f"the frames cannot be compared ({str(exc).splitlines()[0]})"
    return None


def may_chunk(check_name: str, key: tuple[str, ...]) -> bool:
    """Whether the suite gives the same result on its rows a chunk at a time (``chunks.py``): it is
    about single rows, and any uniqueness it expects is of exactly the index columns (the chunks
    never split a key, so every duplicate of one is in the same chunk)."""
    if suite_shape(check_name, key)[0] is not None:
        return False
    expectations = json.loads(_gx_files(check_name)[0].read_text(encoding="utf-8"))["expectations"]
    for e in expectations:
        kwargs = e.get("kwargs", {})
        columns = {kwargs.get("column")} | set(kwargs.get("column_list") or [])
        if e.get("type") in UNIQUE_KEYS and columns - {None} != set(key):
            return False
    return True


def rows_to_validate(con, check_name: str, frame: RowFrame, as_of: date, published: Path,
                     run_id: str) -> tuple[chunks.RowChunks, Coverage]:
    """The rows of the check's frame this run must validate, in chunks of at most CHUNK_ROWS rows
    (``chunks.py``; in the order of the index columns, the same whether all rows or the increment
    are validated), and what they cover. The chunks live in a temp table of ``con``."""
    fingerprint = rules_fingerprint(check_name)
    sql, params = frame.sql(_current_catalog(con), as_of)
    con.execute(f"create or replace temp table {BUILD_FRAME} as {sql}", params)
    try:
        why = _why_not_increment(con, check_name, frame, as_of, published, run_id, fingerprint)
        selected = f"select f.* from {BUILD_FRAME} f"
        if why is None:
            selected += f" semi join {INCREMENT_KEYS} k on {_not_distinct(list(frame.key), 'f', 'k')}"
        chunk_rows = chunks.CHUNK_ROWS if may_chunk(check_name, frame.key) else None
        rows = chunks.RowChunks.create(con, selected, frame.key, chunk_rows)
        total, digest = _digest(con, BUILD_FRAME)
    finally:
        for table in (BUILD_FRAME, PUBLISHED_FRAME, INCREMENT_KEYS):
            con.execute(f"drop table if exists temp.{table}")
        con.execute(f"detach database if exists {PUBLISHED}")
    coverage = Coverage(
        "increment" if why is None else "full", rows.rows, total,
        why or "only the rows that differ from the published warehouse (the others passed before)",
        fingerprint, digest,
    )
    return rows, coverage


def forget_baseline(con, check_name: str) -> None:
    ensure_quality_tables(con)
    con.execute(f"delete from {GATE_BASELINE.qualified_name} where check_name = ?", [check_name])


def record_baseline(con, check_name: str, passed: bool, coverage: Coverage, as_of: date,
                    run_id: str) -> None:
    """Keep what a passing check found valid (the next run validates the rest); forget it when the
    check failed (a failed check blocks the run: its build file is not published anyway)."""
    forget_baseline(con, check_name)
    if passed:
        con.execute(
            f"insert into {GATE_BASELINE.qualified_name} values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [check_name, coverage.fingerprint, as_of, coverage.rows_in_frame, coverage.digest,
             coverage.rows_validated, coverage.scope, run_id, now_in_china()],
        )
