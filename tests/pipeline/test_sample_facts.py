"""The bundled sample, through the command line: the seeds' published facts come out exactly.

Runs every query of docs/sample-facts.md against the published warehouse.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import duckdb
import pytest

from bench.compare_marts import compare
from pipelines.settings import DEFAULT_DATA_DIR, PROJECT_DIR, sample_as_of
from tests.conftest import cli_env

DOC = PROJECT_DIR / "docs" / "sample-facts.md"

EXPECTED = {
    "shuangyashan_2016_2020": [("safety_accidents", 365), ("safety_deaths", 129)],
    "shuangyashan_injured": [("2016–2020", 465), ("2018", 172), ("2019", 144)],
    "shuangyashan_2018_2019": [
        (2018, "safety_accidents", 109),
        (2018, "safety_deaths", 42),
        (2019, "safety_accidents", 114),
        (2019, "safety_deaths", 31),
    ],
    "lizhou_2016_2020": [("safety_accidents", 83), ("safety_deaths", 58)],
    "manzhouli_2020": [
        ("deaths_per_100m_gdp", 3, 0.0172),
        ("industrial_deaths_per_100k_workers", 1, 1.474),
        ("safety_accidents", 3, 3),
        ("safety_deaths", 3, 3),
    ],
    "plan_statuses_14fyp": [
        ("131100", "achieved", 10),
        ("131100", "no_verdict", 1),
        ("131100", "not_achieved", 1),
        ("150781", "achieved", 6),
        ("230500", "achieved", 8),
        ("230500", "no_verdict", 1),
        ("360281", "achieved", 8),
        ("510802", "achieved", 4),
        ("510802", "not_achieved", 2),
    ],
}
# Rates are printed rounded: −62% and −47% (whole percent), counts to two decimals.
HENGSHUI = {
    "deaths_per_100m_gdp": (-62, 0),
    "industrial_deaths_per_100k_workers": (-47, 0),
    "safety_accidents": (-50.0, 2),
    "safety_deaths": (-46.15, 2),
}


def doc_queries() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    return dict(re.findall(r"<!-- fact: (\w+) -->\s*```sql\n(.*?)```", text, flags=re.S))


def _run_sample(out: Path) -> tuple[Path, subprocess.CompletedProcess]:
    warehouse = out / "w.duckdb"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipelines",
            "run",
            "--data-dir",
            str(DEFAULT_DATA_DIR),
            "--warehouse",
            str(warehouse),
            "--reports-dir",
            str(out / "reports"),
        ],
        capture_output=True,
        text=True,
        env=cli_env(),
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return warehouse, proc


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """`make run` as a newcomer types it: no --as-of (the sample's own date applies, whatever today is)."""
    return _run_sample(tmp_path_factory.mktemp("sample"))


def test_a_second_build_gives_the_same_marts_to_the_last_bit(sample_run, tmp_path):
    """Two builds of the same folder: every mart identical, floating-point values to the last bit
    (sums and means of doubles are exact: macros/measures.sql), but the clock time of the load
    (``loaded_at``); the same gate verdicts."""
    second, _ = _run_sample(tmp_path)
    out = io.StringIO()
    same = compare(sample_run[0], second, quality=True, digits=0, out=out, ignore=frozenset({"loaded_at"}))
    assert same, out.getvalue()


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
        code: want for code, (want, _) in HENGSHUI.items()
    }


def test_both_plans_of_the_five_jurisdictions_are_published(sample_warehouse):
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    plans = con.execute(
        "select plan_id, stage, count(*), min(start_year), max(end_year),"
        " min(monitoring_month) from marts.dim_plan group by all order by plan_id"
    ).fetchall()
    superseded = con.execute(
        "select region_code, version_date::varchar from marts.dim_plan_version"
        " where version_status <> 'current'"
    ).fetchall()
    con.close()
    # 双鸭山 monitored through August (饶河县 has not filed September), the others through September
    # or October (docs: data_raw/README.md, units that have not filed yet)
    assert plans == [
        ("14fyp", "final_evaluation", 5, 2021, 2025, None),
        ("15fyp", "monitoring", 5, 2026, 2030, 8),
    ]
    assert superseded == [("230500", "2026-01-20")]  # the earlier version of its 15th plan


def test_sample_reports_carry_the_sample_banner(sample_warehouse):
    reports = sample_warehouse.parent / "reports"
    pages = sorted(reports.glob("[0-9]*.html")) + [reports / "index.html"]
    assert len(pages) == 11  # two plans of five jurisdictions, and the index
    for page in pages:
        assert "示例数据" in page.read_text(encoding="utf-8"), page.name


@pytest.mark.browser
def test_sample_reports_of_both_plans_render_in_chromium(sample_warehouse):
    """Both plans' reports of a prefecture and the index, in real Chromium: no error, every chart drawn."""
    from pipelines.reports.pdf import BASE_FLAGS, find_chromium

    if find_chromium() is None:
        pytest.skip("Chromium 未安装（/usr/bin/chromium）")
    sync_api = pytest.importorskip("playwright.sync_api")
    reports = sample_warehouse.parent / "reports"
    names = [
        "index.html",
        "230500_双鸭山市_14fyp.html",
        "230500_双鸭山市_15fyp.html",
        "131100_衡水市_15fyp.html",
    ]
    with sync_api.sync_playwright() as p, tempfile.TemporaryDirectory(prefix="em-pw-") as profile:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=find_chromium(),
            headless=True,
            args=BASE_FLAGS,
            viewport={"width": 1366, "height": 900},
        )
        try:
            for name in names:
                page = context.new_page()
                problems: list[str] = []
                page.on("console", lambda m, box=problems: box.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e, box=problems: box.append(str(e)))
                page.goto((reports / name).as_uri(), wait_until="load")
                page.wait_for_timeout(300)
                assert problems == [], (name, problems)
                charts = page.locator("div.chart[data-figure]")
                for i in range(charts.count()):
                    assert charts.nth(i).locator("svg.main-svg").count() >= 1, (name, i)
                if name != "index.html":
                    assert charts.count() >= 6, name
                page.close()
        finally:
            context.close()


def test_the_run_says_it_uses_the_samples_own_as_of_date(sample_run):
    first_lines = sample_run[1].stdout.splitlines()[:4]
    as_of = next(line for line in first_lines if line.startswith("截至 as of:"))
    assert as_of.startswith("截至 as of: 2026-11-26（示例数据自带的截至日期") and "SAMPLE_DATA.txt" in as_of


def test_the_sample_shows_its_intended_cuibao_list(sample_warehouse):
    """data_raw/README.md: exactly these unit-months are unfiled, none after the sample's October."""
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    rows = con.execute(
        "select region_code, source, strftime(month, '%Y-%m') "
        "from marts.fct_missing_submissions "
        "order by region_code, source, month"
    ).fetchall()
    as_of = con.execute("select as_of from quality.runs").fetchall()
    con.close()
    assert as_of == [(date(2026, 11, 26),)]
    assert rows == [
        ("131124", "accidents", "2026-10"),
        ("131172", "disasters", "2026-10"),
        ("150781", "forest_fires", "2026-10"),
        ("230524", "accidents", "2026-09"),
        ("230524", "accidents", "2026-10"),
        ("230524", "disasters", "2026-09"),
        ("230524", "disasters", "2026-10"),
        ("230524", "forest_fires", "2026-09"),
        ("230524", "forest_fires", "2026-10"),
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


# The plan reports' 2026 figures against the monthly mart (issue 17: one "through month m"):
# every year-to-date number a 15th-plan report prints is the mart's for the same region and month.
YTD_MEASURES = {"safety_deaths": "deaths", "safety_accidents": "accidents"}


def _situation(con, region: str, month: int, measure: str) -> tuple[float, float]:
    return con.execute(
        "select ytd_value, prior_ytd_value from marts.fct_monthly_situation where region_code = ? "
        "and year = ? and month = ? and source = 'accidents' and measure = ? and breakdown_kind = 'total'",
        [region, sample_as_of(DEFAULT_DATA_DIR).year, month, measure],
    ).fetchone()


def _months(cell_text: str) -> int:
    return int(re.search(r"1—(\d+)月", cell_text).group(1))


def test_plan_reports_2026_figures_equal_the_monthly_mart(sample_warehouse):
    from tests.reports.htmltree import parse

    reports = sample_warehouse.parent / "reports"
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    compared = 0
    try:
        for page in sorted(reports.glob("*_15fyp.html")):
            region = page.name.split("_")[0]
            doc = parse(page.read_text(encoding="utf-8"))
            table = doc.find("table", id="ytd")
            for indicator, measure in YTD_MEASURES.items():
                row = table.find("tr", data_indicator=indicator) if table else None
                if row is None or not row.find_all("td")[1].attrs.get("data-value"):
                    continue
                cell = row.find_all("td")[1]
                ytd, prior = _situation(con, region, _months(cell.text), measure)
                assert float(cell.attrs["data-value"]) == ytd, (page.name, indicator)
                assert (
                    row.find_all("td")[2].text.strip()
                    == f"{prior:.0f}{'人' if measure == 'deaths' else '起'}"
                )
                compared += 1
            county_table = doc.find("table", id="county-table")
            for row in county_table.find_all("tr")[1:] if county_table else []:
                cell = row.find_all("td")[1]
                if "月" not in cell.text:
                    continue
                ytd, prior = _situation(con, row.attrs["data-region"], _months(cell.text), "deaths")
                assert cell.text.strip().endswith(f"{ytd:.0f}人"), (page.name, row.attrs["data-region"])
                compared += 1
            compared += _breakdown_agrees(con, doc, region)
    finally:
        con.close()
    assert compared >= 25  # five jurisdictions' deaths and accidents, their sectors, the counties'


def _breakdown_agrees(con, doc, region: str) -> int:
    """The 2026 rows of the accident breakdown (sector x class, 1—m月), summed by sector, against
    the monthly mart's sector breakdown through the same month."""
    table = doc.find("table", id="accident-breakdown")
    sums: dict[str, list[int]] = {}
    month = None
    for row in table.find_all("tr")[1:] if table else []:
        cells = [c.text.strip() for c in row.find_all("td")]
        if not cells[0].startswith(str(sample_as_of(DEFAULT_DATA_DIR).year)):
            continue
        month = _months(cells[0])
        name_cell = row.find_all("td")[1]  # the sector, then 工矿商贸 in a <span> for those that are
        first = name_cell.children[0] if name_cell.children else ""
        sector = (first if isinstance(first, str) else name_cell.text).strip()
        counts = sums.setdefault(sector, [0, 0])
        counts[0] += int(cells[3].rstrip("起"))
        counts[1] += int(cells[4].rstrip("人"))
    for sector, (accidents, deaths) in sums.items():
        got = con.execute(
            "select measure, ytd_value from marts.fct_monthly_situation where region_code = ? and year = ? "
            "and month = ? and source = 'accidents' and breakdown_kind = 'sector' and breakdown_value = ?",
            [region, sample_as_of(DEFAULT_DATA_DIR).year, month, sector],
        ).fetchall()
        assert dict(got) == {"accidents": accidents, "deaths": deaths}, (region, sector)
    return len(sums)


def test_monthly_analysis_marks_a_previous_month_not_every_unit_filed(sample_warehouse):
    # 上月 (the month 环比 compares with) is marked 未报齐 exactly where the coverage mart says a
    # unit has not filed it: its value is partial and must not read as the month's
    from tests.reports.htmltree import parse

    monthly = sample_warehouse.parent / "reports" / "monthly"
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    checked = {}
    try:
        for page in sorted(monthly.glob("[0-9]*_????-??.html")):
            region, month = page.stem.split("_")[0], page.stem.split("_")[-1]
            year, m = int(month[:4]), int(month[5:])
            previous = (year - 1, 12) if m == 1 else (year, m - 1)
            doc = parse(page.read_text(encoding="utf-8"))
            for row in doc.find("table", id="main-figures").find_all("tr")[1:]:
                source = row.attrs["data-source"]
                [covered] = con.execute(
                    "select is_covered from marts.fct_region_month_coverage where region_code = ? "
                    "and source = ? and year = ? and month = ?",
                    [region, source, *previous],
                ).fetchone()
                cell = next(c for c in row.find_all("td") if c.attrs.get("data-label") == "上月")
                assert ("未报齐" in cell.text) == (not covered), (page.name, source)
                checked[(region, source)] = covered
    finally:
        con.close()
    assert False in checked.values() and True in checked.values()  # both cases occur in the sample
