"""A year's months as bars against last year's months as a line (the monthly analysis).

Only what marts.fct_monthly_situation gives is drawn: this year's months 1..m as bars, a month a
unit has not filed marked 未报齐 on its bar (never drawn as if complete), last year's twelve months
as a line."""

from __future__ import annotations

from ..formats import is_missing
from ..labels import C_CURRENT, C_PREVIOUS
from .base import Figure, figure, layout


def month_bars(
    *, unit: str, year: int, this_year: dict[int, dict], last_year: dict[int, dict], through: int
) -> Figure:
    """``this_year`` / ``last_year``: month number -> the mart's row (month_value, is_complete)."""
    months = [f"{m}月" for m in range(1, 13)]
    bars = [this_year.get(m, {}).get("month_value") for m in range(1, through + 1)]
    marks = ["" if this_year.get(m, {}).get("is_complete", True) else "未报齐" for m in range(1, through + 1)]
    line = [last_year.get(m, {}).get("month_value") for m in range(1, 13)]
    fig = figure(layout(y_title=unit))
    fig["layout"]["xaxis"] = dict(
        showgrid=False,
        linecolor="#999",
        ticks="outside",
        type="category",
        fixedrange=True,
        categoryorder="array",
        categoryarray=months,
        automargin=True,
    )
    fig["data"].append(
        dict(
            type="bar",
            x=months[:through],
            y=[None if is_missing(v) else v for v in bars],
            name=f"{year}年",
            marker=dict(color=C_CURRENT),
            text=marks,
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"{year}年%{{x}}：%{{y}}{unit}<extra></extra>",
        )
    )
    fig["data"].append(
        dict(
            type="scatter",
            mode="lines+markers",
            x=months,
            y=[None if is_missing(v) else v for v in line],
            name=f"{year - 1}年",
            line=dict(color=C_PREVIOUS, width=2),
            marker=dict(size=5, color=C_PREVIOUS),
            hovertemplate=f"{year - 1}年%{{x}}：%{{y}}{unit}<extra></extra>",
        )
    )
    return fig
