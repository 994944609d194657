"""`python -m pipelines screenshots`: the first screen of every page kind at 1366 px and 390 px,
as small PNGs in docs/screenshots/, so that a reviewer sees the pages without running them.

Taken from a published reports folder (default: reports/published/, after `python -m pipelines
run`) in Debian's headless Chromium through Playwright (a development dependency).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from .pdf import BASE_FLAGS, find_chromium

WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}


def page_kinds(reports: Path) -> dict[str, Path]:
    """One page of each kind: the index, a final evaluation and a monitoring report (the first that
    names a problem, else the first), a monthly analysis, the load report, the quality page."""
    index = (reports / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<td class="stage" data-stage="(\w+)">.*?<td class="headline">(.*?)</td>', index, re.S)
    files = re.findall(
        r'<tr data-region="\d+" data-plan="[^"]+">\s*<td class="name"><a href="([^"]+)"', index
    )
    kinds = {"index": reports / "index.html"}
    for stage, kind in (("final_evaluation", "final-evaluation"), ("monitoring", "monitoring")):
        found = [f for f, (s, headline) in zip(files, rows, strict=False) if s == stage]
        with_problem = [
            f
            for f, (s, headline) in zip(files, rows, strict=False)
            if s == stage and "未发现问题" not in headline
        ]
        if found:
            kinds[kind] = reports / (with_problem or found)[0]
    monthly = re.findall(r'<li><a href="(monthly/[^"]+_\d{4}-\d{2}\.html)"', index)
    if monthly:  # the latest month's analysis of the first jurisdiction listed
        kinds["monthly"] = reports / monthly[0]
    kinds["load-report"] = reports / "load_report.html"
    kinds["quality"] = reports / "quality" / "index.html"
    return {k: p for k, p in kinds.items() if p.exists()}


def take_screenshots(reports: Path, out: Path) -> list[Path]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # a development dependency
        raise RuntimeError("需要 playwright（pip install -e '.[dev]'） playwright is needed") from exc
    chromium = find_chromium()
    if chromium is None:
        raise RuntimeError("找不到 Chromium：apt-get install -y chromium fonts-noto-cjk")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p, tempfile.TemporaryDirectory(prefix="em-shots-") as profile:
        browser = p.chromium.launch_persistent_context(
            profile, executable_path=chromium, headless=True, args=BASE_FLAGS
        )
        try:
            for kind, path in page_kinds(reports).items():
                for label, (width, height) in WIDTHS.items():
                    page = browser.new_page()
                    page.set_viewport_size({"width": width, "height": height})
                    page.goto(path.resolve().as_uri(), wait_until="load")
                    page.wait_for_timeout(500)
                    target = out / f"{kind}-{label}.png"
                    page.screenshot(path=str(target))
                    page.close()
                    written.append(target)
        finally:
            browser.close()
    return written
