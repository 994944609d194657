"""生产安全事故: deaths by year and severity class, deaths by sector over the plan's years
(marts.fct_accident_breakdown), and every 较大及以上 accident (marts.fct_accidents,
``is_larger_and_above``). A year whose registers are incomplete (marts.fct_source_completeness)
is marked 数据不足, never drawn as 0."""

from __future__ import annotations

from ..charts import Category, horizontal_bars, stacked_by_year
from ..labels import SEVERITY_COLOURS, category_style
from .common import Report

READ_BREAKDOWN = """
select region_code as _region, year, sector, is_industrial, severity_class, accidents, deaths,
       through_month
from marts.fct_accident_breakdown
where list_contains(?, region_code)
order by region_code, year, sector, severity_class
"""
READ_SERIOUS = """
select b.rollup_region_code as _region, a.year, a.occurred_date, a.region_code,
       coalesce(r.region_name, a.region_code) as region_name,
       a.sector, a.severity_class, a.deaths_incl_missing
from marts.fct_accidents as a
inner join marts.bridge_region_rollup as b on a.region_code = b.county_region_code
left join marts.dim_region as r on a.region_code = r.region_code
where list_contains(?, b.rollup_region_code) and a.is_larger_and_above and not a.is_written_off
order by b.rollup_region_code, a.occurred_date, a.region_code, a.accident_id
"""
READ_COMPLETENESS = """
select region_code as _region, source, year, is_complete, months_due, units_required, units_complete
from marts.fct_source_completeness
where list_contains(?, region_code)
order by region_code, source, year
"""


def current_through_month(rows: list[dict], report: Report) -> tuple[int, int] | None:
    """(current year, its last month counted) when the rows hold the as-of year: the breakdown
    marts count the current year January..through_month only (the one year-to-date month)."""
    months = {r["through_month"] for r in rows if r["year"] == report.as_of.year and r.get("through_month")}
    return (report.as_of.year, max(months)) if months else None


def completeness(report: Report, source: str) -> dict[int, bool]:
    """Year → whether every county-level unit filed every month due (the completeness mart)."""
    if not report.reads.has("marts.fct_source_completeness"):
        return {}
    return {
        r["year"]: bool(r["is_complete"])
        for r in report.reads.rows(report.code, READ_COMPLETENESS)
        if r["source"] == source
    }


def read(report: Report) -> tuple[list[dict], list[dict]] | None:
    if not report.reads.has("marts.fct_accident_breakdown"):
        return None
    y = report.years
    rows = [
        r for r in report.reads.rows(report.code, READ_BREAKDOWN) if y.first <= r["year"] <= report.last_year
    ]
    serious = []
    if report.reads.has("marts.fct_accidents", "marts.bridge_region_rollup"):
        serious = [
            r
            for r in report.reads.rows(report.code, READ_SERIOUS)
            if y.first <= r["year"] <= report.last_year
        ]
    return rows, serious


def shape(data: tuple[list[dict], list[dict]] | None, report: Report) -> dict | None:
    if data is None:
        return None
    rows, serious = data
    labels = report.labels
    years = list(range(report.years.first, report.last_year + 1))
    complete = completeness(report, "accidents")
    gaps = [yr for yr in years if complete.get(yr) is False and yr < report.as_of.year]
    classes = sorted(SEVERITY_COLOURS, key=lambda c: -labels.order("severity_class", c))
    by_class = [Category(labels.zh("severity_class", c), SEVERITY_COLOURS[c]) for c in reversed(classes)]
    partial = current_through_month(rows, report)
    out: dict = {
        "span": f"{years[0]}—{years[-1]}年" if len(years) > 1 else f"{years[0]}年",
        "years": years,
        "gaps": gaps,
        "charts": [],
        "last_year": report.last_year,
        "through": partial[1] if partial else None,
    }
    if any(r["deaths"] for r in rows):
        fig = stacked_by_year(
            years=years,
            categories=by_class,
            unit="人",
            gap_years=gaps,
            partial_year=partial,
            points=[(r["year"], labels.zh("severity_class", r["severity_class"]), r["deaths"]) for r in rows],
        )
        out["charts"].append({"id": report.charts.add(fig), "title": "生产安全事故死亡人数（按事故等级）"})
        totals: dict[str, int] = {}
        for r in rows:
            totals[r["sector"]] = totals.get(r["sector"], 0) + (r["deaths"] or 0)
        sectors = [
            s for s in sorted(totals, key=lambda s: (-totals[s], labels.order("sector", s))) if totals[s]
        ]
        styles = [category_style(labels.order("sector", s)) for s in sectors]
        fig = horizontal_bars(
            names=sectors, unit="人", series=[("死亡人数", [totals[s] for s in sectors], "#0072B2")]
        )
        # each sector in its own fixed colour (hatched: a sector past the palette's seven hues)
        fig["data"][0]["marker"] = dict(
            color=[c for c, _ in styles],
            pattern=dict(shape=[p for _, p in styles], fgcolor="white", fgopacity=0.9, size=6, solidity=0.35),
        )
        span = f"{years[0]}—{years[-1]}年" if len(years) > 1 else f"{years[0]}年"
        if partial and partial[1] < 12:
            span += f"（{partial[0]}年为1—{partial[1]}月）" if len(years) > 1 else f"1—{partial[1]}月"
        out["charts"].append(
            {"id": report.charts.add(fig), "title": f"{span}生产安全事故死亡人数（按行业领域）"}
        )
    else:
        out["empty"] = f"{years[0]}—{years[-1]}年没有生产安全事故死亡记录。"
    table_years = [yr for yr in (report.last_year - 1, report.last_year) if yr >= report.years.first]
    table = [
        dict(r, severity_zh=labels.zh("severity_class", r["severity_class"]))
        for r in rows
        if r["year"] in table_years
    ]
    table.sort(
        key=lambda r: (
            r["year"],
            labels.order("sector", r["sector"]),
            -labels.order("severity_class", r["severity_class"]),
        )
    )
    out["table"] = table
    out["table_years"] = [{"year": yr, "complete": complete.get(yr)} for yr in table_years]
    out["serious"] = [dict(r, severity_zh=labels.zh("severity_class", r["severity_class"])) for r in serious]
    out["serious_available"] = report.reads.has("marts.fct_accidents")
    return out
