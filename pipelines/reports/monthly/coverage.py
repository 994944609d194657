"""五、未报齐单位: the months of this year and last (and the December before, January's previous
month) that a county-level unit under the region has not filed, from
marts.fct_region_month_coverage — the one definition of "through month m"."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .common import Month, Row

READ = """
select region_code as _region, * from marts.fct_region_month_coverage
where list_contains(?, region_code)
  and ((year in (?, ?) and month <= ?) or (year = ? and month = 12))
order by region_code, source, year, month
"""
READ_NAMES = """
select w.code as _region, r.region_code, r.region_name
from (select unnest(?::varchar[]) as code) as w
inner join marts.dim_region as r on r.region_code = w.code or r.prefecture_code = w.code
order by w.code, r.region_code
"""


@dataclass(frozen=True)
class Coverage:
    rows: list[Row]
    names: dict[str, str]

    def missing(self, source: str, year: int) -> dict[str, list[int]]:
        """Unit code → the months of ``year`` it has not filed ``source`` for."""
        out: dict[str, list[int]] = defaultdict(list)
        for c in self.rows:
            if c["source"] == source and c["year"] == year:
                for code in c["missing_unit_codes"] or []:
                    out[code].append(c["month"])
        return dict(out)

    def complete_through(self, source: str, year: int) -> int:
        """The last month m of ``year`` with January..m filed by every unit (0: none)."""
        return max(
            (c["complete_through_month"] for c in self.rows if c["source"] == source and c["year"] == year),
            default=0,
        )

    def is_filed(self, source: str, year: int, month: int) -> bool:
        return any(
            c["is_covered"]
            for c in self.rows
            if (c["source"], c["year"], c["month"]) == (source, year, month)
        )


def read(m: Month) -> Coverage:
    rows = m.rows(READ, m.year, m.year - 1, m.month, m.year - 1)
    names = {r["region_code"]: r["region_name"] for r in m.rows(READ_NAMES)}
    return Coverage(rows, names)


def shape(cov: Coverage, m: Month) -> list[dict]:
    """One line per register and month not filed, naming the units."""
    return [
        {
            "source": m.labels.zh("source", c["source"]),
            "year": c["year"],
            "month": c["month"],
            "units": "、".join(cov.names.get(u, u) for u in c["missing_unit_codes"] or []),
        }
        for c in cov.rows
        if not c["is_covered"]
    ]
