"""自然灾害: dead and missing and direct losses by year and hazard (marts.fct_disaster_breakdown),
one fixed colour per hazard; incomplete years (marts.fct_source_completeness) marked 数据不足."""

from __future__ import annotations

from ..charts import Category, stacked_by_year
from ..labels import category_style
from .accidents import completeness, current_through_month
from .common import Report

READ = """
select region_code as _region, year, hazard, events, dead_missing, affected_person_times,
       direct_loss_100m_yuan, through_month
from marts.fct_disaster_breakdown
where list_contains(?, region_code)
order by region_code, year, hazard
"""


def read(report: Report) -> list[dict] | None:
    if not report.reads.has("marts.fct_disaster_breakdown"):
        return None
    y = report.years
    return [r for r in report.reads.rows(report.code, READ) if y.first <= r["year"] <= report.last_year]


def shape(rows: list[dict] | None, report: Report) -> dict | None:
    if rows is None:
        return None
    labels = report.labels
    years = list(range(report.years.first, report.last_year + 1))
    complete = completeness(report, "disasters")
    gaps = [yr for yr in years if complete.get(yr) is False and yr < report.as_of.year]
    hazards = sorted({r["hazard"] for r in rows}, key=lambda h: labels.order("hazard", h))
    categories = [Category(h, *category_style(labels.order("hazard", h))) for h in hazards]
    partial = current_through_month(rows, report)
    out: dict = {"charts": [], "years": years, "gaps": gaps, "through": partial[1] if partial else None}
    for field, title, unit in (
        ("dead_missing", "因灾死亡失踪人数（按灾种）", "人"),
        ("direct_loss_100m_yuan", "自然灾害直接经济损失（按灾种）", "亿元"),
    ):
        if any(r[field] for r in rows):
            fig = stacked_by_year(
                years=years,
                categories=categories,
                unit=unit,
                gap_years=gaps,
                partial_year=partial,
                points=[(r["year"], r["hazard"], r[field]) for r in rows],
            )
            out["charts"].append({"id": report.charts.add(fig), "title": title})
        else:
            out.setdefault("sentences", []).append(
                (f"{years[0]}—{years[-1]}年" if len(years) > 1 else f"{years[0]}年")
                + (f"1—{partial[1]}月" if partial and partial[1] < 12 and len(years) == 1 else "")
                + "没有"
                + ("因灾死亡失踪" if unit == "人" else "自然灾害直接经济损失")
                + "记录。"
            )
    table_years = [yr for yr in (report.last_year - 1, report.last_year) if yr >= report.years.first]
    out["table"] = sorted(
        (r for r in rows if r["year"] in table_years),
        key=lambda r: (r["year"], labels.order("hazard", r["hazard"])),
    )
    out["table_years"] = table_years
    return out
