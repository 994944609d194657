"""目标完成情况 / 目标与基期: one row per target of the plan (marts.fct_plan_progress), what went
wrong first. Words and units only; every number is the mart's."""

from __future__ import annotations

from ..formats import SMALL_COUNT, change_of, fmt_count, fmt_gap, fmt_value, is_missing
from ..labels import STATUS_ORDER
from .common import Report, status, with_unit

READ_PROGRESS = """
select p.region_code as _region, p.*, i.indicator_name_zh, i.unit_zh, i.numerator_unit_zh,
       i.denominator_measure, i.kind
from marts.fct_plan_progress as p
left join marts.dim_indicator as i using (indicator_code)
where list_contains(?, p.region_code)
order by p.region_code, p.plan_id, p.seq
"""
READ_GDP_STATUS = """
select region_code as _region, year, gdp_data_status
from marts.fct_denominators
where list_contains(?, region_code)
order by region_code, year
"""
PRELIMINARY = "初步核算"


def read(report: Report) -> list[dict]:
    """The plan's targets, as fct_plan_progress gives them."""
    rows = report.reads.rows(report.code, READ_PROGRESS)
    return [r for r in rows if r["plan_id"] == report.years.plan_id]


def gdp_status(report: Report) -> dict[int, str]:
    """The vintage (初步核算, 最终核实…) of the jurisdiction's GDP by year."""
    if not report.reads.has("marts.fct_denominators"):
        return {}
    return {
        r["year"]: r["gdp_data_status"]
        for r in report.reads.rows(report.code, READ_GDP_STATUS)
        if r["gdp_data_status"]
    }


def target_name(printed: dict, catalogue: dict) -> str:
    """The target's name as its plan prints it, else the catalogue's name, else its code."""
    return (
        printed.get("indicator_name_as_printed")
        or catalogue.get("indicator_name_zh")
        or catalogue["indicator_code"]
    )


def is_period_mean(p: dict) -> bool:
    """Judged on the plan years' mean (the plan's evaluation method), not on one year."""
    return p.get("evaluation") == "period_mean"


def target_text(p: dict, report: Report) -> str:
    """规划目标 as a reader says it: 较2020年下降15%, 年均＜1%, ≤10小时, 有效遏制."""
    kind, tv, unit = p.get("target_kind"), p.get("target_value"), p.get("unit_zh") or ""
    if kind == "decline_pct":
        return f"较{p.get('baseline_year') or report.years.base}年下降{fmt_value(tv, '%', missing='?')}%"
    if kind == "curb":
        return "有效遏制（无量化目标）"
    comparator = report.labels.zh("comparator", p.get("comparator"), p.get("comparator") or "")
    prefix = "年均" if is_period_mean(p) else ""
    return f"{prefix}{comparator}{fmt_value(tv, unit, missing='?', with_unit=True)}"


def short_target(p: dict, report: Report) -> str:
    """The threshold alone, for a chart's mark: ≤12.75人, 年均＜1%."""
    if p.get("target_kind") == "decline_pct":
        return f"≤{fmt_value(p.get('target_threshold'), p.get('unit_zh'), with_unit=True)}"
    return target_text(p, report)


def _numerator(value, p: dict) -> str | None:
    """(死亡11人) beside a rate whose numerator is an event count; None otherwise."""
    if is_missing(value) or p.get("kind") != "rate" or not p.get("is_count_based"):
        return None
    unit = p.get("numerator_unit_zh") or ""
    return f"计数 {fmt_count(value)}{unit}"


def _baseline(p: dict, report: Report) -> tuple[str, object]:
    if is_period_mean(p):
        return f"{report.years.previous_label}年均", p.get("previous_period_mean")
    return f"{p.get('baseline_year')}年", p.get("baseline_value")


def _evaluated_label(p: dict, report: Report) -> str:
    year = p.get("evaluated_year")
    if not year:
        return ""
    return f"{report.years.first}—{year}年年均" if is_period_mean(p) else f"{year}年"


def is_small_count(p: dict) -> bool:
    """A count-based change too small to tell from chance (fewer than SMALL_COUNT events)."""
    counts = [v for v in (p.get("baseline_numerator"), p.get("evaluated_numerator")) if not is_missing(v)]
    return (
        bool(p.get("is_count_based"))
        and bool(counts)
        and max(counts) < SMALL_COUNT
        and p.get("is_change_significant") is not True
    )


def _notes(p: dict, report: Report, gdp: dict[int, str]) -> list[str]:
    unit = p.get("unit_zh") or ""
    out = []
    if p.get("status") in ("not_achieved", "worsening") and not is_missing(p.get("gap_to_target")):
        higher = "高" if p.get("target_kind") != "lower_bound" else "低"
        threshold = with_unit(p.get("target_threshold"), unit)
        out.append(f"比目标值（{threshold}）{higher}{fmt_gap(p['gap_to_target'], unit)}")
    if p.get("is_baseline_different") and not is_missing(p.get("baseline_value_printed")):
        out.append(
            f"规划文本的基期值为{with_unit(p['baseline_value_printed'], unit)}，"
            "与数据计算值不一致，以数据计算值评估"
        )
    if p.get("denominator_measure") == "gdp_100m_yuan":
        years = [y for y in (p.get("baseline_year"), p.get("evaluated_year")) if y]
        prelim = [y for y in years if gdp.get(y) == PRELIMINARY]
        if prelim:
            out.append("、".join(f"{y}年" for y in prelim) + "地区生产总值为初步核算数，最终核实后本项将重算")
    if p.get("target_kind") == "curb":
        out.append("规划表述为“有效遏制”，不作完成判定")
    has_value = not is_missing(p.get("evaluated_value"))
    if p.get("change_note_zh") and p.get("target_kind") != "curb" and has_value:
        out.append(p["change_note_zh"])
    if p.get("status") == "insufficient_data":
        if p.get("is_plan_over"):
            out.append(f"{report.years.end}年数据不完整，无法评估（缺报情况见“数据质量”）")
        elif p.get("evaluated_year") is None:
            out.append("规划期内尚无完整年度；本年进展见“年内监测”，能否完成见“目标可达性”")
        else:
            out.append("所需数据不完整（缺报情况见“数据质量”）")
    return out


def shape(progress: list[dict], report: Report, gdp: dict[int, str]) -> list[dict]:
    """The targets table: failed and worsening first, then in the plan's order."""
    rows = []
    for p in progress:
        unit = p.get("unit_zh") or ""
        base_label, base_value = _baseline(p, report)
        evaluated = p.get("evaluated_value")
        rows.append(
            {
                "seq": p["seq"],
                "indicator_code": p["indicator_code"],
                "name": target_name(p, p),
                "unit": unit,
                "target": target_text(p, report),
                "threshold": (
                    f"目标值 {with_unit(p['target_threshold'], unit)}"
                    if p.get("target_kind") == "decline_pct" and not is_missing(p.get("target_threshold"))
                    else None
                ),
                "target_threshold": p.get("target_threshold"),
                "baseline_label": base_label,
                "baseline_value": base_value,
                "baseline_field": "previous_period_mean" if is_period_mean(p) else "baseline_value",
                "baseline_text": with_unit(base_value, unit) if not is_missing(base_value) else "数据不足",
                "baseline_numerator": None
                if is_period_mean(p)
                else _numerator(p.get("baseline_numerator"), p),
                "evaluated_label": _evaluated_label(p, report),
                "evaluated_value": evaluated,
                "evaluated_text": with_unit(evaluated, unit) if not is_missing(evaluated) else "数据不足",
                "evaluated_numerator": None
                if is_period_mean(p)
                else _numerator(p.get("evaluated_numerator"), p),
                "change_pct": p.get("change_pct"),
                "change_pp": p.get("change_pp"),
                "change": change_of(p, base_value, evaluated, unit),
                "status": status(p.get("status"), p.get("status_zh")),
                "is_small_count": is_small_count(p),
                "notes": _notes(p, report, gdp),
            }
        )
    order = {s: i for i, s in enumerate(STATUS_ORDER)}
    rows.sort(key=lambda r: (order.get(r["status"]["code"], 99), r["seq"]))
    return rows
