"""Plotly figures for the reports, as the plain JSON figure specs plotly.js draws.

Figures only draw what the marts give. The one derived line is the target path, geometry
between two mart values (the baseline and the target threshold), as the progress rule reads it.

Figures are plain dicts (``{"data": [...], "layout": {...}}``), not ``plotly.graph_objects``:
building and validating graph objects cost ~90 ms per chart, 75 % of a report's time, for the
same JSON. The attribute names are plotly.js's (https://plotly.com/javascript/reference/);
``tests/reports/test_charts.py`` validates every figure kind against plotly's schema.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from .labels import SEVERITY_ORDER, SEVERITY_ZH, is_missing

FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'
# Fixed size: the A4 text width (180 mm at 96 dpi) so screen and print show the same chart.
WIDTH, HEIGHT = 680, 300

C_VALUE = "#1f4e79"
C_BAND = "rgba(31, 78, 121, 0.15)"
C_TARGET = "#b3261e"
C_BASE = "#6b6b6b"
C_NATIONAL = "#8a5a00"
PALETTE = [
    "#1f4e79",
    "#4f81bd",
    "#9bbb59",
    "#c0504d",
    "#8064a2",
    "#4bacc6",
    "#f79646",
    "#7f7f7f",
    "#2c7a4b",
    "#a05a2c",
    "#5b9bd5",
    "#bfbfbf",
    "#264478",
    "#9e480e",
]
SMALL_COUNT = 100  # below this many events a rate's Poisson band is drawn


def _layout(title: str, y_title: str = "", barmode: str | None = None) -> dict:
    layout = dict(
        template="none",
        title=dict(text=title, x=0, xanchor="left", font=dict(size=14)),
        font=dict(family=FONT, size=11, color="#222"),
        width=WIDTH,
        height=HEIGHT,
        margin=dict(l=60, r=10, t=40, b=70),
        paper_bgcolor="white",
        plot_bgcolor="white",
        xaxis=dict(showgrid=False, linecolor="#999", ticks="outside", dtick=1),
        yaxis=dict(
            title=dict(text=y_title),
            gridcolor="#e5e5e5",
            zeroline=True,
            zerolinecolor="#999",
            rangemode="tozero",
        ),
        legend=dict(orientation="h", x=0, y=-0.18, font=dict(size=10)),
        hovermode="x unified",
    )
    if barmode:
        layout["barmode"] = barmode
    return layout


Figure = dict


def _figure(layout: dict) -> Figure:
    return {"data": [], "layout": layout}


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


def _gap_markers(years: list[int], **extra) -> dict:
    """Years without a complete value, marked "数据不足" on the axis (never drawn as 0)."""
    return dict(
        type="scatter",
        x=years,
        y=[0] * len(years),
        mode="markers+text",
        name="数据不足",
        text=["数据不足"] * len(years),
        textposition="top center",
        marker=dict(symbol="x-open", size=8, color="#888"),
        textfont=dict(size=9, color="#666"),
        **extra,
    )


def indicator_figure(
    *,
    title: str,
    unit: str,
    years: list[int],
    series: dict[int, dict],
    progress: dict | None,
    national: list[tuple[int, float]],
    plan_years: tuple[int, int, int],
    show_band: bool,
    outlook: dict | None = None,
) -> Figure:
    """Yearly values (gaps left as gaps), Poisson band, baseline, target path, national figure,
    and for a running plan's end-year target the trend's projection with its 95% interval."""
    base_year, first_year, end_year = plan_years
    fig = _figure(_layout(title, unit))
    values = [None if is_missing(series.get(y, {}).get("value")) else series[y]["value"] for y in years]
    if show_band:
        # One closed polygon per run of years with an interval: a gap year breaks the band.
        runs: list[list[int]] = []
        for y in years:
            row = series.get(y, {})
            if is_missing(row.get("value_ci_low")) or is_missing(row.get("value_ci_high")):
                runs.append([])
            elif runs and runs[-1]:
                runs[-1].append(y)
            else:
                runs.append([y])
        for i, run in enumerate(r for r in runs if r):
            xs = run + run[::-1]
            ys = [series[y]["value_ci_high"] for y in run] + [series[y]["value_ci_low"] for y in run[::-1]]
            fig["data"].append(
                dict(
                    type="scatter",
                    x=xs,
                    y=ys,
                    mode="lines",
                    fill="toself",
                    fillcolor=C_BAND,
                    line=dict(width=0),
                    name="95%置信区间（泊松）",
                    legendgroup="ci",
                    showlegend=i == 0,
                    hoverinfo="skip",
                )
            )
    fig["data"].append(
        dict(
            type="scatter",
            x=years,
            y=values,
            mode="lines+markers",
            name="实际值",
            line=dict(color=C_VALUE, width=2),
            marker=dict(size=6),
            connectgaps=False,
        )
    )
    gaps = [y for y, v in zip(years, values, strict=True) if v is None]
    if gaps:
        fig["data"].append(_gap_markers(gaps, hoverinfo="x+name"))
    if progress:
        kind = progress.get("target_kind")
        base = progress.get("baseline_value")
        threshold = progress.get("target_threshold")
        if is_missing(threshold):
            threshold = progress.get("target_value") if kind in ("upper_bound", "lower_bound") else None
        if not is_missing(base):
            fig["data"].append(
                dict(
                    type="scatter",
                    x=[years[0], end_year],
                    y=[base, base],
                    mode="lines",
                    name=f"基期值（{progress.get('baseline_year') or base_year}年）",
                    line=dict(color=C_BASE, dash="dot", width=1.5),
                )
            )
        printed = progress.get("baseline_value_printed")
        if not is_missing(printed) and progress.get("baseline_year"):
            fig["data"].append(
                dict(
                    type="scatter",
                    x=[progress["baseline_year"]],
                    y=[printed],
                    mode="markers",
                    name="规划文本基期值",
                    marker=dict(symbol="diamond-open", size=10, color=C_BASE),
                )
            )
        if kind == "decline_pct" and not is_missing(base) and not is_missing(threshold):
            n = end_year - base_year
            path_years = list(range(base_year, end_year + 1))
            if base > 0 and threshold > 0:
                path = [base * (threshold / base) ** ((y - base_year) / n) for y in path_years]
            else:
                path = [base + (threshold - base) * (y - base_year) / n for y in path_years]
            fig["data"].append(
                dict(
                    type="scatter",
                    x=path_years,
                    y=path,
                    mode="lines",
                    name="目标路径",
                    line=dict(color=C_TARGET, dash="dash", width=1.5),
                )
            )
        elif kind == "curb" and not is_missing(progress.get("curb_reference_mean")):
            ref = progress["curb_reference_mean"]
            fig["data"].append(
                dict(
                    type="scatter",
                    x=[years[0], end_year],
                    y=[ref, ref],
                    mode="lines",
                    name=f"{years[0]}—{base_year}年年均（对照）",
                    line=dict(color=C_TARGET, dash="dot", width=1.5),
                )
            )
        elif kind in ("upper_bound", "lower_bound") and not is_missing(threshold):
            label = "目标上限" if kind == "upper_bound" else "目标下限"
            fig["data"].append(
                dict(
                    type="scatter",
                    x=[first_year, end_year],
                    y=[threshold, threshold],
                    mode="lines",
                    name=label,
                    line=dict(color=C_TARGET, dash="dash", width=1.5),
                )
            )
    projected = (outlook or {}).get("projected_value")
    if outlook and outlook.get("evaluation") == "end_vs_base" and not is_missing(projected):
        value, low, high = outlook["projected_value"], outlook["projected_low"], outlook["projected_high"]
        fig["data"].append(
            dict(
                type="scatter",
                x=[end_year],
                y=[value],
                mode="markers",
                name=f"趋势外推（{end_year}年，95%区间）",
                marker=dict(symbol="circle-open", size=9, color=C_VALUE),
                error_y=dict(type="data", array=[high - value], arrayminus=[value - low], visible=True,
                             color=C_VALUE, thickness=1.2, width=6),
            )
        )
    if national:
        fig["data"].append(
            dict(
                type="scatter",
                x=[y for y, _ in national],
                y=[v for _, v in national],
                mode="lines+markers",
                name="全国",
                marker=dict(symbol="square", size=5),
                line=dict(color=C_NATIONAL, width=1.2),
            )
        )
    # The plan period as a grey band behind the data, labelled at its top left.
    fig["layout"]["shapes"] = [
        dict(type="rect", xref="x", yref="y domain", x0=first_year - 0.5, x1=end_year + 0.5, y0=0, y1=1,
             fillcolor="#f3f3f3", line=dict(width=0), layer="below")
    ]
    fig["layout"]["annotations"] = [
        dict(text="规划期", xref="x", yref="y domain", x=first_year - 0.5, y=1, xanchor="left",
             yanchor="top", showarrow=False, font=dict(size=9, color="#777"))
    ]
    return fig


def county_figure(
    *, title: str, unit: str, counties: list[str], years: list[int], values: dict[tuple[str, int], dict]
) -> Figure:
    fig = _figure(_layout(title, unit, barmode="group"))
    fig["layout"]["xaxis"].pop("dtick")
    fig["layout"]["xaxis"]["type"] = "category"
    for i, year in enumerate(years):
        ys, lo, hi = [], [], []
        for c in counties:
            row = values.get((c, year), {})
            v = row.get("value")
            ys.append(None if is_missing(v) else v)
            low, high = row.get("value_ci_low"), row.get("value_ci_high")
            ok = not (is_missing(v) or is_missing(low) or is_missing(high))
            lo.append(v - low if ok else None)
            hi.append(high - v if ok else None)
        fig["data"].append(
            dict(
                type="bar",
                x=counties,
                y=ys,
                name=f"{year}年",
                marker=dict(color=PALETTE[i % len(PALETTE)]),
                error_y=dict(type="data", array=hi, arrayminus=lo, visible=True, color="#444", thickness=1),
            )
        )
    return fig


def stacked_by_year(
    *,
    title: str,
    unit: str,
    years: list[int],
    groups: list[str],
    points: list[tuple[int, str, float]],
    colours: dict[str, str] | None = None,
    gap_years: list[int] | None = None,
) -> Figure:
    """One bar segment per mart row; rows sharing a year and group stack on each other."""
    fig = _figure(_layout(title, unit, barmode="stack"))
    if years:
        fig["layout"]["xaxis"]["range"] = [min(years) - 0.5, max(years) + 0.5]
    for i, g in enumerate(groups):
        xs = [y for y, grp, v in points if grp == g and not is_missing(v)]
        ys = [v for y, grp, v in points if grp == g and not is_missing(v)]
        colour = (colours or {}).get(g, PALETTE[i % len(PALETTE)])
        fig["data"].append(dict(type="bar", x=xs, y=ys, name=g, marker=dict(color=colour)))
    if gap_years:
        fig["data"].append(_gap_markers(gap_years))
    fig["layout"]["showlegend"] = True
    return fig


SEVERITY_COLOURS = {
    SEVERITY_ZH[s]: c
    for s, c in zip(SEVERITY_ORDER, ["#7b1d1d", "#c0504d", "#f79646", "#9bbb59"], strict=True)
}
