"""The statistician's loop in the Dagster UI, through the UI's own GraphQL API on `make dev`'s server.

One `dg dev` (webserver + daemon, started as `make dev` starts it, in the background) on the
hand-made folder:

- "Materialize" on one raw asset (what the asset page offers) is refused with the reason, before
  anything is written; so is a selection without the first step (the reports alone).
- A whole run with warnings (the hand-made folder has a GDP revision above 10 % and, as of
  2026-11-26, unfiled 2026 months) succeeds and says so: tags ``em/gate=passed_with_warnings`` and
  ``em/warnings=2``, and the published asset's metadata. So does a run the sensor asks for.
- The graph: groups ingest → transform → reports → publish, every asset and check described, the
  quarantine check not blocking.
- SIGTERM stops the server and all its processes although it was started with SIGINT ignored.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipelines.automation.sensors import evaluate
from pipelines.settings import PROJECT_DIR, PipelineSettings
from tests.automation.conftest import age_files
from tests.automation.test_webserver import free_port
from tests.conftest import cli_env
from tests.handmade import write_handmade_folder

pytestmark = pytest.mark.slow

AS_OF = "2026-11-26"
START_TIMEOUT = 300
RUN_TIMEOUT = 900

REPOSITORIES = "{ repositoriesOrError { ... on RepositoryConnection { nodes { name location { name } } } } }"
LAUNCH = """
mutation($p: ExecutionParams!) { launchPipelineExecution(executionParams: $p) { __typename
  ... on LaunchRunSuccess { run { runId } }
  ... on PythonError { message }
  ... on InvalidSubsetError { message }
  ... on RunConfigValidationInvalid { errors { message } } } }
"""
RUN = """
query($id: ID!) { runOrError(runId: $id) { __typename ... on Run { status tags { key value } } } }
"""
FAILURES = """
query($id: ID!) { logsForRun(runId: $id, limit: 10000) { __typename
  ... on EventConnection { events { __typename
    ... on ExecutionStepFailureEvent { stepKey error { message } failureMetadata { description } }
    ... on RunFailureEvent { error { message causes { message } } } } } } }
"""
GRAPH = """
{ assetNodes { assetKey { path } groupName description isMaterializable
    assetChecksOrError { __typename ... on AssetChecks { checks { name description blocking } } } } }
"""
MATERIALIZATION = """
query($key: AssetKeyInput!) { assetOrError(assetKey: $key) { ... on Asset {
  assetMaterializations(limit: 1) { runId metadataEntries { label
    ... on TextMetadataEntry { text } ... on JsonMetadataEntry { jsonString } } } } } }
"""


@dataclass
class Server:
    proc: subprocess.Popen
    port: int
    data: Path
    warehouse: Path
    reports: Path
    home: Path
    log: Path
    location: str = ""
    repository: str = ""

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/graphql",
            data=json.dumps({"query": query, "variables": variables or {}}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.loads(response.read())
        assert "errors" not in answer, answer["errors"]
        return answer["data"]

    def launch(self, job: str, assets: list[str] | None = None, checks: list[tuple[str, str]] | None = None,
               tags: dict[str, str] | None = None) -> str:
        selector = {"repositoryLocationName": self.location, "repositoryName": self.repository,
                    "pipelineName": job}
        if assets is not None:
            selector["assetSelection"] = [{"path": a.split("/")} for a in assets]
            selector["assetCheckSelection"] = [{"assetKey": {"path": a.split("/")}, "name": n}
                                               for a, n in checks or []]
        params = {"selector": selector, "runConfigData": {},
                  "executionMetadata": {"tags": [{"key": k, "value": v} for k, v in (tags or {}).items()]}}
        answer = self.graphql(LAUNCH, {"p": params})["launchPipelineExecution"]
        assert answer["__typename"] == "LaunchRunSuccess", answer
        return answer["run"]["runId"]

    def wait(self, run_id: str) -> tuple[str, dict[str, str]]:
        deadline = time.monotonic() + RUN_TIMEOUT
        while time.monotonic() < deadline:
            run = self.graphql(RUN, {"id": run_id})["runOrError"]
            if run["status"] in ("SUCCESS", "FAILURE", "CANCELED"):
                return run["status"], {t["key"]: t["value"] for t in run["tags"]}
            assert self.proc.poll() is None, self.log.read_text()[-4000:]
            time.sleep(2)
        raise AssertionError(f"run {run_id} not finished within {RUN_TIMEOUT}s")

    def failure_texts(self, run_id: str) -> list[str]:
        events = self.graphql(FAILURES, {"id": run_id})["logsForRun"]["events"]
        texts = []
        for event in events:
            if event["__typename"] == "ExecutionStepFailureEvent":
                texts.append((event.get("failureMetadata") or {}).get("description") or "")
                texts.append(event["error"]["message"])
            elif event["__typename"] == "RunFailureEvent" and event.get("error"):
                texts.append(event["error"]["message"])
                texts += [c["message"] for c in event["error"].get("causes") or []]
        return texts


def _start_dev_server(root: Path) -> Server:
    data = write_handmade_folder(root / "data")
    age_files(data)
    home = root / "dagster_home"
    warehouse, reports = root / "pub" / "em_warehouse.duckdb", root / "pub" / "reports"
    env = cli_env() | {
        "DAGSTER_HOME": str(home), "EM_DATA_DIR": str(data), "EM_WAREHOUSE": str(warehouse),
        "EM_REPORTS_DIR": str(reports), "EM_AS_OF": AS_OF,
    }
    # `make dev` writes the instance's dagster.yaml (queued runs, one at a time) before dg dev
    subprocess.run([sys.executable, "-c", "from pipelines.runner import ensure_dagster_home as e; e()"],
                   env=env, check=True, cwd=PROJECT_DIR, timeout=120)
    port = free_port()
    log = root / "dev.log"

    def like_a_background_job():  # a shell starts `make dev &` with SIGINT ignored
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines.automation.dev_server", "-h", "127.0.0.1", "-p", str(port)],
        env=env, cwd=PROJECT_DIR, stdout=log.open("w"), stderr=subprocess.STDOUT,
        start_new_session=True, preexec_fn=like_a_background_job,
    )
    server = Server(proc, port, data, warehouse, reports, home, log)
    started = time.monotonic()
    while time.monotonic() - started < START_TIMEOUT:
        assert proc.poll() is None, log.read_text()[-4000:]
        try:
            repos = server.graphql(REPOSITORIES)["repositoriesOrError"]
            if repos["nodes"]:
                server.location = repos["nodes"][0]["location"]["name"]
                server.repository = repos["nodes"][0]["name"]
                return server
        except (urllib.error.URLError, ConnectionError, TimeoutError, KeyError, AssertionError):
            pass
        time.sleep(2)
    raise AssertionError(f"no repository after {START_TIMEOUT}s:\n{log.read_text()[-4000:]}")


def _descendants(pid: int) -> set[int]:
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid="], capture_output=True, text=True).stdout
    children: dict[int, list[int]] = {}
    for line in out.splitlines():
        child, parent = (int(x) for x in line.split())
        children.setdefault(parent, []).append(child)
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            os.kill(pid, 0)
            alive.add(pid)
        except ProcessLookupError:
            pass
    return alive


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = _start_dev_server(tmp_path_factory.mktemp("ui"))
    try:
        yield server
    finally:
        if server.proc.poll() is None:
            os.killpg(server.proc.pid, signal.SIGKILL)
            server.proc.wait(timeout=60)


def _build_file(server: Server) -> Path:
    return server.warehouse.with_name(f".{server.warehouse.name}.building")


def test_materializing_one_raw_asset_is_refused_with_the_reason(server):
    # what the asset page's "Materialize" sends: the asset and its checks, in the implicit job (the
    # monthly-volume check reads a dbt view and sits on marts/fct_accidents since issue 19)
    names = ("files_readable", "quarantine", "values_valid")
    checks = [("raw/accidents", f"raw_accidents_{n}") for n in names]
    run_id = server.launch("__ASSET_JOB", assets=["raw/accidents"], checks=checks)
    status, tags = server.wait(run_id)
    assert status == "FAILURE"
    assert tags["em/refused"] == "partial selection"
    reason = "\n".join(server.failure_texts(run_id))
    assert "已拒绝执行，未写入任何内容" in reason and "was refused; nothing was written" in reason, reason
    assert "full_run" in reason
    assert not _build_file(server).exists() and not server.warehouse.exists()
    assert not server.reports.exists()


def test_a_selection_without_the_first_step_is_refused_before_any_step(server):
    run_id = server.launch("__ASSET_JOB", assets=["leadership_reports"], checks=[])
    status, tags = server.wait(run_id)
    assert status == "FAILURE" and tags["em/refused"] == "partial selection"
    reason = "\n".join(server.failure_texts(run_id))
    assert "未包含 warehouse_workspace" in reason, reason
    assert not _build_file(server).exists() and not server.reports.exists()


def test_a_run_with_warnings_is_tagged_and_summarized(server):
    run_id = server.launch("full_run")  # Jobs → full_run → Materialize all
    status, tags = server.wait(run_id)
    assert status == "SUCCESS", "\n".join(server.failure_texts(run_id))
    # tests/handmade.py: 利州区 2025 GDP 250 → 300 亿元 (+20 %); no 2026 disaster filings
    assert (tags["em/gate"], tags["em/warnings"], tags["em/blocking"]) == ("passed_with_warnings", "2", "0")
    assert server.warehouse.exists() and not _build_file(server).exists()
    materialization = server.graphql(MATERIALIZATION, {"key": {"path": ["published_warehouse"]}})
    latest = materialization["assetOrError"]["assetMaterializations"][0]
    entries = {e["label"]: e.get("text") or e.get("jsonString") for e in latest["metadataEntries"]}
    assert latest["runId"] == run_id and entries["gate"] == "passed_with_warnings"
    # the GDP-revision check reads the dbt view qa_gdp_revisions, on fct_denominator_vintages (issue 19)
    assert json.loads(entries["warnings"]) == [
        "marts/fct_denominator_vintages:raw_statistics_gdp_revision",
        "marts/fct_missing_submissions:marts_fct_missing_submissions_monthly_filed",
    ]


def test_a_run_the_sensor_asks_for_is_tagged_too(server):
    (server.data / "accidents" / "late_filing.csv").write_bytes(
        (server.data / "accidents").glob("*.csv").__next__().read_bytes().replace(b"SYS-", b"LATE-"))
    age_files(server.data)
    settings = PipelineSettings(data_dir=str(server.data), warehouse=str(server.warehouse))
    requests, _, reason = evaluate(settings, None)
    assert len(requests) == 1, reason  # the one new file, by content
    run_id = server.launch("full_run", tags=requests[0].tags)  # as the daemon launches it
    status, tags = server.wait(run_id)
    assert status == "SUCCESS"
    assert tags["em/trigger"] == "file" and tags["em/file"] == "accidents/late_filing.csv"
    assert tags["em/gate"] == "passed_with_warnings" and int(tags["em/warnings"]) >= 1


def test_the_graph_reads_in_flow_order_and_every_node_is_described(server):
    nodes = server.graphql(GRAPH)["assetNodes"]
    groups = {"/".join(n["assetKey"]["path"]): n["groupName"] for n in nodes}
    assert set(groups.values()) == {"ingest", "transform", "reports", "publish"}
    assert groups["warehouse_workspace"] == "ingest" and groups["raw/files"] == "ingest"
    assert all(n["description"] for n in nodes), [n["assetKey"] for n in nodes if not n["description"]]
    checks = {c["name"]: c for n in nodes for c in n["assetChecksOrError"].get("checks", [])}
    assert len(checks) > 100 and all(c["description"] for c in checks.values())
    assert checks["raw_accidents_files_readable"]["blocking"] is True
    quarantine = checks["raw_accidents_quarantine"]
    assert quarantine["blocking"] is False and "默认仅警告" in quarantine["description"]
    assert "dbt test" in checks["unique_dim_region_region_code"]["description"]


def test_sigterm_stops_the_server_started_in_the_background(server):
    """Runs last: the server was started with SIGINT ignored, as `make dev &` is."""
    children = _descendants(server.proc.pid)
    assert len(children) >= 3  # webserver, daemon, code server
    server.proc.send_signal(signal.SIGTERM)
    server.proc.wait(timeout=120)
    deadline = time.monotonic() + 60
    while _alive(children) and time.monotonic() < deadline:
        time.sleep(1)
    assert not _alive(children), "dg dev left processes behind"
