"""The command line, end to end, on a folder written by hand: every value checked by hand."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from tests.conftest import cli_env
from tests.handmade import EXPECTED_ABSENT, EXPECTED_PROGRESS, EXPECTED_VALUES, write_handmade_folder

AS_OF = "2026-11-26"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines", *args], capture_output=True, text=True, env=cli_env(), timeout=900
    )


@pytest.fixture(scope="module")
def handmade_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("handmade")
    data = write_handmade_folder(root / "data")
    warehouse, reports = root / "pub" / "w.duckdb", root / "pub" / "reports"
    proc = run_cli(
        "run",
        "--data-dir",
        str(data),
        "--warehouse",
        str(warehouse),
        "--reports-dir",
        str(reports),
        "--as-of",
        AS_OF,
    )
    return proc, warehouse, reports


def test_run_exits_zero_and_publishes(handmade_run):
    proc, warehouse, reports = handmade_run
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    assert warehouse.exists()
    assert (reports / "index.html").exists()
    report_names = sorted(p.name for p in reports.glob("[0-9]*.html"))
    # one per plan and jurisdiction of the folder's plans/
    assert report_names == ["230500_双鸭山市_14fyp.html", "510802_利州区_14fyp.html"], report_names
    # progress lines name the steps and the files loaded
    assert "raw" in proc.stdout and "accidents_2020_2025.csv" in proc.stdout


def test_indicator_values_match_hand_computation(handmade_run):
    _, warehouse, _ = handmade_run
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for (region, year, code), expected in EXPECTED_VALUES.items():
            row = con.execute(
                "select value from marts.fct_indicator_values where region_code = ? and year = ? "
                "and indicator_code = ?",
                [region, year, code],
            ).fetchone()
            assert row is not None, (region, year, code)
            assert row[0] == pytest.approx(expected, rel=1e-9, abs=1e-12), (region, year, code)
        for region, year, code in EXPECTED_ABSENT:
            row = con.execute(
                "select value from marts.fct_indicator_values where region_code = ? and year = ? "
                "and indicator_code = ?",
                [region, year, code],
            ).fetchone()
            assert row is None, f"incomplete {region} {year} {code} must be absent, got {row}"
    finally:
        con.close()


def test_plan_progress_matches_hand_computation(handmade_run):
    _, warehouse, _ = handmade_run
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        total = con.execute("select count(*) from marts.fct_plan_progress").fetchone()[0]
        assert total == 15  # one row per target of the folder's two plan files (9 + 6)
        for (region, seq), (status, baseline, evaluated, change) in EXPECTED_PROGRESS.items():
            row = con.execute(
                "select status, baseline_value, evaluated_value, change_pct from marts.fct_plan_progress "
                "where plan_id = '14fyp' and region_code = ? and seq = ?",
                [region, seq],
            ).fetchone()
            assert row is not None, (region, seq)
            assert row[0] == status, (region, seq, row)
            if status in ("no_verdict", "insufficient_data"):
                continue
            for got, want in zip(row[1:], (baseline, evaluated, change), strict=True):
                if want is not None:
                    assert got == pytest.approx(want, rel=1e-9, abs=1e-12), (region, seq, row)
    finally:
        con.close()


def test_missing_data_folder_is_a_clear_error(tmp_path):
    proc = run_cli(
        "run",
        "--data-dir",
        str(tmp_path / "nope"),
        "--warehouse",
        str(tmp_path / "w.duckdb"),
        "--reports-dir",
        str(tmp_path / "r"),
    )
    assert proc.returncode == 1
    assert "数据目录不存在" in proc.stderr and "does not exist" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_conclusion_numbers_equal_the_real_marts(handmade_run):
    """The lead paragraph of every published report, against the marts dbt built (not a fixture)."""
    from tests.reports.htmltree import parse

    _, warehouse, reports = handmade_run
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for page in sorted(reports.glob("[0-9]*_*.html")):
            region, _name, plan = page.stem.split("_")
            section = parse(page.read_text(encoding="utf-8")).find("section", id="conclusion")
            found = {b.attrs["data-fact"]: b.attrs["data-value"] for b in section.find_all("b")
                     if "data-fact" in b.attrs}
            statuses = dict(con.execute(
                "select status, count(*) from marts.fct_plan_progress where region_code = ? and plan_id = ?"
                " group by status", [region, plan]).fetchall())
            assert int(found["targets"]) == sum(statuses.values()) > 0, page.name
            for status in ("achieved", "not_achieved", "worsening", "no_verdict"):
                assert int(found.get(status, 0)) == statuses.get(status, 0), (page.name, status)
            for code, value in con.execute(
                "select indicator_code, evaluated_value from marts.fct_plan_progress where region_code = ?"
                " and plan_id = ? and status = 'not_achieved'", [region, plan]).fetchall():
                assert float(found[f"evaluated:{code}"]) == pytest.approx(value), (page.name, code)
    finally:
        con.close()


def test_the_quality_page_states_the_published_runs_verdict(handmade_run):
    """The page's conclusion is the verdict quality.runs records for the run that published it."""
    from tests.reports.htmltree import parse

    _, warehouse, reports = handmade_run
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        run_id, verdict = con.execute(
            "select run_id, verdict from quality.runs order by finished_at desc limit 1").fetchone()
        checks = con.execute(
            "select count(*) from quality.check_results where run_id = ?", [run_id]).fetchone()[0]
    finally:
        con.close()
    page = parse((reports / "quality" / "index.html").read_text(encoding="utf-8"))
    found = {b.attrs["data-fact"]: b.attrs["data-value"]
             for b in page.find_all("b") if "data-fact" in b.attrs}
    assert verdict in ("passed", "passed_with_warnings")
    assert found["verdict"] == verdict
    assert int(found["checks"]) == checks > 0


def test_the_index_and_every_plan_report_state_the_same_verdict(handmade_run):
    """The reports are written before run_record: they take the verdict from the run's check
    results, which must be the one quality.runs then records."""
    from tests.reports.htmltree import parse

    _, warehouse, reports = handmade_run
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        run_id, verdict = con.execute(
            "select run_id, verdict from quality.runs order by finished_at desc limit 1").fetchone()
        label = con.execute(
            "select label_zh from marts.dim_code_label where code_kind = 'gate_verdict' and code = ?",
            [verdict]).fetchone()[0]
    finally:
        con.close()
    pages = [reports / "index.html", *sorted(reports.glob("*_*fyp.html"))]
    assert len(pages) > 1
    for path in pages:
        page = parse(path.read_text(encoding="utf-8"))
        stated = [e for e in page.find_all("span") + page.find_all("strong")
                  if e.attrs.get("data-fact") == "verdict"]
        assert [(e.attrs["data-value"], e.text) for e in stated] == [(verdict, label)], path.name
        assert run_id in path.read_text(encoding="utf-8"), path.name
