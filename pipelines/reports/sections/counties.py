"""分县（市、区）情况 of a running prefecture plan: each county-level unit's deaths this year so far
against the same months of last year (marts.fct_ytd_comparison), and its base-year values
(marts.fct_indicator_values)."""

from __future__ import annotations

from ..charts import horizontal_bars
from ..formats import MIN_RISE, SMALL_COUNT, fmt_change, is_missing
from ..labels import C_CURRENT, C_PREVIOUS
from .common import Report

READ_YTD = """
select r.prefecture_code as _region, y.region_code, r.region_name, y.through_month, y.value_ytd,
       y.prior_year_value_same_months, y.change_pct, y.is_complete, y.due_through_month
from marts.fct_ytd_comparison as y
inner join marts.dim_region as r using (region_code)
where list_contains(?, r.prefecture_code) and r.level = 'county' and y.year = ?
  and y.indicator_code = 'safety_deaths'
order by r.prefecture_code, y.region_code
"""
READ_BASE = """
select r.prefecture_code as _region, v.region_code, v.indicator_code, v.year, v.numerator, v.value
from marts.fct_indicator_values as v
inner join marts.dim_region as r using (region_code)
where list_contains(?, r.prefecture_code) and r.level = 'county'
  and v.indicator_code in ('safety_deaths', 'deaths_per_100m_gdp')
order by r.prefecture_code, v.region_code, v.indicator_code, v.year
"""


def read(report: Report) -> tuple[list[dict], list[dict]]:
    if report.level != "prefecture" or not report.reads.has("marts.fct_ytd_comparison"):
        return [], []
    ytd = report.reads.rows(report.code, READ_YTD, report.as_of.year)
    base = [r for r in report.reads.rows(report.code, READ_BASE) if r["year"] == report.years.base]
    return ytd, base


def worsening(ytd: list[dict]) -> list[dict]:
    out = []
    for r in ytd:
        now, before = r.get("value_ytd"), r.get("prior_year_value_same_months")
        if is_missing(now) or is_missing(before) or now - before < MIN_RISE:
            continue
        out.append(
            {
                "code": r["region_code"],
                "name": r["region_name"],
                "before": before,
                "after": now,
                "through_month": r["through_month"],
                "is_small": max(now, before) < SMALL_COUNT,
                "change": fmt_change(change_pct=r.get("change_pct"), before=before, after=now, unit="人"),
            }
        )
    return out


def shape(ytd: list[dict], base: list[dict], report: Report) -> dict | None:
    if not ytd:
        return None
    base_by = {(r["region_code"], r["indicator_code"]): r for r in base}
    rows = []
    for r in ytd:
        now, before = r.get("value_ytd"), r.get("prior_year_value_same_months")
        rows.append(
            {
                "code": r["region_code"],
                "name": r["region_name"],
                "through_month": r.get("through_month"),
                "ytd": now,
                "prior": before,
                "change": fmt_change(change_pct=r.get("change_pct"), before=before, after=now, unit="人")
                if not is_missing(now)
                else "—",
                "is_complete": r.get("is_complete"),
                "due_month": r.get("due_through_month"),
                "base_deaths": (base_by.get((r["region_code"], "safety_deaths")) or {}).get("value"),
                "base_rate": (base_by.get((r["region_code"], "deaths_per_100m_gdp")) or {}).get("value"),
            }
        )
    rows.sort(key=lambda r: (is_missing(r["ytd"]), -(r["ytd"] or 0), r["code"]))
    through = min((r["through_month"] for r in rows if r["through_month"]), default=None)
    out = {
        "rows": rows,
        "through_month": through,
        "chart_id": None,
        "worsening": worsening(ytd),
        "base_year": report.years.base,
        "year": report.as_of.year,
    }
    drawn = [r for r in rows if not is_missing(r["ytd"])]
    if drawn and any((r["ytd"] or 0) + (r["prior"] or 0) for r in drawn):
        year = report.as_of.year
        months = f"1—{through}月" if through else ""
        fig = horizontal_bars(
            names=[r["name"] for r in drawn],
            unit="人",
            series=[
                (f"{year - 1}年{months}", [r["prior"] for r in drawn], C_PREVIOUS),
                (f"{year}年{months}", [r["ytd"] for r in drawn], C_CURRENT),
            ],
        )
        out["chart_id"] = report.charts.add(fig)
        out["chart_title"] = f"分县（市、区）生产安全事故死亡人数：{year}年{months}与上年同期"
    return out
