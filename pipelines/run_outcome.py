"""The gate's verdict of a Dagster run, as tags the UI shows on the run and can filter on.

Dagster marks a run "Success" when every step succeeded, also when checks failed with WARN
severity: a run with rejected rows would look exactly like a clean one. So every run carries

- ``em/gate``: ``passed``, ``passed_with_warnings`` or ``blocked`` (what the quality gate decided);
- ``em/warnings`` and ``em/blocking``: how many checks warned, how many blocked.

They are set as soon as a check fails (a blocked run stops before publishing) and again when the
run publishes, whatever started the run (command line, UI, schedule or sensor). In the UI: Runs →
filter by tag ``em/gate=passed_with_warnings``.
"""

from __future__ import annotations

from collections.abc import Iterable

import dagster as dg

GATE_TAG = "em/gate"
WARNINGS_TAG = "em/warnings"
BLOCKING_TAG = "em/blocking"


Pending = Iterable[tuple[str, bool, dg.AssetCheckSeverity]]


def check_failures(instance: dg.DagsterInstance, run_id: str,
                   pending: Pending = ()) -> tuple[list[str], list[str]]:
    """(blocking, warning) failed checks of the run: those stored, plus ``pending`` results
    (name, passed, severity) of the step that is still running."""
    records = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION, limit=100_000
    ).records
    outcomes: dict[str, tuple[bool, dg.AssetCheckSeverity]] = {}
    for record in records:
        evaluation = record.event_log_entry.dagster_event.event_specific_data
        name = f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
        outcomes[name] = (evaluation.passed, evaluation.severity)
    for name, passed, severity in pending:
        outcomes[name] = (passed, severity)
    blocking = sorted(n for n, (ok, sev) in outcomes.items() if not ok and sev == dg.AssetCheckSeverity.ERROR)
    warned = sorted(n for n, (ok, sev) in outcomes.items() if not ok and sev != dg.AssetCheckSeverity.ERROR)
    return blocking, warned


def gate_tags(blocking: list[str], warned: list[str]) -> dict[str, str]:
    verdict = "blocked" if blocking else ("passed_with_warnings" if warned else "passed")
    return {GATE_TAG: verdict, WARNINGS_TAG: str(len(warned)), BLOCKING_TAG: str(len(blocking))}


def tag_run(instance: dg.DagsterInstance, run_id: str, pending: Pending = ()) -> dict[str, str]:
    """Set the run's gate tags from its check results; returns them."""
    tags = gate_tags(*check_failures(instance, run_id, pending))
    instance.add_run_tags(run_id, tags)
    return tags
