"""The chart of one targeted indicator: its yearly values over the previous and the plan period,
and its target as the plan judges it.

- A target on the end year (decline, bound) is marked at the end year; a decline's path from the
  base year is drawn dashed.
- A period-mean target (年均) is judged on the mean of the plan years, not on any single year:
  the chart draws each period's mean as a level across its years and the target against that
  level, so a single year above the line is not read as a failure.
- The axis is scaled to the data. A target far above the data is not drawn (it would flatten the
  data onto the floor); the returned note says where it is.
- The Poisson band is drawn only when it informs (every year's count at least ``BAND_MIN_COUNT``):
  with a handful of events it spans the whole chart and says only that chance dominates, which
  the page then says in words.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..formats import fmt_value
from ..labels import C_BAND, C_BASE, C_MEAN, C_TARGET, C_VALUE
from .base import Figure, figure, gap_markers, layout, number, target_in_range, y_range

BAND_MIN_COUNT = 10


@dataclass(frozen=True)
class TargetMarks:
    """What the chart draws of a target (from fct_plan_progress and dim_plan)."""

    kind: str  # decline_pct / upper_bound / lower_bound / curb
    text: str  # how the page states the target, e.g. 年均＜0.9‰
    threshold: float | None
    base_year: int
    base_value: float | None
    is_period_mean: bool = False
    previous_years: tuple[int, int] | None = None
    previous_mean: float | None = None
    plan_mean: float | None = None  # the plan years' mean so far (the value a period-mean target judges)
    plan_mean_last_year: int | None = None
    curb_reference_mean: float | None = None


def _line(x, y, name, colour, dash="solid", width=2.0, **extra) -> dict:
    return dict(
        type="scatter",
        x=x,
        y=y,
        mode="lines",
        name=name,
        line=dict(color=colour, dash=dash, width=width),
        **extra,
    )


def indicator_figure(
    *,
    years: list[int],
    values: dict[int, float | None],
    unit: str,
    plan_years: tuple[int, int, int],
    target: TargetMarks | None = None,
    band: dict[int, tuple[float, float]] | None = None,
    projection: tuple[float, float, float] | None = None,
) -> tuple[Figure, list[str]]:
    """The figure and the notes the page prints under it."""
    base_year, first_year, end_year = plan_years
    notes: list[str] = []
    fig = figure(layout(y_title=unit))
    ys = [number(values.get(y)) for y in years]
    drawn = [v for v in ys if v is not None]
    extra: list[float] = []
    if band:
        for i, run in enumerate(_runs([y for y in years if y in band])):
            xs = run + run[::-1]
            fig["data"].append(
                dict(
                    type="scatter",
                    x=xs,
                    y=[band[y][1] for y in run] + [band[y][0] for y in run[::-1]],
                    mode="lines",
                    fill="toself",
                    fillcolor=C_BAND,
                    line=dict(width=0),
                    name="95%区间（泊松）",
                    legendgroup="ci",
                    showlegend=i == 0,
                    hoverinfo="skip",
                )
            )
            extra += [band[y][1] for y in run]
    fig["data"].append(
        dict(
            type="scatter",
            x=years,
            y=ys,
            mode="lines+markers",
            name="各年数值",
            line=dict(color=C_VALUE, width=2),
            marker=dict(size=6),
            connectgaps=False,
        )
    )
    gaps = [y for y, v in zip(years, ys, strict=True) if v is None and y <= end_year and y in values]
    if gaps:
        fig["data"].append(gap_markers(gaps, hoverinfo="x+name"))
    if target:
        under_label = _line_under_label(years, ys, plan_years[2], target.text)
        extra += _draw_target(fig, target, years, drawn, plan_years, unit, notes, under_label)
    if projection:
        value, low, high = projection
        fig["data"].append(
            dict(
                type="scatter",
                x=[end_year],
                y=[value],
                mode="markers",
                name=f"趋势外推（{end_year}年）",
                marker=dict(symbol="circle-open", size=9, color=C_VALUE),
                error_y=dict(
                    type="data",
                    array=[high - value],
                    arrayminus=[value - low],
                    visible=True,
                    color=C_VALUE,
                    thickness=1.2,
                    width=6,
                ),
            )
        )
        extra.append(min(high, max(drawn + extra + [value]) * 1.6))  # a wide interval is clipped
    fig["layout"]["xaxis"]["range"] = [years[0] - 0.5, max(years[-1], end_year) + 0.5]
    rng = y_range(drawn, extra)
    if rng:
        fig["layout"]["yaxis"]["range"] = rng
    # The plan period as a grey band behind the data.
    fig["layout"]["shapes"] = [
        dict(
            type="rect",
            xref="x",
            yref="paper",
            x0=first_year - 0.5,
            x1=end_year + 0.5,
            y0=0,
            y1=1,
            fillcolor="#f1f1f1",
            line=dict(width=0),
            layer="below",
        )
    ]
    # Its label just above the plot area, where no target label or data point can reach it.
    fig["layout"]["margin"] = {**fig["layout"]["margin"], "t": 26}
    fig["layout"]["annotations"] = [
        dict(
            text="规划期",
            xref="x",
            yref="paper",
            x=first_year - 0.45,
            y=1,
            xanchor="left",
            yanchor="bottom",
            showarrow=False,
            font=dict(size=10, color="#666"),
        )
    ]
    return fig, notes


def _runs(years: list[int]) -> list[list[int]]:
    """Consecutive years: a gap year breaks the band."""
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return runs


# Width of the target's label in years of the x-axis, per character (a CJK character counts 1, any
# other 0.55): ~0.18 year at desktop width, ~0.34 on a phone; between the two.
LABEL_YEARS_PER_CHAR = 0.25
# A label above a threshold at the top of the data: the axis goes this far above the threshold.
LABEL_HEADROOM = 1.2


def _line_under_label(years: list[int], ys: list[float | None], end_year: int, text: str) -> list[float]:
    """The line's values, every quarter year, over the stretch left of end_year its label covers."""
    chars = sum(1 if ord(c) > 0x2FFF else 0.55 for c in text)
    span = min(max(chars * LABEL_YEARS_PER_CHAR, 0.5), 2.5)
    points = {y: v for y, v in zip(years, ys, strict=True) if v is not None}
    out = []
    for k in range(int(span * 4) + 1):
        x = end_year - k / 4
        lo, hi = int(x // 1), int(x // 1) + 1
        if x == lo and lo in points:
            out.append(points[lo])
        elif lo in points and hi in points:
            out.append(points[lo] + (points[hi] - points[lo]) * (x - lo))
    return out


def _draw_target(
    fig: Figure,
    t: TargetMarks,
    years: list[int],
    drawn: list[float],
    plan_years: tuple[int, int, int],
    unit: str,
    notes: list[str],
    under_label: list[float] | None = None,
) -> list[float]:
    """Baseline, means, threshold and path; returns the values the axis must show.

    under_label: the line's values under the target's label (left of the end year's star; see
    _line_under_label). The label goes on the side of the
    threshold the line is not on; where the line crosses the threshold there, the label would
    touch it at either side, so the target is named in the legend instead."""
    base_year, first_year, end_year = plan_years
    shown: list[float] = []
    data_and_means = drawn + [v for v in (t.previous_mean, t.plan_mean, t.base_value) if v is not None]
    if t.is_period_mean:
        if t.previous_mean is not None and t.previous_years:
            a, b = t.previous_years
            fig["data"].append(
                _line([a - 0.4, b + 0.4], [t.previous_mean] * 2, f"{a}—{b}年年均", C_BASE, dash="dot")
            )
            shown.append(t.previous_mean)
        if t.plan_mean is not None:
            last = t.plan_mean_last_year or end_year
            fig["data"].append(
                _line(
                    [first_year - 0.4, last + 0.4],
                    [t.plan_mean] * 2,
                    f"{first_year}—{last}年年均",
                    C_MEAN,
                    width=3,
                )
            )
            shown.append(t.plan_mean)
    elif t.base_value is not None and t.kind != "curb":
        fig["data"].append(
            dict(
                type="scatter",
                x=[t.base_year],
                y=[t.base_value],
                mode="markers",
                name=f"基期（{t.base_year}年）",
                marker=dict(symbol="diamond", size=10, color=C_BASE),
            )
        )
        shown.append(t.base_value)
    if t.kind == "curb":
        if t.curb_reference_mean is not None and t.previous_years:
            a, b = t.previous_years
            fig["data"].append(
                _line(
                    [a - 0.4, b + 0.4],
                    [t.curb_reference_mean] * 2,
                    f"{a}—{b}年年均（对照）",
                    C_BASE,
                    dash="dot",
                )
            )
            shown.append(t.curb_reference_mean)
        return shown
    threshold = t.threshold
    if threshold is None:
        return shown
    if not target_in_range(threshold, data_and_means):
        top = max(data_and_means or [0])
        notes.append(
            f"目标（{t.text}）远高于历年数值（最高{fmt_value(top, unit, with_unit=True)}），"
            "图中未画出目标线；各年数值均在目标以内。"
            if t.kind == "upper_bound"
            else f"目标（{t.text}）远离历年数值，图中未画出目标线。"
        )
        return shown
    if t.kind == "decline_pct" and t.base_value is not None:
        n = end_year - base_year
        xs = list(range(base_year, end_year + 1))
        if t.base_value > 0 and threshold > 0:
            path = [t.base_value * (threshold / t.base_value) ** ((y - base_year) / n) for y in xs]
        else:
            path = [t.base_value + (threshold - t.base_value) * (y - base_year) / n for y in xs]
        fig["data"].append(_line(xs, path, "目标路径（等比例逐年下降）", C_TARGET, dash="dash", width=1.5))
    elif t.kind in ("upper_bound", "lower_bound"):
        x0 = first_year - 0.4
        name = ("目标：规划期年均" if t.is_period_mean else "目标") + (
            "上限" if t.kind == "upper_bound" else "下限"
        )
        fig["data"].append(
            _line([x0, end_year + 0.4], [threshold] * 2, name, C_TARGET, dash="dash", width=1.5)
        )
    above = [v > threshold for v in under_label or []]
    label_side = "bottom left" if above and all(above) else "top left" if not any(above) else None
    star = dict(
        type="scatter",
        x=[end_year],
        y=[threshold],
        mode="markers",
        name=f"{end_year}年目标 {t.text}",
        marker=dict(symbol="star", size=12, color=C_TARGET),
        showlegend=True,
        cliponaxis=False,
    )
    if label_side:
        star.update(
            mode="markers+text",
            name=f"{end_year}年目标",
            text=[t.text],
            textposition=label_side,
            textfont=dict(size=11, color=C_TARGET),
            showlegend=False,
        )
    fig["data"].append(star)
    shown.append(threshold)
    if label_side == "top left":
        shown.append(threshold * LABEL_HEADROOM)  # room for the label inside the plot area
    return shown
