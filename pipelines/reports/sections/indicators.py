"""分指标走势: one chart and one small table per targeted indicator, over the previous period and
the plan's own years (marts.fct_indicator_values), the target drawn as the plan judges it."""

from __future__ import annotations

from collections import defaultdict

from ..charts import BAND_MIN_COUNT, TargetMarks, has_data, indicator_figure
from ..formats import SMALL_COUNT, fmt_value, is_missing
from .common import Report
from .targets import is_period_mean, short_target

READ_SERIES = """
select region_code as _region, indicator_code, year, numerator, denominator, value,
       value_ci_low, value_ci_high, is_current_year
from marts.fct_indicator_values
where list_contains(?, region_code) and not is_current_year
order by region_code, indicator_code, year
"""
READ_NATIONAL = "select year, indicator, value, unit, source_note from {table} order by year"
FIRST_YEAR = 2016  # the first year the warehouse's series are shown from


def read(report: Report) -> dict[str, dict[int, dict]]:
    by: dict[str, dict[int, dict]] = defaultdict(dict)
    for r in report.reads.rows(report.code, READ_SERIES):
        by[r["indicator_code"]][r["year"]] = r
    return by


def source_line(ind: dict, report: Report, gdp_note: str | None) -> str:
    """数据来源：生产安全事故（各县级单位报送）；地区生产总值（亿元）为统计部门数据（2025年为初步核算）。"""
    labels = report.labels
    text = f"数据来源：{labels.zh('source', ind.get('source'))}（各县级单位报送）"
    measure = ind.get("denominator_measure")
    if measure:
        text += f"；{labels.zh('measure', measure)}为统计部门数据"
        if gdp_note and measure == "gdp_100m_yuan":
            text += f"（{gdp_note}）"
    return text + "。"


def _marks(p: dict, report: Report) -> TargetMarks:
    y = report.years
    mean = is_period_mean(p)
    return TargetMarks(
        kind=p.get("target_kind") or "",
        text=short_target(p, report),
        threshold=None if is_missing(p.get("target_threshold")) else float(p["target_threshold"]),
        base_year=p.get("baseline_year") or y.base,
        base_value=None if is_missing(p.get("baseline_value")) else float(p["baseline_value"]),
        is_period_mean=mean,
        previous_years=(y.previous_first, y.previous_last),
        previous_mean=None if is_missing(p.get("previous_period_mean")) else float(p["previous_period_mean"]),
        plan_mean=float(p["evaluated_value"]) if mean and not is_missing(p.get("evaluated_value")) else None,
        plan_mean_last_year=p.get("evaluated_year"),
        curb_reference_mean=None
        if is_missing(p.get("curb_reference_mean"))
        else float(p["curb_reference_mean"]),
    )


def shape(
    series: dict[str, dict[int, dict]],
    progress: list[dict],
    outlook: list[dict],
    report: Report,
    gdp_note: str | None,
    national: list[dict],
) -> list[dict]:
    y = report.years
    first_shown = max(FIRST_YEAR, min(y.previous_first, report.as_of.year - 10))
    projections = {o["seq"]: o["raw"] for o in outlook}
    out = []
    for p in sorted(progress, key=lambda p: p["seq"]):
        code = p["indicator_code"]
        ind = report.indicators.get(code, {})
        kind = ind.get("kind")
        start = y.base if kind == "capability" else first_shown
        years = list(range(start, report.last_complete_year + 1))
        rows = series.get(code, {})
        values = {yr: rows[yr]["value"] if yr in rows else None for yr in years}
        unit = ind.get("unit_zh") or ""
        name = ind.get("indicator_name_zh") or p.get("indicator_name_as_printed") or code
        numerators = [
            rows[yr]["numerator"] for yr in years if yr in rows and not is_missing(rows[yr]["numerator"])
        ]
        band = None
        if (
            kind != "capability"
            and ind.get("is_count_based")
            and numerators
            and min(numerators) >= BAND_MIN_COUNT
        ):
            band = {
                yr: (rows[yr]["value_ci_low"], rows[yr]["value_ci_high"])
                for yr in years
                if yr in rows and not is_missing(rows[yr]["value_ci_low"])
            }
        small = bool(ind.get("is_count_based")) and bool(numerators) and max(numerators) < SMALL_COUNT
        block = {
            "code": code,
            "seq": p["seq"],
            "name": name,
            "unit": unit,
            "kind": kind,
            "title": f"{name}（{unit}）" if unit else name,
            "chart_id": None,
            "notes": [],
            "empty": None,
            "years": years,
            "cells": [rows.get(yr) for yr in years],
            "show_count": kind == "rate",
            "is_count": bool(ind.get("is_count_based")),
            "count_label": _count_label(ind),
            "source": source_line(ind, report, gdp_note),
        }
        if not has_data(values.values()):
            block["empty"] = _empty_sentence(values, years, unit)
        else:
            proj = projections.get(p["seq"])
            projection = None
            if (
                proj
                and proj.get("evaluation") == "end_vs_base"
                and not is_missing(proj.get("projected_value"))
            ):
                projection = (proj["projected_value"], proj["projected_low"], proj["projected_high"])
            fig, notes = indicator_figure(
                years=years,
                values=values,
                unit=unit,
                plan_years=(y.base, y.first, y.end),
                target=_marks(p, report),
                band=band,
                projection=projection if report.is_running else None,
            )
            block["chart_id"] = report.charts.add(fig)
            block["notes"] = notes
        if small:
            block["notes"].append(
                f"事件数少（每年不足{SMALL_COUNT}），年度间的升降多属偶然波动，宜看多年走势。"
            )
        # a national figure only beside a rate: a national count beside a local one misleads
        nat = [n for n in national if n["indicator"] == code] if kind == "rate" else []
        if nat:
            latest = nat[-1]
            block["notes"].append(
                f"全国参考：{latest['year']}年{fmt_value(latest['value'], unit, with_unit=True)}"
                "（国家公开发布数据）。"
            )
        out.append(block)
    return out


def _count_label(ind: dict) -> str:
    unit = ind.get("numerator_unit_zh")
    if ind.get("is_count_based"):
        return f"计数（{unit}）" if unit else "计数"
    return f"分子（{unit}）" if unit else "分子"


def _empty_sentence(values: dict[int, object], years: list[int], unit: str) -> str:
    present = [yr for yr in years if not is_missing(values.get(yr))]
    if not present:
        return f"{years[0]}—{years[-1]}年没有完整年度数据，不作图。"
    return f"{present[0]}—{present[-1]}年各年均为0{unit}（数据完整的年份），不作图。"
