"""The monthly analysis' charts as plain plotly.js figure specs (as pipelines/reports/charts.py draws).

Only what fct_monthly_situation gives is drawn: this year's months as bars, last year's as a line,
the year to date by sector and by county beside last year's same months. A month a unit has not
filed is marked 未报齐 on its bar, never drawn as if it were complete.
"""

from __future__ import annotations

from ..charts import FONT, HEIGHT, PALETTE, WIDTH, Figure
from ..labels import is_missing

C_THIS, C_LAST = PALETTE[0], PALETTE[3]


def _layout(title: str, unit: str) -> dict:
    return dict(
        template="none",
        title=dict(text=title, x=0, xanchor="left", font=dict(size=14)),
        font=dict(family=FONT, size=11, color="#222"),
        width=WIDTH,
        height=HEIGHT,
        margin=dict(l=60, r=10, t=40, b=70),
        paper_bgcolor="white",
        plot_bgcolor="white",
        xaxis=dict(showgrid=False, linecolor="#999", ticks="outside", type="category"),
        yaxis=dict(
            title=dict(text=unit),
            gridcolor="#e5e5e5",
            zeroline=True,
            zerolinecolor="#999",
            rangemode="tozero",
        ),
        legend=dict(orientation="h", x=0, y=-0.18, font=dict(size=10)),
        hovermode="x unified",
        showlegend=True,
    )


def month_bars(
    *, title: str, unit: str, year: int, this_year: dict[int, dict], last_year: dict[int, dict], through: int
) -> Figure:
    """This year's months 1..through as bars (未报齐 months marked), last year's 1..12 as a line."""
    months = [f"{m}月" for m in range(1, 13)]
    bars = [this_year.get(m, {}).get("month_value") for m in range(1, through + 1)]
    marks = ["" if this_year.get(m, {}).get("is_complete", True) else "未报齐" for m in range(1, through + 1)]
    line = [last_year.get(m, {}).get("month_value") for m in range(1, 13)]
    fig: Figure = {"data": [], "layout": _layout(title, unit)}
    fig["data"].append(
        dict(
            type="bar",
            x=months[:through],
            y=[None if is_missing(v) else v for v in bars],
            name=f"{year}年",
            marker=dict(color=C_THIS),
            text=marks,
            textposition="outside",
            cliponaxis=False,
        )
    )
    fig["data"].append(
        dict(
            type="scatter",
            mode="lines+markers",
            x=months,
            y=[None if is_missing(v) else v for v in line],
            name=f"{year - 1}年",
            line=dict(color=C_LAST, width=2),
            marker=dict(size=5),
        )
    )
    fig["layout"]["xaxis"]["categoryorder"] = "array"
    fig["layout"]["xaxis"]["categoryarray"] = months
    return fig


def grouped_bars(
    *, title: str, unit: str, names: list[str], this_year: list, last_year: list, year: int, months: str
) -> Figure:
    """The year to date per sector or county, this year against last year's same months, as
    horizontal bars (the names are long Chinese words: they read on the axis, not slanted)."""
    fig: Figure = {"data": [], "layout": _layout(title, "")}
    layout = fig["layout"]
    layout["barmode"] = "group"
    layout["height"] = max(HEIGHT, 90 + 34 * len(names))
    layout["margin"] = dict(l=130, r=20, t=40, b=70)
    layout["yaxis"] = dict(type="category", autorange="reversed", automargin=True)
    layout["xaxis"] = dict(
        title=dict(text=unit), gridcolor="#e5e5e5", zeroline=True, zerolinecolor="#999", rangemode="tozero"
    )
    layout["hovermode"] = "y unified"
    for values, label, colour in (
        (this_year, f"{year}年{months}", C_THIS),
        (last_year, f"{year - 1}年{months}", C_LAST),
    ):
        fig["data"].append(
            dict(
                type="bar",
                orientation="h",
                y=names,
                x=[None if is_missing(v) else v for v in values],
                name=label,
                marker=dict(color=colour),
            )
        )
    return fig
