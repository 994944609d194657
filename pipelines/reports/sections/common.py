"""What every section of one plan report knows: the plan, its years, the region, the run, the
labels, the chart box. Sections read (``reads``), shape (plain dicts for the template) and chart
(``Charts.add``); they never compute an indicator."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..charts import to_json
from ..formats import fmt_value, is_missing
from ..labels import status_style
from ..reads import CodeLabels, RegionReads, Row


@dataclass(frozen=True)
class PlanYears:
    """A plan's own years, from marts.dim_plan."""

    plan_id: str
    name: str
    base: int
    first: int
    end: int
    previous_first: int
    previous_last: int

    @classmethod
    def of(cls, plan: dict) -> PlanYears:
        return cls(
            plan["plan_id"],
            plan["plan_name"],
            plan["baseline_year"],
            plan["start_year"],
            plan["end_year"],
            plan["previous_first_year"],
            plan["previous_last_year"],
        )

    @property
    def previous_label(self) -> str:
        return f"{self.previous_first}—{self.previous_last}年"

    @property
    def label(self) -> str:
        return f"{self.first}—{self.end}年"


class Charts:
    """Collects a report's figures; the template places a div per id and the JSON once at the end."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, fig) -> str:
        cid = f"chart-{len(self.items) + 1}"
        self.items.append((cid, to_json(fig)))
        return cid


@dataclass
class Report:
    """One plan report being made."""

    reads: RegionReads
    plan: Row  # marts.dim_plan with the jurisdiction's name and level
    as_of: date
    labels: CodeLabels
    indicators: dict[str, Row]
    charts: Charts = field(default_factory=Charts)

    @property
    def code(self) -> str:
        return self.plan["region_code"]

    @property
    def name(self) -> str:
        return self.plan["jurisdiction_name"]

    @property
    def level(self) -> str | None:
        return self.plan.get("level")

    @property
    def years(self) -> PlanYears:
        return PlanYears.of(self.plan)

    @property
    def is_final(self) -> bool:
        return self.plan["stage"] == "final_evaluation"

    @property
    def is_running(self) -> bool:
        return self.plan["stage"] == "monitoring"

    @property
    def last_year(self) -> int:
        """The last year the report shows: an ended plan's end year; a running plan's current year."""
        return self.years.end if self.is_final else min(self.as_of.year, self.years.end)

    @property
    def last_complete_year(self) -> int:
        return min(self.years.end, self.as_of.year - 1)


def status(code: str | None, word: str | None = None, labels: CodeLabels | None = None) -> dict:
    """A status for the template: code, word (the seed's), css class and symbol."""
    css, symbol = status_style(code)
    if word is None:
        word = labels.zh("plan_status", code) if labels else (code or "")
    return {"code": code or "insufficient_data", "word": word, "css": css, "symbol": symbol}


def with_unit(v, unit: str | None) -> str:
    """A value with its unit, as text: 10人, 0.0189人/亿元, 58%."""
    return fmt_value(v, unit, with_unit=True)


def present(v) -> bool:
    return not is_missing(v)
