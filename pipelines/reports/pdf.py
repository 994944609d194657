"""export_pdf: print each report to A4 PDF through headless Chromium (no network)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
BASE_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_S = 120


def find_chromium() -> str | None:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium") or shutil.which("chromium-browser")


def export_pdf(reports_dir: Path, out_dir: Path) -> list[Path]:
    """One A4 PDF per report HTML in reports_dir (index.html excepted), written to out_dir."""
    chromium = find_chromium()
    if chromium is None:
        raise FileNotFoundError(
            "找不到 Chromium（/usr/bin/chromium），无法导出 PDF：apt-get install -y chromium"
        )
    reports_dir, out_dir = Path(reports_dir).resolve(), Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for html in sorted(reports_dir.glob("*.html")):
        if html.name == "index.html":
            continue
        pdf = out_dir / f"{html.stem}.pdf"
        with tempfile.TemporaryDirectory(prefix="em-chromium-") as profile:
            cmd = [
                chromium,
                *BASE_FLAGS,
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                "--run-all-compositor-stages-before-draw",
                # time for the charts' script to draw before printing
                "--virtual-time-budget=10000",
                f"--print-to-pdf={pdf}",
                html.as_uri(),
            ]
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        if proc.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
            raise RuntimeError(
                f"PDF 导出失败：{html.name}（返回码 {proc.returncode}）：{proc.stderr[-2000:]}"
            )
        written.append(pdf)
    return written
