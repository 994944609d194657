"""`python -m pipelines status`: last loads, gate verdict, what is published."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime

import dagster as dg
import duckdb

from pipelines.gate_records import ensure_quality_tables
from pipelines.settings import TIMEZONE
from pipelines.status import lock_holder, status_lines
from pipelines.writer_lock import writer_lock
from tests.conftest import cli_env
from tests.handmade import write_handmade_folder

from .conftest import load_into


def _published(tmp_path):
    data = write_handmade_folder(tmp_path / "data")
    warehouse, reports = tmp_path / "pub" / "w.duckdb", tmp_path / "pub" / "reports"
    load_into(warehouse, data, run_id="run-abc")
    con = duckdb.connect(str(warehouse))
    ensure_quality_tables(con)
    con.execute(
        "insert into quality.check_results values "
        "('run-abc', '2026-11-26 09:30', 'raw_accidents_files_readable', 'raw.accidents', 'ERROR', true, "
        "0, 0, "
        "null, '好', 'ok'),"
        "('run-abc', '2026-11-26 09:30', 'marts_fct_missing_submissions_monthly_filed', 'marts.x', "
        "'WARN', false, "
        "3, 3, null, '缺报', 'missing')"
    )
    con.close()
    reports.mkdir(parents=True)
    (reports / "index.html").write_text("<html></html>")
    (reports / "load_report.html").write_text("<html></html>")
    lines = [
        {
            "run_id": "run-abc",
            "finished_at": "2026-11-26T09:31:00+08:00",
            "verdict": "published",
            "data_dir": str(data),
            "as_of": "2026-11-26",
            "failed_checks": [],
            "warnings": [],
            "errors": [],
        },
        {
            "run_id": "run-def",
            "finished_at": "2026-11-26T10:00:00+08:00",
            "verdict": "blocked",
            "data_dir": str(data),
            "as_of": "2026-11-26",
            "failed_checks": ["raw_accidents_deaths"],
            "warnings": [],
            "errors": [],
        },
    ]
    (warehouse.parent / "runs.jsonl").write_text("".join(json.dumps(e) + "\n" for e in lines))
    return warehouse, reports


def test_status_shows_runs_gate_and_published_contents(tmp_path):
    warehouse, reports = _published(tmp_path)

    @dg.asset
    def tiny():
        return 1

    dg.materialize([tiny], instance=dg.DagsterInstance.get(), tags={"em/trigger": "monthly"})
    text = "\n".join(status_lines(warehouse, reports))
    assert "blocked" in text and "raw_accidents_deaths" in text  # the last CLI run and why
    assert "published" in text
    assert "SUCCESS" in text and "monthly" in text  # Dagster history (UI, schedules, sensor)
    assert "passed with warnings" in text and "marts_fct_missing_submissions_monthly_filed" in text
    assert "accidents" in text and "statistics" in text
    assert "last load" in text and "run-abc" in text and "2 条修订" not in text
    assert "load_report.html" in text
    assert "a load is running" not in text and "interrupted" not in text


def test_status_tells_a_running_load_and_an_interrupted_one(tmp_path):
    warehouse, reports = _published(tmp_path)
    with writer_lock(warehouse):
        assert lock_holder(warehouse) == os.getpid()
        assert f"a load is running now (pid {os.getpid()})" in "\n".join(status_lines(warehouse, reports))
    assert lock_holder(warehouse) is None
    warehouse.with_name(f".{warehouse.name}.building").write_bytes(b"half")
    assert "interrupted run" in "\n".join(status_lines(warehouse, reports))


def test_status_before_anything_was_published(tmp_path):
    text = "\n".join(status_lines(tmp_path / "w.duckdb", tmp_path / "r"))
    assert "nothing published yet" in text and "no command-line run recorded yet" in text


def test_status_on_a_corrupt_file_points_to_rebuild(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    warehouse.write_bytes(b"not a database" * 100)
    text = "\n".join(status_lines(warehouse, tmp_path / "r"))
    assert "--rebuild" in text


def test_status_command_line(tmp_path):
    warehouse, reports = _published(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines", "status", "--warehouse", str(warehouse)],
        capture_output=True,
        text=True,
        env=cli_env(),
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "已发布 published" in proc.stdout and "accidents" in proc.stdout


def test_status_tells_a_blocked_runs_file_from_an_interrupted_ones(tmp_path):
    warehouse, reports = _published(tmp_path)
    build = warehouse.with_name(f".{warehouse.name}.building")
    build.write_bytes(b"half")
    # the file was written after the last recorded run ended: that run was killed
    assert "an interrupted run (its process was stopped)" in "\n".join(status_lines(warehouse, reports))
    # a run recorded as blocked ends after its file was last written: not an interruption
    log = warehouse.with_name("runs.jsonl")
    ended = datetime.fromtimestamp(build.stat().st_mtime + 2, TIMEZONE).isoformat(timespec="seconds")
    entry = {"run_id": "run-ghi", "finished_at": ended, "verdict": "blocked", "data_dir": "d",
             "as_of": "2026-11-26", "failed_checks": ["raw_accidents_files_readable"], "warnings": [],
             "errors": []}
    log.write_text(log.read_text() + json.dumps(entry) + "\n")
    text = "\n".join(status_lines(warehouse, reports))
    assert "was blocked by the quality gate (run run-ghi)" in text and "interrupted" not in text
    assert "discarded by the next run" in text


def test_status_lists_warnings_of_published_runs(tmp_path):
    warehouse, reports = _published(tmp_path)
    log = warehouse.with_name("runs.jsonl")
    entry = {"run_id": "run-jkl", "finished_at": "2026-11-27T09:00:00+08:00", "verdict": "published",
             "data_dir": "d", "as_of": "2026-11-26", "failed_checks": [],
             "warnings": ["raw_accidents_quarantine", "raw_statistics_gdp_revision"], "errors": []}
    log.write_text(log.read_text() + json.dumps(entry) + "\n")
    text = "\n".join(status_lines(warehouse, reports))
    assert "2 项警告 warning(s): raw_accidents_quarantine, raw_statistics_gdp_revision" in text
