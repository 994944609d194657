"""The monthly situation analysis of the bundled sample in real headless Chromium, at 1366 px, at
390 px and printed to A4: no console error, no request outside file://, every chart drawn, no
sideways scrolling on a phone, the 示例数据 banner; and its opening says what the issue's own example
says (双鸭山市, 1—8月 complete: 21 accidents and 5 deaths against 24 and 9, −12.5% and −44.4%).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import duckdb
import pytest

from pipelines.reports.pdf import BASE_FLAGS, find_chromium
from pipelines.settings import DEFAULT_DATA_DIR
from tests.conftest import cli_env
from tests.reports.htmltree import parse

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        find_chromium() is None,
        reason="Chromium 未安装（/usr/bin/chromium）：apt-get install -y chromium fonts-noto-cjk",
    ),
]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "monthly"
SYS = "230500_双鸭山市_2026-10.html"
PAGES = {"analysis": f"monthly/{SYS}", "county": "monthly/510802_利州区_2026-10.html",
         "monthly-index": "monthly/index.html", "index": "index.html"}
WIDTHS = {"desktop": 1366, "phone": 390}


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    """The sample as `make run` loads it (its own as-of date, 2026-11-26: October is the month due)."""
    out = tmp_path_factory.mktemp("sample-monthly")
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines", "run", "--data-dir", str(DEFAULT_DATA_DIR),
         "--warehouse", str(out / "w.duckdb"), "--reports-dir", str(out / "reports")],
        capture_output=True, text=True, env=cli_env(), timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out / "reports"


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p, tempfile.TemporaryDirectory(prefix="em-pw-") as profile:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=find_chromium(), headless=True, args=BASE_FLAGS,
            viewport={"width": 1366, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()


def _open(context, path: Path, width: int):
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900 if width > 600 else 844})
    problems: list[str] = []
    outside: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith("file://") else None)
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(400)
    return page, problems, outside


def test_the_sample_opening_is_the_issue_example(reports):
    doc = parse((reports / PAGES["analysis"]).read_text(encoding="utf-8"))
    block = next(d for d in doc.find_all("div") if d.attrs.get("class") == "opening")
    opening = [" ".join(p.text.split()) for p in block.find_all("p")]
    # 饶河县 has not filed September and October (sample-data.md): October's year to date is
    # incomplete, and the complete months 1—8 carry the comparison
    assert opening[:2] == [
        "1—10月，全市已报送生产安全事故24起、死亡9人；饶河县9—10月尚未报送（未报齐），上述数字不完整，暂不作同比。",
        "各单位均已报齐的1—8月，全市共发生生产安全事故21起、死亡5人，同比分别下降12.5%和44.4%（去年同期24起、9人）。",
    ]
    # the sample's quota statuses at October (the generator's README): 宝山区 and 集贤县 超控, 尖山区 预警
    assert "超过控制指标（超控）的有宝山区（2人/控制1人）、集贤县（4人/控制3人）" in opening[5]
    assert "使用进度快于时间进度（预警）的有尖山区（2人/控制2人）" in opening[5]


def test_the_plan_report_year_to_date_is_the_monthly_figure(reports):
    """双鸭山市's 15th plan monitors 2026 through August (饶河县 has not filed September): the plan's
    year to date and the monthly situation of August are the same 5 deaths against 9 (and the
    situation's 21 accidents against 24, the issue's figures)."""
    con = duckdb.connect(str(reports.parent / "w.duckdb"), read_only=True)
    try:
        plan = con.execute(
            "select indicator_code, through_month, ytd_value, prior_ytd_value from marts.fct_plan_ytd"
            " where region_code = '230500' and year = 2026"
            " and indicator_code in ('safety_deaths', 'safety_accidents') order by indicator_code"
        ).fetchall()
        situation = con.execute(
            "select measure, month, ytd_value, prior_ytd_value from marts.fct_monthly_situation"
            " where region_code = '230500' and year = 2026 and month = 8 and breakdown_kind = 'total'"
            " and measure in ('deaths', 'accidents') order by measure"
        ).fetchall()
    finally:
        con.close()
    assert plan == [("safety_deaths", 8, 5, 9)]  # the plan's one count target of 2026
    assert situation == [("accidents", 8, 21, 24), ("deaths", 8, 5, 9)]


@pytest.mark.parametrize("width", sorted(WIDTHS), ids=sorted(WIDTHS))
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_renders_offline_at_both_widths(browser, reports, kind, width):
    page, problems, outside = _open(browser, reports / PAGES[kind], WIDTHS[width])
    try:
        assert problems == []
        assert outside == []
        assert page.locator("h1").bounding_box()["width"] > 100  # a CJK font, not tofu
        assert page.locator(".banner-sample").first.is_visible()
        charts = page.locator("div.chart[data-figure]")
        if kind in ("analysis", "county"):
            assert charts.count() >= 3  # months of deaths and accidents, sectors (counties: 双鸭山市)
        for i in range(charts.count()):
            assert charts.nth(i).locator("svg.main-svg").count() >= 1, f"chart {i} not drawn"
        # no sideways scrolling of the page (a wide table or chart scrolls within itself)
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]
        if kind == "analysis":
            opening = page.locator("div.opening p").first.bounding_box()
            assert opening["x"] >= 0 and opening["x"] + opening["width"] <= WIDTHS[width]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{kind}-{width}.png"))
    finally:
        page.close()


def test_the_index_links_every_analysis_of_the_month(browser, reports):
    page, problems, _ = _open(browser, reports / "index.html", 1366)
    try:
        assert problems == []
        links = page.locator("#monthly-links a")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert f"monthly/{SYS}" in hrefs and "monthly/index.html" in hrefs
        assert len([h for h in hrefs if h.endswith("_2026-10.html")]) == 5  # the five plan jurisdictions
    finally:
        page.close()


def test_printed_to_a4(browser, reports, tmp_path):
    page, problems, _ = _open(browser, reports / PAGES["analysis"], 1366)
    try:
        assert problems == []
        pdf = tmp_path / "monthly.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
        page.emulate_media(media="print")
        assert not page.locator("p.meta.no-print").first.is_visible()  # the navigation is not printed
        assert page.locator(".banner-sample").first.is_visible()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "analysis-print.png"), full_page=True)
    finally:
        page.close()
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert re.search(rb"/MediaBox ?\[0 0 59[45](\.\d+)? 84[12]", data)  # A4 is 595 x 842 points
    pypdf = pytest.importorskip("pypdf")
    # NFKC: Chromium's PDF text maps some characters to CJK radicals (⻚ for 页)
    texts = [unicodedata.normalize("NFKC", p.extract_text() or "") for p in pypdf.PdfReader(str(pdf)).pages]
    assert 2 <= len(texts) <= 10, len(texts)
    for i, text in enumerate(texts, 1):
        assert re.search(rf"第 {i} [页⻚] / 共 {len(texts)} [页⻚]", text), (i, text[-200:])
        assert "数据截至 2026年11月26日" in text and "示例数据" in text  # the running header
        assert "双鸭山市2026年10月安全生产形势分析" in text.splitlines()[0] or i > 1
        lines = [ln for ln in text.splitlines() if ln.strip() and "数据截至" not in ln and "共 " not in ln]
        assert len(lines) >= 4, (i, lines)  # no page left nearly empty


def test_the_plan_report_assesses_the_counties_at_its_monitoring_month(reports):
    """双鸭山市's 15th-plan report (monitoring through August) carries the county assessment of
    August: every status cell is the one marts.fct_quota_usage gives for that month."""
    doc = parse((reports / "230500_双鸭山市_15fyp.html").read_text(encoding="utf-8"))
    [table] = [t for t in doc.find_all("table") if t.attrs.get("id") == "quota-table"]
    shown = {(tr.attrs["data-region"], td.attrs["data-indicator"]): td.attrs["data-status"]
             for tr in table.find_all("tr") if "data-region" in tr.attrs
             for td in tr.find_all("td") if "data-indicator" in td.attrs}
    con = duckdb.connect(str(reports.parent / "w.duckdb"), read_only=True)
    try:
        mart = {(r, i): s or "" for r, i, s in con.execute(
            "select q.region_code, q.indicator_code, q.status from marts.fct_quota_usage q"
            " join marts.dim_region r using (region_code)"
            " where (q.region_code = '230500' or r.prefecture_code = '230500')"
            " and q.year = 2026 and q.through_month = 8").fetchall()}
    finally:
        con.close()
    assert shown == mart and len(shown) >= 9
    [section] = [n for n in doc.find_all("section") if n.attrs.get("id") == "county-assessment"]
    assert "2026年1—8月" in " ".join(section.text.split())
