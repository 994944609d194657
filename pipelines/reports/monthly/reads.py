"""Every read the monthly analysis makes: plain selects from marts.* (and seeds.situation_measures).

Nothing is computed here or anywhere in the monthly analysis: the month's values, the years to date,
同比 and 环比, completeness and the quota statuses come as marts.fct_monthly_situation,
fct_region_month_coverage and fct_quota_usage give them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..county_assessment import quota_usage_rows
from ..queries import fetch

Row = dict[str, Any]


def latest_due_month(con) -> tuple[int, int] | None:
    """(year, month) of the latest month due at the run's as-of date (marts.dim_month.is_due)."""
    rows = fetch(
        con, "select year, month_of_year from marts.dim_month where is_due order by month desc limit 1"
    )
    return (rows[0]["year"], rows[0]["month_of_year"]) if rows else None


def due_months(con) -> set[tuple[int, int]]:
    return {
        (r["year"], r["month_of_year"])
        for r in fetch(con, "select year, month_of_year from marts.dim_month where is_due")
    }


def jurisdictions(con) -> list[Row]:
    """The bureaus the warehouse serves: every plan jurisdiction (one analysis each)."""
    return fetch(
        con,
        "select region_code, region_name, level from marts.dim_region where is_plan_jurisdiction"
        " order by region_code",
    )


def measures(con) -> dict[str, Row]:
    """The situation's measures with their Chinese names and units (seeds/situation_measures.csv)."""
    return {r["measure"]: r for r in fetch(con, "select * from seeds.situation_measures order by sort_order")}


def labels(con, kind: str) -> dict[str, str]:
    return {
        r["code"]: r["label_zh"]
        for r in fetch(
            con,
            "select code, label_zh from marts.dim_code_label where code_kind = ? order by sort_order",
            [kind],
        )
    }


@dataclass
class MonthReads:
    """The reads of one jurisdiction's analysis of month ``month`` of ``year``."""

    con: Any
    region_code: str
    year: int
    month: int

    def _rows(self, sql: str, *params) -> list[Row]:
        return fetch(self.con, sql, list(params))

    def situation(self) -> list[Row]:
        """Every row of the region for the month (all measures and breakdowns)."""
        return self._rows(
            "select * from marts.fct_monthly_situation where region_code = ? and year = ? and month = ?"
            " order by source, measure, breakdown_kind, breakdown_value",
            self.region_code,
            self.year,
            self.month,
        )

    def totals_by_month(self) -> list[Row]:
        """The region's totals for every month of this year and the year before (the charts)."""
        return self._rows(
            "select year, month, measure, month_value, ytd_value, is_complete"
            " from marts.fct_monthly_situation where region_code = ? and breakdown_kind = 'total'"
            " and year in (?, ?) order by measure, year, month",
            self.region_code,
            self.year,
            self.year - 1,
        )

    def counties(self) -> list[Row]:
        """The county-level units of a prefecture, with their accident totals for the month."""
        return self._rows(
            """
            select r.region_code, r.region_name, s.measure, s.month_value, s.ytd_value, s.prior_ytd_value,
                   s.yoy_change_pct, s.is_complete, s.is_yoy_change_significant
            from marts.dim_region r
            left join marts.fct_monthly_situation s
              on s.region_code = r.region_code and s.year = ? and s.month = ?
             and s.source = 'accidents' and s.breakdown_kind = 'total'
            where r.prefecture_code = ? and r.level = 'county'
            order by r.region_code, s.measure
            """,
            self.year,
            self.month,
            self.region_code,
        )

    def coverage(self) -> list[Row]:
        """Months 1..m of this year and the year before (and the December before, January's previous
        month), per register, with the units not filed."""
        return self._rows(
            "select c.* from marts.fct_region_month_coverage c"
            " where c.region_code = ?"
            " and ((c.year in (?, ?) and c.month <= ?) or (c.year = ? and c.month = 12))"
            " order by c.source, c.year, c.month",
            self.region_code,
            self.year,
            self.year - 1,
            self.month,
            self.year - 1,
        )

    def region_names(self) -> dict[str, str]:
        return {
            r["region_code"]: r["region_name"]
            for r in self._rows(
                "select region_code, region_name from marts.dim_region"
                " where region_code = ? or prefecture_code = ?",
                self.region_code,
                self.region_code,
            )
        }

    def serious_accidents(self) -> list[Row]:
        """The month's 较大及以上 accidents (the rule's class), with the class as reported."""
        # Deliberately no unit_name, summary or any other free text: only what the list shows.
        return self._rows(
            """
            select a.occurred_date, a.region_code, coalesce(r.region_name, a.region_code) as region_name,
                   a.sector, a.deaths_incl_missing, a.severity_class, a.severity_class_zh,
                   a.reported_severity, a.is_severity_mismatch
            from marts.fct_accidents a
            join marts.bridge_region_rollup b on b.county_region_code = a.region_code
            left join marts.dim_region r on r.region_code = a.region_code
            where b.rollup_region_code = ? and a.year = ? and a.month = ?
              and not coalesce(a.is_written_off, false)
              and a.severity_class in ('larger', 'major', 'extraordinary')
            order by a.occurred_date, a.region_code, a.accident_id
            """,
            self.region_code,
            self.year,
            self.month,
        )

    def quotas(self) -> list[Row]:
        """Quota use at this month: the region's own and its county-level units' (the same read as
        the plan report's county assessment)."""
        return quota_usage_rows(self.con, self.region_code, self.year, self.month)
