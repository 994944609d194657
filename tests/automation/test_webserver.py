"""The Dagster UI serves the project: assets, jobs, schedules and the sensor, via GraphQL."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import cli_env

QUERY = """
{ repositoriesOrError { __typename
    ... on RepositoryConnection { nodes { name
        jobs { name }
        schedules { name cronSchedule executionTimezone }
        sensors { name }
        assetNodes { assetKey { path } } } }
    ... on PythonError { message } } }
"""
START_TIMEOUT = 300


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@pytest.mark.slow
def test_webserver_finds_assets_schedules_and_sensor(tmp_path: Path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    env = cli_env() | {"DAGSTER_HOME": str(home)}
    port = free_port()
    webserver = Path(sys.executable).with_name("dagster-webserver")
    log = (tmp_path / "webserver.log").open("w")
    proc = subprocess.Popen(
        [str(webserver), "-m", "pipelines.definitions", "-h", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        cwd=Path(__file__).parents[2],
    )
    started = time.monotonic()
    try:
        nodes = None
        while time.monotonic() - started < START_TIMEOUT:
            assert proc.poll() is None, (tmp_path / "webserver.log").read_text()[-4000:]
            try:
                data = graphql(port, QUERY)["data"]["repositoriesOrError"]
            except (urllib.error.URLError, ConnectionError, TimeoutError, KeyError):
                time.sleep(1)
                continue
            assert data["__typename"] == "RepositoryConnection", data
            if data["nodes"]:
                nodes = data["nodes"]
                break
            time.sleep(1)
        assert nodes, f"no repository after {START_TIMEOUT}s"
        ready = time.monotonic() - started
        repo = nodes[0]
        assets = {"/".join(a["assetKey"]["path"]) for a in repo["assetNodes"]}
        for key in (
            "warehouse_workspace",
            "raw/accidents",
            "raw/capabilities",
            "marts/fct_indicator_values",
            "leadership_reports",
            "published_warehouse",
        ):
            assert key in assets, key
        assert "full_run" in {j["name"] for j in repo["jobs"]}
        schedules = {s["name"]: s for s in repo["schedules"]}
        assert schedules["monthly_registers_load"]["cronSchedule"] == "0 8 5 * *"
        assert schedules["yearly_statistics_load"]["cronSchedule"] == "0 8 1 4 *"
        assert {s["executionTimezone"] for s in schedules.values()} == {"Asia/Shanghai"}
        assert {s["name"] for s in repo["sensors"]} == {"new_data_files_sensor"}
        print(f"webserver ready with the repository in {ready:.1f}s")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        log.close()
    # the UI wrote its state into the DAGSTER_HOME it was given, not elsewhere
    assert any(home.iterdir())
