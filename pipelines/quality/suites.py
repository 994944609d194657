"""The GX expectation suites of the quality gate, written down in code: one per check.

``python -m pipelines.quality`` saves them as the committed files under ``expectations/`` (see
``gx_project.py``). Lists of codes come from the dbt seeds (``pipelines.enumerations``), the
thresholds from ``config.py``; a frame's derived columns come from ``frames.py`` or the dbt views
of ``models/quality/``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from dataclasses import dataclass, field
from typing import Any

from pipelines.enumerations import (
    ACCIDENT_TYPES,
    CAPABILITY_INDICATORS,
    COMPARATORS,
    COUNT_INDICATORS,
    DATA_STATUSES,
    EVALUATIONS,
    HAZARDS,
    INDICATOR_CODES,
    MEASURES,
    PLAN_ATTRIBUTES,
    PLAUSIBLE_MAX,
    RECORD_STATUSES,
    REPORT_STAGES,
    SECTORS,
    SEVERITIES_ZH,
    TARGET_KINDS,
)
from pipelines.quality import config


@dataclass(frozen=True)
class SuiteSpec:
    name: str
    expectations: list[Any]  # gx expectation objects, built lazily (gx import is slow)
    index_columns: list[str] = field(default_factory=list)  # identify an offending row


# Modules GX imports at its own import for expectations and metrics no suite here uses (the KL
# divergence and Kolmogorov-Smirnov ones import ``from scipy import stats``): ~1.1 s of CPU of
# every run's first check. They are registered as lazy modules first (``importlib.util.LazyLoader``):
# the module object is in place, and it is executed on its first attribute access, so a suite
# that did use one would load it then and behave the same.
DEFERRED_SUBMODULES = (("scipy", "stats"),)


_defer_lock = threading.Lock()


def _defer_unused_modules() -> None:
    # One thread at a time: a second thread's find_spec would read the first one's lazy module's
    # __spec__, and that access loads it.
    with _defer_lock:
        _defer_each()


def _defer_each() -> None:
    for package_name, name in DEFERRED_SUBMODULES:
        full_name = f"{package_name}.{name}"
        if full_name in sys.modules:
            continue
        package = importlib.import_module(package_name)
        spec = importlib.util.find_spec(full_name)
        if spec is None or spec.loader is None:
            continue
        spec.loader = importlib.util.LazyLoader(spec.loader)
        module = importlib.util.module_from_spec(spec)
        sys.modules[full_name] = module
        spec.loader.exec_module(module)
        # ``from scipy import stats`` reads the package's attribute: with it set, the import
        # statement finds the lazy module without touching it (and without loading it).
        setattr(package, name, module)


def gx_modules():
    """great_expectations and its expectations module, imported when first needed (slow)."""
    _defer_unused_modules()
    import great_expectations as gx
    import great_expectations.expectations as gxe

    return gx, gxe


def _between(gxe, column: str, min_value=None, max_value=None, **kw):
    return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=min_value, max_value=max_value, **kw)


def _no_offenders(gxe, what: str):
    return [gxe.ExpectTableRowCountToEqual(value=0, meta={"notes": what})]


def _raw_common(gxe, key: str) -> list:
    """Expectations every raw event/statistics frame shares (derived columns come from frames.py)."""
    return [
        gxe.ExpectColumnValuesToNotBeNull(column=key) if key else None,
        gxe.ExpectColumnValuesToMatchRegex(column="region_code", regex=r"^\d{6}$"),
        gxe.ExpectColumnValuesToBeInSet(column="is_region_known", value_set=[True]),
        gxe.ExpectColumnValuesToNotBeNull(column="source_file"),
        gxe.ExpectColumnValuesToNotBeNull(column="row_number"),
        _between(gxe, "days_after_as_of", max_value=0),
        _between(gxe, "days_before_covered_start", max_value=0),
        _between(gxe, "reported_days_after_as_of", max_value=0),
    ]


def suite_specs() -> list[SuiteSpec]:
    _, gxe = gx_modules()
    raw_index = ["source_file", "row_number"]
    specs: list[SuiteSpec] = []

    # Files and quarantine, per source: the offending rows are the frame.
    from pipelines.ingest.raw_tables import SOURCES

    for source in SOURCES:
        specs.append(
            SuiteSpec(
                f"raw_{source}_files_readable",
                _no_offenders(gxe, f"no {source} file rejected whole (raw.files status = 'rejected')"),
                ["file_name"],
            )
        )
        specs.append(
            SuiteSpec(
                f"raw_{source}_quarantine",
                _no_offenders(gxe, f"no {source} row in raw.quarantine"),
                ["file_name", "row_number"],
            )
        )

    counts = lambda cols: [_between(gxe, c, min_value=0) for c in cols]  # noqa: E731

    specs.append(
        SuiteSpec(
            "raw_accidents_values_valid",
            [
                *_raw_common(gxe, "accident_id"),
                *counts(["deaths", "missing", "serious_injuries", "minor_injuries", "direct_loss_10k_yuan"]),
                gxe.ExpectColumnValuesToBeInSet(column="sector", value_set=list(SECTORS)),
                gxe.ExpectColumnValuesToBeInSet(column="accident_type", value_set=list(ACCIDENT_TYPES)),
                gxe.ExpectColumnValuesToBeInSet(column="reported_severity", value_set=list(SEVERITIES_ZH)),
                gxe.ExpectColumnValuesToBeInSet(column="status", value_set=list(RECORD_STATUSES)),
                _between(gxe, "days_reported_before_occurred", max_value=0),
            ],
            raw_index,
        )
    )
    specs.append(
        SuiteSpec(
            "raw_disasters_values_valid",
            [
                *_raw_common(gxe, "event_id"),
                *counts(
                    [
                        "affected_person_times", "deaths", "missing", "relocated_person_times",
                        "needing_relief_person_times", "crop_affected_ha", "crop_failed_ha",
                        "houses_collapsed", "houses_severely_damaged", "houses_generally_damaged",
                        "direct_loss_10k_yuan",
                    ]
                ),
                gxe.ExpectColumnValuesToBeInSet(column="hazard", value_set=list(HAZARDS)),
                gxe.ExpectColumnValuesToBeInSet(column="report_stage", value_set=list(REPORT_STAGES)),
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A="end_date", column_B="start_date", or_equal=True,
                    ignore_row_if="either_value_is_missing",
                ),
                _between(gxe, "days_reported_before_occurred", max_value=0),
            ],
            raw_index,
        )
    )
    specs.append(
        SuiteSpec(
            "raw_disasters_crop_failed_within_affected",
            [
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A="crop_affected_ha", column_B="crop_failed_ha", or_equal=True,
                    meta={"notes": "农作物绝收面积 ≤ 农作物受灾面积"},
                )
            ],
            raw_index,
        )
    )
    specs.append(
        SuiteSpec(
            "raw_forest_fires_values_valid",
            [
                *_raw_common(gxe, "fire_id"),
                *counts(["burned_area_ha", "damaged_forest_ha", "deaths", "injuries"]),
                gxe.ExpectColumnValuesToBeInSet(column="fire_grade", value_set=list(SEVERITIES_ZH)),
                _between(gxe, "days_reported_before_occurred", max_value=0),
            ],
            raw_index,
        )
    )
    specs.append(
        SuiteSpec(
            "raw_forest_fires_damaged_within_burned",
            [
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A="burned_area_ha", column_B="damaged_forest_ha", or_equal=True,
                    meta={"notes": "受害森林面积 ≤ 过火面积"},
                )
            ],
            raw_index,
        )
    )
    specs.append(
        SuiteSpec(
            "raw_statistics_values_valid",
            [
                *_raw_common(gxe, ""),
                gxe.ExpectColumnValuesToBeInSet(column="measure", value_set=list(MEASURES)),
                _between(gxe, "value", min_value=0),
                _between(
                    gxe, "value", min_value=0, strict_min=True,
                    row_condition='measure in ["gdp_100m_yuan", "population_10k"]', condition_parser="pandas",
                ),
                gxe.ExpectColumnValuesToBeInSet(column="data_status", value_set=list(DATA_STATUSES)),
                _between(gxe, "vintage_rank", min_value=1, max_value=4),
            ],
            raw_index,
        )
    )
    specs.append(
        SuiteSpec(
            "raw_statistics_gdp_revision",
            _no_offenders(
                gxe, f"no GDP revision moving the value by more than {config.GDP_REVISION_WARN_SHARE:.0%}"
            ),
            raw_index,
        )
    )
    cap_bounds = [
        _between(
            gxe, "value", min_value=0, max_value=PLAUSIBLE_MAX[code],
            row_condition=f'indicator_code == "{code}"', condition_parser="pandas",
        )
        for code in CAPABILITY_INDICATORS.values()
    ]
    specs.append(
        SuiteSpec(
            "raw_capabilities_values_valid",
            [
                *_raw_common(gxe, "indicator_code"),
                gxe.ExpectColumnValuesToBeInSet(
                    column="indicator_code", value_set=list(CAPABILITY_INDICATORS.values())
                ),
                _between(gxe, "value", min_value=0),
                *cap_bounds,
            ],
            raw_index,
        )
    )
    specs.append(
        SuiteSpec(
            "raw_accidents_monthly_volume",
            _no_offenders(
                gxe,
                f"no month at 0 accidents or above {config.VOLUME_JUMP_FACTOR:g}x its trailing "
                f"{config.VOLUME_TRAILING_MONTHS}-month average",
            ),
            ["region_code", "month"],
        )
    )

    # Marts: the frames are the dbt views of models/quality/.
    specs.append(
        SuiteSpec(
            "marts_fct_indicator_values_values_valid",
            [
                gxe.ExpectCompoundColumnsToBeUnique(column_list=["region_code", "year", "indicator_code"]),
                gxe.ExpectColumnValuesToNotBeNull(column="region_code"),
                gxe.ExpectColumnValuesToNotBeNull(column="year"),
                gxe.ExpectColumnValuesToBeInSet(column="is_region_known", value_set=[True]),
                gxe.ExpectColumnValuesToBeInSet(column="is_indicator_known", value_set=[True]),
                _between(gxe, "numerator", min_value=0),
                _between(gxe, "denominator", min_value=0, strict_min=True),
                _between(gxe, "value", min_value=0),
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A="plausible_max", column_B="value", or_equal=True,
                    ignore_row_if="either_value_is_missing",
                    meta={"notes": "value <= the catalogue's plausible_max (seeds/indicators.csv)"},
                ),
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A="value", column_B="value_ci_low", or_equal=True,
                    ignore_row_if="either_value_is_missing",
                ),
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A="value_ci_high", column_B="value", or_equal=True,
                    ignore_row_if="either_value_is_missing",
                ),
                _between(gxe, "months_covered", min_value=1, max_value=12),
                _between(gxe, "years_after_as_of", max_value=0),
                _between(gxe, "years_before_covered_start", max_value=0),
            ],
            ["region_code", "year", "indicator_code"],
        )
    )
    specs.append(
        SuiteSpec(
            "marts_fct_denominators_values_valid",
            [
                gxe.ExpectCompoundColumnsToBeUnique(column_list=["region_code", "year"]),
                gxe.ExpectColumnValuesToBeInSet(column="is_region_known", value_set=[True]),
                _between(gxe, "gdp_100m_yuan", min_value=0, strict_min=True),
                _between(gxe, "population_10k", min_value=0, strict_min=True),
                *counts(["industrial_workers_10k", "operating_vehicles"]),
                *counts(["coal_output_10k_tonnes", "forest_area_ha"]),
                _between(
                    gxe, "gdp_per_head_10k_yuan",
                    min_value=config.GDP_PER_HEAD_10K_YUAN[0], max_value=config.GDP_PER_HEAD_10K_YUAN[1],
                ),
                gxe.ExpectColumnValuesToBeInSet(column="gdp_data_status", value_set=list(DATA_STATUSES)),
                _between(gxe, "years_after_as_of", max_value=0),
                _between(gxe, "years_before_covered_start", max_value=0),
            ],
            ["region_code", "year"],
        )
    )
    specs.append(
        SuiteSpec(
            "marts_fct_denominators_event_years_complete",
            _no_offenders(gxe, "every region-year with events has the denominators its indicators need"),
            ["region_code", "year", "measure"],
        )
    )
    specs.append(
        SuiteSpec(
            "marts_fct_denominators_plan_years_complete",
            _no_offenders(gxe, "every plan jurisdiction has its targets' denominators for every plan year"),
            ["region_code", "year", "measure"],
        )
    )
    specs.append(
        SuiteSpec(
            "marts_fct_plan_progress_values_valid",
            [
                gxe.ExpectCompoundColumnsToBeUnique(column_list=["plan_id", "region_code", "seq"]),
                gxe.ExpectColumnValuesToBeInSet(column="is_target_known", value_set=[True]),
                gxe.ExpectColumnValuesToBeInSet(column="is_progress_known", value_set=[True]),
                gxe.ExpectColumnValuesToNotBeNull(column="status"),
                gxe.ExpectColumnValuesToNotBeNull(column="status_zh"),
                _between(gxe, "years_after_as_of", max_value=0),
            ],
            ["plan_id", "region_code", "seq"],
        )
    )
    specs.append(
        SuiteSpec(
            "raw_plans_values_valid",
            [
                gxe.ExpectColumnValuesToNotBeNull(column="plan_id"),
                gxe.ExpectColumnValuesToMatchRegex(column="plan_id", regex=r"^[A-Za-z0-9_-]+$"),
                gxe.ExpectColumnValuesToMatchRegex(column="region_code", regex=r"^\d{6}$"),
                gxe.ExpectColumnValuesToBeInSet(column="is_region_known", value_set=[True]),
                gxe.ExpectColumnValuesToBeInSet(column="indicator_code", value_set=list(INDICATOR_CODES)),
                gxe.ExpectColumnValuesToBeInSet(column="target_kind", value_set=list(TARGET_KINDS)),
                gxe.ExpectColumnValuesToBeInSet(column="comparator", value_set=list(COMPARATORS)),
                gxe.ExpectColumnValuesToBeInSet(column="attribute", value_set=list(PLAN_ATTRIBUTES)),
                gxe.ExpectColumnValuesToBeInSet(column="evaluation", value_set=list(EVALUATIONS)),
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A="end_year", column_B="start_year", or_equal=True
                ),
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="start_year", column_B="baseline_year"),
                _between(gxe, "seq", min_value=1),
                _between(gxe, "target_value", min_value=0),
                _between(gxe, "version_days_after_as_of", max_value=0),
                gxe.ExpectColumnValuesToNotBeNull(column="source_file"),
                gxe.ExpectColumnValuesToNotBeNull(column="row_number"),
            ],
            raw_index,
        )
    )
    specs.append(
        SuiteSpec(
            "raw_quotas_values_valid",
            [
                gxe.ExpectColumnValuesToMatchRegex(column="region_code", regex=r"^\d{6}$"),
                gxe.ExpectColumnValuesToBeInSet(column="is_region_known", value_set=[True]),
                gxe.ExpectColumnValuesToBeInSet(column="indicator_code", value_set=list(COUNT_INDICATORS)),
                gxe.ExpectColumnValuesToNotBeNull(column="quota"),
                _between(gxe, "quota", min_value=0),
                _between(gxe, "issued_days_after_as_of", max_value=0),
                _between(gxe, "years_after_as_of", max_value=1),
                gxe.ExpectColumnValuesToNotBeNull(column="source_file"),
                gxe.ExpectColumnValuesToNotBeNull(column="row_number"),
            ],
            raw_index,
        )
    )
    specs.append(
        SuiteSpec(
            "marts_dim_plan_every_plan_in_force",
            _no_offenders(
                gxe, "every plan the plan files name is in force (not rejected whole, no version conflict)"
            ),
            ["plan_id", "region_code"],
        )
    )
    specs.append(
        SuiteSpec(
            "marts_fct_missing_submissions_monthly_filed",
            _no_offenders(gxe, "every county-level unit filed every due month (records or 零报告)"),
            ["region_code", "region_name", "source", "month"],
        )
    )
    return [SuiteSpec(s.name, [e for e in s.expectations if e is not None], s.index_columns) for s in specs]
