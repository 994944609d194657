"""能力建设指标: the capability indicators each unit files, year by year, with the plan's target."""

from __future__ import annotations

from collections import defaultdict

from .common import Report, status
from .targets import target_text

READ = """
select v.region_code as _region, v.indicator_code, i.indicator_name_zh, i.unit_zh, v.year, v.value
from marts.fct_indicator_values as v
inner join marts.dim_indicator as i using (indicator_code)
where list_contains(?, v.region_code) and i.kind = 'capability'
order by v.region_code, i.sort_order, v.year
"""


def read(report: Report) -> list[dict]:
    y = report.years
    return [r for r in report.reads.rows(report.code, READ) if y.base <= r["year"] <= y.end]


def shape(rows: list[dict], progress: list[dict], report: Report) -> dict | None:
    if not rows:
        return None
    years = sorted({r["year"] for r in rows})
    by: dict[str, dict[int, float]] = defaultdict(dict)
    names: dict[str, tuple[str, str]] = {}
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
                "yearly": [by[code].get(yr) for yr in years],
                "target": target_text(p, report) if p else "本规划未设目标",
                "status": status(p.get("status"), p.get("status_zh")) if p else None,
            }
        )
    return {"years": years, "rows": out}
