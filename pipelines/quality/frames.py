"""The frames the GX suites validate, read from the build DuckDB with SQL.

Each function takes an open connection and the as-of date and returns a pandas frame (GX 1.x has
no polars source). Row-level frames carry derived columns (``days_after_as_of``,
``is_region_known`` ...) so the suites stay static files; cross-table rules return the offending
rows only, and their suites expect an empty frame.
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd

from pipelines.ingest.contracts import SPECS, match_header
from pipelines.quality import config


def _lit(value) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _regions_sql() -> str:
    return (
        f"(select region_code, level, parent_code from read_csv({_lit(config.REGIONS_CSV_PATH)}, "
        "all_varchar = true, header = true))"
    )


def _plan_targets(con) -> str:  # noqa: ARG001 - kept for its callers
    """The targets of the plans in force the marts were built from (dbt's int_plan_targets)."""
    return "intermediate.int_plan_targets"


def _df(con, sql: str) -> pd.DataFrame:
    return con.execute(sql).df()


def _date_columns(event_at: str, as_of: date) -> str:
    """Derived columns that put the as-of date and covered period into the frame."""
    return f"""
        date_diff('day', {_lit(as_of)}::date, ({event_at})::date) as days_after_as_of,
        date_diff('day', ({event_at})::date, {_lit(config.COVERED_FROM)}::date) as days_before_covered_start,
        date_diff('day', {_lit(as_of)}::date, t.reported_date::date) as reported_days_after_as_of,
        t.region_code in (select region_code from {_regions_sql()}) as is_region_known
    """


RAW_ROW_FRAMES: dict[str, tuple[str, str]] = {
    # source -> (the date the row is about, the days from that date to the report date)
    "accidents": ("t.occurred_at", "date_diff('day', t.reported_date, t.occurred_at::date)"),
    "disasters": ("t.start_date", "date_diff('day', t.reported_date, t.start_date)"),
    "forest_fires": ("t.occurred_at", "date_diff('day', t.reported_date, t.occurred_at::date)"),
    # A year's statistics are about the year: only a year after the as-of year is in the future.
    "statistics": ("make_date(t.year, 1, 1)", "null::integer"),
    "capabilities": ("make_date(t.year, 1, 1)", "null::integer"),
}


def raw_rows(con, source: str, as_of: date) -> pd.DataFrame:
    """Every row of ``raw.<source>`` with the derived columns its ``values_valid`` suite reads."""
    event_at, reported_gap = RAW_ROW_FRAMES[source]
    # Free text and unit names never leave the warehouse (Data Docs sit beside the reports).
    drop = {
        "accidents": "exclude (extra_columns, summary, unit_name)",
        "disasters": "exclude (extra_columns)",
        "forest_fires": "exclude (extra_columns)",
    }.get(source, "")
    return _df(
        con,
        f"""
        select t.* {drop}, {_date_columns(event_at, as_of)},
               {reported_gap} as days_reported_before_occurred
        from raw.{source} t
        order by t.source_file, t.row_number
        """,
    )


def rejected_files(con, source: str) -> pd.DataFrame:
    return _df(
        con,
        f"""
        select source, file_name, file_sha256, reason_zh, reason_en, loaded_at
        from raw.files where source = {_lit(source)} and status = 'rejected'
        order by file_name
        """,
    )


def quarantined_rows(con, source: str) -> pd.DataFrame:
    return _df(
        con,
        f"""
        select source, file_name, sheet_name, row_number, column_name, reason_code, reason_zh,
               reason_en, coalesce(deaths_in_row, 0) as deaths_in_row
        from raw.quarantine where source = {_lit(source)}
        order by file_name, row_number
        """,
    )


def gdp_revisions(con, share: float = config.GDP_REVISION_WARN_SHARE) -> pd.DataFrame:
    """GDP vintages that move the previous vintage of the same region-year by more than ``share``."""
    return _df(
        con,
        f"""
        with ordered as (
            select region_code, year, value, data_status, vintage_rank, reported_date,
                   source_file, row_number,
                   lag(value) over w as previous_value,
                   lag(data_status) over w as previous_status,
                   lag(source_file) over w as previous_file
            from raw.statistics
            where measure = 'gdp_100m_yuan'
            window w as (partition by region_code, year
                         order by vintage_rank, reported_date nulls first, load_seq, row_number)
        )
        select region_code, year, previous_value, value, previous_status, data_status,
               round((value - previous_value) / previous_value, 4) as change_share,
               previous_file, source_file, row_number
        from ordered
        where previous_value > 0 and abs(value - previous_value) / previous_value > {float(share)}
        order by region_code, year, vintage_rank
        """,
    )


def accident_volume_anomalies(con, as_of: date) -> pd.DataFrame:
    """Months whose accident count is 0 or jumps against the trailing average, per prefecture.

    Counted on the latest revision of each accident, written-off ones left out, grouped to the
    county's prefecture (a county's count is too small for a volume rule). Only the last
    ``VOLUME_LOOKBACK_MONTHS`` complete months are judged; the as-of month is not over yet.
    """
    n = config.VOLUME_TRAILING_MONTHS
    return _df(
        con,
        f"""
        with latest as (
            select *, row_number() over (partition by accident_id
                order by reported_date desc, load_seq desc, row_number desc) as rn
            from raw.accidents
        ),
        acc as (
            select l.accident_id, date_trunc('month', l.occurred_at)::date as month,
                   case when r.level = 'county' and r.parent_code is not null then r.parent_code
                        else l.region_code end as group_code
            from latest l left join {_regions_sql()} r on r.region_code = l.region_code
            where l.rn = 1 and l.status <> '核销'
        ),
        bounds as (
            select group_code, min(month) as first_month,
                   (date_trunc('month', {_lit(as_of)}::date) - interval 1 month)::date as last_month
            from acc group by group_code
        ),
        calendar as (
            select b.group_code, m.month::date as month
            from bounds b, lateral (select unnest(generate_series(b.first_month, b.last_month,
                                                                  interval 1 month)) as month) m
        ),
        counts as (
            select c.group_code, c.month, count(a.accident_id) as accidents
            from calendar c left join acc a on a.group_code = c.group_code and a.month = c.month
            group by c.group_code, c.month
        ),
        windowed as (
            select *, avg(accidents) over w as trailing_average, count(*) over w as trailing_months
            from counts
            window w as (partition by group_code order by month rows between {n} preceding and 1 preceding)
        )
        select group_code as region_code, strftime(month, '%Y-%m') as month, accidents,
               round(trailing_average, 2) as trailing_average,
               case when accidents = 0 then 'zero' else 'jump' end as anomaly
        from windowed
        where trailing_months = {n}
          and month > (date_trunc('month', {_lit(as_of)}::date)
                       - interval {config.VOLUME_LOOKBACK_MONTHS + 1} month)::date
          and ((accidents = 0 and trailing_average >= {config.VOLUME_ZERO_MIN_AVERAGE})
               or (accidents >= {config.VOLUME_JUMP_MIN_COUNT}
                   and accidents > {config.VOLUME_JUMP_FACTOR} * trailing_average))
        order by region_code, month
        """,
    )


# --- marts ------------------------------------------------------------------------------


def indicator_values(con, as_of: date) -> pd.DataFrame:
    return _df(
        con,
        f"""
        select v.*, v.region_code in (select region_code from marts.dim_region) as is_region_known,
               v.year - year({_lit(as_of)}::date) as years_after_as_of,
               {config.COVERED_FROM.year} - v.year as years_before_covered_start
        from marts.fct_indicator_values v
        """,
    )


def denominators(con, as_of: date) -> pd.DataFrame:
    return _df(
        con,
        f"""
        select d.*, d.region_code in (select region_code from marts.dim_region) as is_region_known,
               d.gdp_100m_yuan / nullif(d.population_10k, 0) as gdp_per_head_10k_yuan,
               d.year - year({_lit(as_of)}::date) as years_after_as_of,
               {config.COVERED_FROM.year} - d.year as years_before_covered_start
        from marts.fct_denominators d
        """,
    )


def _denominators_long() -> str:
    cols = ", ".join(f"{m}::double as {m}" for m in config.MEASURES)
    return f"""
        (unpivot (select region_code, year, {cols} from marts.fct_denominators)
         on {", ".join(config.MEASURES)} into name measure value value)
    """


def _last_required_year(as_of: date) -> int:
    return as_of.year - config.DENOMINATOR_LAG_YEARS


def missing_event_denominators(con, as_of: date) -> pd.DataFrame:
    """Region-years with events (accidents, disasters, forest fires) lacking a needed denominator."""
    needs = ", ".join(
        f"({_lit(src)}, {_lit(m)})" for src, measures in config.EVENT_MEASURES.items() for m in measures
    )
    return _df(
        con,
        f"""
        with events as (
            select region_code, year, 'accidents' as source, count(*) as events
            from marts.fct_accidents where not is_written_off group by all
            union all
            select region_code, year, 'disasters', count(distinct event_id)
            from marts.fct_disaster_losses group by all
            union all
            select region_code, year, 'forest_fires', count(*) from marts.fct_forest_fires group by all
        ),
        needs(source, measure) as (values {needs}),
        required as (
            select e.region_code, e.year, n.measure,
                   string_agg(e.source || ':' || e.events, ', ' order by e.source) as events
            from events e join needs n using (source)
            where e.year between {config.COVERED_FROM.year} and {_last_required_year(as_of)}
            group by all
        )
        select r.region_code, r.year, r.measure, r.events
        from required r
        anti join {_denominators_long()} d
            on d.region_code = r.region_code and d.year = r.year and d.measure = r.measure
        order by r.region_code, r.year, r.measure
        """,
    )


def missing_plan_denominators(con, as_of: date) -> pd.DataFrame:
    """Plan jurisdictions lacking a denominator one of their targets needs, per year.

    The years are each plan's own (int_plan_targets): its plan years up to the last year whose
    statistics are due, and its base year for decline targets. (A previous period without its
    denominators only leaves a period mean's change unshown, with the reason: not a blocker.)
    """
    needs = ", ".join(
        f"({_lit(ind)}, {_lit(m)})" for ind, measures in config.INDICATOR_MEASURES.items() for m in measures
    )
    last = _last_required_year(as_of)
    return _df(
        con,
        f"""
        with reporting as (
            -- Jurisdictions this warehouse holds filings for (records or 零报告). A jurisdiction
            -- without any filing is out of this load's scope: its targets show 数据不足.
            select distinct b.rollup_region_code as region_code
            from marts.bridge_region_rollup b
            join marts.fct_submission_coverage c on c.region_code = b.county_region_code
            where c.is_covered
        ),
        targets as (
            select t.region_code, t.indicator_code, t.target_kind, t.start_year, t.end_year, t.baseline_year
            from {_plan_targets(con)} t
            where t.region_code in (select region_code from reporting)
        ),
        needs(indicator_code, measure) as (values {needs}),
        years as (
            select t.region_code, t.indicator_code, y.year
            from targets t,
                 lateral (select unnest(range(t.start_year, least(t.end_year, {last}) + 1)) as year) y
            union
            select region_code, indicator_code, baseline_year
            from targets where target_kind = 'decline_pct' and baseline_year <= {last}
        ),
        required as (
            select y.region_code, y.year, n.measure,
                   string_agg(distinct y.indicator_code, ', ' order by y.indicator_code) as indicators
            from years y join needs n using (indicator_code)
            group by all
        )
        select r.region_code, r.year, r.measure, r.indicators
        from required r
        anti join {_denominators_long()} d
            on d.region_code = r.region_code and d.year = r.year and d.measure = r.measure
        order by r.region_code, r.year, r.measure
        """,
    )


def plan_progress(con, as_of: date) -> pd.DataFrame:
    return _df(
        con,
        f"""
        with targets as (
            select plan_id, region_code, try_cast(seq as integer) as seq
            from {_plan_targets(con)}
        )
        select p.*,
               exists (select 1 from targets t where t.plan_id = p.plan_id
                       and t.region_code = p.region_code and t.seq = p.seq) as is_target_known,
               coalesce(p.evaluated_year, 0) - year({_lit(as_of)}::date) as years_after_as_of
        from marts.fct_plan_progress p
        """,
    )


def plan_target_rows(con) -> int:
    return con.execute(
        f"select count(*) from {_plan_targets(con)}"
    ).fetchall()[0][0]


def missing_submissions(con, as_of: date) -> pd.DataFrame:
    """催报清单 rows for months already due (the as-of month is still open)."""
    return _df(
        con,
        f"""
        select region_code, region_name, prefecture_code, source, strftime(month::date, '%Y-%m') as month
        from marts.fct_missing_submissions
        where month::date < date_trunc('month', {_lit(as_of)}::date)
        order by source, region_code, month
        """,
    )


def plan_rows(con, as_of: date) -> pd.DataFrame:
    """Every row of ``raw.plans`` with the derived columns its ``values_valid`` suite reads."""
    return _df(
        con,
        f"""
        select t.* exclude (extra_columns),
               t.region_code in (select region_code from {_regions_sql()}) as is_region_known,
               date_diff('day', {_lit(as_of)}::date, t.version_date) as version_days_after_as_of
        from raw.plans t
        order by t.source_file, t.row_number
        """,
    )


def plans_not_in_force(con, as_of: date) -> pd.DataFrame:  # noqa: ARG001 - the frames' signature
    """Plans the plan files name that are not in force, so that no report shows them: every
    version rejected (equal or missing 版本日期, marts.dim_plan_version), or every row quarantined
    (its 规划编号 and 行政区划代码 read from the quarantined cells, as the loader matched headers)."""
    in_force = {tuple(r) for r in con.execute("select plan_id, region_code from marts.dim_plan").fetchall()}
    found: dict[tuple[str, str], dict] = {}
    for plan_id, region, file_name, reason_zh, reason_en in con.execute(
        "select plan_id, region_code, source_file, status_reason_zh, status_reason_en "
        "from marts.dim_plan_version where version_status = 'rejected' order by source_file"
    ).fetchall():
        if (plan_id, region) not in in_force:
            entry = found.setdefault((plan_id, region), {"file_name": file_name, "reason_zh": reason_zh,
                                                         "reason_en": reason_en})
            if file_name not in entry["file_name"].split("、"):
                entry["file_name"] += "、" + file_name
    spec = SPECS["plans"]
    for file_name, reason_zh, reason_en, record in con.execute(
        "select file_name, reason_zh, reason_en, raw_record from raw.quarantine "
        "where source = 'plans' and raw_record is not null order by file_name, row_number"
    ).fetchall():
        cells = {}
        for header, value in json.loads(record).items():
            match = match_header(spec, header)
            if match is not None and match.col.name in ("plan_id", "region_code") and value:
                cells[match.col.name] = str(value).strip()
        key = (cells.get("plan_id"), cells.get("region_code"))
        if None in key or key in in_force or key in found:
            continue
        found[key] = {"file_name": file_name, "reason_zh": reason_zh, "reason_en": reason_en}
    rows = [{"plan_id": p, "region_code": r, **v} for (p, r), v in sorted(found.items())]
    return pd.DataFrame(rows, columns=["plan_id", "region_code", "file_name", "reason_zh", "reason_en"])
