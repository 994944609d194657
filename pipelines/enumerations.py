"""The project's enumerations and their labels, read from their one home: the dbt seeds.

Every list of codes (sources, sectors, accident types, hazards, severities, report stages,
record statuses, data statuses, measures, file statuses; the plans' target kinds, comparators,
attributes and evaluation methods) and the indicator catalogue is a CSV file in
``dbt_project/seeds/``, with the codes' Chinese and English labels; the small code lists that are
nothing but labels (region levels, indicator kinds, plan statuses, check severities, gate verdicts)
share one seed, ``code_labels.csv``. ``marts.dim_code_label`` is the union of them all. dbt loads
them into ``seeds.*`` for the models, the dbt tests and
the analysts; Python reads the same files here, because the loaders validate files before any
dbt run has built the warehouse (on the first run there is none). Code that runs after dbt and
needs more than a list (the quality gate, the reports) reads the built tables instead
(``marts.dim_indicator``, ``seeds.*``).

Everything else imports from here (``pipelines.ingest.contracts`` re-exports what the loaders
use); nothing else writes these lists down. ``tests/pipeline/test_enumerations.py`` checks that
the loaders, the quality gate and the sample generator use these very objects.

To add a value (a new sector, say): add a row to the seed, then run the tests.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Any

from pipelines.settings import DBT_PROJECT_DIR

SEEDS_DIR = DBT_PROJECT_DIR / "seeds"


def _value(text: str) -> Any:
    """A seed cell as Python: '' is None, true/false are booleans, numbers are numbers."""
    if text == "":
        return None
    if text in ("true", "false"):
        return text == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


# Every seed read here: the ingest rules depend on them (pipelines/ingest/judgment.py fingerprints
# these files with the ingest code, so that a changed list judges unchanged files again).
SEED_NAMES: tuple[str, ...] = (
    "sources", "sectors", "accident_types", "hazards", "severities", "report_stages", "record_statuses",
    "data_statuses", "measures", "file_statuses", "indicators", "target_kinds", "comparators",
    "plan_attributes", "evaluation_methods", "code_labels", "situation_measures",
)


def seed_paths() -> list[Path]:
    """The seed files of :data:`SEED_NAMES`."""
    return [SEEDS_DIR / f"{name}.csv" for name in SEED_NAMES]


@cache
def _seed(name: str) -> tuple[dict[str, Any], ...]:
    if name not in SEED_NAMES:
        raise KeyError(f"seed {name!r} is not an enumeration (add it to SEED_NAMES)")
    with (SEEDS_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        rows = [{k: _value(v) for k, v in row.items()} for row in csv.DictReader(fh)]
    if "sort_order" in (rows[0] if rows else {}):
        rows.sort(key=lambda r: r["sort_order"])
    return tuple(rows)


def seed_rows(name: str) -> list[dict[str, Any]]:
    """The rows of ``seeds/<name>.csv`` as dicts (in ``sort_order`` where the seed has one)."""
    return [dict(r) for r in _seed(name)]


def _column(name: str, column: str) -> tuple:
    return tuple(r[column] for r in _seed(name))


def _mapping(name: str, key: str, value: str) -> dict:
    return {r[key]: r[value] for r in _seed(name)}


# Sources: code, short Chinese name (reports, check titles), register title (data contracts).
SOURCES: tuple[str, ...] = _column("sources", "source")
SOURCE_ZH: dict[str, str] = _mapping("sources", "source", "source_zh")
SOURCE_TITLE_ZH: dict[str, str] = _mapping("sources", "source", "title_zh")
EVENT_SOURCES: tuple[str, ...] = tuple(r["source"] for r in _seed("sources") if r["is_event_register"])

SECTORS: tuple[str, ...] = _column("sectors", "sector")
INDUSTRIAL_SECTORS: tuple[str, ...] = tuple(r["sector"] for r in _seed("sectors") if r["is_industrial"])
ACCIDENT_TYPES: tuple[str, ...] = _column("accident_types", "accident_type")
HAZARDS: tuple[str, ...] = _column("hazards", "hazard")

# Severity classes in rank order (general … extraordinary), codes and Chinese names.
SEVERITY_CLASSES: tuple[str, ...] = tuple(
    r["severity_class"] for r in sorted(_seed("severities"), key=lambda r: r["severity_rank"])
)
_SEVERITY_NAMES = _mapping("severities", "severity_class", "severity_class_zh")
SEVERITY_ZH: dict[str, str] = {c: _SEVERITY_NAMES[c] for c in SEVERITY_CLASSES}
SEVERITIES_ZH: tuple[str, ...] = tuple(SEVERITY_ZH.values())

REPORT_STAGES: tuple[str, ...] = tuple(
    r["report_stage"] for r in sorted(_seed("report_stages"), key=lambda r: r["stage_rank"])
)
RECORD_STATUSES: tuple[str, ...] = _column("record_statuses", "record_status")
# 数据状态 → vintage rank (a higher rank wins).
DATA_STATUSES: dict[str, int] = _mapping("data_statuses", "data_status", "vintage_rank")
MEASURES: tuple[str, ...] = _column("measures", "measure")

FILE_STATUS_ZH: dict[str, str] = _mapping("file_statuses", "file_status", "file_status_zh")
# Statuses of the files a run read (their rows or their rejection are this run's doing).
CHANGED_FILE_STATUSES: tuple[str, ...] = tuple(
    r["file_status"] for r in _seed("file_statuses") if r["is_changed"]
)


def code_labels_zh(kind: str) -> dict[str, str]:
    """Code → Chinese label of one code list of ``code_labels.csv`` (in its sort order)."""
    return {r["code"]: r["label_zh"] for r in _seed("code_labels") if r["code_kind"] == kind}


REGION_LEVEL_ZH: dict[str, str] = code_labels_zh("region_level")
INDICATOR_KIND_ZH: dict[str, str] = code_labels_zh("indicator_kind")
PLAN_STATUS_ZH: dict[str, str] = code_labels_zh("plan_status")

# The indicator catalogue. After a dbt run, read marts.dim_indicator instead.
INDICATOR_CODES: tuple[str, ...] = _column("indicators", "indicator_code")
# Count indicators (deaths, accidents, 较大及以上 accidents …): what a control quota (控制指标) may cap.
COUNT_INDICATORS: tuple[str, ...] = tuple(
    r["indicator_code"] for r in _seed("indicators") if r["kind"] == "count"
)
# Capability indicators: Chinese name → code (the capabilities files name them either way).
CAPABILITY_INDICATORS: dict[str, str] = {
    r["indicator_name_zh"]: r["indicator_code"] for r in _seed("indicators") if r["kind"] == "capability"
}
# Plausible upper bound per indicator (lower bound 0), where the catalogue gives one.
PLAUSIBLE_MAX: dict[str, float] = {
    r["indicator_code"]: float(r["plausible_max"])
    for r in _seed("indicators")
    if r["plausible_max"] is not None
}

# The plans source (docs/spec/plans.md): codes, and the Chinese word a plan table may use instead.
TARGET_KINDS: tuple[str, ...] = _column("target_kinds", "target_kind")
TARGET_KIND_ZH: dict[str, str] = _mapping("target_kinds", "target_kind", "target_kind_zh")
COMPARATORS: tuple[str, ...] = _column("comparators", "comparator")
# The comparator as Chinese text prints it (＜ ≤ ＞ ≥): plan tables, reports.
COMPARATOR_ZH: dict[str, str] = _mapping("comparators", "comparator", "comparator_zh")
# Attributes a plan table states (约束性 / 预期性); the marts write `unspecified` where it says none.
PLAN_ATTRIBUTES: tuple[str, ...] = tuple(r["attribute"] for r in _seed("plan_attributes") if r["is_stated"])
PLAN_ATTRIBUTE_ZH: dict[str, str] = {
    r["attribute"]: r["attribute_zh"] for r in _seed("plan_attributes") if r["is_stated"]
}
EVALUATIONS: tuple[str, ...] = _column("evaluation_methods", "evaluation")
EVALUATION_ZH: dict[str, str] = _mapping("evaluation_methods", "evaluation", "evaluation_zh")
