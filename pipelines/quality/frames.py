"""The frames the GX suites validate, read from the build DuckDB (GX 1.x takes pandas).

Two kinds, by when their check runs:

- **Raw frames**, for the checks on ``raw/<source>``: they run right after the loaders, before dbt
  has built anything (a failed one keeps dbt from building on bad rows), so they read the raw
  tables themselves. Each is a plain select of the rows with the as-of date and the covered
  period put beside them (``days_after_as_of``, ``is_region_known`` ...), so the suites stay
  static files.
- **Model frames**, for the checks on the marts: everything a check needs beyond the mart (the
  offending rows of a cross-table rule, derived columns) is a dbt view of ``models/quality/``,
  with its tests, and is read here whole. No rule is computed in Python.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from pipelines.enumerations import SOURCES
from pipelines.quality import config
from pipelines.sql import sql_identifier

# source -> (the date the row is about, the days from that date to the report date)
RAW_ROW_DATES: dict[str, tuple[str, str]] = {
    "accidents": ("t.occurred_at", "date_diff('day', t.reported_date, t.occurred_at::date)"),
    "disasters": ("t.start_date", "date_diff('day', t.reported_date, t.start_date)"),
    "forest_fires": ("t.occurred_at", "date_diff('day', t.reported_date, t.occurred_at::date)"),
    # A year's statistics are about the year: only a year after the as-of year is in the future.
    "statistics": ("make_date(t.year, 1, 1)", "null::integer"),
    "capabilities": ("make_date(t.year, 1, 1)", "null::integer"),
}
# Free text and unit names never leave the warehouse (Data Docs sit beside the reports).
RAW_COLUMNS_LEFT_OUT: dict[str, str] = {
    "accidents": "exclude (extra_columns, summary, unit_name)",
    "disasters": "exclude (extra_columns)",
    "forest_fires": "exclude (extra_columns)",
}


def _df(con, sql: str, params: dict | None = None) -> pd.DataFrame:
    return con.execute(sql, params or {}).df()


# A row frame as SQL over one catalog: the build file's, or the published warehouse attached
# beside it (``increment.py`` compares the two). ``catalog`` is a quoted identifier.


def raw_rows_sql(source: str, catalog: str, as_of: date) -> tuple[str, dict]:
    """Every row of ``raw.<source>`` with the derived columns its ``values_valid`` suite reads."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    event_at, reported_gap = RAW_ROW_DATES[source]
    return (
        f"""
        select t.* {RAW_COLUMNS_LEFT_OUT.get(source, "")},
               date_diff('day', $as_of, ({event_at})::date) as days_after_as_of,
               date_diff('day', ({event_at})::date, $covered_from) as days_before_covered_start,
               date_diff('day', $as_of, t.reported_date::date) as reported_days_after_as_of,
               t.region_code in (select region_code from read_csv($regions, all_varchar = true))
                   as is_region_known,
               {reported_gap} as days_reported_before_occurred
        from {catalog}.raw.{sql_identifier(source)} t
        order by t.source_file, t.row_number
        """,
        {"as_of": as_of, "covered_from": config.COVERED_FROM, "regions": str(config.REGIONS_CSV_PATH)},
    )


def plan_rows_sql(catalog: str, as_of: date) -> tuple[str, dict]:
    """Every row of ``raw.plans`` with the derived columns its ``values_valid`` suite reads (a plan's
    years may lie in the future; its 版本日期 may not)."""
    return (
        f"""
        select t.* exclude (extra_columns),
               t.region_code in (select region_code from read_csv($regions, all_varchar = true))
                   as is_region_known,
               date_diff('day', $as_of, t.version_date) as version_days_after_as_of
        from {catalog}.raw.plans t
        order by t.source_file, t.row_number
        """,
        {"as_of": as_of, "regions": str(config.REGIONS_CSV_PATH)},
    )


def quota_rows_sql(catalog: str, as_of: date) -> tuple[str, dict]:
    """Every row of ``raw.quotas`` with the derived columns its ``values_valid`` suite reads (next
    year's quota may be issued in advance; its 下达日期 may not lie after the as-of date)."""
    return (
        f"""
        select t.* exclude (extra_columns),
               t.region_code in (select region_code from read_csv($regions, all_varchar = true))
                   as is_region_known,
               date_diff('day', $as_of, t.issued_date) as issued_days_after_as_of,
               t.year - year($as_of) as years_after_as_of
        from {catalog}.raw.quotas t
        order by t.source_file, t.row_number
        """,
        {"as_of": as_of, "regions": str(config.REGIONS_CSV_PATH)},
    )


def model_rows_sql(model: str, catalog: str, as_of: date) -> tuple[str, dict]:
    """The rows of the dbt view ``quality.<model>`` (models/quality/). A view is compiled with the
    as-of date of the run that built it: over the published warehouse it gives the rows that run
    validated, whatever ``as_of`` is passed."""
    return f"select * from {catalog}.quality.{sql_identifier(model)}", {}


def _current(con) -> str:
    return sql_identifier(con.execute("select current_database()").fetchone()[0])


def raw_rows(con, source: str, as_of: date) -> pd.DataFrame:
    return _df(con, *raw_rows_sql(source, _current(con), as_of))


def plan_rows(con, as_of: date) -> pd.DataFrame:
    return _df(con, *plan_rows_sql(_current(con), as_of))


def quota_rows(con, as_of: date) -> pd.DataFrame:
    return _df(con, *quota_rows_sql(_current(con), as_of))


def rejected_files(con, source: str) -> pd.DataFrame:
    return _df(
        con,
        """
        select source, file_name, file_sha256, reason_zh, reason_en, loaded_at
        from raw.files where source = $source and status = 'rejected'
        order by file_name
        """,
        {"source": source},
    )


def quarantined_rows(con, source: str) -> pd.DataFrame:
    return _df(
        con,
        """
        select source, file_name, sheet_name, row_number, column_name, reason_code, reason_zh,
               reason_en, coalesce(deaths_in_row, 0) as deaths_in_row
        from raw.quarantine where source = $source
        order by file_name, row_number
        """,
        {"source": source},
    )


def model_rows(con, model: str) -> pd.DataFrame:
    """The rows of the dbt view ``quality.<model>`` (models/quality/), in the view's order."""
    return _df(con, f"select * from quality.{sql_identifier(model)}")
