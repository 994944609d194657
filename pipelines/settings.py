"""One place for configuration: paths, the as-of date and the gate policy.

Every asset receives these through the ``settings`` resource; nothing reads the working
directory. Environment variables (set by the CLI, or by hand for ``dagster dev``) override the
project defaults.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.errors import PipelineError
from pipelines.paths import (  # noqa: F401 - re-exported: pipelines.settings.X is read everywhere
    DBT_PROJECT_DIR,
    DEFAULT_DATA_DIR,
    DEFAULT_REPORTS_DIR,
    DEFAULT_WAREHOUSE,
    EXPECTATIONS_DIR,
    PROJECT_DIR,
    REGIONS_CSV,
    REPORT_STYLES_DIR,
    REPORT_TEMPLATES_DIR,
    REPORTS_DIR,
    TIMEZONE,
)

# Analysts' clients decide the format of the published file: DuckDB CLI 1.5.x reads v1.5.0.
STORAGE_VERSION = "v1.5.0"
# A file the sample generator writes at the top of the data folder: reports then carry a
# 示例数据 banner.
SAMPLE_MARKER = "SAMPLE_DATA.txt"
# DuckDB's memory_limit of a run that builds the warehouse: dbt's DuckDB (in its own process)
# gets all of it; the pipeline's own connections (ingest, checks, reports, in the process that
# also holds Python, polars batches and GX's pandas frames; the Parquet export too) half of it
# (PIPELINE_SHARE; a quarter for the export made a national export 4.8 -> 11.9 s, spilling, for
# ~250 MB less at 4x: docs/performance.md, round 6). DuckDB's own default is 80 % of
# the machine's RAM, which a national build filled (6 GB). Beyond its limit DuckDB spills to a
# folder beside the private build file (``.<name>.building.tmp``). EM_DUCKDB_MEMORY_LIMIT
# overrides it (e.g. 4GB, 512MB). The limit applies to DuckDB's buffer manager: a process holds
# more (dbt's Python ~0.4 GB, the pipeline's 0.4-0.9 GB). dbt's share stays 1GB: at 8x national,
# 512MB is too little for fct_monthly_situation (DuckDB: out of memory, the run fails); with the
# pipeline at 1GB too, its process reached 1.8-1.9 GB at 4x (docs/performance.md, rounds 4 and 6).
DEFAULT_DUCKDB_MEMORY_LIMIT = "1GB"
PIPELINE_SHARE = 2  # the pipeline's connections (the Parquet export's included): 1/2 of it
_MEMORY_FORM = re.compile(r"(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.I)
# DuckDB's units: KB, MB … are powers of 1000, KiB, MiB … of 1024
_UNIT_BYTES = {"b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
               "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}


def today_in_china() -> date:
    return datetime.now(TIMEZONE).date()


_AS_OF_FORM = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_as_of(text: str, where: str = "--as-of") -> date:
    """The as-of date in its one documented form, ``YYYY-MM-DD`` (e.g. 2026-11-30). Anything else
    (2024/06/30, 20240630, 2024-6-30, 2024-13-01) is refused with a message in both languages:
    a date silently read another way would move every "future date" check."""
    m = _AS_OF_FORM.fullmatch(text.strip())
    if m is None:
        raise PipelineError(
            f"{where} 应为 YYYY-MM-DD 格式的日期（如 2026-11-30），实际为“{text}”",
            f"{where} must be a date written YYYY-MM-DD (e.g. 2026-11-30); got '{text}'",
        )
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise PipelineError(
            f"{where} 的“{text}”不是有效的日期（月份应为 01–12，日应在该月的天数之内）",
            f"{where} '{text}' is not a valid date (the month must be 01-12 and the day within the month)",
        ) from None


def parse_memory_limit(text: str, where: str) -> str:
    """A DuckDB memory size (``1GB``, ``512MB``, ``2.5GiB``); anything else is refused with a
    message in both languages, before the run starts."""
    if _MEMORY_FORM.fullmatch(text.strip()) is None:
        raise PipelineError(
            f"{where} 应为内存大小，如 1GB、512MB、2GiB，实际为“{text}”",
            f"{where} must be a memory size such as 1GB, 512MB or 2GiB; got '{text}'",
        )
    return text.strip()


def memory_share(limit: str, share: int) -> str:
    """``limit`` (a size :func:`parse_memory_limit` accepted) divided by ``share``, in DuckDB's MB
    (``1GB`` / 2 = ``500MB``); never below 1MB."""
    number, unit = _MEMORY_FORM.fullmatch(limit.strip()).groups()
    return f"{max(1, int(float(number) * _UNIT_BYTES[unit.lower()] / share // 10**6))}MB"


_SAMPLE_AS_OF = re.compile(r"^as-of:\s*(\d{4}-\d{2}-\d{2})\s*$", re.M)


def sample_as_of(data_dir: Path) -> date | None:
    """The date a generated sample folder is made as of (line ``as-of: YYYY-MM-DD`` of its
    SAMPLE_DATA.txt), else None.

    A sample holds what was filed by that date: run on a later day with today's date, it would
    show every month since as missing. A run without an explicit as-of uses this date instead."""
    try:
        text = (data_dir / SAMPLE_MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    found = _SAMPLE_AS_OF.search(text)
    try:
        return date.fromisoformat(found.group(1)) if found else None
    except ValueError:
        return None


class PipelineSettings(dg.ConfigurableResource):
    """Paths and policy for one run. Empty strings mean "the project default"."""

    data_dir: str = ""
    warehouse: str = ""
    reports_dir: str = ""
    # YYYY-MM-DD (the only form accepted); empty: the sample's own as-of date, else today in
    # Asia/Shanghai
    as_of: str = ""
    strict: bool = False  # quarantined rows block instead of warning
    # DuckDB's memory limit, e.g. "1GB"; empty: EM_DUCKDB_MEMORY_LIMIT, else DEFAULT_DUCKDB_MEMORY_LIMIT
    duckdb_memory_limit: str = ""

    # --- resolved values -------------------------------------------------------------
    @property
    def data_path(self) -> Path:
        return Path(self.data_dir or os.environ.get("EM_DATA_DIR") or DEFAULT_DATA_DIR).resolve()

    @property
    def warehouse_path(self) -> Path:
        """The published, analyst-facing file. Only ever replaced whole by atomic rename."""
        return Path(self.warehouse or os.environ.get("EM_WAREHOUSE") or DEFAULT_WAREHOUSE).resolve()

    @property
    def build_path(self) -> Path:
        """The private file the pipeline works in, beside the published one."""
        w = self.warehouse_path
        return w.with_name(f".{w.name}.building")

    @property
    def spill_path(self) -> Path:
        """Where DuckDB writes what does not fit in its memory limit: beside the build file."""
        b = self.build_path
        return b.with_name(f"{b.name}.tmp")

    @property
    def memory_limit(self) -> str:
        """DuckDB's memory_limit for the build: dbt's (see DEFAULT_DUCKDB_MEMORY_LIMIT)."""
        if self.duckdb_memory_limit:
            return parse_memory_limit(self.duckdb_memory_limit, "duckdb_memory_limit")
        if os.environ.get("EM_DUCKDB_MEMORY_LIMIT", ""):
            return parse_memory_limit(os.environ["EM_DUCKDB_MEMORY_LIMIT"], "EM_DUCKDB_MEMORY_LIMIT")
        return DEFAULT_DUCKDB_MEMORY_LIMIT

    @property
    def duckdb_config(self) -> dict[str, str]:
        """The configuration of the pipeline's DuckDB connections to the build file (dbt's gets the
        same through the environment, with the whole ``memory_limit``: dbt_project/profiles.yml):
        half the memory limit (PIPELINE_SHARE). No flush to disk at each commit
        (``fsync_mode``): the build file is private, started afresh by every run and thrown away
        by a failed one, and publication checkpoints and flushes it before it swaps it in
        (``publish/publication.py``); what analysts open is never written this way."""
        return {"memory_limit": memory_share(self.memory_limit, PIPELINE_SHARE),
                "temp_directory": str(self.spill_path), "fsync_mode": "NONE"}

    @property
    def reports_path(self) -> Path:
        return Path(self.reports_dir or os.environ.get("EM_REPORTS_DIR") or DEFAULT_REPORTS_DIR).resolve()

    @property
    def reports_build_path(self) -> Path:
        """Reports are written here, then swapped into place when the run publishes."""
        r = self.reports_path
        return r.with_name(f".{r.name}.building")

    @property
    def as_of_date(self) -> date:
        if self.as_of:
            return parse_as_of(self.as_of)
        if os.environ.get("EM_AS_OF", ""):
            return parse_as_of(os.environ["EM_AS_OF"], "EM_AS_OF")
        return sample_as_of(self.data_path) or today_in_china()

    @property
    def as_of_origin(self) -> str:
        """Where the as-of date comes from: 'given' (--as-of, EM_AS_OF), 'sample' or 'today'."""
        if self.as_of or os.environ.get("EM_AS_OF", ""):
            return "given"
        return "sample" if sample_as_of(self.data_path) else "today"

    @property
    def is_strict(self) -> bool:
        return self.strict or os.environ.get("EM_STRICT", "") in {"1", "true", "yes"}

    @property
    def is_sample_data(self) -> bool:
        return (self.data_path / SAMPLE_MARKER).exists()

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        # Every step needs this resource: a run selecting part of the graph is refused here.
        from pipelines.whole_run import refuse_selection_without_first_step

        refuse_selection_without_first_step(context.run, context.instance)

    @contextmanager
    def connect(self, read_only: bool = False):
        """A connection to the private build file; always closed, even on error. While
        :func:`keep_build_file_open` holds the file, opening and closing it costs nothing."""
        if read_only:
            keep_build_file_open(False)  # DuckDB: one process writes, or many read
        elif _HELD["enabled"] and _HELD["path"] != str(self.build_path):
            _release_held()
            _HELD["con"] = duckdb.connect(str(self.build_path), config=self.duckdb_config)
            _HELD["path"] = str(self.build_path)
        con = duckdb.connect(str(self.build_path), read_only=read_only, config=self.duckdb_config)
        try:
            yield con
        finally:
            con.close()


# One connection to the build file held open between the steps of a run: every step and check
# opens its own connection (``connect``), and DuckDB opens the file, reads its catalog and, at
# the last close, checkpoints it: ~30 ms each, ~80 times a run. With a connection held, the others
# join the open database. Held from the end of ``warehouse_workspace`` to the first read-only
# connection (the reports, whose worker processes open the file read-only), and never while dbt
# (another process) writes the file; let go at the start of every run (before the build file is
# made afresh) and at its end (``runner.py``). (Not a resource teardown: a resource with one is
# a context manager for Dagster, which sensors' test contexts refuse.)
_HELD: dict = {"enabled": False, "con": None, "path": None}


def _release_held() -> None:
    con, _HELD["con"], _HELD["path"] = _HELD["con"], None, None
    if con is not None:
        con.close()


def keep_build_file_open(enabled: bool) -> None:
    """Hold the build file open from the next ``connect`` on (True), or close it now (False)."""
    if not enabled:
        _release_held()
    _HELD["enabled"] = enabled
