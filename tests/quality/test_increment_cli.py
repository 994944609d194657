"""The gate on an incremental run through the command line equals a full check's, on the hand-made
folder: a new month and a correction loaded on the published warehouse give the verdicts of a
--rebuild of the same files, while the row-level suites validate only the new and corrected rows."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.quality.checks import CHECK_DEFS
from tests.conftest import cli_env
from tests.handmade import ACCIDENT_HEADERS, _accident_row, write_handmade_folder

AS_OF = "2026-11-26"
LATER = "2026-12-05"
GX_CHECKS = {d.name for d in CHECK_DEFS}


def run_cli(data: Path, out: Path, as_of: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines", "run", "--data-dir", str(data), "--warehouse",
         str(out / "w.duckdb"), "--reports-dir", str(out / "reports"), "--as-of", as_of, *extra],
        capture_output=True, text=True, env=cli_env(), timeout=900,
    )


def gate(out: Path) -> tuple[str, dict, dict]:
    """The last run's verdict, its GX results by check, and the row-level baselines."""
    with duckdb.connect(str(out / "w.duckdb"), read_only=True) as c:
        run_id, verdict = c.execute(
            "select run_id, verdict from quality.runs order by finished_at desc limit 1").fetchone()
        results = {r[0]: r[1:] for r in c.execute(
            "select check_name, severity, passed, offending_count, message_en from quality.check_results "
            "where run_id = ?", [run_id]).fetchall() if r[0] in GX_CHECKS}
        baselines = {r[0]: r[1:] for r in c.execute(
            "select check_name, scope, rows_validated, frame_rows, run_id from quality.gate_baseline"
        ).fetchall()}
    return verdict, results, baselines


def add_month_and_correction(data: Path) -> None:
    """A new month (2026-11, one accident of 1 death in 尖山区) and a correction of an earlier
    record (SYS-2025-001: 1 → 2 deaths, filed 2026-12-01)."""
    with (data / "accidents" / "accidents_2026_11.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(ACCIDENT_HEADERS)
        w.writerow(_accident_row(("SYS-2026-011", "2026-11-20 10:00", "230502", "工贸", 1, 0, 60, "一般", "",
                                  "", "2026-11-21")))
        w.writerow(_accident_row(("SYS-2025-001", "2025-04-08 10:00", "230502", "煤矿", 2, 0, 200, "一般", "",
                                  "", "2026-12-01")))


@pytest.mark.slow
def test_an_incremental_run_gives_the_verdicts_of_a_rebuild(tmp_path):
    data, out = write_handmade_folder(tmp_path / "data"), tmp_path / "out"
    first = run_cli(data, out, AS_OF)
    assert first.returncode == 0, first.stdout[-3000:]
    _, _, baselines = gate(out)
    assert baselines["raw_accidents_values_valid"][0] == "full"  # a fresh warehouse: every row

    add_month_and_correction(data)
    inc = run_cli(data, out, LATER)
    assert inc.returncode == 0, inc.stdout[-3000:]
    inc_verdict, inc_results, baselines = gate(out)
    # the accidents suite validated the new file's two rows only; nothing else of raw changed
    scope, validated, total, _ = baselines["raw_accidents_values_valid"]
    assert (scope, validated) == ("increment", 2)
    assert total > 2
    assert baselines["raw_disasters_values_valid"][:2] == ("increment", 0)
    assert baselines["marts_fct_indicator_values_values_valid"][0] == "increment"
    assert 0 < baselines["marts_fct_indicator_values_values_valid"][1] < baselines[
        "marts_fct_indicator_values_values_valid"][2]

    rebuilt = tmp_path / "rebuilt"
    full = run_cli(data, rebuilt, LATER, "--rebuild")
    assert full.returncode == 0, full.stdout[-3000:]
    full_verdict, full_results, full_baselines = gate(rebuilt)
    assert {s for s, *_ in full_baselines.values()} == {"full"}
    assert inc_verdict == full_verdict
    assert inc_results.keys() == full_results.keys() and len(inc_results) == 32
    for name, (severity, passed, count, message) in full_results.items():
        assert inc_results[name][:3] == (severity, passed, count), name
        if not passed:
            assert inc_results[name][3] == message, name
