"""The opening paragraph: sentences in the form officials write them (sentences.py), from the
figures the sections read — the region's accidents, the complete months when the year to date is
未报齐, sectors, counties, quota use, disasters and forest fires. No number of its own."""

from __future__ import annotations

from . import sentences
from .common import Month, Row
from .coverage import Coverage
from .situation import read_figures


def read(cov: Coverage, m: Month) -> sentences.Figures | None:
    """When the year to date is 未报齐: the figures of the last month every unit has filed."""
    complete = cov.complete_through("accidents", m.year)
    return read_figures(m, complete) if 0 < complete < m.month else None


def shape(
    f: sentences.Figures,
    complete_at: sentences.Figures | None,
    cov: Coverage,
    counties: list[dict],
    quotas: list[Row],
    m: Month,
) -> list[str]:
    area = sentences.area_word(m.name, m.level)
    out = sentences.accident_sentences(
        f,
        area=area,
        month=m.month,
        missing=sentences.missing_text(cov.missing("accidents", m.year), cov.names),
        complete_at=complete_at,
        complete_month=cov.complete_through("accidents", m.year),
        previous_filed=cov.is_filed("accidents", *m.previous),
    )
    deaths_by_county = [(c["name"], c["deaths"]) for c in counties if c["deaths"] is not None]
    for extra in (
        sentences.sector_sentence(f, m.month),
        sentences.county_sentence(deaths_by_county, m.month),
        sentences.quota_sentence(quotas, m.month),
        sentences.disaster_sentence(f, area=area, month=m.month),
        sentences.fire_sentence(f, area=area, month=m.month),
    ):
        if extra:
            out.append(extra)
    return out
