"""Settings of the quality gate: where its GX project lives, its thresholds, its sample size.

The thresholds the dbt models of ``models/quality/`` apply (GDP revision share, accident volume
rule, denominator lag) and the first covered year are dbt vars, declared once in
``dbt_project.yml``; they are read here only to say them in the checks' titles. The lists of
codes are the dbt seeds (``pipelines/enumerations.py``). Strictness (quarantined rows warn or
block) is not here: it is run policy and comes from ``PipelineSettings.is_strict``. Where the GX
suites live can be moved with ``EM_EXPECTATIONS_DIR`` (tests point it at a copy, so a test run
never writes into the committed folder).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from pipelines.settings import EXPECTATIONS_DIR, REGIONS_CSV
from pipelines.transform.project import project_vars

REGIONS_CSV_PATH = REGIONS_CSV


def expectations_dir() -> Path:
    """The GX file context root (the top-level ``expectations/`` folder by default)."""
    return Path(os.environ.get("EM_EXPECTATIONS_DIR") or EXPECTATIONS_DIR).resolve()


_VARS = project_vars()

# The earliest date an event or statistic may carry (dbt var first_year: 2015, because one plan
# (衡水) compares 2020 with 2015; submissions coverage itself starts at each source's first filing).
COVERED_FROM = date(int(_VARS["first_year"]), 1, 1)

# --- warnings (dbt vars; the models apply them) ---------------------------------------------
GDP_REVISION_WARN_SHARE = float(_VARS["gdp_revision_warn_share"])
VOLUME_TRAILING_MONTHS = int(_VARS["volume_trailing_months"])
VOLUME_JUMP_FACTOR = float(_VARS["volume_jump_factor"])

# --- bounds the GX suites apply ----------------------------------------------------------
# GDP per head in 万元 (亿元 / 万人): a unit slip moves it by 10^4. (Per-indicator bounds are the
# catalogue's plausible_max: seeds/indicators.csv.)
GDP_PER_HEAD_10K_YUAN = (0.2, 100.0)

# --- offending rows carried in metadata / check_results ------------------------------------
SAMPLE_ROWS = 20
