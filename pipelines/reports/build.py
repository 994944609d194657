"""build_reports: one HTML report per plan jurisdiction, an index, and one shared plotly.min.js.

Reads marts.* and quality.* only (plus the quarantine count); formats and selects, computes no
indicator. Text is escaped by Jinja2's autoescape; charts travel as plotly's own JSON.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from plotly.offline import get_plotlyjs

from . import charts, queries
from .labels import (
    COMPARATOR_ZH,
    INSUFFICIENT,
    LEVEL_ZH,
    SEVERITY_ORDER,
    SEVERITY_ZH,
    SOURCE_ZH,
    STATUS,
    STATUS_ORDER,
    VERDICT_ZH,
    fmt_count,
    fmt_date,
    fmt_month,
    fmt_num,
    fmt_pct,
    is_missing,
    plan_meta,
    safe_file_stem,
)

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
PLOTLY_JS = "plotly.min.js"
FIRST_YEAR = 2016
# County breakdown of a prefecture: these indicators, when the warehouse has them.
COUNTY_KEY_INDICATORS = [
    "safety_deaths",
    "deaths_per_100m_gdp",
    "industrial_deaths_per_100k_workers",
    "larger_and_above_accidents",
    "disaster_deaths_per_million",
]
COUNTY_CHARTS = 2
ACCIDENT_INDICATORS = ["safety_accidents", "safety_deaths"]
DISASTER_INDICATORS = ["disaster_deaths_per_million", "disaster_affected_per_100k", "disaster_loss_pct_gdp"]
OPTIONAL = {
    "ytd": "marts.fct_ytd_comparison",
    "accident_breakdown": "marts.fct_accident_breakdown",
    "accidents": "marts.fct_accidents",
    "rollup": "marts.bridge_region_rollup",
    "disaster_breakdown": "marts.fct_disaster_breakdown",
    "missing": "marts.fct_missing_submissions",
    "findings": "marts.fct_severity_findings",
    "check_results": "quality.check_results",
    "runs": "quality.runs",
    "quarantine": "raw.quarantine",
}


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


def _status(code: str | None, status_zh: str | None = None) -> dict:
    word, css, symbol = STATUS.get(code or "insufficient_data", STATUS["insufficient_data"])
    return {"code": code or "insufficient_data", "word": status_zh or word, "css": css, "symbol": symbol}


def _is_period_mean(p: dict) -> bool:
    # `evaluation` is an extra column of the mart (plan_targets.csv); the printed name says it too.
    if p.get("evaluation"):
        return p["evaluation"] == "period_mean"
    return "年均" in (p.get("indicator_name_as_printed") or "")


def _target_text(p: dict) -> str:
    kind = p.get("target_kind")
    tv = p.get("target_value")
    unit = p.get("unit_zh") or p.get("unit") or ""
    prefix = "年均" if _is_period_mean(p) else ""
    if kind == "decline_pct":
        return f"较{p.get('baseline_year') or ''}年下降{fmt_num(tv, missing='?')}%"
    if kind == "curb":
        return "有效遏制（无量化目标）"
    if kind in ("upper_bound", "lower_bound"):
        comp = COMPARATOR_ZH.get(p.get("comparator") or "", p.get("comparator") or "")
        return f"{prefix}{comp}{fmt_num(tv, missing='?')}{unit}"
    return fmt_num(tv, missing="—")


def _remarks(p: dict) -> list[str]:
    out = []
    if p.get("target_kind") == "curb":
        out.append("规划表述为“有效遏制”，无量化目标，只列历年数值，不作完成判定。")
        if not is_missing(p.get("curb_reference_mean")):
            out.append(
                f"对照：{FIRST_YEAR}—{plan_meta(p['plan_id'])[1]}年年均 {fmt_num(p['curb_reference_mean'])}。"
            )
    if p.get("is_baseline_different"):
        out.append("规划文本基期值与数据计算值不一致，两者并列，以数据计算值评估。")
    sig = p.get("is_change_significant")
    if sig is False and not is_missing(p.get("change_pct")):
        out.append("变化在随机波动范围内（泊松95%区间），不宜解读为实质性变化。")
    elif sig is True:
        out.append("变化超出随机波动范围（泊松95%区间）。")
    gap = p.get("gap_to_target")
    if not is_missing(gap) and p.get("status") not in ("achieved", "on_track"):
        out.append(f"距目标：{fmt_num(gap)}{p.get('unit_zh') or ''}。")
    if p.get("status") == "insufficient_data":
        out.append("所需数据不完整，缺报月份见“数据质量”部分的催报清单。")
    return out


def _headline(progress: list[dict]) -> list[dict]:
    rows = []
    for p in progress:
        is_rate = p.get("kind") == "rate"
        period_mean = _is_period_mean(p)
        rows.append(
            {
                "seq": p["seq"],
                "indicator_code": p["indicator_code"],
                "name": p.get("indicator_name_as_printed")
                or p.get("indicator_name_zh")
                or p["indicator_code"],
                "unit": p.get("unit_zh") or "",
                "target": _target_text(p),
                "target_threshold": p.get("target_threshold"),
                "baseline_year": p.get("baseline_year"),
                "baseline_printed": p.get("baseline_value_printed"),
                "baseline_value": p.get("baseline_value"),
                "baseline_count": p.get("baseline_count") if is_rate else None,
                "is_baseline_different": bool(p.get("is_baseline_different")),
                "evaluated_year": p.get("evaluated_year"),
                "evaluated_label": "规划期年均"
                if period_mean
                else (f"{p['evaluated_year']}年" if p.get("evaluated_year") else ""),
                "evaluated_value": p.get("evaluated_value"),
                "evaluated_count": p.get("evaluated_count") if is_rate and not period_mean else None,
                "change_pct": p.get("change_pct"),
                "status": _status(p.get("status"), p.get("status_zh")),
                "remarks": _remarks(p),
            }
        )
    return rows


class _Charts:
    """Collects figures; the template places a div per id and the JSON once at the end."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, fig) -> str:
        cid = f"chart-{len(self.items) + 1}"
        self.items.append((cid, charts.to_json(fig)))
        return cid


def _indicator_sections(reads, region_code, progress, indicators, national, as_of, plan_years, box):
    codes = list(dict.fromkeys(p["indicator_code"] for p in progress))
    series_rows = [r for r in reads.indicator_series(region_code) if r["indicator_code"] in codes]
    by_code: dict[str, dict[int, dict]] = defaultdict(dict)
    for r in series_rows:
        if not r.get("is_current_year"):
            by_code[r["indicator_code"]][r["year"]] = r
    years = list(range(FIRST_YEAR, as_of.year))
    nat_by_code: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for n in national:
        nat_by_code[n["indicator"]].append((n["year"], n["value"]))
    sections = []
    for code in codes:
        ind = indicators.get(code, {})
        p = next(p for p in progress if p["indicator_code"] == code)
        series = by_code.get(code, {})
        kind = ind.get("kind")
        numerators = [r.get("numerator") for r in series.values() if not is_missing(r.get("numerator"))]
        has_ci = any(not is_missing(r.get("value_ci_low")) for r in series.values())
        show_band = (
            kind != "capability" and has_ci and bool(numerators) and min(numerators) < charts.SMALL_COUNT
        )
        # National figures are drawn for rates only: a national count beside a local one misleads.
        national_points = nat_by_code.get(code, []) if kind == "rate" else []
        # Capability indicators are filed from the plan's base year on: earlier years are not gaps.
        ind_years = [y for y in years if y >= plan_years[0]] if kind == "capability" else years
        name = ind.get("indicator_name_zh") or p.get("indicator_name_as_printed") or code
        unit = ind.get("unit_zh") or ""
        fig = charts.indicator_figure(
            title=f"{name}（{unit}）" if unit else name,
            unit=unit,
            years=ind_years,
            series=series,
            progress=p,
            national=national_points,
            plan_years=plan_years,
            show_band=show_band,
        )
        table_years = ind_years
        cells = [series.get(y) for y in table_years]
        sections.append(
            {
                "code": code,
                "name": name,
                "unit": unit,
                "kind": kind,
                "chart_id": box.add(fig),
                "years": table_years,
                "cells": cells,
                "show_count": kind == "rate",
                "show_ci": has_ci and kind != "capability",
                "show_band": show_band,
                "national": national_points,
            }
        )
    return sections


def _county_section(reads, region_code, progress, indicators, as_of, plan_years, box):
    counties = reads.counties(region_code)
    if not counties:
        return None
    base_year, _, end_year = plan_years
    latest = min(end_year, as_of.year - 1)
    years = [base_year, latest] if latest != base_year else [base_year]
    plan_codes = [p["indicator_code"] for p in progress]
    codes = [
        c for c in COUNTY_KEY_INDICATORS if c in indicators and (c in plan_codes or c == "safety_deaths")
    ]
    values = [
        v for v in reads.county_values(region_code) if v["indicator_code"] in codes and v["year"] in years
    ]
    lookup = {(v["region_code"], v["indicator_code"], v["year"]): v for v in values}
    rows = []
    for c in counties:
        cells = []
        for code in codes:
            for y in years:
                cells.append(lookup.get((c["region_code"], code, y)))
        rows.append({"code": c["region_code"], "name": c["region_name"], "cells": cells})
    columns = [
        {
            "code": code,
            "name": indicators[code]["indicator_name_zh"],
            "unit": indicators[code].get("unit_zh") or "",
            "is_rate": indicators[code].get("kind") == "rate",
        }
        for code in codes
    ]
    chart_ids = []
    for code in codes[:COUNTY_CHARTS]:
        ind = indicators[code]
        fig = charts.county_figure(
            title=f"分县（市、区）{ind['indicator_name_zh']}",
            unit=ind.get("unit_zh") or "",
            counties=[c["region_name"] for c in counties],
            years=years,
            values={
                (c["region_name"], y): lookup.get((c["region_code"], code, y)) or {}
                for c in counties
                for y in years
            },
        )
        chart_ids.append(box.add(fig))
    return {"years": years, "columns": columns, "rows": rows, "chart_ids": chart_ids}


def _accident_section(reads, cat, region_code, as_of, plan_years, completeness, box):
    if not cat.has(OPTIONAL["accident_breakdown"]):
        return None
    _, first_year, _ = plan_years
    rows = [r for r in reads.accident_breakdown(region_code) if r["year"] >= first_year]
    years = list(range(first_year, as_of.year + 1))
    gaps = _gap_years(set(completeness), years, as_of)
    sectors = list(
        dict.fromkeys(r["sector"] for r in sorted(rows, key=lambda r: (not r["is_industrial"], r["sector"])))
    )
    deaths_fig = charts.stacked_by_year(
        title="生产安全事故死亡人数（按行业领域）",
        unit="人",
        years=years,
        groups=sectors,
        points=[(r["year"], r["sector"], r["deaths"]) for r in rows],
        gap_years=gaps,
    )
    sev_fig = charts.stacked_by_year(
        title="生产安全事故起数（按事故等级）",
        unit="起",
        years=years,
        groups=[SEVERITY_ZH[s] for s in reversed(SEVERITY_ORDER)],
        points=[
            (r["year"], SEVERITY_ZH.get(r["severity_class"], r["severity_class"]), r["accidents"])
            for r in rows
        ],
        colours=charts.SEVERITY_COLOURS,
        gap_years=gaps,
    )
    table_years = [y for y in (as_of.year - 1, as_of.year) if y >= first_year]
    table = [
        dict(r, severity_zh=SEVERITY_ZH.get(r["severity_class"], r["severity_class"]))
        for r in rows
        if r["year"] in table_years
    ]
    table.sort(
        key=lambda r: (
            r["year"],
            not r["is_industrial"],
            r["sector"],
            SEVERITY_ORDER.index(r["severity_class"]) if r["severity_class"] in SEVERITY_ORDER else 9,
        )
    )
    serious = []
    if cat.has(OPTIONAL["accidents"]) and cat.has(OPTIONAL["rollup"]):
        serious = [
            {k: v for k, v in a.items() if k != "year"}
            for a in reads.serious_accidents(region_code)
            if a["year"] >= first_year
        ]
    return {
        "chart_ids": [box.add(deaths_fig), box.add(sev_fig)],
        "table": table,
        "table_years": [{"year": y, "complete": completeness.get(y)} for y in table_years],
        "serious": serious,
        "serious_available": cat.has(OPTIONAL["accidents"]) and cat.has(OPTIONAL["rollup"]),
    }


def _gap_years(known_complete: set[int], years: list[int], as_of: date) -> list[int]:
    """Past years the marts hold no complete value for; unknown (no marker) when none at all."""
    if not known_complete:
        return []
    return [y for y in years if y < as_of.year and y not in known_complete]


def _complete_years(reads, region_code: str, codes: list[str]) -> set[int]:
    # fct_indicator_values holds complete region-years only: a year with any of these is complete.
    return {
        r["year"]
        for r in reads.indicator_series(region_code)
        if r["indicator_code"] in codes and not r.get("is_current_year")
    }


def _disaster_section(reads, cat, region_code, as_of, plan_years, box):
    if not cat.has(OPTIONAL["disaster_breakdown"]):
        return None
    _, first_year, _ = plan_years
    rows = [r for r in reads.disaster_breakdown(region_code) if r["year"] >= first_year]
    years = list(range(first_year, as_of.year + 1))
    hazards = list(dict.fromkeys(r["hazard"] for r in rows))
    gaps = _gap_years(_complete_years(reads, region_code, DISASTER_INDICATORS), years, as_of)
    loss_fig = charts.stacked_by_year(
        title="自然灾害直接经济损失（按灾种）",
        unit="亿元",
        years=years,
        groups=hazards,
        points=[(r["year"], r["hazard"], r["direct_loss_100m_yuan"]) for r in rows],
        gap_years=gaps,
    )
    dm_fig = charts.stacked_by_year(
        title="因灾死亡失踪人数（按灾种）",
        unit="人",
        years=years,
        groups=hazards,
        points=[(r["year"], r["hazard"], r["dead_missing"]) for r in rows],
        gap_years=gaps,
    )
    table_years = [y for y in (as_of.year - 1, as_of.year) if y >= first_year]
    return {
        "chart_ids": [box.add(loss_fig), box.add(dm_fig)],
        "table": [r for r in rows if r["year"] in table_years],
        "table_years": table_years,
    }


def _capability_section(reads, region_code, progress):
    rows = reads.capability_values(region_code)
    if not rows:
        return None
    years = sorted({r["year"] for r in rows})
    by = defaultdict(dict)
    names = {}
    for r in rows:
        by[r["indicator_code"]][r["year"]] = r["value"]
        names[r["indicator_code"]] = (r["indicator_name_zh"], r["unit_zh"] or "")
    targets = {p["indicator_code"]: p for p in progress}
    out = []
    for code, (name, unit) in names.items():
        p = targets.get(code)
        out.append(
            {
                "name": name,
                "unit": unit,
                "yearly": [by[code].get(y) for y in years],
                "target": _target_text(p) if p else "（本规划未设目标）",
                "status": _status(p.get("status"), p.get("status_zh")) if p else None,
            }
        )
    return {"years": years, "rows": out}


def _quality_of_run(con, cat, run_id) -> dict:
    """The run's part of every report's quality section (the same for all reports)."""
    q: dict = {"run": None, "checks": None, "quarantine": None}
    if cat.has(OPTIONAL["runs"]):
        q["run"] = queries.quality_run(con, run_id)
    if cat.has(OPTIONAL["check_results"]):
        results = queries.check_results(con, run_id)
        counts = Counter()
        for r in results:
            if r["passed"]:
                counts["passed"] += 1
            elif (r["severity"] or "").lower() in ("warn", "warning"):
                counts["warned"] += 1
            else:
                counts["failed"] += 1
        q["checks"] = {
            "counts": counts,
            "total": len(results),
            "problems": [r for r in results if not r["passed"]],
        }
    if cat.has(OPTIONAL["quarantine"]):
        rows = queries.quarantine_summary(con)
        q["quarantine"] = {
            "rows": rows,
            "total_rows": sum(r["rows_quarantined"] for r in rows),
            "total_deaths": sum(r["deaths_in_rows"] or 0 for r in rows),
            "unreadable": sum(r["rows_deaths_unreadable"] for r in rows),
        }
    return q


def _quality_section(reads, cat, region_code, as_of, of_run: dict) -> dict:
    q = dict(of_run, missing=None, findings=None)
    if cat.has(OPTIONAL["missing"]) and cat.has(OPTIONAL["rollup"]):
        q["missing"] = reads.missing_submissions(region_code, as_of.year)
    if cat.has(OPTIONAL["findings"]) and cat.has(OPTIONAL["rollup"]):
        q["findings"] = reads.severity_findings(region_code)
    return q


def _report_context(reads, shared: _Shared, juris):
    cat, indicators, national = shared.cat, shared.indicators, shared.national
    as_of, is_sample_data, run_id = shared.as_of, shared.is_sample_data, shared.run_id
    code = juris["region_code"]
    region = reads.region(code) or {}
    progress = reads.plan_progress(code)
    plan_id = progress[0]["plan_id"] if progress else "14fyp"
    plan_title, base_year, first_year, end_year = plan_meta(plan_id)
    plan_years = (base_year, first_year, end_year)
    box = _Charts()
    headline = _headline(progress)
    status_count = Counter(h["status"]["code"] for h in headline)
    # A year counts as complete for the accident tables when the mart has its accident count.
    completeness = dict.fromkeys(_complete_years(reads, code, ACCIDENT_INDICATORS), True)
    ytd_rows = reads.ytd(code, as_of.year) if cat.has(OPTIONAL["ytd"]) else None
    plan_codes = [p["indicator_code"] for p in progress]
    if ytd_rows:
        ytd_rows.sort(
            key=lambda r: (
                plan_codes.index(r["indicator_code"]) if r["indicator_code"] in plan_codes else 99,
                r["indicator_code"],
            )
        )
    through = max((r["through_month"] for r in ytd_rows or [] if r["through_month"]), default=None)
    ctx = {
        "region": {
            "code": code,
            "name": juris["region_name"],
            "level": region.get("level") or juris.get("level"),
            "county_count": region.get("county_count"),
        },
        "plan": {
            "id": plan_id,
            "title": plan_title,
            "base_year": base_year,
            "first_year": first_year,
            "end_year": end_year,
            "is_final": as_of.year > end_year,
        },
        "as_of": as_of,
        "current_year": as_of.year,
        "through_month": through,
        "run_id": run_id,
        "generated_at": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "is_sample_data": is_sample_data,
        "headline": headline,
        "status_summary": [(s, STATUS[s], status_count[s]) for s in STATUS_ORDER if status_count[s]],
        "ytd": ytd_rows,
        "indicator_sections": _indicator_sections(
            reads, code, progress, indicators, national, as_of, plan_years, box
        ),
        "county": _county_section(reads, code, progress, indicators, as_of, plan_years, box)
        if (region.get("level") or juris.get("level")) == "prefecture"
        else None,
        "accidents": _accident_section(reads, cat, code, as_of, plan_years, completeness, box),
        "disasters": _disaster_section(reads, cat, code, as_of, plan_years, box),
        "capabilities": _capability_section(reads, code, progress),
        "quality": _quality_section(reads, cat, code, as_of, shared.quality_of_run),
        "missing_tables": [t for t in OPTIONAL.values() if not cat.has(t)],
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
            quality_of_run=_quality_of_run(con, cat, run_id),
            as_of=as_of,
            is_sample_data=is_sample_data,
            run_id=run_id,
        )


def _write_reports(con, shared: _Shared, todo: list[dict], out_dir: Path) -> list[dict]:
    """Write these jurisdictions' reports; returns their index entries."""
    reads = queries.RegionReads(con, [j["region_code"] for j in todo])
    return [_write_report(reads, shared, juris, out_dir) for juris in todo]


def _write_report(reads, shared: _Shared, juris: dict, out_dir: Path) -> dict:
    """Write one jurisdiction's report; returns its index entry."""
    ctx, status_count = _report_context(reads, shared, juris)
    path = out_dir / f"{safe_file_stem(juris['region_code'], juris['region_name'])}.html"
    path.write_text(shared.report_tpl.render(**ctx), encoding="utf-8")
    size = path.stat().st_size
    log.info("report %s written (%.0f KB)", path.name, size / 1024)
    return {
        "code": juris["region_code"],
        "name": juris["region_name"],
        "level": ctx["region"]["level"],
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
    database: Path | None = None, workers: int = 1,
) -> list[Path]:
    """Write one report per plan jurisdiction, `index.html` and `plotly.min.js` into out_dir.

    Returns the written paths (reports first, then the index, then plotly.min.js).

    With ``workers`` > 1 and ``database`` (the file ``con`` reads, opened read-only by every
    process), the reports are written by that many worker processes when there are at least
    ``PARALLEL_FROM`` of them; each report is the same as in a serial build.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    shared = _Shared.read(con, as_of=as_of, is_sample_data=is_sample_data, run_id=run_id)
    index_tpl = _env().get_template("index.html.j2")
    todo = queries.jurisdictions(con)
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
        ),
        encoding="utf-8",
    )
    written.append(index)
    js = out_dir / PLOTLY_JS
    js.write_text(get_plotlyjs(), encoding="utf-8")
    written.append(js)
    return written
