"""Matching the headers written in a file to a source's columns (``contracts.py``).

Header matching ignores half- and full-width spaces and line breaks and treats half- and
full-width brackets alike. A header whose unit (in brackets) differs from the canonical unit
is matched by its base name and converted (亿元 → 万元, 千公顷 → 公顷, 万元 GDP → 亿元, ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.ingest.columns import Col, SourceSpec
from pipelines.ingest.normalise import fold_str

# Units per family: factor that converts a value given in that unit into the raw unit.
UNIT_FACTORS: dict[str, dict[str, float]] = {
    "money_10k": {"万元": 1.0, "元": 1e-4, "千元": 0.1, "百万元": 100.0, "亿元": 1e4},
    "gdp_100m": {"亿元": 1.0, "万元": 1e-4, "元": 1e-8},
    "area_ha": {"公顷": 1.0, "ha": 1.0, "千公顷": 1e3, "万公顷": 1e4, "亩": 1 / 15, "万亩": 1e4 / 15},
    "people_10k": {"万人": 1.0, "人": 1e-4},
    "count": {
        "人": 1.0,
        "人次": 1.0,
        "间": 1.0,
        "起": 1.0,
        "辆": 1.0,
        "个": 1.0,
        "处": 1.0,
        "万人次": 1e4,
        "万人": 1e4,
        "万间": 1e4,
    },
    "vehicles": {"辆": 1.0, "万辆": 1e4},
    "coal_10k_t": {"万吨": 1.0, "吨": 1e-4, "亿吨": 1e4},
}

_WS = re.compile(r"[\s\u3000\u00a0\ufeff]+")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")"})
_UNIT = re.compile(r"^(.*?)\(([^()]*)\)$")


def normalize_header(text: str | None) -> str:
    """Header text for matching: the cells' normalisation (full-width → half-width, invisible
    characters removed), no spaces or line breaks, half-width brackets, lower-case."""
    if text is None:
        return ""
    return _WS.sub("", fold_str(str(text))).translate(_BRACKETS).lower()


@dataclass(frozen=True)
class HeaderMatch:
    col: Col
    factor: float  # multiply the parsed value by this to get the raw unit


def _index(spec: SourceSpec) -> tuple[dict[str, Col], dict[str, Col]]:
    exact: dict[str, Col] = {}
    base: dict[str, Col] = {}
    for col in spec.columns:
        for h in (col.header, *col.aliases):
            n = normalize_header(h)
            exact.setdefault(n, col)
            m = _UNIT.match(n)
            b = m.group(1) if m else n
            if col.unit_family:
                base.setdefault(b, col)
    return exact, base


_INDEX_CACHE: dict[str, tuple[dict[str, Col], dict[str, Col]]] = {}


_MATCH_CACHE: dict[tuple[str, str | None], HeaderMatch | None] = {}


def match_header(spec: SourceSpec, text: str | None) -> HeaderMatch | None:
    """The column a header names (with its unit conversion factor), or None."""
    key = (spec.source, text)
    try:
        return _MATCH_CACHE[key]
    except KeyError:
        pass
    if len(_MATCH_CACHE) > 100_000:  # cells of data rows pass through here too
        _MATCH_CACHE.clear()
    found = _MATCH_CACHE[key] = _match_header(spec, text)
    return found


def _match_header(spec: SourceSpec, text: str | None) -> HeaderMatch | None:
    if spec.source not in _INDEX_CACHE:
        _INDEX_CACHE[spec.source] = _index(spec)
    exact, base = _INDEX_CACHE[spec.source]
    n = normalize_header(text)
    if not n:
        return None
    m = _UNIT.match(n)
    if n in exact:
        col = exact[n]
        factor = 1.0
        if m and col.unit_family:
            factor = UNIT_FACTORS[col.unit_family].get(m.group(2), 1.0)
        return HeaderMatch(col, factor)
    if m and m.group(1) in base:
        col = base[m.group(1)]
        unit = m.group(2)
        factors = UNIT_FACTORS[col.unit_family or "count"]
        if unit in factors:
            return HeaderMatch(col, factors[unit])
    return None
