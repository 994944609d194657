"""The quality gate: GX 1.x suites (``expectations/``) run as Dagster asset checks.

- ``quality_checks``: every asset check definition, for ``Definitions(asset_checks=...)``.
- ``record_run``: one row of ``quality.runs``; ``run_verdict``: blocked / passed_with_warnings / passed.
- ``summarize_failures``: text naming each failed blocking check and its offending rows (CLI).
"""

from pipelines.gate_records import (
    CheckOutcome,
    ensure_quality_tables,
    load_outcomes,
    record_run,
    run_verdict,
    summarize_failures,
    write_check_result,
)
from pipelines.quality.checks import CHECK_DEFS, checks_for, evaluate, quality_checks
from pipelines.quality.gx_project import build_project

__all__ = [
    "CHECK_DEFS",
    "CheckOutcome",
    "build_project",
    "checks_for",
    "ensure_quality_tables",
    "evaluate",
    "load_outcomes",
    "quality_checks",
    "record_run",
    "run_verdict",
    "summarize_failures",
    "write_check_result",
]
