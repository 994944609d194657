"""What one jurisdiction's monthly analysis shows: the opening sentences, the tables, the charts.

Marts only (reads.py); words and layout only (sentences.py, figures.py). No figure is computed here:
a table cell is a mart's value, a 同比 is the mart's percentage.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..county_assessment import quota_rows
from ..labels import SEVERITY_ORDER, SEVERITY_ZH, SOURCE_ZH
from ..sections import Charts
from . import figures, sentences
from .reads import MonthReads, Row

SOURCE_ORDER = ("accidents", "disasters", "forest_fires")
SOURCE_TITLE = SOURCE_ZH


@dataclass(frozen=True)
class Analysis:
    """The run's part of every analysis: labels, the measures, the run."""

    measures: dict[str, Row]
    quota_status_zh: dict[str, str]
    class_zh: dict[str, str]
    as_of: object
    run_id: str
    is_sample_data: bool


def _missing(coverage: list[Row], source: str, year: int) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for c in coverage:
        if c["source"] == source and c["year"] == year:
            for code in c["missing_unit_codes"] or []:
                out[code].append(c["month"])
    return dict(out)


def _complete_month(coverage: list[Row], source: str, year: int) -> int:
    return max(
        (c["complete_through_month"] for c in coverage if c["source"] == source and c["year"] == year),
        default=0,
    )


def _main_table(f: sentences.Figures, measures: dict[str, Row]) -> list[dict]:
    out = []
    for source in SOURCE_ORDER:
        for code, m in measures.items():
            if m["source"] != source:
                continue
            r = f.get(source, code)
            if r is None:
                continue
            out.append(
                {
                    "source": source,
                    "source_zh": SOURCE_TITLE[source],
                    "measure": code,
                    "name": m["measure_zh"],
                    "unit": m["unit_zh"],
                    "row": r,
                    "yoy": sentences.change_words(r),
                    "mom": sentences.change_words(r, "mom"),
                    "is_count": bool(m["is_event_count"]) or m["unit_zh"] in ("人次",),
                }
            )
    return out


def _breakdown_table(
    f: sentences.Figures, source: str, kind: str, order: list[str] | None = None
) -> list[dict]:
    """One line per breakdown value: its measures side by side."""
    measures = sorted({m for (s, m, k, _v) in f.rows if s == source and k == kind})
    values = sorted(
        {v for (s, _m, k, v) in f.rows if s == source and k == kind},
        key=lambda v: (order.index(v) if order and v in order else 99, v),
    )
    out = []
    for v in values:
        cells = {m: f.get(source, m, kind, v) for m in measures}
        out.append(
            {"value": v, "cells": cells, "yoy": {m: sentences.change_words(r) for m, r in cells.items()}}
        )
    return out


def month_context(con, region: Row, year: int, month: int, run: Analysis, box: Charts) -> dict:
    code, name, level = region["region_code"], region["region_name"], region["level"]
    reads = MonthReads(con, code, year, month)
    f = sentences.Figures.of(reads.situation())
    coverage = reads.coverage()
    names = reads.region_names()
    area = sentences.area_word(name, level)
    acc_missing = _missing(coverage, "accidents", year)
    complete_month = _complete_month(coverage, "accidents", year)
    complete_at = None
    if complete_month and complete_month < month:
        complete_at = sentences.Figures.of(MonthReads(con, code, year, complete_month).situation())
    county_rows = reads.counties()
    deaths_by_county = [(c["region_name"], c) for c in county_rows if c["measure"] == "deaths"]
    quotas = reads.quotas()
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    previous_filed = any(
        c["is_covered"]
        for c in coverage
        if c["source"] == "accidents" and (c["year"], c["month"]) == previous
    )
    opening = sentences.accident_sentences(
        f,
        area=area,
        month=month,
        missing=sentences.missing_text(acc_missing, names),
        complete_at=complete_at,
        complete_month=complete_month,
        previous_filed=previous_filed,
    )
    for extra in (
        sentences.sector_sentence(f, month),
        sentences.county_sentence(deaths_by_county, month),
        sentences.quota_sentence(quotas, month),
        sentences.disaster_sentence(f, area=area, month=month),
        sentences.fire_sentence(f, area=area, month=month),
    ):
        if extra:
            opening.append(extra)

    by_month: dict[str, dict[int, dict[int, Row]]] = defaultdict(lambda: defaultdict(dict))
    for r in reads.totals_by_month():
        by_month[r["measure"]][r["year"]][r["month"]] = r
    month_charts, breakdown_charts = [], []
    for measure in ("deaths", "accidents", "dead_missing", "fires"):
        series = by_month.get(measure, {})
        if not series.get(year) or not any(r["month_value"] for y in series.values() for r in y.values()):
            continue  # a register not kept, or nothing in either year: no chart of zeros
        m = run.measures[measure]
        fig = figures.month_bars(
            title=f"{year}年各月{m['measure_zh']}（与{year - 1}年对比）",
            unit=m["unit_zh"],
            year=year,
            this_year=series[year],
            last_year=series.get(year - 1, {}),
            through=month,
        )
        month_charts.append(box.add(fig))
    span = sentences.months_label(month)
    sectors = _breakdown_table(f, "accidents", "sector")
    if sectors:
        breakdown_charts.append(
            box.add(
                figures.grouped_bars(
                    title=f"分行业领域事故死亡人数（{span}累计）",
                    unit="人",
                    names=[s["value"] for s in sectors],
                    this_year=[(s["cells"].get("deaths") or {}).get("ytd_value") for s in sectors],
                    last_year=[(s["cells"].get("deaths") or {}).get("prior_ytd_value") for s in sectors],
                    year=year,
                    months=span,
                )
            )
        )
    counties = []
    for code_, rows in _group(county_rows).items():
        counties.append(
            {
                "code": code_,
                "name": rows[0]["region_name"],
                "accidents": next((r for r in rows if r["measure"] == "accidents"), None),
                "deaths": next((r for r in rows if r["measure"] == "deaths"), None),
            }
        )
    if counties:
        breakdown_charts.append(
            box.add(
                figures.grouped_bars(
                    title=f"分县（市、区）事故死亡人数（{span}累计）",
                    unit="人",
                    names=[c["name"] for c in counties],
                    this_year=[(c["deaths"] or {}).get("ytd_value") for c in counties],
                    last_year=[(c["deaths"] or {}).get("prior_ytd_value") for c in counties],
                    year=year,
                    months=span,
                )
            )
        )
    missing_rows = []
    for c in coverage:
        if not c["is_covered"]:
            missing_rows.append(
                {
                    "source": SOURCE_TITLE.get(c["source"], c["source"]),
                    "year": c["year"],
                    "month": c["month"],
                    "units": "、".join(names.get(u, u) for u in c["missing_unit_codes"] or []),
                }
            )
    classes = _breakdown_table(f, "accidents", "class", order=list(reversed(SEVERITY_ORDER)))
    for c in classes:
        c["label"] = SEVERITY_ZH.get(c["value"], c["value"])
    return {
        "region": {"code": code, "name": name, "level": level, "area": area},
        "year": year,
        "month": month,
        "span": span,
        "opening": opening,
        "main": _main_table(f, run.measures),
        "sectors": sectors,
        "industrial": _breakdown_table(f, "accidents", "industrial"),
        "classes": classes,
        "hazards": _breakdown_table(f, "disasters", "hazard"),
        "counties": counties,
        "serious": reads.serious_accidents(),
        "missing": missing_rows,
        "quotas": dict(quota_rows(quotas, run.quota_status_zh), year=year, month=month) if quotas else None,
        "month_charts": month_charts,
        "breakdown_charts": breakdown_charts,
        "has": {s: f.has(s) for s in SOURCE_ORDER},
        "is_empty": not f.rows,
    }


def _group(rows: list[Row]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for r in rows:
        out.setdefault(r["region_code"], []).append(r)
    return out
