"""The report charts are plain dicts: plotly's own validator must accept every one of them."""

import json
from decimal import Decimal

import plotly.graph_objects as go
import pytest

from pipelines.reports import charts

SERIES = {
    2016: {"value": 1.0, "value_ci_low": 0.5, "value_ci_high": 1.5},
    2017: {"value": None},
    2018: {"value": Decimal("2.5"), "value_ci_low": 2, "value_ci_high": 3},
}


def _indicator(kind, band=True):
    progress = None if kind is None else {
        "target_kind": kind, "baseline_value": 1.0, "target_threshold": 0.8, "target_value": 0.9,
        "baseline_year": 2015, "baseline_value_printed": 1.1, "curb_reference_mean": 1.2,
    }
    return charts.indicator_figure(
        title="死亡人数", unit="人", years=[2016, 2017, 2018], series=SERIES, progress=progress,
        national=[(2016, 2.0)], plan_years=(2015, 2016, 2020), show_band=band,
    )


FIGURES = {
    **{f"indicator-{k}": _indicator(k) for k in ("decline_pct", "curb", "upper_bound", "lower_bound", None)},
    "county": charts.county_figure(
        title="分县", unit="人", counties=["甲县", "乙县"], years=[2015, 2020],
        values={("甲县", 2015): {"value": 1, "value_ci_low": 0.5, "value_ci_high": 2}},
    ),
    "stacked": charts.stacked_by_year(
        title="按行业", unit="人", years=[2016, 2017], groups=["工矿商贸", "道路运输"],
        points=[(2016, "工矿商贸", 1), (2017, "道路运输", 2)], gap_years=[2017],
    ),
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_figure_kind_passes_plotlys_validation(name):
    spec = json.loads(charts.to_json(FIGURES[name]))
    go.Figure(spec)  # raises ValueError on any attribute plotly.js does not know


def test_indicator_figure_draws_values_gaps_band_and_target_path():
    fig = json.loads(charts.to_json(_indicator("decline_pct")))
    by_name = {t["name"]: t for t in fig["data"]}
    assert by_name["实际值"]["y"] == [1.0, None, 2.5]  # the Decimal became a number, the gap stays a gap
    assert by_name["数据不足"]["x"] == [2017]
    # one band per run of years with an interval: 2016 alone, then 2018 alone
    assert [t["x"] for t in fig["data"] if t.get("legendgroup") == "ci"] == [[2016, 2016], [2018, 2018]]
    path = by_name["目标路径"]
    assert path["x"] == [2015, 2016, 2017, 2018, 2019, 2020]
    assert path["y"][0] == pytest.approx(1.0) and path["y"][-1] == pytest.approx(0.8)
    assert fig["layout"]["shapes"][0]["x0"] == 2015.5 and fig["layout"]["shapes"][0]["x1"] == 2020.5


def test_json_is_safe_inside_a_script_element():
    text = charts.to_json({"data": [], "layout": {"title": {"text": "</script><b>&"}}})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["layout"]["title"]["text"] == "</script><b>&"


def test_a_nan_never_reaches_a_chart_silently():
    with pytest.raises(ValueError):
        charts.to_json({"data": [{"type": "bar", "y": [float("nan")]}], "layout": {}})
