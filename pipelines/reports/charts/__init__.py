"""Plotly figures for the pages, as the plain JSON specs plotly.js draws (see base.py)."""

from .bars import Category, horizontal_bars, stacked_by_year
from .base import Figure, has_data, to_json
from .indicator import BAND_MIN_COUNT, TargetMarks, indicator_figure
from .months import month_bars

__all__ = [
    "BAND_MIN_COUNT",
    "Category",
    "Figure",
    "TargetMarks",
    "has_data",
    "horizontal_bars",
    "indicator_figure",
    "month_bars",
    "stacked_by_year",
    "to_json",
]
