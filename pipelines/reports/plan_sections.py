"""The parts of a report that are about its plan: the targets table, the final evaluation
(总结评估) of an ended plan, and the year-to-date monitoring and outlook of a running one.

Everything shown comes from the marts (fct_plan_progress, fct_period_comparison, fct_plan_ytd,
fct_plan_outlook); this module only chooses words, labels and formats. Numerators are labelled as
counts only where they are event counts (deaths, accidents); a loss in 亿元 or an area in 公顷 is
shown with its unit.
"""

from __future__ import annotations

from dataclasses import dataclass

from .labels import COMPARATOR_ZH, STATUS, fmt_count, fmt_num, fmt_pct, is_missing

# Year-to-date and outlook words (provisional, never a verdict) beside the status words of labels.STATUS.
YTD_STATUS = STATUS | {
    "bound_exceeded": ("已超过上限", "bad", "✗"),
    "within_bound": ("未超过上限", "good", "✓"),
}
OUTLOOK = {
    "likely": ("可能实现", "good", "✓"),
    "uncertain": ("不确定", "warn", "?"),
    "unlikely": ("难以实现", "bad", "✗"),
    None: ("无法外推", "none", "–"),
}
# The county table of the final evaluation: these indicators, when the warehouse has them.
COUNTY_COMPARISON = ["safety_deaths", "deaths_per_100m_gdp", "industrial_deaths_per_100k_workers",
                     "larger_and_above_accidents"]
COUNTY_COMPARISON_MAX = 3


@dataclass(frozen=True)
class PlanYears:
    """A plan's own years, from marts.dim_plan."""

    plan_id: str
    name: str
    base: int
    first: int
    end: int
    previous_first: int
    previous_last: int

    @classmethod
    def of(cls, plan: dict) -> PlanYears:
        return cls(plan["plan_id"], plan["plan_name"], plan["baseline_year"], plan["start_year"],
                   plan["end_year"], plan["previous_first_year"], plan["previous_last_year"])

    @property
    def previous_label(self) -> str:
        return f"{self.previous_first}—{self.previous_last}年"

    @property
    def label(self) -> str:
        return f"{self.first}—{self.end}年"


def status(code: str | None, word: str | None = None, table: dict = STATUS) -> dict:
    key = code if code in table else "insufficient_data"
    w, css, symbol = table[key]
    return {"code": code or "insufficient_data", "word": word or w, "css": css, "symbol": symbol}


def numerator_label(value, is_count: bool | None, unit: str | None) -> str | None:
    """计数 14 for an event count; 分子 0.4485 亿元 for anything else; None when absent."""
    if is_missing(value):
        return None
    if is_count:
        return f"计数 {fmt_count(value)}"
    return f"分子 {fmt_num(value)}{' ' + unit if unit else ''}"


def change_text(change_pct, change_pp) -> str:
    """+20.0% for a relative change, +0.25个百分点 for a percentage or share indicator; an
    unchanged value reads 持平, never "+0.0%"."""
    if not is_missing(change_pp):
        v = float(change_pp)
        size = fmt_num(abs(v), digits=2) if abs(v) < 1 else f"{abs(v):.1f}"
        return "持平" if v == 0 else f"{'+' if v > 0 else '-'}{size}个百分点"
    if not is_missing(change_pct) and float(change_pct) == 0:
        return "持平"
    return fmt_pct(change_pct)


def is_period_mean(p: dict) -> bool:
    if p.get("evaluation"):
        return p["evaluation"] == "period_mean"
    return "年均" in (p.get("indicator_name_as_printed") or "")


def target_text(p: dict, years: PlanYears) -> str:
    kind = p.get("target_kind")
    tv = p.get("target_value")
    unit = p.get("unit_zh") or p.get("unit") or ""
    prefix = "年均" if is_period_mean(p) else ""
    if kind == "decline_pct":
        return f"{years.end}年较{p.get('baseline_year') or years.base}年下降{fmt_num(tv, missing='?')}%"
    if kind == "curb":
        return "有效遏制（无量化目标）"
    if kind in ("upper_bound", "lower_bound"):
        comp = COMPARATOR_ZH.get(p.get("comparator") or "", p.get("comparator") or "")
        return f"{prefix}{comp}{fmt_num(tv, missing='?')}{unit}"
    return fmt_num(tv, missing="—")


def _remarks(p: dict, years: PlanYears) -> list[str]:
    out = []
    if p.get("target_kind") == "curb":
        out.append("规划表述为“有效遏制”，无量化目标，只列历年数值，不作完成判定。")
        if not is_missing(p.get("curb_reference_mean")):
            out.append(f"对照：{years.previous_label}年均 {fmt_num(p['curb_reference_mean'])}。")
    if p.get("is_baseline_different"):
        out.append("规划文本基期值与数据计算值不一致，两者并列，以数据计算值评估。")
    sig = p.get("is_change_significant")
    if sig is False and not is_missing(p.get("change_pct")):
        out.append("变化在随机波动范围内（泊松精确检验），不宜解读为实质性变化。")
    elif sig is True:
        out.append("变化超出随机波动范围（泊松精确检验）。")
    # why no change is shown, where a value is shown (a year without any is explained below)
    has_value = not is_missing(p.get("evaluated_value"))
    if p.get("change_note_zh") and p.get("target_kind") != "curb" and has_value:
        out.append(p["change_note_zh"] + "。")
    gap = p.get("gap_to_target")
    if not is_missing(gap) and p.get("status") not in ("achieved", "on_track"):
        out.append(f"距目标：{fmt_num(gap)}{p.get('unit_zh') or ''}。")
    if p.get("status") == "insufficient_data":
        if p.get("is_plan_over"):
            out.append(f"规划期已结束，评估只用{years.end}年数值；所需数据不完整，缺报月份见“数据质量”部分。")
        elif p.get("evaluated_year") is None:
            out.append("规划期内尚无完整年度数据；年内进展见年内监测，完成可能性见目标可达性。")
        else:
            out.append("所需数据不完整，缺报月份见“数据质量”部分的催报清单。")
    return out


def _baseline_firmness(p: dict) -> str | None:
    """How firm a running plan's baseline is: the count's interval, the denominator's vintage."""
    parts = []
    if not is_missing(p.get("baseline_value_ci_low")) and not is_missing(p.get("baseline_value_ci_high")):
        parts.append(f"95%区间 {fmt_num(p['baseline_value_ci_low'], digits=3)}–"
                     f"{fmt_num(p['baseline_value_ci_high'], digits=3)}")
    if p.get("baseline_denominator_status"):
        parts.append(f"分母{p['baseline_denominator_status']}")
    return "；".join(parts) or None


SIGNIFICANCE = {True: "超出随机波动", False: "在随机波动范围内"}


def _evaluated_label(year, period_mean: bool, years: PlanYears) -> str:
    if period_mean:
        return f"{years.first}—{year}年均" if year else "年均"
    return f"{year}年" if year else ""


def _basis_label(p: dict) -> str:
    if is_missing(p.get("change_pct")) and is_missing(p.get("change_pp")):
        return ""
    return "较上一规划期年均" if p.get("change_basis") == "previous_period_mean" else "较基期"


def headline(progress: list[dict], years: PlanYears, show_firmness: bool) -> list[dict]:
    rows = []
    for p in progress:
        is_rate = p.get("kind") == "rate"
        period_mean = is_period_mean(p)
        counted = p.get("is_count_based")
        if counted is None:
            counted = p.get("indicator_is_count_based")
        unit = p.get("numerator_unit_zh")
        previous_mean = period_mean and p.get("change_basis") == "previous_period_mean"
        rows.append({
            "seq": p["seq"],
            "indicator_code": p["indicator_code"],
            "name": p.get("indicator_name_as_printed") or p.get("indicator_name_zh") or p["indicator_code"],
            "unit": p.get("unit_zh") or "",
            "target": target_text(p, years),
            "target_threshold": p.get("target_threshold"),
            "baseline_year": p.get("baseline_year"),
            "baseline_printed": p.get("baseline_value_printed"),
            # a period mean is measured from the previous period's mean, not from the base year
            "baseline_label": f"{years.previous_label}年均" if previous_mean else (
                f"{p['baseline_year']}年" if p.get("baseline_year") else ""),
            "baseline_value": p.get("previous_period_mean") if previous_mean else p.get("baseline_value"),
            "baseline_field": "previous_period_mean" if previous_mean else "baseline_value",
            "baseline_numerator": numerator_label(p.get("baseline_count"), counted, unit)
            if is_rate and not previous_mean else None,
            "baseline_firmness": _baseline_firmness(p) if show_firmness and not previous_mean else None,
            "is_baseline_different": bool(p.get("is_baseline_different")),
            "evaluated_year": p.get("evaluated_year"),
            "evaluated_label": _evaluated_label(p.get("evaluated_year"), period_mean, years),
            "evaluated_value": p.get("evaluated_value"),
            "evaluated_numerator": numerator_label(p.get("evaluated_count"), counted, unit)
            if is_rate and not period_mean else None,
            "change_pct": p.get("change_pct"),
            "change_pp": p.get("change_pp"),
            "change": change_text(p.get("change_pct"), p.get("change_pp")),
            "change_basis": _basis_label(p),
            "status": status(p.get("status"), p.get("status_zh")),
            "remarks": _remarks(p, years),
        })
    return rows


def period_comparison(rows: list[dict], county_rows: list[dict], counties: list[dict], years: PlanYears,
                      indicators: dict) -> dict | None:
    """总结评估: the jurisdiction's outcome indicators, previous period against plan period, and
    the counties side by side."""
    mine = [r for r in rows if r["first_year"] == years.first and r["last_year"] == years.end]
    if not mine:
        return None
    table = []
    for r in mine:
        is_count = r.get("kind") == "count"
        table.append({
            "code": r["indicator_code"],
            "name": r.get("indicator_name_zh") or r["indicator_code"],
            "unit": r.get("unit_zh") or "",
            "previous_total": r.get("previous_total") if is_count else None,
            "total": r.get("total") if is_count else None,
            "is_count": is_count,
            "previous_mean": r.get("previous_mean"),
            "mean": r.get("mean"),
            "change_pct": r.get("change_pct"),
            "change": change_text(r.get("change_pct"), r.get("change_pp")),
            "missing_years": (r.get("missing_years") or "").replace(",", "、"),
            "significance": SIGNIFICANCE.get(r.get("is_change_significant"))
            if not (is_missing(r.get("change_pct")) and is_missing(r.get("change_pp"))) else None,
        })
    by_county = {(r["region_code"], r["indicator_code"]): r for r in county_rows
                 if r["first_year"] == years.first and r["last_year"] == years.end}
    codes = [c for c in COUNTY_COMPARISON if c in indicators
             and any((k[1] == c) for k in by_county)][:COUNTY_COMPARISON_MAX]
    county = None
    if counties and codes:
        county = {
            "columns": [{"code": c, "name": indicators[c]["indicator_name_zh"],
                         "unit": indicators[c].get("unit_zh") or "",
                         "is_count": indicators[c].get("kind") == "count"} for c in codes],
            "rows": [],
        }
        for c in counties:
            cells = []
            for code in codes:
                r = by_county.get((c["region_code"], code)) or {}
                is_count = indicators[code].get("kind") == "count"
                cells.append({
                    "previous": r.get("previous_total") if is_count else r.get("previous_mean"),
                    "current": r.get("total") if is_count else r.get("mean"),
                    "change": change_text(r.get("change_pct"), r.get("change_pp")) if r else "—",
                    "missing": (r.get("missing_years") or "").replace(",", "、"),
                })
            county["rows"].append({"code": c["region_code"], "name": c["region_name"], "cells": cells})
    return {"rows": table, "county": county}


def ytd(rows: list[dict], plan_id: str, progress: list[dict]) -> list[dict]:
    names = {p["seq"]: p.get("indicator_name_as_printed") for p in progress}
    out = []
    for r in (r for r in rows if r["plan_id"] == plan_id):
        notes = []
        if r.get("is_change_significant") is True:
            notes.append("同比变化超出随机波动范围")
        elif r.get("is_change_significant") is False and (r.get("ytd_value") or r.get("prior_ytd_value")):
            notes.append("同比变化在随机波动范围内，不宜解读为实质性变化")
        if r.get("target_kind") == "upper_bound" and not is_missing(r.get("target_value")):
            comp = COMPARATOR_ZH.get(r.get("comparator") or "", "")
            notes.append(f"年度上限{comp}{fmt_num(r['target_value'])}")
        out.append({
            "seq": r["seq"],
            "indicator_code": r["indicator_code"],
            "name": names.get(r["seq"]) or r.get("indicator_name_zh") or r["indicator_code"],
            "unit": r.get("unit_zh") or "",
            "through_month": r.get("through_month"),
            "ytd_value": r.get("ytd_value"),
            "prior_ytd_value": r.get("prior_ytd_value"),
            "ytd_change_pct": r.get("ytd_change_pct"),
            "required": r.get("required_yearly_change_pct"),
            "status": status(r.get("status"), r.get("status_zh"), YTD_STATUS),
            "notes": notes,
        })
    return out


def outlook(rows: list[dict], plan_id: str, progress: list[dict]) -> list[dict]:
    by_seq = {p["seq"]: p for p in progress}
    out = []
    for r in (r for r in rows if r["plan_id"] == plan_id):
        p = by_seq.get(r["seq"], {})
        word, css, symbol = OUTLOOK.get(r.get("outlook"), OUTLOOK[None])
        comp = COMPARATOR_ZH.get(r.get("comparator") or "", "")
        if p.get("target_kind") == "decline_pct":
            comp = "≤"
        out.append({
            "seq": r["seq"],
            "indicator_code": r["indicator_code"],
            "name": p.get("indicator_name_as_printed") or r.get("indicator_name_zh") or r["indicator_code"],
            "unit": r.get("unit_zh") or "",
            "evaluation": "年均" if r.get("evaluation") == "period_mean" else f"{r.get('projected_year')}年",
            "target": f"{comp}{fmt_num(r.get('target_value'), missing='—')}",
            "projected_value": r.get("projected_value"),
            "low": r.get("projected_low"),
            "high": r.get("projected_high"),
            "fitted": f"{r['first_fitted_year']}—{r['last_fitted_year']}年" if r.get("first_fitted_year")
            else "—",
            "trend": None if is_missing(r.get("trend_pct_per_year"))
            else f"{r['trend_pct_per_year']:+.1f}%/年",
            "method": "按拟合年份的平均水平（无法拟合趋势）" if r.get("method") == "constant_rate" else "",
            "outlook": {"code": r.get("outlook"), "word": word, "css": css, "symbol": symbol},
        })
    return out
