"""One jurisdiction's monthly analysis: each section reads and shapes in its own module; this
module puts them in the order the analysis is read — the opening sentences first."""

from __future__ import annotations

from ..sections import county_assessment
from . import accidents, coverage, disasters, opening, sentences, situation
from .common import Month


def context(m: Month) -> dict:
    """Everything the monthly template shows."""
    figures, totals = situation.read(m)
    cov = coverage.read(m)
    serious, county_rows = accidents.read(m)
    quotas = m.rows(county_assessment.READ, m.year, m.month)
    previous_filed = {s: cov.is_filed(s, *m.previous) for s in situation.SOURCES}
    overview = situation.shape(figures, totals, m, previous_filed)
    accident_section = accidents.shape(figures, serious, county_rows, m)
    return {
        "region": {
            "code": m.code,
            "name": m.name,
            "level": m.level,
            "area": sentences.area_word(m.name, m.level),
        },
        "year": m.year,
        "month": m.month,
        "span": sentences.months_label(m.month),
        "opening": opening.shape(figures, opening.read(cov, m), cov, accident_section["counties"], quotas, m),
        **overview,
        **accident_section,
        **disasters.shape(figures, m),
        "missing": coverage.shape(cov, m),
        "quotas": county_assessment.shape(quotas, (m.year, m.month), m.labels),
    }
