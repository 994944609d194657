"""What every chart shares: the layout, the JSON a page embeds, gap marks, the y-axis range.

Figures are plain dicts (``{"data": [...], "layout": {...}}``), not ``plotly.graph_objects``:
building and validating graph objects cost ~90 ms per chart, 75 % of a report's time, for the
same JSON. The attribute names are plotly.js's (https://plotly.com/javascript/reference/);
``tests/reports/test_charts.py`` validates every figure kind against plotly's schema.

A chart's title and its source line are HTML around it (``<figure>``: they wrap on a phone and
print with the page); the figure itself carries neither. Charts resize with the page
(``responsive``) up to the A4 text width, so the screen and the paper show the same chart.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from ..formats import is_missing

FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'
HEIGHT = 300
# A threshold further than this multiple of the data's largest value is not drawn: it would
# flatten the data onto the axis. The chart's note says where the target is instead.
TARGET_RANGE_FACTOR = 2.5

Figure = dict


def value_axis(title: str) -> dict:
    """The axis that carries the values: titled with the unit, gridded, from zero."""
    return dict(
        title=dict(text=title, font=dict(size=11)),
        gridcolor="#e8e8e8",
        zeroline=True,
        zerolinecolor="#999",
        rangemode="tozero",
        fixedrange=True,
        automargin=True,
    )


def layout(*, y_title: str = "", barmode: str | None = None, height: int = HEIGHT) -> dict:
    out = dict(
        template="none",
        autosize=True,
        height=height,
        font=dict(family=FONT, size=12, color="#222"),
        margin=dict(l=52, r=12, t=12, b=40),
        paper_bgcolor="white",
        plot_bgcolor="white",
        xaxis=dict(
            showgrid=False,
            linecolor="#999",
            ticks="outside",
            dtick=1,
            tickformat="d",
            fixedrange=True,
            automargin=True,
        ),
        yaxis=value_axis(y_title),
        legend=dict(
            orientation="h",
            x=0,
            xref="container",
            y=0,
            yref="container",
            yanchor="bottom",
            font=dict(size=11),
            itemclick=False,
            itemdoubleclick=False,
        ),
        hovermode="x unified",
        showlegend=True,
    )
    if barmode:
        out["barmode"] = barmode
    return out


def figure(lay: dict) -> Figure:
    return {"data": [], "layout": lay}


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable in a chart: {value!r}")


def to_json(fig: Figure) -> str:
    """Compact JSON, safe inside a <script> element: <, > and & are written as \\u escapes."""
    text = json.dumps(fig, ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_plain)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def number(v) -> float | None:
    return None if is_missing(v) else float(v)


def has_data(values) -> bool:
    """Something worth drawing: at least one value, and not all of them zero."""
    present = [v for v in values if not is_missing(v)]
    return bool(present) and any(float(v) != 0 for v in present)


def gap_markers(years: list[int], **extra) -> dict:
    """Years without a complete value, marked 数据不足 on the axis (never drawn as 0)."""
    return dict(
        type="scatter",
        x=years,
        y=[0] * len(years),
        mode="markers+text",
        name="数据不足",
        text=["数据不足"] * len(years),
        textposition="top center",
        marker=dict(symbol="x-open", size=8, color="#777"),
        textfont=dict(size=10, color="#555"),
        cliponaxis=False,
        **extra,
    )


def y_range(data_values: list[float], extra_values: list[float]) -> list[float] | None:
    """0 to a little above everything drawn; None lets plotly decide (nothing but zeros)."""
    top = max([v for v in data_values + extra_values if v is not None] or [0])
    return [0, top * 1.12] if top > 0 else None


def target_in_range(threshold: float | None, data_values: list[float]) -> bool:
    """Whether a target line fits on the data's axis without flattening the data."""
    top = max([v for v in data_values if v is not None] or [0])
    if threshold is None:
        return False
    return top > 0 and threshold <= top * TARGET_RANGE_FACTOR
