"""The build file is held open between the steps of a run (each ``connect`` then joins the open
database instead of opening the file again), and let go whenever another process must open it:
before dbt, at the first read-only connection (the reports' workers), at the end of the run."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pipelines.settings import PipelineSettings, keep_build_file_open


def _other_process_reads(path) -> bool:
    """Whether another process can open the file (as dbt or a report worker does)."""
    code = ("import duckdb, sys\n"
            "try:\n    duckdb.connect(sys.argv[1], read_only=True).close()\n"
            "except duckdb.IOException:\n    sys.exit(3)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, timeout=120)
    assert proc.returncode in (0, 3), proc.stderr
    return proc.returncode == 0


@pytest.fixture
def settings(tmp_path):
    yield PipelineSettings(warehouse=str(tmp_path / "w.duckdb"), data_dir=str(tmp_path),
                           reports_dir=str(tmp_path / "reports"))
    keep_build_file_open(False)


def test_held_between_connections_and_let_go_for_other_processes(settings):
    keep_build_file_open(True)
    with settings.connect() as con:
        con.execute("create table t as select 42 as answer")
    # the connection is closed, the file is still held by this process
    assert not _other_process_reads(settings.build_path)
    with settings.connect() as con:  # joins the open database: sees what the last one wrote
        assert con.execute("select answer from t").fetchone() == (42,)
    keep_build_file_open(False)  # before dbt: released, and what was written is in the file
    assert _other_process_reads(settings.build_path)
    code = f"import duckdb; print(duckdb.connect({str(settings.build_path)!r}, read_only=True)" \
           ".execute('select answer from t').fetchone()[0])"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120).stdout.strip() == "42"


def test_a_read_only_connection_lets_go_for_the_rest_of_the_run(settings):
    keep_build_file_open(True)
    with settings.connect() as con:
        con.execute("create table t as select 1 as x")
    with settings.connect(read_only=True) as con:  # the reports: their workers read the file too
        assert con.execute("select x from t").fetchone() == (1,)
        assert _other_process_reads(settings.build_path)
    with settings.connect() as con:  # later steps open and close the file as before
        con.execute("insert into t values (2)")
    assert _other_process_reads(settings.build_path)


def test_not_held_unless_asked(settings):
    with settings.connect() as con:
        con.execute("create table t as select 1 as x")
    assert _other_process_reads(settings.build_path)
    keep_build_file_open(True)
    with settings.connect() as con:
        con.execute("insert into t values (2)")
    assert not _other_process_reads(settings.build_path)


def test_a_blocked_run_lets_go_of_the_file_when_it_ends(tmp_path):
    """The CLI's run blocked by a check (no reports step): the file is free afterwards."""
    import duckdb

    from pipelines.runner import RunOptions, run_pipeline
    from tests.handmade import write_handmade_folder

    data = write_handmade_folder(tmp_path / "data")
    (data / "accidents" / "2026-13_坏月份.csv").write_text("not,a,register\n1,2,3\n", encoding="utf-8")
    warehouse = tmp_path / "pub" / "w.duckdb"
    outcome = run_pipeline(RunOptions(data_dir=data, warehouse=warehouse, reports_dir=tmp_path / "r",
                                      as_of="2026-11-26", strict=True, quiet=True))
    assert outcome.exit_code != 0  # blocked (a rejected file) or failed: nothing published
    build = warehouse.with_name(".w.duckdb.building")
    assert build.exists() and _other_process_reads(build)
    duckdb.connect(str(build), read_only=True).close()  # and this process may open it its own way
