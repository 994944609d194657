"""一、总体情况: the region's figures of the month from marts.fct_monthly_situation — every measure's
month, month before and 环比, year to date, same months of last year and 同比 — and each register's
months this year as bars against last year's line."""

from __future__ import annotations

from collections import defaultdict

from ..charts import month_bars
from . import sentences
from .common import Month, Row

READ_MONTH = """
select region_code as _region, * from marts.fct_monthly_situation
where list_contains(?, region_code) and year = ? and month = ?
order by region_code, source, measure, breakdown_kind, breakdown_value
"""
READ_TOTALS = """
select region_code as _region, year, month, measure, month_value, ytd_value, is_complete
from marts.fct_monthly_situation
where list_contains(?, region_code) and breakdown_kind = 'total' and year in (?, ?)
order by region_code, measure, year, month
"""
SOURCES = ("accidents", "disasters", "forest_fires")
CHARTED = ("deaths", "accidents", "dead_missing", "fires")  # the month bars drawn, in this order


def read_figures(m: Month, month: int | None = None) -> sentences.Figures:
    """Every row of the region for a month (default: the analysis' month), by key."""
    return sentences.Figures.of(m.rows(READ_MONTH, m.year, month or m.month))


def read(m: Month) -> tuple[sentences.Figures, list[Row]]:
    return read_figures(m), m.rows(READ_TOTALS, m.year, m.year - 1)


def _main_table(f: sentences.Figures, m: Month, previous_filed: dict[str, bool]) -> list[dict]:
    """The month, the month before (marked 未报齐 when not every unit filed it: its value is then
    partial, never read as complete), 环比, the year to date and 同比 of every measure."""
    out = []
    for source in SOURCES:
        for code, measure in m.run.measures.items():
            r = f.get(source, code) if measure["source"] == source else None
            if r is None:
                continue
            out.append(
                {
                    "source": source,
                    "source_zh": m.labels.zh("source", source),
                    "measure": code,
                    "name": measure["measure_zh"],
                    "unit": measure["unit_zh"],
                    "row": r,
                    "yoy": sentences.change_words(r),
                    "mom": sentences.change_words(r, "mom", previous_filed.get(source, False)),
                    "previous_filed": previous_filed.get(source, False),
                    "is_count": bool(measure["is_event_count"]) or measure["unit_zh"] == "人次",
                }
            )
    return out


def _month_charts(totals: list[Row], m: Month) -> list[dict]:
    by_month: dict[str, dict[int, dict[int, Row]]] = defaultdict(lambda: defaultdict(dict))
    for r in totals:
        by_month[r["measure"]][r["year"]][r["month"]] = r
    out = []
    for measure in CHARTED:
        series = by_month.get(measure, {})
        if not series.get(m.year) or not any(r["month_value"] for y in series.values() for r in y.values()):
            continue  # a register not kept, or nothing in either year: no chart of zeros
        info = m.run.measures[measure]
        fig = month_bars(
            unit=info["unit_zh"],
            year=m.year,
            this_year=series[m.year],
            last_year=series.get(m.year - 1, {}),
            through=m.month,
        )
        title = f"{m.year}年各月{info['measure_zh']}（与{m.year - 1}年对比）"
        out.append({"id": m.charts.add(fig), "title": title})
    return out


def shape(f: sentences.Figures, totals: list[Row], m: Month, previous_filed: dict[str, bool]) -> dict:
    """``previous_filed``: source → whether every unit filed the month before (the coverage)."""
    return {
        "main": _main_table(f, m, previous_filed),
        "month_charts": _month_charts(totals, m),
        "has": {s: f.has(s) for s in SOURCES},
        "is_empty": not f.rows,
    }
