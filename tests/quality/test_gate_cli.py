"""The gate through the command line: a blocked run exits 2, names the check and its rows, and
leaves the published warehouse and reports byte-for-byte as they were."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import cli_env
from tests.handmade import write_handmade_folder


def run_cli(data: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines", "run", "--data-dir", str(data), "--warehouse",
         str(out / "w.duckdb"), "--reports-dir", str(out / "reports"), "--as-of", "2026-11-26"],
        capture_output=True, text=True, env=cli_env(), timeout=900,
    )


def fingerprint(out: Path) -> dict[str, str]:
    files = [out / "w.duckdb", *sorted((out / "reports").rglob("*"))]
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.is_file()}


@pytest.mark.slow
def test_missing_gdp_for_a_year_with_accidents_blocks_and_publishes_nothing(tmp_path):
    data, out = write_handmade_folder(tmp_path / "data"), tmp_path / "out"
    first = run_cli(data, out)
    assert first.returncode == 0, first.stdout[-3000:]
    before = fingerprint(out)

    # 尖山区 (230502) had two accidents in 2020; its 2020 statistics row is withdrawn.
    stats = data / "statistics" / "statistics_2020_2025.csv"
    with stats.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    kept = [r for r in rows if not (r[0] == "230502" and r[2] == "2020")]
    assert len(kept) == len(rows) - 1
    with stats.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(kept)

    blocked = run_cli(data, out)
    assert blocked.returncode == 2, blocked.stdout[-3000:]
    assert "质量关口未通过" in blocked.stdout and "quality gate blocked" in blocked.stdout
    assert "marts_fct_denominators_event_years_complete" in blocked.stdout
    assert "230502 2020" in blocked.stdout  # the offending region-year is named
    assert fingerprint(out) == before
