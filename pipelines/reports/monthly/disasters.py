"""三、自然灾害与森林火灾: the year to date by 灾种 (marts.fct_monthly_situation, breakdown hazard)."""

from __future__ import annotations

from . import sentences
from .accidents import breakdown
from .common import Month


def shape(f: sentences.Figures, m: Month) -> dict:
    return {"hazards": breakdown(f, "disasters", "hazard", order=lambda v: m.labels.order("hazard", v))}
