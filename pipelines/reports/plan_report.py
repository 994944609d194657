"""One plan report: each section reads, shapes and charts in its own module
(``sections/``); this module puts them in the order a reader needs them, conclusion first.

An ended plan's report is its final evaluation (终期评估); a running plan's, its monitoring
(年度监测). Both use the plan's own years throughout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .reads import CodeLabels, RegionReads, Row
from .sections import (
    accidents,
    capabilities,
    conclusion,
    counties,
    county_assessment,
    current_year,
    disasters,
    final,
    indicators,
    outlook,
    quality,
    targets,
)
from .sections.common import Report

ZH_NUMERALS = "一二三四五六七八九十"


def zh_numeral(n: int) -> str:
    """1..19 as a section is numbered: 一 … 十, 十一 … 十九."""
    return ZH_NUMERALS[n - 1] if n <= 10 else f"十{ZH_NUMERALS[n - 11]}"


@dataclass(frozen=True)
class RunFacts:
    """What every report of a run shares."""

    as_of: object
    run_id: str
    is_sample_data: bool
    generated_at: datetime
    labels: CodeLabels
    indicators: dict[str, Row]
    national: list[Row]
    gate: Row | None  # quality.runs of this run


def _gdp_note(progress: list[dict], gdp: dict[int, str]) -> str | None:
    """初步核算 of a GDP figure under a rate the plan targets, said once."""
    years = sorted(
        {
            y
            for p in progress
            if p.get("denominator_measure") == "gdp_100m_yuan"
            for y in (p.get("baseline_year"), p.get("evaluated_year"))
            if y and gdp.get(y) == targets.PRELIMINARY
        }
    )
    if not years:
        return None
    return "、".join(f"{y}年" for y in years) + "地区生产总值为初步核算数"


def context(reads: RegionReads, plan: Row, run: RunFacts, siblings: dict[str, dict]) -> dict:
    """Everything the plan report's template shows. ``siblings``: the jurisdiction's other reports
    by stage (the final evaluation links the running plan's monitoring report)."""
    report = Report(reads, plan, run.as_of, run.labels, run.indicators)
    y = report.years
    progress = targets.read(report)
    gdp = targets.gdp_status(report)
    gdp_note = _gdp_note(progress, gdp)
    target_rows = targets.shape(progress, report, gdp)
    final_section = final.shape(*final.read(report), report) if report.is_final else None
    current = current_year.shape(current_year.read(report), progress, report)
    outlook_rows = outlook.shape(outlook.read(report), progress, report) if report.is_running else []
    county_section = counties.shape(*counties.read(report), report) if report.is_running else None
    quality_section = quality.shape(quality.read(report), report, run.gate)
    assessment = county_assessment.shape(*county_assessment.read(report), run.labels)
    worsening = (final_section or {}).get("worsening") or (county_section or {}).get("worsening") or []
    monitoring_link = None
    if report.is_final and "monitoring" in siblings:
        s = siblings["monitoring"]
        monitoring_link = {"file": s["file"], "title": f"《{s['plan_name']}》年度监测报告"}
    toc = [("conclusion", "结论与建议"), ("targets", "目标完成情况" if report.is_final else "目标与基期")]
    if final_section:
        toc.append(("final", f"总结评估（{y.previous_label}与{y.label}对比）"))
    if report.is_running:
        toc += [
            ("monitoring", f"{report.as_of.year}年年内监测"),
            ("outlook", f"目标可达性（趋势外推至{y.end}年）"),
        ]
    toc.append(("indicators", "分指标走势"))
    if county_section:
        toc.append(("county", "分县（市、区）情况"))
    if assessment:
        toc.append(("county_assessment", "控制指标考核（分县）"))
    toc += [("accidents", "生产安全事故"), ("disasters", "自然灾害")]
    caps = capabilities.shape(capabilities.read(report), progress, report)
    if caps:
        toc.append(("capabilities", "能力建设指标"))
    toc.append(("quality", "数据质量"))
    numbered = [{"id": sid, "title": f"{zh_numeral(i + 1)}、{title}"} for i, (sid, title) in enumerate(toc)]
    county_anchor = "final" if report.is_final else "county"
    found = conclusion.problems(
        report,
        target_rows,
        current if report.is_running else None,
        outlook_rows,
        worsening,
        county_anchor,
        quality_section,
    )
    return {
        "region": {
            "code": report.code,
            "name": report.name,
            "level": report.level,
            "level_zh": run.labels.zh("region_level", report.level),
        },
        "plan": {
            "id": y.plan_id,
            "name": y.name,
            "base_year": y.base,
            "first_year": y.first,
            "end_year": y.end,
            "previous_label": y.previous_label,
            "label": y.label,
            "is_final": report.is_final,
            "is_running": report.is_running,
            "stage_zh": plan["stage_zh"],
            "monitoring_month": plan.get("monitoring_month"),
            "monitoring_year": plan.get("monitoring_year"),
            "version_date": plan.get("version_date"),
            "source_file": plan.get("source_file"),
            "year_of_plan": report.as_of.year - y.first + 1,
        },
        "title": f"{y.name}主要指标{plan['stage_zh']}报告",
        "sections": {s["id"]: s for s in numbered},
        "toc": numbered,
        "as_of": run.as_of,
        "current_year": run.as_of.year,
        "last_year": report.last_year,
        "run_id": run.run_id,
        "generated_at": run.generated_at,
        "is_sample_data": run.is_sample_data,
        "lead": conclusion.lead(
            report,
            target_rows,
            final_section,
            current,
            outlook_rows,
            final.lead_facts(final_section),
            current_year.lead_facts(current),
            gdp_note,
            monitoring_link,
        ),
        "problems": found,
        "advice": conclusion.advice(report, found, gdp_note),
        "targets": target_rows,
        "has_small_counts": any(t["is_small_count"] for t in target_rows),
        "final": final_section,
        "current": current,
        "outlook": outlook_rows,
        "indicator_sections": indicators.shape(
            indicators.read(report), progress, outlook_rows, report, gdp_note, run.national
        ),
        "county": county_section,
        "county_assessment": assessment,
        "accidents": accidents.shape(accidents.read(report), report),
        "disasters": disasters.shape(disasters.read(report), report),
        "capabilities": caps,
        "quality": quality_section,
        "charts": report.charts.items,
        "status_counts": _status_counts(target_rows),
    }


def _status_counts(rows: list[dict]) -> list[dict]:
    seen: dict[str, dict] = {}
    for r in rows:
        s = r["status"]
        seen.setdefault(s["code"], dict(s, n=0))["n"] += 1
    return list(seen.values())
