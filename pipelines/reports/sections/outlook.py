"""目标可达性 of a running plan: each target's trend projected to the end year
(marts.fct_plan_outlook: a log-linear Poisson trend and its 95% interval)."""

from __future__ import annotations

from ..formats import fmt_value, is_missing
from .common import Report, status
from .targets import is_period_mean, target_name

READ = """
select o.region_code as _region, o.*, i.indicator_name_zh, i.unit_zh, i.kind
from marts.fct_plan_outlook as o
left join marts.dim_indicator as i using (indicator_code)
where list_contains(?, o.region_code)
order by o.region_code, o.plan_id, o.seq
"""
WORDS = {"likely": "可能实现", "uncertain": "不确定", "unlikely": "难以实现", None: "无法外推"}


def read(report: Report) -> list[dict]:
    if not report.reads.has("marts.fct_plan_outlook"):
        return []
    return [r for r in report.reads.rows(report.code, READ) if r["plan_id"] == report.years.plan_id]


def shape(rows: list[dict], progress: list[dict], report: Report) -> list[dict]:
    by_seq = {p["seq"]: p for p in progress}
    out = []
    for r in rows:
        p = by_seq.get(r["seq"], {})
        unit = r.get("unit_zh") or ""
        comparator = (
            "≤"
            if p.get("target_kind") == "decline_pct"
            else report.labels.zh("comparator", r.get("comparator"), "")
        )
        code = r.get("outlook")
        out.append(
            {
                "seq": r["seq"],
                "indicator_code": r["indicator_code"],
                "name": target_name(p, r),
                "unit": unit,
                "evaluation": (
                    f"{report.years.first}—{r.get('projected_year')}年年均"
                    if is_period_mean(r)
                    else f"{r.get('projected_year')}年"
                ),
                "target": comparator + fmt_value(r.get("target_value"), unit, missing="—", with_unit=True),
                "projected_value": r.get("projected_value"),
                "projected": fmt_value(r.get("projected_value"), unit, missing="—", with_unit=True),
                "interval": (
                    f"{fmt_value(r['projected_low'], unit)}—{fmt_value(r['projected_high'], unit)}"
                    if not is_missing(r.get("projected_low"))
                    else "—"
                ),
                "fitted": (
                    f"{r['first_fitted_year']}—{r['last_fitted_year']}年"
                    if r.get("first_fitted_year")
                    else "—"
                ),
                "trend": None
                if is_missing(r.get("trend_pct_per_year"))
                else f"{r['trend_pct_per_year']:+.1f}%/年",
                "method": "按拟合年份的平均水平（无法拟合趋势）"
                if r.get("method") == "constant_rate"
                else "",
                "outlook": status(code, r.get("outlook_zh") or WORDS.get(code, WORDS[None])),
                "raw": r,
            }
        )
    return out
