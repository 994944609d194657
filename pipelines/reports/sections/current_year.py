"""年内监测 of a running plan: January to the monitoring month of this year against the same months
of last year, for the plan's count targets (marts.fct_plan_ytd) and every count indicator
(marts.fct_ytd_comparison). Provisional: never a verdict on the plan.

The data read is one function, :func:`read`, and its two selects: pointing this section at
another mart with the same meaning of "through month m" (the monthly situation mart) changes
only those lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..formats import fmt_change, fmt_signed_pct, is_missing
from .common import Report, status

READ_TARGETS = """
select y.region_code as _region, y.*, i.indicator_name_zh, i.unit_zh
from marts.fct_plan_ytd as y
left join marts.dim_indicator as i using (indicator_code)
where list_contains(?, y.region_code)
order by y.region_code, y.plan_id, y.seq
"""
READ_COUNTS = """
select y.region_code as _region, y.indicator_code, y.year, y.through_month, y.value_ytd,
       y.prior_year_value_same_months, y.change_pct, y.is_complete, y.due_through_month,
       i.indicator_name_zh, i.unit_zh, i.sort_order
from marts.fct_ytd_comparison as y
left join marts.dim_indicator as i using (indicator_code)
where list_contains(?, y.region_code) and y.year = ?
order by y.region_code, i.sort_order
"""


@dataclass(frozen=True)
class CurrentYear:
    """This year's rows, as the marts give them."""

    targets: list[dict] | None  # None: the mart is not in the warehouse
    counts: list[dict] | None


def read(report: Report) -> CurrentYear:
    """The one read of this year's data (targets and every count), for the report's jurisdiction."""
    reads, year = report.reads, report.as_of.year
    targets = (
        [r for r in reads.rows(report.code, READ_TARGETS) if r["plan_id"] == report.years.plan_id]
        if reads.has("marts.fct_plan_ytd")
        else None
    )
    counts = reads.rows(report.code, READ_COUNTS, year) if reads.has("marts.fct_ytd_comparison") else None
    return CurrentYear(targets, counts)


def shape(data: CurrentYear, progress: list[dict], report: Report) -> dict:
    names = {p["seq"]: p.get("indicator_name_as_printed") for p in progress}
    targets = None
    if data.targets is not None:
        targets = []
        for r in data.targets:
            unit = r.get("unit_zh") or ""
            notes = []
            if r.get("target_kind") == "upper_bound" and not is_missing(r.get("target_value")):
                comparator = report.labels.zh("comparator", r.get("comparator"), "")
                notes.append(f"年度上限{comparator}{r['target_value']:g}{unit}")
            targets.append(
                {
                    "seq": r["seq"],
                    "indicator_code": r["indicator_code"],
                    "name": names.get(r["seq"]) or r.get("indicator_name_zh") or r["indicator_code"],
                    "unit": unit,
                    "through_month": r.get("through_month"),
                    "ytd_value": r.get("ytd_value"),
                    "prior_ytd_value": r.get("prior_ytd_value"),
                    "change": fmt_change(
                        change_pct=r.get("ytd_change_pct"),
                        before=r.get("prior_ytd_value"),
                        after=r.get("ytd_value"),
                        unit=unit,
                    ),
                    "required": fmt_signed_pct(r.get("required_yearly_change_pct")),
                    "status": status(r.get("status"), r.get("status_zh")),
                    "is_significant": r.get("is_change_significant"),
                    "notes": notes,
                }
            )
    counts = None
    if data.counts is not None:
        counts = []
        for r in data.counts:
            unit = r.get("unit_zh") or ""
            shown = not is_missing(r.get("value_ytd"))
            counts.append(
                dict(
                    r,
                    unit=unit,
                    shown=shown,
                    change=fmt_change(
                        change_pct=r.get("change_pct"),
                        before=r.get("prior_year_value_same_months"),
                        after=r.get("value_ytd"),
                        unit=unit,
                    )
                    if shown
                    else "—",
                )
            )
    through = max((r["through_month"] for r in data.counts or [] if r.get("through_month")), default=None)
    return {"targets": targets, "counts": counts, "through_month": through}


def lead_facts(current: dict | None) -> dict:
    """This year's deaths so far against the same months of last year, for the lead paragraph."""
    if not current or not current.get("counts"):
        return {}
    deaths = next(
        (r for r in current["counts"] if r["indicator_code"] == "safety_deaths" and r["shown"]), None
    )
    if not deaths:
        return {}
    return {
        "through_month": deaths["through_month"],
        "due_month": deaths.get("due_through_month"),
        "value": deaths["value_ytd"],
        "prior": deaths["prior_year_value_same_months"],
        "change": deaths["change"],
        "is_complete": deaths.get("is_complete"),
    }
