"""Where the project's files are, and its time zone: facts without Dagster.

The report worker processes (``reports/build.py``, started with ``spawn``) import these through
the report modules; from here they do not import Dagster (~1 s of each worker's start).
``pipelines.settings`` imports them too, and every other module may read them there.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

PROJECT_DIR = Path(__file__).resolve().parent.parent
TIMEZONE = ZoneInfo("Asia/Shanghai")
DEFAULT_DATA_DIR = PROJECT_DIR / "data_raw"
DEFAULT_WAREHOUSE = PROJECT_DIR / "var" / "warehouse" / "em_warehouse.duckdb"
# The top-level reports/ folder: the page templates and styles (in the repository), and the
# published pages under reports/published/ (git-ignored).
REPORTS_DIR = PROJECT_DIR / "reports"
REPORT_TEMPLATES_DIR = REPORTS_DIR / "templates"
REPORT_STYLES_DIR = REPORTS_DIR / "styles"
DEFAULT_REPORTS_DIR = REPORTS_DIR / "published"
DBT_PROJECT_DIR = PROJECT_DIR / "dbt_project"
EXPECTATIONS_DIR = PROJECT_DIR / "expectations"
REGIONS_CSV = DBT_PROJECT_DIR / "seeds" / "regions.csv"
