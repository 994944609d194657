"""Bar charts: categories by year (stacked, one fixed colour per category) and comparisons of
named units (horizontal bars, names on the axis, never rotated)."""

from __future__ import annotations

from dataclasses import dataclass

from ..formats import fmt_value, is_missing
from .base import Figure, figure, gap_markers, layout, value_axis

ROW_HEIGHT = 26  # px per bar row of a horizontal chart: names never collide


@dataclass(frozen=True)
class Category:
    name: str
    colour: str
    pattern: str = ""  # '' solid, '/' hatched (a kind's 8th and later members)


def _marker(c: Category) -> dict:
    m: dict = dict(color=c.colour, line=dict(color="white", width=0.5))
    if c.pattern:
        m["pattern"] = dict(shape=c.pattern, fgcolor="white", fgopacity=0.9, size=6, solidity=0.35)
    return m


def stacked_by_year(
    *,
    years: list[int],
    categories: list[Category],
    points: list[tuple[int, str, float]],
    unit: str,
    gap_years: list[int] | None = None,
    partial_year: tuple[int, int] | None = None,
) -> Figure:
    """One bar per year, one segment per category (rows sharing a year and category stack).

    ``partial_year`` = (year, through month): that year counts January..month only; its bars are
    drawn paler and its axis label says 1—m月, so it never reads as a full year."""
    fig = figure(layout(y_title=unit, barmode="stack"))
    fig["layout"]["xaxis"]["range"] = [min(years) - 0.5, max(years) + 0.5]
    if partial_year and partial_year[1] < 12:
        fig["layout"]["xaxis"]["tickvals"] = years
        fig["layout"]["xaxis"]["ticktext"] = [
            f"{y}<br>1—{partial_year[1]}月" if y == partial_year[0] else str(y) for y in years
        ]
    for c in categories:
        xs = [y for y, name, v in points if name == c.name and not is_missing(v)]
        ys = [v for y, name, v in points if name == c.name and not is_missing(v)]
        if xs:
            fig["data"].append(
                dict(
                    type="bar",
                    x=xs,
                    y=ys,
                    name=c.name,
                    marker=_marker(c),
                    hovertemplate=f"{c.name}：%{{y}}{unit}<extra></extra>",
                )
            )
            if partial_year and partial_year[1] < 12 and partial_year[0] in xs:
                fig["data"][-1]["marker"]["opacity"] = [0.45 if x == partial_year[0] else 1 for x in xs]
    if gap_years:
        fig["data"].append(gap_markers(gap_years))
    fig["layout"]["legend"]["traceorder"] = "normal"
    return fig


def horizontal_bars(
    *, names: list[str], series: list[tuple[str, list[float | None], str]], unit: str
) -> Figure:
    """Units side by side: one row per name (in the given order, top first), one bar per series
    (label, values, colour), each bar labelled with its value."""
    n = len(names) * max(len(series), 1)
    fig = figure(layout(y_title="", barmode="group", height=max(160, 70 + ROW_HEIGHT * n)))
    lay = fig["layout"]
    lay["yaxis"] = dict(
        type="category", autorange="reversed", automargin=True, fixedrange=True, ticks="", showgrid=False
    )
    lay["xaxis"] = value_axis(unit)
    lay["margin"] = dict(l=10, r=40, t=8, b=40)
    lay["hovermode"] = "y unified"
    lay["showlegend"] = len(series) > 1
    for label, values, colour in series:
        clean = [None if is_missing(v) else v for v in values]
        fig["data"].append(
            dict(
                type="bar",
                orientation="h",
                y=names,
                x=clean,
                name=label,
                marker=dict(color=colour),
                text=[fmt_value(v, unit, missing="数据不足") for v in values],
                textposition="outside",
                cliponaxis=False,
                textfont=dict(size=11),
            )
        )
    top = max([v for _, vs, _ in series for v in vs if not is_missing(v)] or [0])
    if top > 0:
        lay["xaxis"]["range"] = [0, top * 1.18]
    return fig
