"""Thresholds and reference lists of the quality gate: one place, changed here, read everywhere.

Strictness (quarantined rows warn or block) is not here: it is run policy and comes from
``PipelineSettings.is_strict``. Where the GX suites live can be moved with ``EM_EXPECTATIONS_DIR``
(tests point it at a copy, so a test run never writes into the committed folder).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from pipelines.enumerations import seed_rows
from pipelines.settings import EXPECTATIONS_DIR, REGIONS_CSV

REGIONS_CSV_PATH = REGIONS_CSV


def expectations_dir() -> Path:
    """The GX file context root (the top-level ``expectations/`` folder by default)."""
    return Path(os.environ.get("EM_EXPECTATIONS_DIR") or EXPECTATIONS_DIR).resolve()


# --- the period the warehouse covers ------------------------------------------------------
# The earliest date an event or statistic may carry. 2015 because one plan (衡水) compares
# 2020 with 2015; submissions coverage itself starts in 2016-01.
COVERED_FROM = date(2015, 1, 1)
PLAN_YEARS = (2021, 2025)  # the 14th five-year plan
# Statistics for year Y are published during Y+1: denominators are required for years up to
# as_of.year - DENOMINATOR_LAG_YEARS only (the current year's GDP does not exist yet).
DENOMINATOR_LAG_YEARS = 1

# --- warnings ----------------------------------------------------------------------------
GDP_REVISION_WARN_SHARE = 0.10  # a revision moving GDP by more than 10% is flagged
VOLUME_TRAILING_MONTHS = 12
VOLUME_JUMP_FACTOR = 3.0  # a month above 3x its trailing average is flagged
VOLUME_JUMP_MIN_COUNT = 8  # ...when it has at least this many accidents (5 against 1.6 is noise)
VOLUME_ZERO_MIN_AVERAGE = 4.0  # a zero month is flagged when the trailing average is at least this
# Only recent months are judged (older ones were judged when they were loaded): a warning about
# 2017 raised on every run would teach people to ignore the list.
VOLUME_LOOKBACK_MONTHS = 12

# --- offending rows carried in metadata / check_results ------------------------------------
SAMPLE_ROWS = 20

# --- reference lists: pipelines/enumerations.py (the dbt seeds) -----------------------------
# GDP per head in 万元 (亿元 / 万人): a unit slip moves it by 10^4.
GDP_PER_HEAD_10K_YUAN = (0.2, 100.0)

# The denominators each indicator needs (fct_denominators columns), from the catalogue.
INDICATOR_MEASURES: dict[str, list[str]] = {
    r["indicator_code"]: [r["denominator_measure"]]
    for r in seed_rows("indicators")
    if r["denominator_measure"]
}
# The denominators a region-year with events of a source must have (critical): the catalogue's
# is_denominator_required. Forest fires have none on purpose: grassland and plain counties have
# fires but file no forest area, and the forest-fire rate is then 数据不足; where a plan targets
# it, the plan check requires the area.
EVENT_MEASURES: dict[str, list[str]] = {}
for _r in seed_rows("indicators"):
    _needs = EVENT_MEASURES.setdefault(_r["source"], []) if _r["is_denominator_required"] else []
    if _r["is_denominator_required"] and _r["denominator_measure"] not in _needs:
        _needs.append(_r["denominator_measure"])
