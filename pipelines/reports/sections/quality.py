"""数据质量与可信度 of one report: only its jurisdiction's data — which years are complete
(marts.fct_source_completeness), which units owe which months (fct_missing_submissions, the 催报
清单), which rows were rejected and where they are (fct_quarantine_summary, file and row), which
accidents carry a severity the rule does not give (fct_severity_findings). The run's checks as a
whole are on the quality page."""

from __future__ import annotations

from collections import defaultdict

from ..formats import fmt_months
from .common import Report

READ_COMPLETENESS = """
select region_code as _region, source, year, months_due, units_required, units_complete, is_complete
from marts.fct_source_completeness
where list_contains(?, region_code)
order by region_code, source, year
"""
READ_MISSING = """
select b.rollup_region_code as _region, m.region_code, m.region_name, m.source, m.month
from marts.fct_missing_submissions as m
inner join marts.bridge_region_rollup as b on m.region_code = b.county_region_code
where list_contains(?, b.rollup_region_code) and year(m.month) = ?
order by b.rollup_region_code, m.region_code, m.source, m.month
"""
READ_QUARANTINE = """
select b.rollup_region_code as _region, q.source, q.region_code, r.region_name, q.reason_code,
       q.column_name, q.rows_quarantined, q.deaths_in_rows, q.rows_deaths_unreadable, q.files,
       q.example_reason_zh, q.file_rows_zh
from marts.fct_quarantine_summary as q
inner join marts.bridge_region_rollup as b on q.region_code = b.county_region_code
left join marts.dim_region as r on q.region_code = r.region_code
where list_contains(?, b.rollup_region_code)
order by b.rollup_region_code, q.source, q.region_code, q.rows_quarantined desc
"""
READ_FINDINGS = """
select b.rollup_region_code as _region, f.occurred_date,
       coalesce(r.region_name, f.region_code) as region_name,
       f.reported_severity, f.severity_class, f.deaths_incl_missing
from marts.fct_severity_findings as f
inner join marts.bridge_region_rollup as b on f.region_code = b.county_region_code
left join marts.dim_region as r on f.region_code = r.region_code
where list_contains(?, b.rollup_region_code)
order by b.rollup_region_code, f.occurred_date, f.region_code, f.accident_id
"""
EVENT_SOURCES = ("accidents", "disasters", "forest_fires")


def read(report: Report) -> dict:
    reads, code = report.reads, report.code
    y = report.years
    out: dict = {"completeness": None, "missing": None, "quarantine": None, "findings": None}
    if reads.has("marts.fct_source_completeness"):
        out["completeness"] = [
            r for r in reads.rows(code, READ_COMPLETENESS) if y.first <= r["year"] <= report.last_year
        ]
    rollup = reads.has("marts.bridge_region_rollup")
    if rollup and reads.has("marts.fct_missing_submissions"):
        out["missing"] = reads.rows(code, READ_MISSING, report.last_year)
    if rollup and reads.has("marts.fct_quarantine_summary"):
        out["quarantine"] = reads.rows(code, READ_QUARANTINE)
    if rollup and reads.has("marts.fct_severity_findings"):
        out["findings"] = [
            r for r in reads.rows(code, READ_FINDINGS) if r["occurred_date"].year >= y.previous_first
        ]
    return out


def shape(data: dict, report: Report, run: dict | None) -> dict:
    labels = report.labels
    out: dict = {
        "run": run,
        "verdict_zh": labels.zh("gate_verdict", run["verdict"]) if run else None,
        "year": report.last_year,
    }
    if data["completeness"] is not None:
        years = list(range(report.years.first, report.last_year + 1))
        by = {(r["source"], r["year"]): r for r in data["completeness"]}
        out["completeness"] = {
            "years": years,
            "rows": [
                {"source": labels.zh("source", s), "cells": [by.get((s, yr)) for yr in years]}
                for s in EVENT_SOURCES
            ],
            "incomplete": sorted(
                {
                    (labels.zh("source", r["source"]), r["year"])
                    for r in data["completeness"]
                    if not r["is_complete"]
                },
                key=lambda t: (t[1], t[0]),
            ),
        }
    if data["missing"] is not None:
        grouped: dict[tuple[str, str], list[int]] = defaultdict(list)
        names = {}
        for m in data["missing"]:
            grouped[(m["region_code"], m["source"])].append(m["month"].month)
            names[m["region_code"]] = m["region_name"]
        out["missing"] = [
            {
                "code": c,
                "name": names[c],
                "source": labels.zh("source", s),
                "months": fmt_months(ms),
                "count": len(ms),
            }
            for (c, s), ms in grouped.items()
        ]
        out["missing_units"] = sorted({c for c, _ in grouped}, key=lambda c: c)
        out["missing_unit_names"] = [names[c] for c in out["missing_units"]]
        out["missing_months"] = sum(len(ms) for ms in grouped.values())
    if data["quarantine"] is not None:
        rows = [dict(q, source_zh=labels.zh("source", q["source"])) for q in data["quarantine"]]
        out["quarantine"] = {
            "rows": rows,
            "total_rows": sum(q["rows_quarantined"] for q in rows),
            "total_deaths": sum(q["deaths_in_rows"] or 0 for q in rows),
            "unreadable": sum(q["rows_deaths_unreadable"] or 0 for q in rows),
        }
    if data["findings"] is not None:
        out["findings"] = [
            dict(f, severity_zh=labels.zh("severity_class", f["severity_class"])) for f in data["findings"]
        ]
    return out
