"""One place for configuration: paths, the as-of date and the gate policy.

Every asset receives these through the ``settings`` resource; nothing reads the working
directory. Environment variables (set by the CLI, or by hand for ``dagster dev``) override the
project defaults.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import duckdb

PROJECT_DIR = Path(__file__).resolve().parent.parent
TIMEZONE = ZoneInfo("Asia/Shanghai")

# Analysts' clients decide the format of the published file: DuckDB CLI 1.5.x reads v1.5.0.
STORAGE_VERSION = "v1.5.0"

DEFAULT_DATA_DIR = PROJECT_DIR / "data_raw"
DEFAULT_WAREHOUSE = PROJECT_DIR / "var" / "warehouse" / "em_warehouse.duckdb"
DEFAULT_REPORTS_DIR = PROJECT_DIR / "reports" / "published"
DBT_PROJECT_DIR = PROJECT_DIR / "dbt_project"
EXPECTATIONS_DIR = PROJECT_DIR / "expectations"
REGIONS_CSV = DBT_PROJECT_DIR / "seeds" / "regions.csv"
# A file the sample generator writes at the top of the data folder: reports then carry a
# 示例数据 banner.
SAMPLE_MARKER = "SAMPLE_DATA.txt"


def today_in_china() -> date:
    return datetime.now(TIMEZONE).date()


class PipelineSettings(dg.ConfigurableResource):
    """Paths and policy for one run. Empty strings mean "the project default"."""

    data_dir: str = ""
    warehouse: str = ""
    reports_dir: str = ""
    as_of: str = ""  # YYYY-MM-DD; empty means today in Asia/Shanghai
    strict: bool = False  # quarantined rows block instead of warning

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
    def reports_path(self) -> Path:
        return Path(self.reports_dir or os.environ.get("EM_REPORTS_DIR") or DEFAULT_REPORTS_DIR).resolve()

    @property
    def reports_build_path(self) -> Path:
        """Reports are written here, then swapped into place when the run publishes."""
        r = self.reports_path
        return r.with_name(f".{r.name}.building")

    @property
    def as_of_date(self) -> date:
        text = self.as_of or os.environ.get("EM_AS_OF", "")
        return date.fromisoformat(text) if text else today_in_china()

    @property
    def is_strict(self) -> bool:
        return self.strict or os.environ.get("EM_STRICT", "") in {"1", "true", "yes"}

    @property
    def is_sample_data(self) -> bool:
        return (self.data_path / SAMPLE_MARKER).exists()

    @contextmanager
    def connect(self, read_only: bool = False):
        """A connection to the private build file; always closed, even on error."""
        con = duckdb.connect(str(self.build_path), read_only=read_only)
        try:
            yield con
        finally:
            con.close()
