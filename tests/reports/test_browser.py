"""The reports in real headless Chromium: no console error, no network, every chart drawn."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from pipelines.reports import export_pdf
from pipelines.reports.pdf import BASE_FLAGS, find_chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        find_chromium() is None,
        reason="Chromium 未安装（/usr/bin/chromium）：apt-get install -y chromium fonts-noto-cjk",
    ),
]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p, tempfile.TemporaryDirectory(prefix="em-pw-") as profile:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=find_chromium(),
            headless=True,
            args=BASE_FLAGS,
            viewport={"width": 1000, "height": 1300},
        )
        try:
            yield context
        finally:
            context.close()


def _open(context, path: Path):
    page = context.new_page()
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
    page.wait_for_timeout(300)
    return page, problems, outside


@pytest.mark.parametrize(
    "name", ["230500_双鸭山市_14fyp.html", "230500_双鸭山市_15fyp.html", "150781_满洲里市_14fyp.html"]
)
def test_report_renders_offline(browser, built, name):
    out, _ = built
    page, problems, outside = _open(browser, out / name)
    try:
        assert problems == []
        assert outside == []
        charts = page.locator("div.chart[data-figure]")
        n = charts.count()
        assert n >= 4
        for i in range(n):
            assert charts.nth(i).locator("svg.main-svg").count() >= 1, f"chart {i} not drawn"
        # Chinese text is laid out with a CJK font (not tofu): the heading has real width
        assert page.locator("h1").bounding_box()["width"] > 300
        assert page.locator(".banner-sample").is_visible()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{Path(name).stem}.png"), full_page=True)
        page.emulate_media(media="print")
        page.screenshot(path=str(ARTIFACTS / f"{Path(name).stem}-print.png"), full_page=True)
    finally:
        page.close()


def test_index_renders_and_links(browser, built):
    out, _ = built
    page, problems, outside = _open(browser, out / "index.html")
    try:
        assert problems == [] and outside == []
        assert page.locator("table#index tbody tr").count() == 3
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "index.png"), full_page=True)
    finally:
        page.close()


def test_export_pdf_writes_a4_pdfs(built, tmp_path):
    out, _ = built
    pdfs = export_pdf(out, tmp_path / "pdf")
    assert sorted(p.name for p in pdfs) == [
        "150781_满洲里市_14fyp.pdf", "230500_双鸭山市_14fyp.pdf", "230500_双鸭山市_15fyp.pdf"]
    for pdf in pdfs:
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF")
        assert len(data) > 20_000
        # A4 is 595 x 842 points
        assert re.search(rb"/MediaBox ?\[0 0 59[45](\.\d+)? 84[12]", data)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / pdfs[1].name).write_bytes(pdfs[1].read_bytes())
