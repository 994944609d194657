"""The report charts are plain dicts: plotly's own validator must accept every one of them; and they
draw targets as the plan judges them."""

import dataclasses
import json
from decimal import Decimal

import plotly.graph_objects as go
import pytest

from pipelines.reports import charts

YEARS = [2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025]
VALUES = {
    2016: 0.02,
    2017: None,
    2018: Decimal("0.05"),
    2019: 0.13,
    2020: 0.04,
    2021: 0.03,
    2022: 0.12,
    2023: 0.02,
    2024: 0.05,
    2025: 0.06,
}


def _target(kind, threshold, mean=False):
    return charts.TargetMarks(
        kind=kind,
        text="≤X",
        threshold=threshold,
        base_year=2020,
        base_value=0.04,
        is_period_mean=mean,
        previous_years=(2016, 2020),
        previous_mean=0.06,
        plan_mean=0.056 if mean else None,
        plan_mean_last_year=2025,
        curb_reference_mean=0.06,
    )


def _indicator(target, band=None, projection=None):
    return charts.indicator_figure(
        years=YEARS,
        values=VALUES,
        unit="%",
        plan_years=(2020, 2021, 2025),
        target=target,
        band=band,
        projection=projection,
    )


FIGURES = {
    "decline": _indicator(_target("decline_pct", 0.03), band={2016: (0.01, 0.03), 2018: (0.04, 0.06)})[0],
    "curb": _indicator(_target("curb", None))[0],
    "upper": _indicator(_target("upper_bound", 0.1))[0],
    "period-mean": _indicator(_target("upper_bound", 0.1, mean=True))[0],
    "lower": _indicator(_target("lower_bound", 0.05), projection=(0.05, 0.03, 0.08))[0],
    "bars": charts.horizontal_bars(
        names=["甲县", "乙县"],
        unit="人",
        series=[("2021—2025年", [3, None], "#0072B2"), ("2016—2020年", [1, 2], "#BBBBBB")],
    ),
    "stacked": charts.stacked_by_year(
        years=[2016, 2017],
        unit="人",
        gap_years=[2017],
        points=[(2016, "煤矿", 1)],
        categories=[charts.Category("煤矿", "#0072B2"), charts.Category("道路运输", "#0072B2", "/")],
    ),
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_figure_kind_passes_plotlys_validation(name):
    spec = json.loads(charts.to_json(FIGURES[name]))
    go.Figure(spec)  # raises ValueError on any attribute plotly.js does not know


def test_values_gaps_band_and_the_target_marked_at_the_end_year():
    fig = json.loads(charts.to_json(FIGURES["decline"]))
    by_name = {t["name"]: t for t in fig["data"]}
    assert by_name["各年数值"]["y"][:3] == [
        0.02,
        None,
        0.05,
    ]  # the Decimal became a number, the gap stays a gap
    assert by_name["数据不足"]["x"] == [2017]
    assert [t["x"] for t in fig["data"] if t.get("legendgroup") == "ci"] == [[2016, 2016], [2018, 2018]]
    path = by_name["目标路径（等比例逐年下降）"]
    assert path["x"] == [2020, 2021, 2022, 2023, 2024, 2025]
    assert path["y"][0] == pytest.approx(0.04) and path["y"][-1] == pytest.approx(0.03)
    assert by_name["2025年目标"]["x"] == [2025] and by_name["2025年目标"]["y"] == [0.03]
    assert fig["layout"]["shapes"][0]["x0"] == 2020.5 and fig["layout"]["shapes"][0]["x1"] == 2025.5


def test_a_period_mean_target_is_drawn_against_the_means():
    fig = json.loads(charts.to_json(FIGURES["period-mean"]))
    by_name = {t["name"]: t for t in fig["data"]}
    # the plan period's mean, the level the target judges, across the plan years
    assert by_name["2021—2025年年均"]["y"] == [0.056, 0.056]
    assert by_name["2016—2020年年均"]["y"] == [0.06, 0.06]
    assert by_name["目标：规划期年均上限"]["y"] == [0.1, 0.1]


def test_a_target_far_above_the_data_is_stated_not_drawn():
    fig, notes = _indicator(_target("upper_bound", 1.0, mean=True))
    names = {t["name"] for t in fig["data"]}
    assert "目标：规划期年均上限" not in names and "2025年目标" not in names
    assert fig["layout"]["yaxis"]["range"][1] < 0.2  # scaled to the data (max 0.13), not to the 1% target
    assert notes and "图中未画出目标线" in notes[0] and "0.13%" in notes[0]


def test_json_is_safe_inside_a_script_element():
    text = charts.to_json({"data": [], "layout": {"title": {"text": "</script><b>&"}}})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["layout"]["title"]["text"] == "</script><b>&"


def test_a_nan_never_reaches_a_chart_silently():
    with pytest.raises(ValueError):
        charts.to_json({"data": [{"type": "bar", "y": [float("nan")]}], "layout": {}})


def test_nothing_worth_drawing():
    assert not charts.has_data([None, 0, 0.0]) and not charts.has_data([]) and charts.has_data([0, 1])


def _star(fig):
    return next(t for t in json.loads(charts.to_json(fig))["data"] if t["name"].startswith("2025年目标"))


def test_the_target_label_sits_on_the_side_of_the_threshold_the_line_is_not_on():
    # the line left of 2025 runs 0.05 (2024) -> 0.06 (2025): above a threshold of 0.03 ...
    below = _star(FIGURES["decline"])
    assert below["textposition"] == "bottom left" and below["text"] == ["≤X"]
    # ... and below a threshold of 0.1
    above = _star(FIGURES["upper"])
    assert above["textposition"] == "top left" and not above["showlegend"]


def test_a_target_label_the_line_would_cross_is_named_in_the_legend_instead():
    # a label this long covers ~2 years left of 2025, where the line rises from 0.02 (2023)
    # through 0.058 to 0.06 (2025): on either side it would touch the line
    target = dataclasses.replace(_target("upper_bound", 0.058), text="≤0.058人/10万人")
    star = _star(_indicator(target)[0])
    assert star["name"] == "2025年目标 ≤0.058人/10万人" and star["showlegend"] is True
    assert "text" not in star and star["mode"] == "markers"


def test_a_label_above_the_highest_threshold_stays_inside_the_plot_clear_of_the_band_label():
    # the data peak at 0.13 (2019); a threshold of 0.15 is above everything, its label above it:
    # the axis goes to 0.15 x 1.2 x 1.12 so the label is inside the plot, and the band's label
    # 规划期 stands above the plot area, in the top margin
    fig, _ = _indicator(_target("upper_bound", 0.15))
    assert _star(fig)["textposition"] == "top left"
    assert fig["layout"]["yaxis"]["range"][1] == pytest.approx(0.15 * 1.2 * 1.12)
    (band_label,) = fig["layout"]["annotations"]
    assert band_label["text"] == "规划期" and band_label["y"] == 1 and band_label["yanchor"] == "bottom"
    assert fig["layout"]["margin"]["t"] >= 20
