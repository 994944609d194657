"""总结评估 of an ended plan: the jurisdiction's outcome indicators, previous period against plan
period (marts.fct_period_comparison), and its county-level units side by side."""

from __future__ import annotations

from ..charts import horizontal_bars
from ..formats import MIN_RISE, SMALL_COUNT, change_of, fmt_change, fmt_count, fmt_value, is_missing
from ..labels import C_CURRENT, C_PREVIOUS
from .common import Report

READ_REGION = """
select c.region_code as _region, c.*, i.indicator_name_zh, i.unit_zh, i.kind, i.sort_order
from marts.fct_period_comparison as c
inner join marts.dim_indicator as i using (indicator_code)
where list_contains(?, c.region_code)
order by c.region_code, i.sort_order
"""
READ_COUNTIES = """
select r.prefecture_code as _region, c.*, r.region_name
from marts.fct_period_comparison as c
inner join marts.dim_region as r using (region_code)
where list_contains(?, r.prefecture_code) and r.level = 'county'
order by r.prefecture_code, c.region_code, c.indicator_code
"""
# The county table: these indicators, when the warehouse has them.
COUNTY_INDICATORS = ["safety_deaths", "deaths_per_100m_gdp", "larger_and_above_accidents"]
CHART_INDICATOR = "safety_deaths"


def read(report: Report) -> tuple[list[dict], list[dict]]:
    if not report.reads.has("marts.fct_period_comparison"):
        return [], []
    y = report.years

    def mine(r):
        return r["first_year"] == y.first and r["last_year"] == y.end

    region = [r for r in report.reads.rows(report.code, READ_REGION) if mine(r)]
    counties = (
        [r for r in report.reads.rows(report.code, READ_COUNTIES) if mine(r)]
        if report.level == "prefecture"
        else []
    )
    return region, counties


def _cell(r: dict, unit: str, is_count: bool) -> dict:
    before = r.get("previous_total") if is_count else r.get("previous_mean")
    after = r.get("total") if is_count else r.get("mean")
    return {
        "previous": before,
        "current": after,
        "change": change_of(r, before, after, unit) if r else "—",
        "missing": (r.get("missing_years") or "").replace(",", "、"),
    }


def worsening_counties(counties: list[dict]) -> list[dict]:
    """County-level units whose deaths rose from the previous period to the plan period."""
    out = []
    for r in counties:
        if (
            r["indicator_code"] != CHART_INDICATOR
            or is_missing(r.get("total"))
            or is_missing(r.get("previous_total"))
        ):
            continue
        if r["total"] - r["previous_total"] >= MIN_RISE:
            out.append(
                {
                    "code": r["region_code"],
                    "name": r["region_name"],
                    "before": r["previous_total"],
                    "after": r["total"],
                    "is_small": max(r["total"], r["previous_total"]) < SMALL_COUNT * 2
                    and r.get("is_change_significant") is not True,
                    "change": fmt_change(
                        change_pct=r.get("change_pct"),
                        before=r["previous_total"],
                        after=r["total"],
                        unit="人",
                    ),
                }
            )
    return out


def shape(region: list[dict], counties: list[dict], report: Report) -> dict | None:
    if not region:
        return None
    y = report.years
    rows = []
    for r in region:
        is_count = r.get("kind") == "count"
        unit = r.get("unit_zh") or ""
        rows.append(
            {
                "code": r["indicator_code"],
                "name": r.get("indicator_name_zh") or r["indicator_code"],
                "unit": unit,
                "is_count": is_count,
                "previous_total": r.get("previous_total") if is_count else None,
                "total": r.get("total") if is_count else None,
                "previous_mean": r.get("previous_mean"),
                "mean": r.get("mean"),
                "change_pct": r.get("change_pct"),
                **{k: v for k, v in _cell(r, unit, is_count).items() if k in ("change", "missing")},
            }
        )
    out: dict = {"rows": rows, "county": None, "chart_id": None, "worsening": worsening_counties(counties)}
    codes = [
        c
        for c in COUNTY_INDICATORS
        if c in report.indicators and any(r["indicator_code"] == c for r in counties)
    ]
    if not codes:
        return out
    names = {r["region_code"]: r["region_name"] for r in counties}
    by = {(r["region_code"], r["indicator_code"]): r for r in counties}
    columns = [
        {
            "code": c,
            "name": report.indicators[c]["indicator_name_zh"],
            "unit": report.indicators[c].get("unit_zh") or "",
            "is_count": report.indicators[c].get("kind") == "count",
        }
        for c in codes
    ]
    county_rows = []
    for code, name in names.items():
        cells = [_cell(by.get((code, c["code"])) or {}, c["unit"], c["is_count"]) for c in columns]
        county_rows.append({"code": code, "name": name, "cells": cells})
    out["county"] = {"columns": columns, "rows": county_rows}
    deaths = [by[(code, CHART_INDICATOR)] for code in names if (code, CHART_INDICATOR) in by]
    if deaths and any(not is_missing(r.get("total")) and r["total"] for r in deaths):
        deaths.sort(key=lambda r: -(r.get("total") or 0))
        fig = horizontal_bars(
            names=[r["region_name"] for r in deaths],
            unit="人",
            series=[
                (f"{y.previous_label}累计", [r.get("previous_total") for r in deaths], C_PREVIOUS),
                (f"{y.label}累计", [r.get("total") for r in deaths], C_CURRENT),
            ],
        )
        out["chart_id"] = report.charts.add(fig)
        out["chart_title"] = f"分县（市、区）生产安全事故死亡人数：{y.previous_label}与{y.label}累计"
    return out


def lead_facts(final: dict | None) -> dict:
    """The final evaluation's headline numbers: deaths over the two periods, for the lead paragraph."""
    if not final:
        return {}
    deaths = next((r for r in final["rows"] if r["code"] == CHART_INDICATOR), None)
    if not deaths or is_missing(deaths.get("total")):
        return {}
    return {
        "deaths_total": fmt_count(deaths["total"]),
        "deaths_previous": None
        if is_missing(deaths.get("previous_total"))
        else fmt_count(deaths["previous_total"]),
        "deaths_total_value": deaths["total"],
        "deaths_previous_value": deaths.get("previous_total"),
        "deaths_change": deaths["change"],
        "deaths_mean": fmt_value(deaths.get("mean"), "人"),
    }
