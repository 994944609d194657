"""A data folder's own plan_targets.csv replaces the seed (the national scale data brings one)."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.conftest import cli_env
from tests.handmade import write_handmade_folder

SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "plan_targets.csv"


def test_data_folder_plan_targets_replace_the_seed(tmp_path):
    data = write_handmade_folder(tmp_path / "data")
    with SEED.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["region_code"] == "230500"][:2]
    assert len(rows) == 2
    with (data / "plan_targets.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    warehouse, reports = tmp_path / "pub" / "w.duckdb", tmp_path / "pub" / "reports"
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines", "run", "--data-dir", str(data), "--warehouse", str(warehouse),
         "--reports-dir", str(reports), "--as-of", "2026-11-26"],
        capture_output=True, text=True, env=cli_env(), timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        progress = con.execute(
            "select region_code, seq from marts.fct_plan_progress order by seq").fetchall()
        assert progress == [("230500", int(rows[0]["seq"])), ("230500", int(rows[1]["seq"]))]
        jurisdictions = con.execute(
            "select region_code from marts.dim_region where is_plan_jurisdiction").fetchall()
        assert jurisdictions == [("230500",)]
    finally:
        con.close()
    assert sorted(p.name for p in reports.glob("*.html") if p.name != "index.html") != []
