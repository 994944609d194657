"""What every section of one monthly analysis knows: the region, the year and month, the run's
labels and measures, the chart box. Sections read marts (``rows``), shape plain dicts for the
template and add their charts; none computes a figure (docs/spec/monthly.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..reads import CodeLabels, RegionReads, fetch
from ..sections.common import Charts

Row = dict[str, Any]


@dataclass(frozen=True)
class Run:
    """What every analysis of a run shares."""

    as_of: date
    run_id: str
    is_sample_data: bool
    labels: CodeLabels
    measures: dict[str, Row]  # seeds.situation_measures: names, units, event counts

    @classmethod
    def read(cls, con, *, as_of: date, run_id: str, is_sample_data: bool) -> Run:
        measures = {
            r["measure"]: r for r in fetch(con, "select * from seeds.situation_measures order by sort_order")
        }
        return cls(as_of, run_id, is_sample_data, CodeLabels.read(con), measures)


@dataclass
class Month:
    """One jurisdiction's analysis of ``month`` of ``year`` being made. Its reads run once for
    every jurisdiction being written (``RegionReads``: each select's first parameter is the list of
    regions and its first column ``_region``); ``rows`` passes the other parameters."""

    reads: RegionReads
    region: Row  # marts.dim_region: region_code, region_name, level
    year: int
    month: int
    run: Run
    charts: Charts = field(default_factory=Charts)

    def rows(self, sql: str, *params) -> list[Row]:
        return self.reads.rows(self.code, sql, *params)

    @property
    def code(self) -> str:
        return self.region["region_code"]

    @property
    def name(self) -> str:
        return self.region["region_name"]

    @property
    def level(self) -> str | None:
        return self.region.get("level")

    @property
    def previous(self) -> tuple[int, int]:
        """The month 环比 compares with: January's is the December before."""
        return (self.year - 1, 12) if self.month == 1 else (self.year, self.month - 1)

    @property
    def labels(self) -> CodeLabels:
        return self.run.labels
