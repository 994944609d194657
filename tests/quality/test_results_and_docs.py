"""quality.runs, summaries for the CLI, Data Docs, and the committed GX project."""

from __future__ import annotations

import json
import shutil
import threading
from datetime import date, datetime

import dagster as dg
import duckdb

from pipelines.quality import (
    CheckOutcome,
    load_outcomes,
    quality_checks,
    record_run,
    summarize_failures,
    write_check_result,
)
from pipelines.quality.suites import suite_specs
from pipelines.settings import EXPECTATIONS_DIR, PipelineSettings


def test_record_run_replaces_the_row(tmp_path):
    with duckdb.connect(str(tmp_path / "q.duckdb")) as c:
        start = datetime(2026, 11, 26, 8, 0)
        record_run(c, "r1", start, None, "running", date(2026, 11, 26), "/data", True)
        record_run(c, "r1", start, datetime(2026, 11, 26, 8, 5), "blocked", date(2026, 11, 26), "/data", True)
        rows = c.execute("select run_id, verdict, finished_at, is_sample_data from quality.runs").fetchall()
    assert rows == [("r1", "blocked", datetime(2026, 11, 26, 8, 5), True)]


def test_summarize_failures_from_stored_outcomes(tmp_path):
    with duckdb.connect(str(tmp_path / "q.duckdb")) as c:
        write_check_result(c, "r1", CheckOutcome(
            "raw_accidents_values_valid", "raw.accidents", "ERROR", False, 1,
            "检查 raw_accidents_values_valid 未通过：1 项不符合。涉及：2024-03.xlsx 第7行。",
            "Check raw_accidents_values_valid failed: 1 offending. Rows: 2024-03.xlsx row 7.",
            1.0, [{"source_file": "2024-03.xlsx", "row_number": 7}]))
        write_check_result(c, "r1", CheckOutcome(
            "raw_accidents_monthly_volume", "raw.accidents", "WARN", False, 1, "警告", "warning", 1.0, []))
        outcomes = load_outcomes(c, "r1")
        stored = c.execute("select offending_sample from quality.check_results where passed = false"
                           " and severity = 'ERROR'").fetchone()[0]
    assert json.loads(stored) == [{"source_file": "2024-03.xlsx", "row_number": 7}]
    text = summarize_failures(outcomes)
    assert "1 项阻断性检查失败" in text
    assert "raw.accidents :: raw_accidents_values_valid" in text
    assert '"row_number": 7' in text
    assert "raw_accidents_monthly_volume" in text.splitlines()[-1]  # warnings listed, not detailed
    assert summarize_failures([o for o in outcomes if o.severity == "WARN"]).startswith("警告")


def test_committed_gx_project_has_every_suite():
    for spec in suite_specs():
        for folder in ("expectations", "validation_definitions", "checkpoints"):
            assert (EXPECTATIONS_DIR / folder / f"{spec.name}.json").exists(), (folder, spec.name)
    names = {spec.name for spec in suite_specs()}
    assert names == {s.name for c in quality_checks for s in c.check_specs}


def test_committed_suites_match_the_code():
    """Change a suite in suites.py or a threshold, then `python -m pipelines.quality`."""
    for spec in suite_specs():
        saved = json.loads((EXPECTATIONS_DIR / "expectations" / f"{spec.name}.json").read_text())
        on_disk = [(e["type"], e["kwargs"], e.get("meta") or {}) for e in saved["expectations"]]
        in_code = [
            (e.configuration.type, json.loads(json.dumps(e.configuration.kwargs)), e.configuration.meta or {})
            for e in spec.expectations
        ]
        assert on_disk == in_code, spec.name


def test_checks_load_into_definitions():
    keys = {s.asset_key for c in quality_checks for s in c.check_specs}
    stubs = []
    for key in keys:
        @dg.asset(key=key)
        def _stub() -> None:
            return None

        stubs.append(_stub)
    defs = dg.Definitions(assets=stubs, asset_checks=quality_checks,
                          resources={"settings": PipelineSettings()})
    assert len(defs.resolve_asset_graph().asset_check_keys) == 32  # 3 per source (7, quotas too), 11 more


def test_two_threads_may_ask_for_the_gx_context_at_once(tmp_path):
    """GX parses its YAML with a shared parser: two threads building a context at the same time
    used to fail with 'expected a single document in the stream' (seen when a background thread
    warmed GX up while the first check started)."""
    from pipelines.quality import gx_project

    for attempt in range(10):
        root = tmp_path / f"gx{attempt}"
        shutil.copytree(gx_project.config.expectations_dir(), root,
                        ignore=shutil.ignore_patterns("uncommitted"))
        errors: list[BaseException] = []
        contexts: list = []

        def build(root=root, errors=errors, contexts=contexts):
            try:
                contexts.append(gx_project.get_context(root))
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

        threads = [threading.Thread(target=build) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert contexts[0] is contexts[1]  # built once, shared


def test_gx_keeps_the_last_results_of_each_check_not_every_run(tmp_path):
    import os

    from pipelines.quality.gx_project import prune_validation_results

    folder = tmp_path / "uncommitted" / "validations" / "raw_accidents_values_valid"
    for i in range(25):  # 25 runs, run-00 the oldest
        run = folder / f"run-{i:02d}" / "20261207T000000Z"
        run.mkdir(parents=True)
        (run / "result.json").write_text("{}")
        os.utime(folder / f"run-{i:02d}", (1_800_000_000 + i, 1_800_000_000 + i))
    other = tmp_path / "uncommitted" / "validations" / "raw_disasters_values_valid" / "run-00"
    other.mkdir(parents=True)

    assert prune_validation_results("raw_accidents_values_valid", tmp_path, keep=20) == 5
    assert sorted(p.name for p in folder.iterdir()) == [f"run-{i:02d}" for i in range(5, 25)]
    assert other.is_dir()  # another check's results are its own
    assert prune_validation_results("never_ran", tmp_path) == 0
