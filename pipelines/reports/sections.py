"""The parts of a report about its region, drawn over its plan's years: indicator series, the
counties, accidents, disasters, capabilities and the data's quality. Marts only; no indicator is
computed here."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from . import charts, queries
from .labels import SEVERITY_ORDER, SEVERITY_ZH, is_missing
from .plan_sections import PlanYears, target_text
from .plan_sections import status as status_of

FIRST_YEAR = 2016  # the first year the warehouse's series are shown from
# County breakdown of a prefecture: these indicators, when the warehouse has them.
COUNTY_KEY_INDICATORS = [
    "safety_deaths",
    "deaths_per_100m_gdp",
    "industrial_deaths_per_100k_workers",
    "larger_and_above_accidents",
    "disaster_deaths_per_million",
]
COUNTY_CHARTS = 2
ACCIDENT_INDICATORS = ["safety_accidents", "safety_deaths"]
DISASTER_INDICATORS = ["disaster_deaths_per_million", "disaster_affected_per_100k", "disaster_loss_pct_gdp"]
OPTIONAL = {
    "ytd": "marts.fct_ytd_comparison",
    "plan_ytd": "marts.fct_plan_ytd",
    "outlook": "marts.fct_plan_outlook",
    "period": "marts.fct_period_comparison",
    "accident_breakdown": "marts.fct_accident_breakdown",
    "accidents": "marts.fct_accidents",
    "rollup": "marts.bridge_region_rollup",
    "disaster_breakdown": "marts.fct_disaster_breakdown",
    "missing": "marts.fct_missing_submissions",
    "findings": "marts.fct_severity_findings",
    "check_results": "quality.check_results",
    "runs": "quality.runs",
    "quarantine": "raw.quarantine",
}


class Charts:
    """Collects figures; the template places a div per id and the JSON once at the end."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, fig) -> str:
        cid = f"chart-{len(self.items) + 1}"
        self.items.append((cid, charts.to_json(fig)))
        return cid


def series_label(indicator: dict) -> str:
    """The numerator row of a rate's series table: 计数 only for an event count."""
    unit = indicator.get("numerator_unit_zh")
    if indicator.get("is_count_based"):
        return f"计数（{unit}）" if unit else "计数"
    return f"分子（{unit}）" if unit else "分子"


def indicator_sections(reads, region_code, progress, indicators, national, as_of, years: PlanYears,
                       outlooks: dict, box: Charts):
    """One chart and table per targeted indicator over the plan's previous period and its own years
    (the table up to the last complete year), the target drawn at the plan's end year."""
    codes = list(dict.fromkeys(p["indicator_code"] for p in progress))
    series_rows = [r for r in reads.indicator_series(region_code) if r["indicator_code"] in codes]
    by_code: dict[str, dict[int, dict]] = defaultdict(dict)
    for r in series_rows:
        if not r.get("is_current_year"):
            by_code[r["indicator_code"]][r["year"]] = r
    first_shown = max(FIRST_YEAR, min(years.previous_first, as_of.year - 10))
    chart_years = list(range(first_shown, years.end + 1))
    data_years = [y for y in chart_years if y < as_of.year]
    nat_by_code: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for n in national:
        nat_by_code[n["indicator"]].append((n["year"], n["value"]))
    sections = []
    for code in codes:
        ind = indicators.get(code, {})
        p = next(p for p in progress if p["indicator_code"] == code)
        series = by_code.get(code, {})
        kind = ind.get("kind")
        numerators = [r.get("numerator") for r in series.values() if not is_missing(r.get("numerator"))]
        has_ci = any(not is_missing(r.get("value_ci_low")) for r in series.values())
        show_band = (
            kind != "capability" and has_ci and bool(numerators) and min(numerators) < charts.SMALL_COUNT
        )
        # National figures are drawn for rates only: a national count beside a local one misleads.
        national_points = (
            [(y, v) for y, v in nat_by_code.get(code, []) if y >= first_shown] if kind == "rate" else []
        )
        # Capability indicators are filed from the plan's base year on: earlier years are not gaps.
        table_years = [y for y in data_years if y >= years.base] if kind == "capability" else data_years
        name = ind.get("indicator_name_zh") or p.get("indicator_name_as_printed") or code
        unit = ind.get("unit_zh") or ""
        fig = charts.indicator_figure(
            title=f"{name}（{unit}）" if unit else name,
            unit=unit,
            years=[y for y in chart_years if kind != "capability" or y >= years.base],
            series=series,
            progress=p,
            national=national_points,
            plan_years=(years.base, years.first, years.end),
            show_band=show_band,
            outlook=outlooks.get(p["seq"]),
        )
        sections.append(
            {
                "code": code,
                "name": name,
                "unit": unit,
                "kind": kind,
                "chart_id": box.add(fig),
                "years": table_years,
                "cells": [series.get(y) for y in table_years],
                "show_count": kind == "rate",
                "count_label": series_label(ind),
                "is_count": bool(ind.get("is_count_based")),
                "show_ci": has_ci and kind != "capability",
                "show_band": show_band,
                "national": national_points,
            }
        )
    return sections


def county_section(reads, region_code, progress, indicators, as_of, years: PlanYears, box: Charts):
    counties = reads.counties(region_code)
    if not counties:
        return None
    latest = min(years.end, as_of.year - 1)
    col_years = [years.base, latest] if latest > years.base else [years.base]
    plan_codes = [p["indicator_code"] for p in progress]
    codes = [
        c for c in COUNTY_KEY_INDICATORS if c in indicators and (c in plan_codes or c == "safety_deaths")
    ]
    values = [
        v for v in reads.county_values(region_code) if v["indicator_code"] in codes and v["year"] in col_years
    ]
    lookup = {(v["region_code"], v["indicator_code"], v["year"]): v for v in values}
    rows = []
    for c in counties:
        cells = [lookup.get((c["region_code"], code, y)) for code in codes for y in col_years]
        rows.append({"code": c["region_code"], "name": c["region_name"], "cells": cells})
    columns = [
        {
            "code": code,
            "name": indicators[code]["indicator_name_zh"],
            "unit": indicators[code].get("unit_zh") or "",
            "is_rate": indicators[code].get("kind") == "rate",
            "is_count": bool(indicators[code].get("is_count_based")),
            "numerator_unit": indicators[code].get("numerator_unit_zh") or "",
        }
        for code in codes
    ]
    chart_ids = []
    for code in codes[:COUNTY_CHARTS]:
        ind = indicators[code]
        fig = charts.county_figure(
            title=f"分县（市、区）{ind['indicator_name_zh']}",
            unit=ind.get("unit_zh") or "",
            counties=[c["region_name"] for c in counties],
            years=col_years,
            values={
                (c["region_name"], y): lookup.get((c["region_code"], code, y)) or {}
                for c in counties
                for y in col_years
            },
        )
        chart_ids.append(box.add(fig))
    return {"years": col_years, "columns": columns, "rows": rows, "chart_ids": chart_ids}


def gap_years(known_complete: set[int], years: list[int], as_of: date) -> list[int]:
    """Past years the marts hold no complete value for; unknown (no marker) when none at all."""
    if not known_complete:
        return []
    return [y for y in years if y < as_of.year and y not in known_complete]


def complete_years(reads, region_code: str, codes: list[str]) -> set[int]:
    # fct_indicator_values holds complete region-years only: a year with any of these is complete.
    return {
        r["year"]
        for r in reads.indicator_series(region_code)
        if r["indicator_code"] in codes and not r.get("is_current_year")
    }


def accident_section(reads, cat, region_code, as_of, years: PlanYears, last_year: int, box: Charts):
    """The plan's years up to last_year (its end year once over, else the current year to date)."""
    if not cat.has(OPTIONAL["accident_breakdown"]):
        return None
    completeness = dict.fromkeys(complete_years(reads, region_code, ACCIDENT_INDICATORS), True)
    rows = [r for r in reads.accident_breakdown(region_code) if years.first <= r["year"] <= last_year]
    shown = list(range(years.first, last_year + 1))
    gaps = gap_years(set(completeness), shown, as_of)
    sectors = list(
        dict.fromkeys(r["sector"] for r in sorted(rows, key=lambda r: (not r["is_industrial"], r["sector"])))
    )
    deaths_fig = charts.stacked_by_year(
        title="生产安全事故死亡人数（按行业领域）",
        unit="人",
        years=shown,
        groups=sectors,
        points=[(r["year"], r["sector"], r["deaths"]) for r in rows],
        gap_years=gaps,
    )
    sev_fig = charts.stacked_by_year(
        title="生产安全事故起数（按事故等级）",
        unit="起",
        years=shown,
        groups=[SEVERITY_ZH[s] for s in reversed(SEVERITY_ORDER)],
        points=[
            (r["year"], SEVERITY_ZH.get(r["severity_class"], r["severity_class"]), r["accidents"])
            for r in rows
        ],
        colours=charts.SEVERITY_COLOURS,
        gap_years=gaps,
    )
    table_years = [y for y in (last_year - 1, last_year) if y >= years.first]
    table = [
        dict(r, severity_zh=SEVERITY_ZH.get(r["severity_class"], r["severity_class"]))
        for r in rows
        if r["year"] in table_years
    ]
    table.sort(
        key=lambda r: (
            r["year"],
            not r["is_industrial"],
            r["sector"],
            SEVERITY_ORDER.index(r["severity_class"]) if r["severity_class"] in SEVERITY_ORDER else 9,
        )
    )
    serious = []
    available = cat.has(OPTIONAL["accidents"]) and cat.has(OPTIONAL["rollup"])
    if available:
        serious = [
            {k: v for k, v in a.items() if k != "year"}
            for a in reads.serious_accidents(region_code)
            if years.first <= a["year"] <= last_year
        ]
    return {
        "chart_ids": [box.add(deaths_fig), box.add(sev_fig)],
        "table": table,
        "table_years": [{"year": y, "complete": completeness.get(y)} for y in table_years],
        "serious": serious,
        "serious_available": available,
        "last_year": last_year,
    }


def disaster_section(reads, cat, region_code, as_of, years: PlanYears, last_year: int, box: Charts):
    if not cat.has(OPTIONAL["disaster_breakdown"]):
        return None
    rows = [r for r in reads.disaster_breakdown(region_code) if years.first <= r["year"] <= last_year]
    shown = list(range(years.first, last_year + 1))
    hazards = list(dict.fromkeys(r["hazard"] for r in rows))
    gaps = gap_years(complete_years(reads, region_code, DISASTER_INDICATORS), shown, as_of)
    loss_fig = charts.stacked_by_year(
        title="自然灾害直接经济损失（按灾种）",
        unit="亿元",
        years=shown,
        groups=hazards,
        points=[(r["year"], r["hazard"], r["direct_loss_100m_yuan"]) for r in rows],
        gap_years=gaps,
    )
    dm_fig = charts.stacked_by_year(
        title="因灾死亡失踪人数（按灾种）",
        unit="人",
        years=shown,
        groups=hazards,
        points=[(r["year"], r["hazard"], r["dead_missing"]) for r in rows],
        gap_years=gaps,
    )
    table_years = [y for y in (last_year - 1, last_year) if y >= years.first]
    return {
        "chart_ids": [box.add(loss_fig), box.add(dm_fig)],
        "table": [r for r in rows if r["year"] in table_years],
        "table_years": table_years,
    }


def capability_section(reads, region_code, progress, years: PlanYears):
    rows = [r for r in reads.capability_values(region_code) if years.base <= r["year"] <= years.end]
    if not rows:
        return None
    shown = sorted({r["year"] for r in rows})
    by = defaultdict(dict)
    names = {}
    for r in rows:
        by[r["indicator_code"]][r["year"]] = r["value"]
        names[r["indicator_code"]] = (r["indicator_name_zh"], r["unit_zh"] or "")
    targets = {p["indicator_code"]: p for p in progress}
    out = []
    for code, (name, unit) in names.items():
        p = targets.get(code)
        out.append(
            {
                "name": name,
                "unit": unit,
                "yearly": [by[code].get(y) for y in shown],
                "target": target_text(p, years) if p else "（本规划未设目标）",
                "status": status_of(p.get("status"), p.get("status_zh")) if p else None,
            }
        )
    return {"years": shown, "rows": out}


def quality_of_run(con, cat, run_id) -> dict:
    """The run's part of every report's quality section (the same for all reports)."""
    q: dict = {"run": None, "checks": None, "quarantine": None}
    if cat.has(OPTIONAL["runs"]):
        q["run"] = queries.quality_run(con, run_id)
    if cat.has(OPTIONAL["check_results"]):
        results = queries.check_results(con, run_id)
        counts = Counter()
        for r in results:
            if r["passed"]:
                counts["passed"] += 1
            elif (r["severity"] or "").lower() in ("warn", "warning"):
                counts["warned"] += 1
            else:
                counts["failed"] += 1
        q["checks"] = {
            "counts": counts,
            "total": len(results),
            "problems": [r for r in results if not r["passed"]],
        }
    if cat.has(OPTIONAL["quarantine"]):
        rows = queries.quarantine_summary(con)
        q["quarantine"] = {
            "rows": rows,
            "total_rows": sum(r["rows_quarantined"] for r in rows),
            "total_deaths": sum(r["deaths_in_rows"] or 0 for r in rows),
            "unreadable": sum(r["rows_deaths_unreadable"] for r in rows),
        }
    return q


def quality_section(reads, cat, region_code, year: int, of_run: dict) -> dict:
    q = dict(of_run, missing=None, findings=None)
    if cat.has(OPTIONAL["missing"]) and cat.has(OPTIONAL["rollup"]):
        q["missing"] = reads.missing_submissions(region_code, year)
    if cat.has(OPTIONAL["findings"]) and cat.has(OPTIONAL["rollup"]):
        q["findings"] = reads.severity_findings(region_code)
    return q
