"""Every page kind in real headless Chromium, at 1366 px, at 390 px and printed to A4: no console
error, no request outside file://, every chart drawn, no sideways scrolling on a phone with the
status in view, and on paper page numbers, the running header and no page left nearly empty."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path

import duckdb
import pypdf
import pytest

from pipelines.reports import export_pdf
from pipelines.reports.load_report import write_load_report
from pipelines.reports.pdf import BASE_FLAGS, find_chromium
from pipelines.reports.quality_page import write_quality_page

from .conftest import AS_OF, RUN_ID

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        find_chromium() is None,
        reason="Chromium 未安装（/usr/bin/chromium）：apt-get install -y chromium fonts-noto-cjk",
    ),
]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"
S14, S15, M14 = "230500_双鸭山市_14fyp.html", "230500_双鸭山市_15fyp.html", "150781_满洲里市_14fyp.html"
PAGES = {
    "index": "index.html",
    "final": S14,
    "monitoring": S15,
    "county-final": M14,
    "load-report": "load_report.html",
    "quality": "quality/index.html",
}
WIDTHS = {"desktop": 1366, "phone": 390}
MIN_LINES_PER_PAGE = 4  # besides the running header and the page number


@pytest.fixture(scope="module")
def pages(built, warehouse):
    out, _ = built
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        write_quality_page(con, out, run_id=RUN_ID, as_of=AS_OF, is_sample_data=True)
        write_load_report(con, RUN_ID, out, as_of=AS_OF, is_sample_data=True)
    finally:
        con.close()
    return out


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p, tempfile.TemporaryDirectory(prefix="em-pw-") as profile:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=find_chromium(),
            headless=True,
            args=BASE_FLAGS,
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
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith("file://") else None)
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(400)
    return page, problems, outside


@pytest.mark.parametrize("width", sorted(WIDTHS), ids=sorted(WIDTHS))
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_every_page_kind_renders_offline_at_both_widths(browser, pages, kind, width):
    page, problems, outside = _open(browser, pages / PAGES[kind], WIDTHS[width])
    try:
        assert problems == []
        assert outside == []
        # Chinese laid out with a CJK font (not tofu): the heading has real width
        assert page.locator("h1").bounding_box()["width"] > 100
        assert page.locator(".banner-sample").is_visible()
        charts = page.locator("div.chart[data-figure]")
        for i in range(charts.count()):
            assert charts.nth(i).locator("svg.main-svg").count() >= 1, f"chart {i} not drawn"
        # no sideways scrolling of the page (a wide table scrolls within itself)
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]
        # every status (targets, capabilities, index) in view without scrolling a table sideways
        statuses = page.locator("td.state, #index td.counts")
        for i in range(statuses.count()):
            box = statuses.nth(i).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[width], f"status {i} out of view"
        # an indicator's name is never squeezed to a character or two a line (the old phone layout)
        names = page.locator("table:not(#index) td.name")
        for i in range(names.count()):
            assert names.nth(i).bounding_box()["width"] >= 150, f"name {i} squeezed"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{kind}-{width}.png"))
    finally:
        page.close()


def test_plan_reports_draw_every_chart(browser, pages):
    for name in (S14, S15):
        page, problems, _ = _open(browser, pages / name, 1366)
        try:
            assert problems == []
            assert page.locator("div.chart[data-figure]").count() >= 4
        finally:
            page.close()


def _pdf_pages(path: Path) -> list[str]:
    # NFKC: Chromium's PDF text maps some characters to CJK radicals (⼴ for 广)
    return [unicodedata.normalize("NFKC", p.extract_text() or "") for p in pypdf.PdfReader(str(path)).pages]


@pytest.mark.parametrize("kind", ["final", "monitoring", "county-final", "load-report", "quality"])
def test_printed_to_a4_with_page_numbers_running_header_and_no_empty_page(browser, pages, tmp_path, kind):
    page, problems, _ = _open(browser, pages / PAGES[kind], 1366)
    try:
        pdf = tmp_path / f"{kind}.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    finally:
        page.close()
    data = pdf.read_bytes()
    assert re.search(rb"/MediaBox ?\[0 0 59[45](\.\d+)? 84[12]", data)  # A4 is 595 x 842 points
    texts = _pdf_pages(pdf)
    n = len(texts)
    for i, text in enumerate(texts, 1):
        # 页 may come out as the radical ⻚
        assert re.search(rf"第 {i} [页⻚] / 共 {n} [页⻚]", text), (i, text[-200:])
        assert "数据截至 2026年11月20日" in text  # the running header
        lines = [ln for ln in text.splitlines() if ln.strip() and "数据截至" not in ln and "共 " not in ln]
        assert len(lines) >= MIN_LINES_PER_PAGE, (kind, i, lines)
    if kind == "final":
        assert "双鸭山市" in texts[0].splitlines()[0]  # the jurisdiction and plan in the running header
        assert n <= 12


def test_export_pdf_writes_a4_pdfs(pages, tmp_path):
    pdfs = export_pdf(pages, tmp_path / "pdf")
    assert {p.name for p in pdfs} >= {
        "150781_满洲里市_14fyp.pdf",
        "230500_双鸭山市_14fyp.pdf",
        "230500_双鸭山市_15fyp.pdf",
        "load_report.pdf",
    }
    for pdf in pdfs:
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 20_000
        assert re.search(rb"/MediaBox ?\[0 0 59[45](\.\d+)? 84[12]", data)
    texts = _pdf_pages(tmp_path / "pdf" / "230500_双鸭山市_14fyp.pdf")
    assert re.search(rf"第 1 [页⻚] / 共 {len(texts)} [页⻚]", texts[0])
