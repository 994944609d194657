"""The bundled sample, through the command line: the seeds' published facts come out exactly.

Runs every query of docs/sample-facts.md against the published warehouse.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.settings import DEFAULT_DATA_DIR, PROJECT_DIR
from tests.conftest import cli_env

DOC = PROJECT_DIR / "docs" / "sample-facts.md"

EXPECTED = {
    "shuangyashan_2016_2020": [("safety_accidents", 365), ("safety_deaths", 129)],
    "shuangyashan_injured": [("2016–2020", 465), ("2018", 172), ("2019", 144)],
    "shuangyashan_2018_2019": [(2018, "safety_accidents", 109), (2018, "safety_deaths", 42),
                               (2019, "safety_accidents", 114), (2019, "safety_deaths", 31)],
    "lizhou_2016_2020": [("safety_accidents", 83), ("safety_deaths", 58)],
    "manzhouli_2020": [("deaths_per_100m_gdp", 3, 0.0172), ("industrial_deaths_per_100k_workers", 1, 1.474),
                       ("safety_accidents", 3, 3), ("safety_deaths", 3, 3)],
}
# Rates are printed rounded: −62% and −47% (whole percent), counts to two decimals.
HENGSHUI = {"deaths_per_100m_gdp": (-62, 0), "industrial_deaths_per_100k_workers": (-47, 0),
            "safety_accidents": (-50.0, 2), "safety_deaths": (-46.15, 2)}


def doc_queries() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    return dict(re.findall(r"<!-- fact: (\w+) -->\s*```sql\n(.*?)```", text, flags=re.S))


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """`make run` as a newcomer types it: no --as-of (the sample's own date applies, whatever today is)."""
    out = tmp_path_factory.mktemp("sample")
    warehouse = out / "w.duckdb"
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines", "run", "--data-dir", str(DEFAULT_DATA_DIR), "--warehouse",
         str(warehouse), "--reports-dir", str(out / "reports")],
        capture_output=True, text=True, env=cli_env(), timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return warehouse, proc


@pytest.fixture(scope="module")
def sample_warehouse(sample_run) -> Path:
    return sample_run[0]


def test_every_fact_of_the_doc_is_checked():
    assert set(doc_queries()) == set(EXPECTED) | {"hengshui_2020_vs_2015"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_published_fact(sample_warehouse, name):
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    rows = con.execute(doc_queries()[name]).fetchall()
    con.close()
    assert [tuple(float(v) if isinstance(v, float) else v for v in row) for row in rows] == EXPECTED[name]


def test_hengshui_changes_against_2015(sample_warehouse):
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    rows = dict(con.execute(doc_queries()["hengshui_2020_vs_2015"]).fetchall())
    con.close()
    assert {code: round(rows[code], digits) for code, (_, digits) in HENGSHUI.items()} == {
        code: want for code, (want, _) in HENGSHUI.items()}


def test_sample_reports_carry_the_sample_banner(sample_warehouse):
    reports = sample_warehouse.parent / "reports"
    pages = sorted(reports.glob("[0-9]*.html")) + [reports / "index.html"]
    assert len(pages) == 6  # five jurisdictions and the index
    for page in pages:
        assert "示例数据" in page.read_text(encoding="utf-8"), page.name


def test_the_run_says_it_uses_the_samples_own_as_of_date(sample_run):
    first_lines = sample_run[1].stdout.splitlines()[:4]
    as_of = next(line for line in first_lines if line.startswith("截至 as of:"))
    assert as_of.startswith("截至 as of: 2026-11-26（示例数据自带的截至日期") and "SAMPLE_DATA.txt" in as_of


def test_the_sample_shows_its_intended_cuibao_list(sample_warehouse):
    """data_raw/README.md: exactly these unit-months are unfiled, none after the sample's October."""
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    rows = con.execute("select region_code, source, strftime(month, '%Y-%m') "
                       "from marts.fct_missing_submissions "
                       "order by region_code, source, month").fetchall()
    as_of = con.execute("select as_of from quality.runs").fetchall()
    con.close()
    assert as_of == [(date(2026, 11, 26),)]
    assert rows == [
        ("131124", "accidents", "2026-10"), ("131172", "disasters", "2026-10"),
        ("150781", "forest_fires", "2026-10"),
        ("230524", "accidents", "2026-09"), ("230524", "accidents", "2026-10"),
        ("230524", "disasters", "2026-09"), ("230524", "disasters", "2026-10"),
        ("230524", "forest_fires", "2026-09"), ("230524", "forest_fires", "2026-10"),
    ]


def analyst_queries() -> dict[str, str]:
    text = (PROJECT_DIR / "docs" / "analysts.md").read_text(encoding="utf-8")
    return dict(re.findall(r"<!-- query: ([a-z0-9_]+) -->\n```sql\n(.*?)```", text, re.S))


@pytest.mark.parametrize("name", sorted(analyst_queries()))
def test_every_documented_query_returns_rows_on_the_sample(sample_warehouse, name):
    sql = analyst_queries()[name].replace("var/warehouse/parquet/", f"{sample_warehouse.parent / 'parquet'}/")
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    rows = con.execute(sql).fetchall()
    con.close()
    assert rows, f"docs/analysts.md query {name} returns no row on the bundled sample"
