"""A killed run and a concurrent run leave the published warehouse and reports exactly as they were.

Real command-line runs on the hand-made folder (each full run takes a few minutes on a busy
2-CPU machine); every wait is bounded.
"""

from __future__ import annotations

import hashlib
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.status import lock_holder, status_lines
from pipelines.writer_lock import writer_lock
from tests.conftest import cli_env
from tests.handmade import write_handmade_folder

pytestmark = pytest.mark.slow

AS_OF = "2026-11-26"
RUN_TIMEOUT = 900  # one whole run, generous for a loaded machine
MARKER_TIMEOUT = 300  # until the awaited progress line appears


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): _sha(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def marts(warehouse: Path) -> dict[str, list]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {
            t: con.execute(f"select * from marts.{t} order by all").fetchall()
            for t in ("fct_indicator_values", "fct_plan_progress", "fct_accidents")
        }
    finally:
        con.close()


class Paths:
    def __init__(self, root: Path):
        self.root = root
        self.data = write_handmade_folder(root / "data")
        self.warehouse = root / "pub" / "w.duckdb"
        self.reports = root / "pub" / "reports"
        home = root / "dagster_home"
        home.mkdir()
        self.env = cli_env() | {"DAGSTER_HOME": str(home), "PYTHONUNBUFFERED": "1"}

    def args(self, *extra: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "pipelines",
            "run",
            "--data-dir",
            str(self.data),
            "--warehouse",
            str(self.warehouse),
            "--reports-dir",
            str(self.reports),
            "--as-of",
            AS_OF,
            *extra,
        ]

    def run(self, *extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            self.args(*extra), capture_output=True, text=True, env=self.env, timeout=RUN_TIMEOUT
        )

    def start(self, *extra: str) -> tuple[subprocess.Popen, queue.Queue]:
        proc = subprocess.Popen(
            self.args(*extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=self.env,
            start_new_session=True,
        )
        lines: queue.Queue = queue.Queue()

        def pump():
            for line in proc.stdout:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        return proc, lines


def wait_for(lines: queue.Queue, marker: str, timeout: float = MARKER_TIMEOUT) -> str:
    deadline, seen = time.monotonic() + timeout, []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            break
        if line is None:
            break
        seen.append(line)
        if marker in line:
            return line
    raise AssertionError(f"no line with {marker!r} within {timeout}s:\n" + "".join(seen[-40:]))


def kill_group(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Paths:
    paths = Paths(tmp_path_factory.mktemp("crash"))
    proc = paths.run()
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return paths


@pytest.mark.parametrize("marker", ["raw__", "warehouse_dbt_models"], ids=["during-ingest", "during-dbt"])
def test_sigkill_mid_run_leaves_the_published_files_untouched(published: Paths, marker: str):
    before_bytes, before_reports = _sha(published.warehouse), tree(published.reports)
    before_marts = marts(published.warehouse)
    proc, lines = published.start()
    try:
        wait_for(lines, marker)
        time.sleep(1.0)  # well inside the step
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        kill_group(proc)
    assert proc.returncode == -signal.SIGKILL
    assert _sha(published.warehouse) == before_bytes  # byte-identical
    assert tree(published.reports) == before_reports
    assert marts(published.warehouse) == before_marts  # and readable
    assert lock_holder(published.warehouse) is None  # the kernel released the dead run's lock
    with writer_lock(published.warehouse):  # and the next run can take it
        pass
    text = "\n".join(status_lines(published.warehouse, published.reports))
    assert "an interrupted run (its process was stopped) left" in text, text
    assert "blocked" not in text and "a load is running" not in text


def test_the_next_run_after_a_kill_exits_zero(published: Paths):
    before = marts(published.warehouse)
    docs = published.reports / "dbt-docs" / "index.html"
    docs_before = docs.read_bytes()
    proc = published.run()
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    # nothing dbt reads changed: the published docs page is carried over, not regenerated (a
    # regenerated page differs: dbt stamps its generation time into it)
    assert docs.read_bytes() == docs_before
    assert not published.warehouse.with_name(f".{published.warehouse.name}.building").exists()
    assert marts(published.warehouse) == before  # same files, same numbers
    assert (published.reports / "index.html").exists()


def test_a_concurrent_run_is_refused_at_once_and_nothing_is_corrupted(published: Paths):
    before = marts(published.warehouse)
    first, lines = published.start("--rebuild")  # also the backfill path: rebuild from the raw files
    try:
        wait_for(lines, "warehouse_workspace")
        started = time.monotonic()
        second = published.run()
        refused_after = time.monotonic() - started
        assert second.returncode == 1, second.stdout + second.stderr
        assert "另一个加载任务" in second.stderr and "Another load" in second.stderr
        assert "Traceback" not in second.stderr
        assert refused_after < 60, refused_after
        print(f"\nsecond run refused after {refused_after:.1f}s")
        first.wait(timeout=RUN_TIMEOUT)
        rest = []
        while (line := lines.get(timeout=10)) is not None:
            rest.append(line)
    finally:
        kill_group(first)
    assert first.returncode == 0, "".join(rest[-60:])
    # rebuilt from the raw files: exactly the numbers the incremental runs published
    assert marts(published.warehouse) == before
    assert lock_holder(published.warehouse) is None
    assert not published.warehouse.with_name(f".{published.warehouse.name}.building").exists()


def test_status_after_a_blocked_run_says_blocked_and_the_next_run_cleans_up(published: Paths):
    """A blocked run is reported as blocked (not as interrupted); the next run discards its file."""
    build = published.warehouse.with_name(f".{published.warehouse.name}.building")
    rejected = published.data / "accidents" / "old_format.xls"
    rejected.write_bytes(b"an Excel 97 file")  # rejected whole: a blocking check fails
    try:
        blocked = published.run()
        assert blocked.returncode == 2, blocked.stdout[-4000:] + blocked.stderr[-4000:]
        assert build.exists()
        text = "\n".join(status_lines(published.warehouse, published.reports))
        assert "was blocked by the quality gate" in text, text
        assert "interrupted" not in text
        assert "blocked" in text.split("last command-line runs")[1]  # runs.jsonl
    finally:
        rejected.unlink()
    again = published.run()
    assert again.returncode == 0, again.stdout[-4000:] + again.stderr[-4000:]
    assert not build.exists()
    text = "\n".join(status_lines(published.warehouse, published.reports))
    assert "build file" not in text and "interrupted" not in text
