"""dbt's parse of a new warehouse is made while the sources load, and the build uses it; a parse
ahead that fails, hangs or leaves a broken file changes nothing but the time.

The runs are real (the hand-made folder, real dbt, real DuckDB files). What the build did is read
in dbt's own debug log of the build (``.<warehouse>.dbt/build/dbt.log``): dbt writes "Unable to
do partial parsing because …" when it parses the whole project, and "Nothing changed, skipping
partial parsing." when it builds from a kept parse that matches every file."""

from __future__ import annotations

import io
import os
from pathlib import Path

import duckdb
import pytest

from bench.compare_marts import compare
from pipelines.runner import RunOptions, run_pipeline
from pipelines.settings import PipelineSettings
from pipelines.transform import parse_ahead
from pipelines.transform.project import warehouse_target_dir
from tests.handmade import write_handmade_folder

AS_OF = "2026-11-26"
FULL_PARSE = "Unable to do partial parsing"
KEPT_PARSE = "Nothing changed, skipping partial parsing."


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return write_handmade_folder(tmp_path_factory.mktemp("parse_ahead") / "data")


@pytest.fixture(scope="module")
def first_run(data, tmp_path_factory) -> tuple[Path, str]:
    """A run on a new warehouse with the parse ahead as the command line makes it."""
    warehouse = tmp_path_factory.mktemp("first") / "out" / "warehouse.duckdb"
    return warehouse, _run(data, warehouse)


def _run(data: Path, warehouse: Path) -> str:
    stream = io.StringIO()
    options = RunOptions(data_dir=data, warehouse=warehouse, reports_dir=warehouse.parent / "reports",
                         as_of=AS_OF)
    outcome = run_pipeline(options, stream=stream)
    assert outcome.exit_code == 0, stream.getvalue()[-5000:]
    assert parse_ahead._running == {}  # noqa: SLF001 - nothing left to stop
    assert _my_dbt_processes() == []
    return stream.getvalue()


def _build_log(warehouse: Path) -> str:
    """The build's dbt log, its rotated part (dbt.log.1, at 10 MB) first."""
    parts = sorted(warehouse_target_dir(warehouse).glob("dbt.log*"), key=lambda p: p.name, reverse=True)
    return "".join(p.read_text(encoding="utf-8", errors="replace") for p in parts)


def _my_dbt_processes() -> list[str]:
    """The command lines of this process's children that run dbt (none should outlive a run)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z" and "dbt" in cmdline:
            found.append(cmdline)
    return found


def test_a_new_warehouse_is_built_from_the_parse_made_while_the_sources_loaded(first_run):
    warehouse, output = first_run
    assert "parsed while the sources loaded" in output, output[-5000:]
    build_log = _build_log(warehouse)
    assert "Running with dbt" in build_log and "Found" in build_log  # the build's own log
    assert FULL_PARSE not in build_log
    assert KEPT_PARSE in build_log
    # the whole project was parsed ahead, in the parse's own folder
    parse_log = (warehouse_target_dir(warehouse, "parse") / "dbt.log").read_text(encoding="utf-8")
    assert f"{FULL_PARSE} because saved manifest not found" in parse_log
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("select count(*) from marts.fct_accidents").fetchone()[0] > 0
    finally:
        con.close()


def _fake_dbt(folder: Path, script: str) -> str:
    """An executable standing in for dbt in the parse ahead only (the build runs the real dbt)."""
    path = folder / "fake-dbt"
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(0o755)
    return str(path)


@pytest.mark.parametrize("exit_code", [0, 1])
def test_a_broken_parse_ahead_leaves_the_results_as_they_were(data, first_run, tmp_path, monkeypatch,
                                                               exit_code):
    """A parse ahead that leaves a broken file, whether it says it failed (its file is not used)
    or not (its file is moved into place, and dbt cannot read it): the build parses the whole
    project, and the marts and the checks' verdicts are those of the run whose parse ahead
    worked."""
    fake = _fake_dbt(tmp_path, f'printf "not a parse" > "$DBT_TARGET_PATH/partial_parse.msgpack"\n'
                               f'echo "a broken parse"\nexit {exit_code}\n')
    monkeypatch.setattr(parse_ahead, "dbt_executable", lambda: fake)
    warehouse = tmp_path / "out" / "warehouse.duckdb"
    output = _run(data, warehouse)
    build_log = _build_log(warehouse)
    if exit_code:
        assert "The parse made ahead failed (exit code 1)" in output and "a broken parse" in output
        # no parse of its own: it parses everything (or from the project's parse, which dagster-dbt
        # copies into an empty target folder: "because profile has changed")
        assert f"{FULL_PARSE} because" in build_log
    else:
        assert "parsed while the sources loaded" in output
        assert "Failed to load parsed file from disk" in build_log
    assert KEPT_PARSE not in build_log
    out = io.StringIO()
    same = compare(first_run[0], warehouse, quality=True, out=out, ignore=frozenset({"loaded_at"}))
    assert same, out.getvalue()


def _group_alive(group: int) -> bool:
    """Whether any process of the process group still exists (a zombie counts as gone)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False


def _settings(tmp_path: Path) -> PipelineSettings:
    return PipelineSettings(warehouse=str(tmp_path / "w.duckdb"), data_dir=str(tmp_path), as_of=AS_OF)


def test_a_parse_ahead_that_hangs_is_stopped(tmp_path, monkeypatch):
    # a shell and its child: the whole group is stopped
    monkeypatch.setattr(parse_ahead, "dbt_executable", lambda: _fake_dbt(tmp_path, "sleep 600\nexit 0\n"))
    settings = _settings(tmp_path)
    values = parse_ahead.parse_environment(settings)
    assert parse_ahead.start(settings.warehouse_path, values)
    [running] = parse_ahead._running.values()  # noqa: SLF001
    used, message = parse_ahead.finish(warehouse_target_dir(settings.warehouse_path), values, wait_limit_s=1)
    assert not used and "did not end within 1 s" in message
    assert not _group_alive(running.process.pid)
    assert not (warehouse_target_dir(settings.warehouse_path) / parse_ahead.PARSE_FILE).exists()


def test_a_parse_ahead_made_for_other_profile_values_is_not_used(tmp_path, monkeypatch):
    fake = _fake_dbt(tmp_path, 'printf "x" > "$DBT_TARGET_PATH/partial_parse.msgpack"\nexit 0\n')
    monkeypatch.setattr(parse_ahead, "dbt_executable", lambda: fake)
    settings = _settings(tmp_path)
    values = parse_ahead.parse_environment(settings)
    assert values == {"EM_BUILD_DB": str(tmp_path / ".w.duckdb.building"),
                      "EM_DUCKDB_MEMORY_LIMIT": settings.memory_limit, "EM_DBT_AS_OF": AS_OF}
    assert parse_ahead.start(settings.warehouse_path, values)
    target = warehouse_target_dir(settings.warehouse_path)
    used, message = parse_ahead.finish(target, {**values, "EM_DUCKDB_MEMORY_LIMIT": "3GB"})
    assert not used and "other profile values" in message
    assert not (target / parse_ahead.PARSE_FILE).exists()


def test_no_parse_ahead_when_the_warehouse_keeps_a_current_parse(tmp_path, monkeypatch):
    monkeypatch.setattr(parse_ahead, "dbt_executable", lambda: _fake_dbt(tmp_path, "exit 0\n"))
    warehouse = tmp_path / "w.duckdb"
    kept = warehouse_target_dir(warehouse) / parse_ahead.PARSE_FILE
    kept.write_bytes(b"kept")
    assert not parse_ahead.start(warehouse, {})
    assert parse_ahead.finish(warehouse_target_dir(warehouse), {}) is None
    os.utime(kept, (0, 0))  # older than dbt_project.yml: dbt would parse everything again
    assert parse_ahead.start(warehouse, {})
    parse_ahead.stop_all()
    assert parse_ahead._running == {}  # noqa: SLF001


def test_a_run_that_fails_stops_its_parse_ahead(tmp_path, monkeypatch):
    monkeypatch.setattr(parse_ahead, "dbt_executable", lambda: _fake_dbt(tmp_path, "sleep 600\nexit 0\n"))
    with pytest.raises(RuntimeError, match="the run failed"):  # noqa: PT012 - the failure is inside the run
        with parse_ahead.parse_ahead(_settings(tmp_path)):
            [running] = parse_ahead._running.values()  # noqa: SLF001
            raise RuntimeError("the run failed")
    assert parse_ahead._running == {} and not _group_alive(running.process.pid)  # noqa: SLF001
