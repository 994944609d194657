"""控制指标考核（分县）: the county assessment against the control quotas (年度控制指标考核,
docs/spec/monthly.md), a section of a prefecture's plan report and of every monthly analysis: each
unit's quotas, the count to date, usage, status (正常 / 预警 / 超控), the 较大 flag and the rank by
deaths usage, as marts.fct_quota_usage gives them for one month. Marts only; nothing is computed.
"""

from __future__ import annotations

from ..labels import status_style
from ..reads import CodeLabels
from .common import Report

NOT_FILED = "未报齐"  # no status: the unit has not filed every month of the year to date

READ = """
select w.code as _region, q.*, coalesce(r.region_name, q.region_code) as region_name, r.level,
       i.indicator_name_zh, i.unit_zh
from (select unnest(?::varchar[]) as code) as w
inner join marts.dim_region as r on r.region_code = w.code or r.prefecture_code = w.code
inner join marts.fct_quota_usage as q on q.region_code = r.region_code
left join marts.dim_indicator as i on i.indicator_code = q.indicator_code
where q.year = ? and q.through_month = ?
order by w.code, q.region_code = w.code desc, q.rank_in_parent nulls last, q.region_code, i.sort_order
"""


def assessment_month(plan: dict) -> tuple[int, int] | None:
    """The month a plan report assesses: a running plan's monitoring month (the one month its
    year-to-date tables use); an ended plan's end year, December (年度考核)."""
    if plan.get("stage") == "monitoring":
        return (plan["monitoring_year"], plan["monitoring_month"]) if plan.get("monitoring_month") else None
    if plan.get("stage") == "final_evaluation":
        return plan["end_year"], 12
    return None


def read(report: Report) -> tuple[list[dict], tuple[int, int] | None]:
    when = assessment_month(report.plan)
    if report.level != "prefecture" or when is None or not report.reads.has("marts.fct_quota_usage"):
        return [], None
    return report.reads.rows(report.code, READ, *when), when


def shape(quotas: list[dict], when: tuple[int, int] | None, labels: CodeLabels) -> dict | None:
    """Units (the region first, then by rank) with a cell per indicator; None without quotas."""
    if not quotas or when is None:
        return None
    by_unit: dict[str, dict] = {}
    indicators: dict[str, str] = {}
    for q in quotas:
        u = by_unit.setdefault(
            q["region_code"],
            {
                "code": q["region_code"],
                "name": q["region_name"],
                "level": q["level"],
                "rank": q["rank_in_parent"],
                "larger": False,
                "cells": {},
            },
        )
        css, sym = status_style(q["status"])  # the words: the seed's (quota_status)
        word = labels.zh("quota_status", q["status"]) if q["status"] else NOT_FILED
        u["cells"][q["indicator_code"]] = dict(q, css=css, sym=sym, word=word)
        indicators[q["indicator_code"]] = q["indicator_name_zh"] or q["indicator_code"]
        if q["indicator_code"] == "safety_deaths":
            u["rank"] = q["rank_in_parent"]
        u["larger"] = u["larger"] or bool(q["has_larger_accident"])
    return {
        "units": list(by_unit.values()),
        "indicators": indicators,
        "is_final": any(q["is_final"] for q in quotas),
        "time_progress": next((q["time_progress_pct"] for q in quotas), None),
        "year": when[0],
        "month": when[1],
    }
