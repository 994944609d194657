"""Presentation only: the symbol and colour of every status, and the fixed colour of every category.

The words (status names, sectors, hazards, severity classes, sources, region levels) are not
here: they are the seeds' labels, read from ``marts.dim_code_label`` (``reads.code_labels``).

One palette for every page. Each category of a kind (sector, hazard, severity class, status) has
one colour wherever it is drawn, chosen by its ``sort_order`` in the seed, so that 煤矿 is the
same colour in every report. The colours are the Okabe–Ito colour-blind-safe set; a kind with
more members than colours repeats the hues with a hatch pattern. ``tests/reports/test_palette.py``
checks that any two categories of a kind that share a pattern differ by at least
``MIN_DELTA_E`` (CIEDE2000) in normal vision and under deuteranopia and protanopia simulation.
The status is never told by colour alone: its symbol and its word are printed beside it.
"""

from __future__ import annotations

MIN_DELTA_E = 10.0  # CIEDE2000, normal vision, deuteranopia and protanopia (tests/reports/test_palette.py)

# Okabe & Ito (2008), "Color Universal Design": seven hues that stay apart for colour-blind readers.
HUES = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
HATCH = "/"  # the pattern of a kind's 8th and later members

# status class -> key colour (chart fills, chip borders; tested) and the chip's text and background
STATUS_COLOURS: dict[str, str] = {"good": "#009E73", "warn": "#E69F00", "bad": "#D55E00", "none": "#BBBBBB"}
# plan status code -> (css class, symbol). The word comes from the seed; the symbol and the word
# carry the meaning, the colour only helps.
STATUS_STYLE: dict[str, tuple[str, str]] = {
    "achieved": ("good", "✓"),
    "on_track": ("good", "✓"),
    "within_bound": ("good", "✓"),
    "likely": ("good", "✓"),
    "needs_acceleration": ("warn", "!"),
    "limited": ("warn", "!"),
    "uncertain": ("warn", "?"),
    "not_achieved": ("bad", "✗"),
    "worsening": ("bad", "✗"),
    "bound_exceeded": ("bad", "✗"),
    "unlikely": ("bad", "✗"),
    "no_verdict": ("none", "–"),
    "insufficient_data": ("none", "?"),
    # the control quotas' statuses (dim_code_label, quota_status)
    "normal": ("good", "✓"),
    "warning": ("warn", "!"),
    "exceeded": ("bad", "✗"),
}
# the order a report lists targets in: what went wrong first
STATUS_ORDER = [
    "not_achieved",
    "worsening",
    "limited",
    "needs_acceleration",
    "insufficient_data",
    "no_verdict",
    "on_track",
    "achieved",
]

# Severity classes, ordered: a light-to-dark sequence that stays ordered under colour blindness.
SEVERITY_COLOURS: dict[str, str] = {
    "general": "#9ECAE1",
    "larger": "#E69F00",
    "major": "#D55E00",
    "extraordinary": "#6A1B4D",
}

# Lines and marks of the indicator charts.
C_VALUE = "#0072B2"  # the yearly values
C_MEAN = "#009E73"  # a period's mean (period-mean targets)
C_TARGET = "#D55E00"  # the target: threshold, path, end-year mark
C_BASE = "#7F7F7F"  # the base year's value
C_BAND = "rgba(0,114,178,0.13)"
C_PREVIOUS = "#BBBBBB"  # the previous period in a comparison
C_CURRENT = "#0072B2"  # the plan period / this year in a comparison


def category_style(sort_order: int | None) -> tuple[str, str]:
    """(colour, pattern) of the category with this 1-based sort order in its seed; pattern '' is solid."""
    i = max(int(sort_order or 1), 1) - 1
    return HUES[i % len(HUES)], (HATCH if i >= len(HUES) else "")


def status_style(code: str | None) -> tuple[str, str]:
    return STATUS_STYLE.get(code or "", ("none", "?"))
