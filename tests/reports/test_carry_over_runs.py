"""Whole runs through the command line: reports carried over when their data did not change.

tests/monthly_scenario.py (双鸭山市 230500 with its counties, 利州区 510802; as of 2026-03-31)
is run three times on the same warehouse and reports folder: as filed; again with nothing
changed (every plan report and every March analysis is carried over byte for byte, the reports
folder's manifests still name the first run); then with one corrected accident file (尖山区 230502,
a county of 双鸭山市: SYS-2026-002 of 2026-01-25 filed again with 2 deaths instead of 1, same file
name): 双鸭山市's plan reports and March analysis are rendered again and show 8 deaths from January
to March instead of 7; 利州区's stay as the first run wrote them.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys

import duckdb
import pytest

from pipelines.reports.carry import MANIFEST
from tests.conftest import cli_env
from tests.handmade import LIZHOU
from tests.monthly_scenario import AS_OF, write_monthly_scenario

SYS = "230500"


def _run(data, warehouse, reports) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines", "run", "--data-dir", str(data), "--warehouse", str(warehouse),
         "--reports-dir", str(reports), "--as-of", AS_OF],
        capture_output=True, text=True, env=cli_env(), timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-3000:]
    return proc.stdout


def _correct_deaths(path, accident_id: str, deaths: int) -> None:
    text = path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    column = rows[0].index("死亡人数")
    [row] = [r for r in rows if r[0] == accident_id]
    row[column] = str(deaths)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _latest_run_id(warehouse) -> str:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("select run_id from quality.runs order by finished_at desc limit 1").fetchone()[0]
    finally:
        con.close()


def _state(reports) -> dict:
    """file -> (run id that generated it, bytes): the plan reports and the March analyses."""
    plans = json.loads((reports / MANIFEST).read_text(encoding="utf-8"))["reports"]
    monthly = json.loads((reports / "monthly" / "analyses.json").read_text(encoding="utf-8"))
    out = {r["file"]: (r["run_id"], (reports / r["file"]).read_bytes()) for r in plans}
    for e in monthly:
        if (e["year"], e["month"]) == (2026, 3):
            out[f"monthly/{e['file']}"] = (e["run_id"], (reports / "monthly" / e["file"]).read_bytes())
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("carry")
    data = write_monthly_scenario(root / "data")
    warehouse, reports = root / "pub" / "w.duckdb", root / "pub" / "reports"
    states, ids, logs = [], [], []
    for step in ("filed", "unchanged", "corrected"):
        if step == "corrected":
            _correct_deaths(data / "accidents" / "accidents_2026Q1.csv", "SYS-2026-002", 2)
        logs.append(_run(data, warehouse, reports))
        ids.append(_latest_run_id(warehouse))
        states.append(_state(reports))
    shutil.copytree(reports, root / "last")
    return {"states": states, "ids": ids, "logs": logs, "reports": root / "last"}


def _of(state: dict, region: str) -> dict:
    return {f: v for f, v in state.items() if f.split("/")[-1].startswith(f"{region}_")}


def test_the_scenario_has_plan_reports_and_monthly_analyses_of_both_jurisdictions(runs):
    first = runs["states"][0]
    for region in (SYS, LIZHOU):
        files = _of(first, region)
        assert any(f.startswith("monthly/") for f in files) and any(f.endswith("fyp.html") for f in files)
    assert {run for run, _ in first.values()} == {runs["ids"][0]}


def test_nothing_changed_every_report_and_analysis_carried_over_byte_for_byte(runs):
    first, second = runs["states"][0], runs["states"][1]
    assert second == first  # same files, same bytes, still the first run's
    assert runs["ids"][1] != runs["ids"][0]


def test_a_corrected_county_file_renders_its_prefectures_reports_only(runs):
    second, third = runs["states"][1], runs["states"][2]
    assert set(third) == set(second)
    corrected = _of(third, SYS)
    assert corrected and {run for run, _ in corrected.values()} == {runs["ids"][2]}
    assert _of(third, LIZHOU) == _of(second, LIZHOU)  # carried: the first run's, byte for byte


def test_the_rendered_analysis_shows_the_corrected_deaths(runs):
    [name] = [f for f in runs["states"][2] if f.startswith(f"monthly/{SYS}_")]
    before = runs["states"][1][name][1].decode("utf-8")
    after = (runs["reports"] / name).read_text(encoding="utf-8")
    # the main table's 1—3月累计 of deaths: 7 filed before the correction, 8 after
    assert 'data-label="1—3月累计" data-value="7.0"' in before
    assert 'data-label="1—3月累计" data-value="8.0"' not in before
    assert 'data-label="1—3月累计" data-value="8.0"' in after
    index = (runs["reports"] / "index.html").read_text(encoding="utf-8")
    assert 'id="carried"' in index
