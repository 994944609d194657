"""Every read the reports make: plain selects from marts.*, quality.* (and the quarantine count).

No indicator is computed here or anywhere in the reports: values, intervals, statuses and
changes come as the marts give them. Sections whose table is not (yet) in the warehouse come
back empty and say so in the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

Row = dict[str, Any]


def fetch(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[Row]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


@dataclass
class Catalog:
    """Which tables exist, so that a missing optional table empties its section only."""

    tables: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection) -> Catalog:
        rows = fetch(
            con,
            "select table_schema || '.' || table_name as t from information_schema.tables"
            " where table_catalog = current_database()",
        )
        return cls({r["t"] for r in rows})

    def has(self, table: str) -> bool:
        return table in self.tables

    def find(self, name: str, schemas: tuple[str, ...]) -> str | None:
        for s in schemas:
            if f"{s}.{name}" in self.tables:
                return f"{s}.{name}"
        return None


REQUIRED = (
    "marts.dim_region",
    "marts.dim_indicator",
    "marts.dim_plan",
    "marts.fct_plan_progress",
    "marts.fct_indicator_values",
)


def plans(con) -> list[Row]:
    """Every plan in force with its jurisdiction: one report each (a region's plans in time order)."""
    return fetch(
        con,
        """
        select p.*, coalesce(r.region_name, p.region_code) as jurisdiction_name, r.level
        from marts.dim_plan p
        left join marts.dim_region r using (region_code)
        order by p.region_code, p.start_year, p.plan_id
        """,
    )


def indicators(con) -> list[Row]:
    return fetch(con, "select * from marts.dim_indicator order by indicator_code")


def national_reference(con, table: str | None) -> list[Row]:
    if table is None:
        return []
    return fetch(con, f"select year, indicator, value, unit, source_note from {table} order by year")


class RegionReads:
    """The reads of a set of reports about their own regions, each one query for all of them.

    A report reads ~12 sets of rows about its region (progress, series, counties, accidents…).
    One query per read and report costs ~50 ms a report, most of it DuckDB's fixed cost per
    query; at national scale (342 reports) that is most of the report stage. Here each read is
    one query over every region of the set (``list_contains(?, region)``), run on first use and
    grouped by region, in the query's order within a region. The SQL of each read is written
    once, for any number of regions; filters that differ between reports (a plan's first year,
    a report's indicator codes) are applied by the caller.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, regions: list[str]):
        self.con = con
        self.regions = list(regions)
        self._grouped: dict[tuple, dict[str, list[Row]]] = {}

    def _rows(self, region: str, sql: str, *params) -> list[Row]:
        key = (sql, params)
        if key not in self._grouped:
            grouped: dict[str, list[Row]] = {}
            for row in fetch(self.con, sql, [self.regions, *params]):
                grouped.setdefault(row.pop("_region"), []).append(row)
            self._grouped[key] = grouped
        return [dict(r) for r in self._grouped[key].get(region, [])]

    def plan_progress(self, region: str) -> list[Row]:
        return self._rows(
            region,
            """
            -- p.*: the contract's columns, plus any the mart adds (curb_reference_mean, evaluation)
            select p.region_code as _region, p.*, i.indicator_name_zh, i.unit_zh, i.unit_en, i.kind,
                   i.is_count_based as indicator_is_count_based, i.numerator_unit_zh,
                   b.numerator as baseline_count, e.numerator as evaluated_count
            from marts.fct_plan_progress p
            left join marts.dim_indicator i using (indicator_code)
            left join marts.fct_indicator_values b
              on b.region_code = p.region_code and b.indicator_code = p.indicator_code
             and b.year = p.baseline_year
            left join marts.fct_indicator_values e
              on e.region_code = p.region_code and e.indicator_code = p.indicator_code
             and e.year = p.evaluated_year
            where list_contains(?, p.region_code)
            order by p.region_code, p.plan_id, p.seq
            """,
        )

    def period_comparison(self, region: str) -> list[Row]:
        """The final evaluation's rows of the region (callers pick the plan's period)."""
        return self._rows(
            region,
            """
            select c.region_code as _region, c.*, i.indicator_name_zh, i.unit_zh, i.unit_en, i.kind,
                   i.is_count_based, i.numerator_unit_zh, i.sort_order
            from marts.fct_period_comparison c
            join marts.dim_indicator i using (indicator_code)
            where list_contains(?, c.region_code)
            order by c.region_code, i.sort_order
            """,
        )

    def county_period_comparison(self, prefecture: str) -> list[Row]:
        """The final evaluation's rows of the prefecture's county-level units."""
        return self._rows(
            prefecture,
            """
            select r.prefecture_code as _region, c.*
            from marts.fct_period_comparison c
            join marts.dim_region r using (region_code)
            where list_contains(?, r.prefecture_code) and r.level = 'county'
            order by r.prefecture_code, c.region_code, c.indicator_code
            """,
        )

    def plan_ytd(self, region: str) -> list[Row]:
        return self._rows(
            region,
            """
            select y.region_code as _region, y.*, i.indicator_name_zh, i.unit_zh
            from marts.fct_plan_ytd y
            left join marts.dim_indicator i using (indicator_code)
            where list_contains(?, y.region_code)
            order by y.region_code, y.plan_id, y.seq
            """,
        )

    def plan_outlook(self, region: str) -> list[Row]:
        return self._rows(
            region,
            """
            select o.region_code as _region, o.*, i.indicator_name_zh, i.unit_zh, i.kind
            from marts.fct_plan_outlook o
            left join marts.dim_indicator i using (indicator_code)
            where list_contains(?, o.region_code)
            order by o.region_code, o.plan_id, o.seq
            """,
        )

    def indicator_series(self, region: str) -> list[Row]:
        """Every indicator of the region, by indicator and year (callers pick the codes)."""
        return self._rows(
            region,
            """
            select region_code as _region, indicator_code, year, numerator, denominator, value,
                   value_ci_low, value_ci_high, is_current_year, months_covered
            from marts.fct_indicator_values
            where list_contains(?, region_code)
            order by region_code, indicator_code, year
            """,
        )

    def region(self, code: str) -> Row | None:
        rows = self._rows(
            code, "select region_code as _region, * from marts.dim_region where list_contains(?, region_code)"
        )
        return rows[0] if rows else None

    def counties(self, prefecture: str) -> list[Row]:
        return self._rows(
            prefecture,
            "select prefecture_code as _region, region_code, region_name from marts.dim_region"
            " where list_contains(?, prefecture_code) and level = 'county'"
            " order by prefecture_code, region_code",
        )

    def county_values(self, prefecture: str) -> list[Row]:
        """Every indicator value of the prefecture's counties (callers pick codes and years)."""
        return self._rows(
            prefecture,
            """
            select r.prefecture_code as _region, v.region_code, v.indicator_code, v.year,
                   v.numerator, v.value, v.value_ci_low, v.value_ci_high
            from marts.fct_indicator_values v
            join marts.dim_region r using (region_code)
            where list_contains(?, r.prefecture_code) and r.level = 'county'
            order by r.prefecture_code, v.region_code, v.indicator_code, v.year
            """,
        )

    def ytd(self, region: str, year: int) -> list[Row]:
        return self._rows(
            region,
            """
            select y.region_code as _region, y.indicator_code, y.year, y.through_month, y.value_ytd,
                   y.prior_year_value_same_months, y.change_pct, y.is_complete, y.due_through_month,
                   i.indicator_name_zh, i.unit_zh, i.kind
            from marts.fct_ytd_comparison y
            left join marts.dim_indicator i using (indicator_code)
            where list_contains(?, y.region_code) and y.year = ?
            order by y.region_code, y.indicator_code
            """,
            year,
        )

    def accident_breakdown(self, region: str) -> list[Row]:
        """All years (callers start at their plan's first year)."""
        return self._rows(
            region,
            """
            select region_code as _region, year, sector, is_industrial, severity_class, accidents, deaths
            from marts.fct_accident_breakdown
            where list_contains(?, region_code)
            order by region_code, year, sector, severity_class
            """,
        )

    def serious_accidents(self, region: str) -> list[Row]:
        """All years, with ``year`` (callers start at their plan's first year)."""
        # Deliberately no unit_name, summary or any other free text: only what the list shows.
        return self._rows(
            region,
            """
            select b.rollup_region_code as _region, a.year, a.occurred_date, a.region_code,
                   coalesce(r.region_name, a.region_code) as region_name,
                   a.sector, a.severity_class, a.severity_class_zh, a.deaths_incl_missing
            from marts.fct_accidents a
            join marts.bridge_region_rollup b on b.county_region_code = a.region_code
            left join marts.dim_region r on r.region_code = a.region_code
            where list_contains(?, b.rollup_region_code) and not coalesce(a.is_written_off, false)
              and a.severity_class in ('larger', 'major', 'extraordinary')
            -- a total order: the same report every run
            order by b.rollup_region_code, a.occurred_date, a.region_code, a.accident_id
            """,
        )

    def severity_findings(self, region: str) -> list[Row]:
        return self._rows(
            region,
            """
            select b.rollup_region_code as _region, f.occurred_date,
                   coalesce(r.region_name, f.region_code) as region_name,
                   f.reported_severity, f.severity_class_zh
            from marts.fct_severity_findings f
            join marts.bridge_region_rollup b on b.county_region_code = f.region_code
            left join marts.dim_region r on r.region_code = f.region_code
            where list_contains(?, b.rollup_region_code)
            order by b.rollup_region_code, f.occurred_date, f.region_code, f.accident_id
            """,
        )

    def disaster_breakdown(self, region: str) -> list[Row]:
        """All years (callers start at their plan's first year)."""
        return self._rows(
            region,
            """
            select region_code as _region, year, hazard, events, dead_missing, affected_person_times,
                   direct_loss_100m_yuan
            from marts.fct_disaster_breakdown
            where list_contains(?, region_code)
            order by region_code, year, hazard
            """,
        )

    def capability_values(self, region: str) -> list[Row]:
        return self._rows(
            region,
            """
            select v.region_code as _region, v.indicator_code, i.indicator_name_zh, i.unit_zh, v.year, v.value
            from marts.fct_indicator_values v
            join marts.dim_indicator i using (indicator_code)
            where list_contains(?, v.region_code) and i.kind = 'capability'
            order by v.region_code, v.indicator_code, v.year
            """,
        )

    def missing_submissions(self, region: str, year: int) -> list[Row]:
        return self._rows(
            region,
            """
            select b.rollup_region_code as _region, m.region_code, m.region_name, m.source, m.month
            from marts.fct_missing_submissions m
            join marts.bridge_region_rollup b on b.county_region_code = m.region_code
            where list_contains(?, b.rollup_region_code) and year(m.month) = ?
            order by b.rollup_region_code, m.month, m.region_code, m.source
            """,
            year,
        )


def quality_run(con, run_id: str) -> Row | None:
    rows = fetch(con, "select * from quality.runs where run_id = ?", [run_id])
    return rows[0] if rows else None


def check_results(con, run_id: str) -> list[Row]:
    # offending_sample is never read: it may hold record details.
    return fetch(
        con,
        """
        select check_name, asset_key, severity, passed, observed_value, offending_count, message_zh
        from quality.check_results where run_id = ?
        order by passed, severity, check_name, asset_key
        """,
        [run_id],
    )


def quarantine_summary(con) -> list[Row]:
    return fetch(
        con,
        """
        select source, reason_zh, count(*) as rows_quarantined,
               sum(deaths_in_row) as deaths_in_rows,
               count(*) filter (where deaths_in_row is null) as rows_deaths_unreadable
        from raw.quarantine
        group by source, reason_zh
        order by source, rows_quarantined desc, reason_zh
        """,
    )
