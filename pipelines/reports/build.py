"""build_reports: one HTML report per plan and jurisdiction, an index, and one shared plotly.min.js.

An ended plan's report is its final evaluation (终期评估); a running plan's, its monitoring
(年度监测): each uses its own plan's years throughout (pipelines/reports/plan_sections.py), the
region's series and breakdowns come from pipelines/reports/sections.py.

Reads marts.* and quality.* only (plus the quarantine count); formats and selects, computes no
indicator. Text is escaped by Jinja2's autoescape; charts travel as plotly's own JSON.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from plotly.offline import get_plotlyjs

from . import county_assessment, plan_sections, queries, sections
from .labels import (
    INSUFFICIENT,
    LEVEL_ZH,
    SOURCE_ZH,
    STATUS,
    STATUS_ORDER,
    VERDICT_ZH,
    fmt_count,
    fmt_date,
    fmt_month,
    fmt_num,
    fmt_pct,
    safe_file_stem,
)

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
PLOTLY_JS = "plotly.min.js"


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(num=fmt_num, count=fmt_count, pct=fmt_pct, month=fmt_month, day=fmt_date)
    env.globals.update(
        STATUS=STATUS,
        LEVEL_ZH=LEVEL_ZH,
        SOURCE_ZH=SOURCE_ZH,
        VERDICT_ZH=VERDICT_ZH,
        INSUFFICIENT=INSUFFICIENT,
    )
    return env


ZH_NUMERALS = "一二三四五六七八九十"


def _numbered(sections: list[tuple[str, str]]) -> list[dict]:
    """Section ids and titles, numbered 一、二、… in the order the report shows them."""
    return [{"id": sid, "title": f"{ZH_NUMERALS[i]}、{title}"} for i, (sid, title) in enumerate(sections)]


def _report_context(reads, shared: _Shared, plan: dict):
    cat, indicators, national = shared.cat, shared.indicators, shared.national
    as_of, is_sample_data, run_id = shared.as_of, shared.is_sample_data, shared.run_id
    code = plan["region_code"]
    years = plan_sections.PlanYears.of(plan)
    region = reads.region(code) or {}
    level = region.get("level") or plan.get("level")
    progress = [p for p in reads.plan_progress(code) if p["plan_id"] == years.plan_id]
    is_final = plan["stage"] == "final_evaluation"
    is_running = plan["stage"] == "monitoring"
    # an ended plan is shown over its own years; a running one up to this year, to date
    last_year = years.end if is_final else min(as_of.year, years.end)
    box = sections.Charts()
    headline = plan_sections.headline(progress, years, show_firmness=not is_final)
    status_count = Counter(h["status"]["code"] for h in headline)
    outlook_rows = reads.plan_outlook(code) if is_running and cat.has(sections.OPTIONAL["outlook"]) else []
    outlook = plan_sections.outlook(outlook_rows, years.plan_id, progress)
    final = None
    if is_final and cat.has(sections.OPTIONAL["period"]):
        final = plan_sections.period_comparison(
            reads.period_comparison(code), reads.county_period_comparison(code), reads.counties(code),
            years, indicators,
        )
    plan_ytd = None
    if is_running and cat.has(sections.OPTIONAL["plan_ytd"]):
        plan_ytd = plan_sections.ytd(reads.plan_ytd(code), years.plan_id, progress)
    ytd_rows = reads.ytd(code, as_of.year) if is_running and cat.has(sections.OPTIONAL["ytd"]) else None
    plan_codes = [p["indicator_code"] for p in progress]
    if ytd_rows:
        order = {c: i for i, c in enumerate(plan_codes)}
        ytd_rows.sort(key=lambda r: (order.get(r["indicator_code"], 99), r["indicator_code"]))
    through = max((r["through_month"] for r in ytd_rows or [] if r["through_month"]), default=None)
    county = sections.county_section(reads, code, progress, indicators, as_of, years, box) \
        if level == "prefecture" and not is_final else None
    capabilities = sections.capability_section(reads, code, progress, years)
    assessment = county_assessment.section(reads.con, plan) if level == "prefecture" else None
    toc = [("summary", "目标完成情况总览" if is_final else "目标与基期")]
    if final:
        toc.append(("final", f"总结评估（{years.previous_label}与{years.label}对比）"))
    if is_running:
        toc.append(("monitoring", f"{as_of.year}年年内监测（临时）"))
        toc.append(("outlook", f"目标可达性（趋势外推至{years.end}年）"))
    toc.append(("indicators", "分指标走势"))
    if county:
        toc.append(("county", "分县（市、区）情况"))
    if assessment:
        toc.append(("county_assessment", "控制指标考核（分县）"))
    toc += [("accidents", "生产安全事故"), ("disasters", "自然灾害")]
    if capabilities:
        toc.append(("capabilities", "能力建设指标"))
    toc.append(("quality", "数据质量与可信度"))
    ctx = {
        "region": {"code": code, "name": plan["jurisdiction_name"], "level": level,
                   "county_count": region.get("county_count")},
        "plan": {
            "id": years.plan_id, "name": years.name, "base_year": years.base, "first_year": years.first,
            "end_year": years.end, "previous_label": years.previous_label, "label": years.label,
            "is_final": is_final, "is_running": is_running, "stage_zh": plan["stage_zh"],
            "monitoring_month": plan.get("monitoring_month"), "monitoring_year": plan.get("monitoring_year"),
            "version_date": plan.get("version_date"), "source_file": plan.get("source_file"),
        },
        "sections": {s["id"]: s for s in _numbered(toc)},
        "toc": _numbered(toc),
        "as_of": as_of,
        "current_year": as_of.year,
        "last_year": last_year,
        "through_month": through,
        "run_id": run_id,
        "generated_at": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "is_sample_data": is_sample_data,
        "headline": headline,
        "has_complete_plan_year": any(p.get("years_complete") for p in progress),
        "status_summary": [(s, STATUS[s], status_count[s]) for s in STATUS_ORDER if status_count[s]],
        "final": final,
        "plan_ytd": plan_ytd,
        "outlook": outlook,
        "ytd": ytd_rows,
        "indicator_sections": sections.indicator_sections(
            reads, code, progress, indicators, national, as_of, years,
            {o["seq"]: o for o in outlook_rows if o["plan_id"] == years.plan_id}, box,
        ),
        "county": county,
        "county_assessment": assessment,
        "accidents": sections.accident_section(reads, cat, code, as_of, years, last_year, box),
        "disasters": sections.disaster_section(reads, cat, code, as_of, years, last_year, box),
        "capabilities": capabilities,
        "quality": sections.quality_section(reads, cat, code, last_year, shared.quality_of_run),
        "missing_tables": [t for t in sections.OPTIONAL.values() if not cat.has(t)],
        "charts": box.items,
        "plotly_js": PLOTLY_JS,
    }
    return ctx, status_count


@dataclass
class _Shared:
    """What every report of a run reads the same: catalog, templates, indicators, national figures."""

    cat: queries.Catalog
    report_tpl: Template
    indicators: dict[str, dict]
    national: list[dict]
    quality_of_run: dict
    as_of: date
    is_sample_data: bool
    run_id: str

    @classmethod
    def read(cls, con, *, as_of: date, is_sample_data: bool, run_id: str) -> _Shared:
        cat = queries.Catalog.read(con)
        missing = [t for t in queries.REQUIRED if not cat.has(t)]
        if missing:
            raise RuntimeError(f"报告所需的数据集市表不存在：{', '.join(missing)}")
        national_table = cat.find("national_reference", ("seeds", "main_seeds", "marts", "main"))
        return cls(
            cat=cat,
            report_tpl=_env().get_template("report.html.j2"),
            indicators={r["indicator_code"]: r for r in queries.indicators(con)},
            national=queries.national_reference(con, national_table),
            quality_of_run=sections.quality_of_run(con, cat, run_id),
            as_of=as_of,
            is_sample_data=is_sample_data,
            run_id=run_id,
        )


def report_file_name(plan: dict) -> str:
    """230500_双鸭山市_14fyp.html: one report per plan and jurisdiction."""
    return f"{safe_file_stem(plan['region_code'], plan['jurisdiction_name'])}_{plan['plan_id']}.html"


def _write_reports(con, shared: _Shared, todo: list[dict], out_dir: Path) -> list[dict]:
    """Write these plans' reports; returns their index entries."""
    reads = queries.RegionReads(con, list(dict.fromkeys(p["region_code"] for p in todo)))
    return [_write_report(reads, shared, plan, out_dir) for plan in todo]


def _write_report(reads, shared: _Shared, plan: dict, out_dir: Path) -> dict:
    """Write one plan's report; returns its index entry."""
    ctx, status_count = _report_context(reads, shared, plan)
    path = out_dir / report_file_name(plan)
    path.write_text(shared.report_tpl.render(**ctx), encoding="utf-8")
    size = path.stat().st_size
    log.info("report %s written (%.0f KB)", path.name, size / 1024)
    return {
        "code": plan["region_code"],
        "name": plan["jurisdiction_name"],
        "level": ctx["region"]["level"],
        "plan_id": plan["plan_id"],
        "plan_name": plan["plan_name"],
        "period": f"{plan['start_year']}—{plan['end_year']}年",
        "stage": plan["stage"],
        "stage_zh": plan["stage_zh"],
        "monitoring": (f"截至{plan['monitoring_year']}年{plan['monitoring_month']}月"
                       if plan.get("monitoring_month") else "本年尚无完整月份"
                       if plan["stage"] == "monitoring" else ""),
        "file": path.name,
        "counts": [status_count[s] for s in STATUS_ORDER],
        "total": sum(status_count.values()),
        "size_kb": size / 1024,
    }


# Worker processes (parallel builds): each opens the warehouse read-only once.
_worker: dict = {}


def _worker_init(database: str, out_dir: str, as_of: date, is_sample_data: bool, run_id: str) -> None:
    con = duckdb.connect(database, read_only=True)
    _worker.update(con=con, out_dir=Path(out_dir),
                   shared=_Shared.read(con, as_of=as_of, is_sample_data=is_sample_data, run_id=run_id))


def _worker_write(todo: list[dict]) -> list[dict]:
    return _write_reports(_worker["con"], _worker["shared"], todo, _worker["out_dir"])


PARALLEL_FROM = 24  # reports; below this, starting worker processes costs more than it saves
CHUNK = 32  # reports per worker task (the region reads are one query per chunk)


def build_reports(
    con: duckdb.DuckDBPyConnection, out_dir: Path, *, as_of: date, is_sample_data: bool, run_id: str,
    database: Path | None = None, workers: int = 1, monthly: list[dict] | None = None,
) -> list[Path]:
    """Write one report per plan and jurisdiction, `index.html` and `plotly.min.js` into out_dir.

    Returns the written paths (reports first, then the index, then plotly.min.js).

    With ``workers`` > 1 and ``database`` (the file ``con`` reads, opened read-only by every
    process), the reports are written by that many worker processes when there are at least
    ``PARALLEL_FROM`` of them; each report is the same as in a serial build. ``monthly``: the
    monthly analyses (``monthly/<file>``, pipelines/reports/monthly/) the index links.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    shared = _Shared.read(con, as_of=as_of, is_sample_data=is_sample_data, run_id=run_id)
    index_tpl = _env().get_template("index.html.j2")
    todo = queries.plans(con)
    if workers > 1 and database is not None and len(todo) >= PARALLEL_FROM:
        # spawn, not fork: the parent runs threads (Dagster, DuckDB) a fork would copy mid-lock
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_init,
            initargs=(str(database), str(out_dir), as_of, is_sample_data, run_id),
        ) as pool:
            chunks = [todo[i:i + CHUNK] for i in range(0, len(todo), CHUNK)]
            entries = [e for done in pool.map(_worker_write, chunks) for e in done]
        log.info("%d reports written by %d worker processes", len(entries), workers)
    else:
        entries = _write_reports(con, shared, todo, out_dir)
    written = [out_dir / e["file"] for e in entries]

    index = out_dir / "index.html"
    index.write_text(
        index_tpl.render(
            entries=entries,
            statuses=[(s, STATUS[s]) for s in STATUS_ORDER],
            as_of=as_of,
            run_id=run_id,
            is_sample_data=is_sample_data,
            generated_at=datetime.now().strftime("%Y-%m-%d %H:%M"),
            current_year=as_of.year,
            monthly=monthly or [],
        ),
        encoding="utf-8",
    )
    written.append(index)
    js = out_dir / PLOTLY_JS
    js.write_text(get_plotlyjs(), encoding="utf-8")
    written.append(js)
    return written
