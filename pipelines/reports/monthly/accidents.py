"""二、生产安全事故: the year to date by 行业领域 (with the 工矿商贸 subtotal) and by the rule's class,
from marts.fct_monthly_situation; the month's 较大及以上 accidents (marts.fct_accidents); the
county-level units side by side (year to date and 同比); bars by sector and by county."""

from __future__ import annotations

from ..charts import horizontal_bars
from ..labels import C_CURRENT, C_PREVIOUS
from . import sentences
from .common import Month, Row

READ_SERIOUS = """
select b.rollup_region_code as _region, a.occurred_date, a.region_code,
       coalesce(r.region_name, a.region_code) as region_name,
       a.sector, a.deaths_incl_missing, a.severity_class, a.severity_class_zh,
       a.reported_severity, a.is_severity_mismatch
from marts.fct_accidents a
join marts.bridge_region_rollup b on b.county_region_code = a.region_code
left join marts.dim_region r on r.region_code = a.region_code
where list_contains(?, b.rollup_region_code) and a.year = ? and a.month = ?
  and not coalesce(a.is_written_off, false)
  and a.severity_class in ('larger', 'major', 'extraordinary')
order by b.rollup_region_code, a.occurred_date, a.region_code, a.accident_id
"""  # deliberately no unit_name, summary or other free text: only what the list shows
READ_COUNTIES = """
select r.prefecture_code as _region, r.region_code, r.region_name, s.measure, s.month_value,
       s.ytd_value, s.prior_ytd_value,
       s.yoy_change_pct, s.is_complete, s.is_yoy_change_significant
from marts.dim_region r
left join marts.fct_monthly_situation s
  on s.region_code = r.region_code and s.year = $2 and s.month = $3
 and s.source = 'accidents' and s.breakdown_kind = 'total'
where list_contains($1, r.prefecture_code) and r.level = 'county'
order by r.prefecture_code, r.region_code, s.measure
"""


def read(m: Month) -> tuple[list[Row], list[Row]]:
    """The month's 较大及以上 accidents; the county-level units' accident totals (a prefecture)."""
    return m.rows(READ_SERIOUS, m.year, m.month), m.rows(READ_COUNTIES, m.year, m.month)


def breakdown(f: sentences.Figures, source: str, kind: str, order=None) -> list[dict]:
    """One line per breakdown value, its measures side by side (``order``: value -> sort key)."""
    measures = sorted({mm for (s, mm, k, _v) in f.rows if s == source and k == kind})
    values = sorted(
        {v for (s, _m, k, v) in f.rows if s == source and k == kind},
        key=lambda v: (order(v) if order else 0, v),
    )
    out = []
    for v in values:
        cells = {mm: f.get(source, mm, kind, v) for mm in measures}
        out.append(
            {"value": v, "cells": cells, "yoy": {mm: sentences.change_words(r) for mm, r in cells.items()}}
        )
    return out


def counties(rows: list[Row]) -> list[dict]:
    """One entry per county-level unit: its accidents and deaths rows (None: no register)."""
    out: dict[str, dict] = {}
    for r in rows:
        c = out.setdefault(
            r["region_code"],
            {"code": r["region_code"], "name": r["region_name"], "accidents": None, "deaths": None},
        )
        if r["measure"] in ("accidents", "deaths"):
            c[r["measure"]] = r
    return list(out.values())


def shape(f: sentences.Figures, serious: list[Row], county_rows: list[Row], m: Month) -> dict:
    span = sentences.months_label(m.month)
    sectors = breakdown(f, "accidents", "sector")
    classes = breakdown(f, "accidents", "class", order=lambda v: m.labels.order("severity_class", v))
    for c in classes:
        c["label"] = m.labels.zh("severity_class", c["value"])
    units = counties(county_rows)
    charts = []
    for title, names, cells in (
        (
            f"分行业领域事故死亡人数（{span}累计）",
            [s["value"] for s in sectors],
            [s["cells"].get("deaths") for s in sectors],
        ),
        (
            f"分县（市、区）事故死亡人数（{span}累计）",
            [c["name"] for c in units],
            [c["deaths"] for c in units],
        ),
    ):
        if names:
            fig = horizontal_bars(
                names=names,
                unit="人",
                series=[
                    (f"{m.year}年{span}", [(r or {}).get("ytd_value") for r in cells], C_CURRENT),
                    (f"{m.year - 1}年{span}", [(r or {}).get("prior_ytd_value") for r in cells], C_PREVIOUS),
                ],
            )
            charts.append({"id": m.charts.add(fig), "title": title})
    return {
        "sectors": sectors,
        "industrial": breakdown(f, "accidents", "industrial"),
        "classes": classes,
        "serious": serious,
        "counties": units,
        "breakdown_charts": charts,
    }
