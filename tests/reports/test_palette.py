"""One colour-blind-safe palette: every category of a kind (sector, hazard, severity class, status)
keeps one colour, and any two that share a hatch pattern stay apart by at least MIN_DELTA_E
(CIEDE2000) in normal vision and under deuteranopia and protanopia simulation."""

from itertools import combinations

import pytest

from pipelines import enumerations
from pipelines.reports import labels

from .colour_vision import ciede2000, difference

VISIONS = [None, "deuteranopia", "protanopia"]


def test_ciede2000_matches_sharmas_published_pairs():
    # Sharma, Wu & Dalal (2005), Table 1: pairs 1, 7, 17, 25
    assert ciede2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert ciede2000((50, 0, 0), (50, -1, 2)) == pytest.approx(2.3669, abs=1e-4)
    assert ciede2000((50, 2.5, 0), (73, 25, -18)) == pytest.approx(27.1492, abs=1e-4)
    assert ciede2000((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387)) == pytest.approx(
        1.2644, abs=1e-4
    )


def test_simulation_collapses_red_and_green_as_a_deuteranope_sees_them():
    # the classic confusion: a pure red and a pure green differ hugely in normal vision, much less
    # for a deuteranope (the test would pass for any palette if the simulation did nothing)
    assert difference("#FF0000", "#00FF00") > 80
    assert difference("#FF0000", "#00FF00", "deuteranopia") < difference("#FF0000", "#00FF00") / 2


def _kind(seed: str, key: str) -> dict[str, tuple[str, str]]:
    return {r[key]: labels.category_style(r["sort_order"]) for r in enumerations.seed_rows(seed)}


KINDS = {
    "sector": _kind("sectors", "sector"),
    "hazard": _kind("hazards", "hazard"),
    "severity_class": {k: (c, "") for k, c in labels.SEVERITY_COLOURS.items()},
    "status": {k: (c, "") for k, c in labels.STATUS_COLOURS.items()},
}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("vision", VISIONS, ids=["normal", "deuteranopia", "protanopia"])
def test_categories_stay_apart(kind, vision):
    styles = KINDS[kind]
    worst = min(
        (difference(a[0], b[0], vision), x, y)
        for (x, a), (y, b) in combinations(styles.items(), 2)
        if a[1] == b[1]  # a different hatch tells them apart whatever the colour
    )
    assert worst[0] >= labels.MIN_DELTA_E, worst


@pytest.mark.parametrize("kind", ["sector", "hazard"])
def test_every_category_has_its_own_style(kind):
    styles = list(KINDS[kind].values())
    assert len(set(styles)) == len(styles)


def test_the_colours_are_fixed_by_the_seed_not_by_the_report():
    # 煤矿 (sort_order 1) is the first hue everywhere; 道路运输 (8) the first hue hatched
    assert labels.category_style(1) == (labels.HUES[0], "")
    assert labels.category_style(8) == (labels.HUES[0], labels.HATCH)
    assert set(labels.STATUS_STYLE[s][0] for s in labels.STATUS_STYLE) <= set(labels.STATUS_COLOURS)


def test_the_page_styles_use_the_tested_key_colours():
    from pipelines.settings import REPORT_STYLES_DIR

    css = (REPORT_STYLES_DIR / "report.css").read_text(encoding="utf-8")
    for css_class, colour in labels.STATUS_COLOURS.items():
        assert f"--{css_class}-key:{colour}" in css.replace(" ", "")
