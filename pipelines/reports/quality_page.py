"""数据质量 page (``quality/index.html``): the run's quality for the statistician, in Chinese —
the gate's verdict, every check that failed or warned first, rejected rows by source and region
with file and row, the units that owe months (催报清单), severities the rule does not give, and the
registers' completeness per plan jurisdiction.

It replaces the Great Expectations Data Docs, which load jQuery and Bootstrap from the internet
and render blank offline. It reads quality.check_results / quality.runs (the gate's record) and
the marts; written at publication, after every check of the run has reported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from pathlib import Path

from pipelines.gate_records import gate_of_run

from .formats import fmt_months, now_local
from .reads import Catalog, CodeLabels, fetch
from .render import template

PAGE = Path("quality") / "index.html"

READ_CHECKS = """
select check_name, asset_key, severity, passed, offending_count, message_zh
from quality.check_results where run_id = ?
order by passed, severity, check_name, asset_key
"""
READ_QUARANTINE = """
select q.*, r.region_name, p.region_name as prefecture_name
from marts.fct_quarantine_summary as q
left join marts.dim_region as r on q.region_code = r.region_code
left join marts.dim_region as p on q.prefecture_code = p.region_code
order by q.prefecture_code nulls last, q.region_code nulls last, q.source, q.rows_quarantined desc
"""
READ_MISSING = """
select m.region_code, m.region_name, m.prefecture_code, p.region_name as prefecture_name, m.source, m.month
from marts.fct_missing_submissions as m
left join marts.dim_region as p on m.prefecture_code = p.region_code
where year(m.month) = ?
order by m.prefecture_code, m.region_code, m.source, m.month
"""
READ_FINDINGS = """
select f.occurred_date, f.region_code, coalesce(r.region_name, f.region_code) as region_name,
       f.reported_severity, f.severity_class, f.deaths_incl_missing
from marts.fct_severity_findings as f
left join marts.dim_region as r on f.region_code = r.region_code
order by f.occurred_date, f.region_code, f.accident_id
"""
READ_COMPLETENESS = """
select c.region_code, r.region_name, c.source, c.year, c.is_complete, c.units_complete, c.units_required
from marts.fct_source_completeness as c
inner join marts.dim_region as r on c.region_code = r.region_code
where r.is_plan_jurisdiction and c.year between ? and ?
order by c.region_code, c.source, c.year
"""


def _check_titles() -> dict[str, str]:
    """The Chinese title of every gate check (pipelines/quality/checks.py); dbt tests have none."""
    from pipelines.quality.checks import check_defs

    return {d.name: d.title_zh for d in check_defs()}


def check_message(check_name: str, title: str, message_zh: str | None, sources_zh: dict[str, str]) -> str:
    """The gate's message as the page shows it beside the check's title: without the repeated
    "检查 <id>（<title>）" opening, and with source codes (accidents …) in their Chinese names."""
    text = message_zh or ""
    opening = f"检查 {check_name}（{title}）"
    if text.startswith(opening):
        text = text[len(opening) :].lstrip("：:")
    if sources_zh:
        codes = "|".join(re.escape(c) for c in sorted(sources_zh, key=len, reverse=True))
        text = re.sub(rf"(?<![A-Za-z0-9_.])({codes})(?![A-Za-z0-9_.])", lambda m: sources_zh[m[1]], text)
    return text


def _checks(con, run_id: str, labels: CodeLabels) -> dict:
    rows = fetch(con, READ_CHECKS, [run_id])
    titles = _check_titles()
    sources_zh = labels.words("source")
    for r in rows:
        r["title"] = titles.get(r["check_name"]) or r["message_zh"].split("：")[0]
        r["message_text"] = check_message(r["check_name"], r["title"], r["message_zh"], sources_zh)
        r["severity_zh"] = labels.zh("check_severity", (r["severity"] or "").upper(), r["severity"])
        r["state"] = (
            "passed" if r["passed"] else ("warned" if (r["severity"] or "").upper() == "WARN" else "failed")
        )
    problems = [r for r in rows if not r["passed"]]
    return {
        "total": len(rows),
        "problems": problems,
        "passed": [r for r in rows if r["passed"]],
        "counts": {k: sum(r["state"] == k for r in rows) for k in ("passed", "warned", "failed")},
    }


def page_context(con, *, run_id: str, as_of: date, is_sample_data: bool) -> dict:
    cat = Catalog.read(con)
    labels = CodeLabels.read(con)
    gate = gate_of_run(con, run_id)
    checks = _checks(con, run_id, labels) if cat.has("quality.check_results") else None
    quarantine = fetch(con, READ_QUARANTINE) if cat.has("marts.fct_quarantine_summary") else []
    for q in quarantine:
        q["source_zh"] = labels.zh("source", q["source"])
    grouped: dict[tuple, list[int]] = defaultdict(list)
    for m in fetch(con, READ_MISSING, [as_of.year]) if cat.has("marts.fct_missing_submissions") else []:
        key = (
            m["prefecture_name"] or m["prefecture_code"],
            m["region_code"],
            m["region_name"],
            labels.zh("source", m["source"]),
        )
        grouped[key].append(m["month"].month)
    missing = [
        {
            "prefecture": k[0],
            "code": k[1],
            "name": k[2],
            "source": k[3],
            "months": fmt_months(v),
            "count": len(v),
        }
        for k, v in grouped.items()
    ]
    findings = fetch(con, READ_FINDINGS) if cat.has("marts.fct_severity_findings") else []
    for f in findings:
        f["severity_zh"] = labels.zh("severity_class", f["severity_class"])
    completeness = []
    if cat.has("marts.fct_source_completeness"):
        years = [as_of.year - 1, as_of.year]
        by: dict[tuple, dict] = {}
        for r in fetch(con, READ_COMPLETENESS, years):
            by[(r["region_code"], r["region_name"], r["source"], r["year"])] = r
        regions = sorted({(k[0], k[1]) for k in by})
        for code, name in regions:
            for source in ("accidents", "disasters", "forest_fires"):
                cells = [by.get((code, name, source, y)) for y in years]
                if any(cells):
                    completeness.append(
                        {"code": code, "name": name, "source": labels.zh("source", source), "cells": cells}
                    )
        completeness = {"years": years, "rows": completeness}
    return {
        "title": "数据质量",
        "run_id": run_id,
        "as_of": as_of,
        "is_sample_data": is_sample_data,
        "generated_at": now_local(),
        "gate": gate,
        "verdict_zh": labels.zh("gate_verdict", gate["verdict"]) if gate else None,
        "checks": checks,
        "quarantine": quarantine,
        "quarantine_rows": sum(q["rows_quarantined"] for q in quarantine),
        "quarantine_deaths": sum(q["deaths_in_rows"] or 0 for q in quarantine),
        "missing": missing,
        "missing_months": sum(m["count"] for m in missing),
        "findings": findings,
        "completeness": completeness,
    }


def write_quality_page(con, target_dir: Path, *, run_id: str, as_of: date, is_sample_data: bool) -> Path:
    """Write ``quality/index.html`` under ``target_dir`` (the reports build folder)."""
    path = Path(target_dir) / PAGE
    path.parent.mkdir(parents=True, exist_ok=True)
    ctx = page_context(con, run_id=run_id, as_of=as_of, is_sample_data=is_sample_data)
    path.write_text(template("quality.html.j2").render(**ctx), encoding="utf-8")
    return path
