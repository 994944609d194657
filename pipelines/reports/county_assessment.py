"""The county assessment against the control quotas (年度控制指标考核, docs/spec/monthly.md), a section
of a prefecture's plan report and of every monthly analysis: each unit's quotas, the count to date,
usage, status (正常 / 预警 / 超控), the 较大 flag and the rank by deaths usage, as
marts.fct_quota_usage gives them for one month. Marts only; nothing is computed here.
"""

from __future__ import annotations

from .queries import fetch

# status -> (css class, symbol); the word is the label of dim_code_label (code_kind quota_status)
QUOTA_STATUS = {
    "normal": ("good", "✓"),
    "warning": ("warn", "!"),
    "exceeded": ("bad", "✗"),
    None: ("none", "?"),
}
NOT_FILED = "未报齐"  # no status: the unit has not filed every month of the year to date

READ = """
select q.*, coalesce(r.region_name, q.region_code) as region_name, r.level,
       i.indicator_name_zh, i.unit_zh
from marts.fct_quota_usage q
join marts.dim_region r using (region_code)
left join marts.dim_indicator i using (indicator_code)
where (q.region_code = ? or r.prefecture_code = ?) and q.year = ? and q.through_month = ?
order by q.region_code = ? desc, q.rank_in_parent nulls last, q.region_code, i.sort_order
"""


def assessment_month(plan: dict) -> tuple[int, int] | None:
    """The month a plan report assesses: a running plan's monitoring month (the one month its
    year-to-date tables use); an ended plan's end year, December (年度考核)."""
    if plan.get("stage") == "monitoring":
        if plan.get("monitoring_month"):
            return plan["monitoring_year"], plan["monitoring_month"]
        return None
    if plan.get("stage") == "final_evaluation":
        return plan["end_year"], 12
    return None


def read(con, region_code: str, year: int, month: int) -> list[dict]:
    """The region's own quota rows and its county-level units', at ``month`` of ``year``."""
    return fetch(con, READ, [region_code, region_code, year, month, region_code])


def shape(quotas: list[dict], status_zh: dict[str, str], year: int, month: int) -> dict | None:
    """Units (the region first, then by rank) with a cell per indicator; None without quotas."""
    if not quotas:
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
                "larger": q["has_larger_accident"],
                "cells": {},
            },
        )
        css, sym = QUOTA_STATUS.get(q["status"], QUOTA_STATUS[None])
        word = status_zh.get(q["status"], NOT_FILED) if q["status"] else NOT_FILED
        u["cells"][q["indicator_code"]] = dict(q, css=css, sym=sym, word=word)
        indicators[q["indicator_code"]] = q["indicator_name_zh"] or q["indicator_code"]
        if q["indicator_code"] == "safety_deaths":
            u["rank"] = q["rank_in_parent"]
        u["larger"] = u["larger"] or q["has_larger_accident"]
    return {
        "units": list(by_unit.values()),
        "indicators": indicators,
        "is_final": any(q["is_final"] for q in quotas),
        "time_progress": next((q["time_progress_pct"] for q in quotas), None),
        "year": year,
        "month": month,
    }


def section(con, plan: dict) -> dict | None:
    """The plan report's section: the prefecture and its units at the plan's assessment month."""
    when = assessment_month(plan)
    if when is None:
        return None
    tables = {
        r["t"]
        for r in fetch(
            con, "select table_name as t from information_schema.tables where table_schema = 'marts'"
        )
    }
    if "fct_quota_usage" not in tables:
        return None
    labels = {
        r["code"]: r["label_zh"]
        for r in fetch(
            con, "select code, label_zh from marts.dim_code_label where code_kind = 'quota_status'"
        )
    }
    return shape(read(con, plan["region_code"], *when), labels, *when)
