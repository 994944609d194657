"""A representative handful through `python -m pipelines run`: exit codes, messages, and a published
warehouse (and reports) that stay exactly as they were when a run is blocked or fails.

The runs are background jobs (``tests/robustness/cli.py``) started when collection finishes.
"""

from __future__ import annotations

import re

import duckdb
import pytest

from . import cli
from .cli import HOSTILE_FILE, IMG, XSS

pytestmark = pytest.mark.cli


def _assert_unchanged(result: dict) -> None:
    assert result["after"]["db"] == result["before"]["db"], "the published warehouse changed"
    assert result["after"]["reports"] == result["before"]["reports"], "the published reports changed"


@pytest.mark.cli_job("unreadable")
def test_unreadable_files_block_the_gate_and_publish_nothing(robust_case):
    result = cli.wait_job("unreadable")
    proc = result["proc"]
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out[-4000:]
    assert "质量关口未通过，未发布任何内容" in out and "nothing was published" in out
    assert "raw_accidents_files_readable" in out
    for name, zh, en in [
        ("fake.xlsx", "不是 Excel 工作簿", "is not an Excel workbook"),
        ("locked.xlsx", "受密码保护", "password-protected"),
        ("empty.csv", "为空", "is empty"),
    ]:
        assert f"{name}：文件 {name}" in out and zh in out and en in out, name
    assert "Traceback" not in out
    _assert_unchanged(result)
    for case in ("not_a_workbook", "password_protected", "empty_csv"):
        robust_case(case, exit_code="2 (gate blocked; published warehouse and reports unchanged)")
    robust_case(
        "cli_unreadable_files",
        section="cli",
        order=1,
        title="Hand-made folder + `fake.xlsx` (text), `locked.xlsx` (OLE2), `empty.csv`",
        reason_code=["not_a_workbook", "password_protected", "empty_file"],
        destination="files rejected whole; check `raw_accidents_files_readable` (ERROR) blocks; published "
        "warehouse and reports byte-identical",
        valid_rows="all other files (in the private build file only)",
        exit_code=2,
        message_en=re.search(r"message_en: (.*)", out).group(1),
    )


@pytest.mark.cli_job("strict")
def test_quarantined_row_blocks_in_strict_mode(robust_case):
    result = cli.wait_job("strict")
    proc = result["proc"]
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out[-4000:]
    assert "raw_accidents_quarantine" in out and "bad_2024-05.csv" in out
    assert "第 2 行" in out and "“死亡人数” 列" in out and "约3人" in out
    _assert_unchanged(result)
    robust_case("text_in_count", exit_code="0 (warning only), 2 with `--strict`")
    robust_case(
        "cli_strict_quarantine",
        section="cli",
        order=2,
        title="Hand-made folder + a CSV with `约3人` in 死亡人数, `run --strict`",
        reason_code="not_a_number",
        destination="raw.quarantine; check `raw_accidents_quarantine` is ERROR in strict mode (a warning "
        "otherwise: see the hostile-text run, published with exit 0); published files byte-identical",
        valid_rows="Q-2 and every other row (in the private build file only)",
        exit_code=2,
    )


@pytest.mark.cli_job("corrupt")
def test_corrupt_warehouse_fails_with_the_way_out(robust_case):
    result = cli.wait_job("corrupt")
    proc = result["proc"]
    out = proc.stdout + proc.stderr
    warehouse = result["root"] / "pub" / "w.duckdb"
    assert proc.returncode == 1, out[-4000:]
    assert str(warehouse) in out
    assert "可能已损坏" in out and "may be corrupt" in out
    assert "python -m pipelines run --rebuild" in out
    assert "Traceback" not in proc.stderr
    robust_case(
        "corrupt_warehouse",
        section="fault",
        order=1,
        title="The published warehouse is corrupt on disk (a 4 KiB catalog block overwritten), command line",
        reason_code=None,
        destination="the run stops at its first step; the corrupt file is left for inspection",
        valid_rows="—",
        exit_code="1; then `run --rebuild` → 0",
        message_en=re.search(r"(The published warehouse .*?--rebuild`)", out).group(1),
    )


@pytest.mark.cli_job("rebuild")
def test_rebuild_after_corruption_publishes_from_the_raw_files(robust_case):
    result = cli.wait_job("rebuild")
    proc = result["proc"]
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-6000:]
    warehouse = result["root"] / "pub" / "w.duckdb"
    assert warehouse.read_bytes() != result["corrupt_bytes"]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        n = con.execute("select count(*) from raw.accidents").fetchone()[0]
        q = con.execute("select reason_code, row_number from raw.quarantine order by row_number").fetchall()
        summary = con.execute("select summary from raw.accidents where accident_id = 'XSS-1'").fetchone()[0]
        deaths = con.execute(
            "select value from marts.fct_indicator_values where region_code='230500' and year=2020 "
            "and indicator_code='safety_deaths'"
        ).fetchone()[0]
    finally:
        con.close()
    assert n == 13 + 2  # the hand-made accidents + the two loadable hostile rows
    assert q == [("unknown_region_name", 4), ("not_a_number", 5), ("not_a_number", 6)]
    assert summary == XSS  # data stays data
    assert deaths == 6  # the hand-made figure, untouched by the bad rows
    robust_case("corrupt_warehouse", exit_code="1; then `run --rebuild` → 0")


@pytest.mark.cli_job("rebuild")
def test_markup_from_data_is_escaped_in_every_html_output(robust_case):
    result = cli.wait_job("rebuild")
    assert result["proc"].returncode == 0, (result["proc"].stdout + result["proc"].stderr)[-6000:]
    reports = result["root"] / "pub" / "reports"
    pages = sorted(reports.rglob("*.html"))
    assert pages, "no HTML written"
    found_escaped = []
    for page in pages:
        text = page.read_text(encoding="utf-8", errors="replace")
        for hostile in (XSS, IMG, "onerror=alert(1)>"):
            assert hostile not in text, f"{page.relative_to(reports)} holds unescaped {hostile!r}"
        if "&lt;script&gt;alert(1)&lt;/script&gt;" in text or "&lt;img src=x" in text:
            found_escaped.append(page.relative_to(reports).as_posix())
    # the reports' quarantine table quotes the reasons, which quote the cells and the file name
    assert found_escaped, "the hostile text should appear (escaped) where quarantine reasons are shown"
    names = [p.relative_to(reports).as_posix() for p in pages if "/" not in p.relative_to(reports).as_posix()]
    names.append(f"and {len(pages) - len(names)} pages in sub-folders (dbt docs, GX Data Docs)")
    robust_case("markup_in_text", exit_code=0)
    robust_case(
        "cli_html_escaping",
        section="cli",
        order=3,
        title=f"Hand-made folder + `{HOSTILE_FILE}` with `{XSS}` in 单位名称/事故简况/行政区划名称 and in a "
        "count, paths as text, `约3人`; `run --rebuild` over a corrupt published warehouse",
        reason_code=["unknown_region_name", "not_a_number"],
        destination=f"published; every HTML page grepped ({', '.join(names)}): markup only escaped (shown "
        f"escaped, with the quarantine reasons, in {', '.join(found_escaped)})",
        valid_rows="all valid rows; quarantined rows do not count (warning only)",
        exit_code=0,
    )


@pytest.mark.cli_job("disk_full")
def test_disk_full_while_writing_fails_and_publishes_nothing(robust_case):
    result = cli.wait_job("disk_full")
    if "skipped" in result:
        pytest.skip(result["skipped"] + " (the in-process ENOSPC case covers the loader)")
    proc = result["proc"]
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out[-4000:]
    assert "No space left on device" in out, out[-4000:]
    assert "运行失败，未发布任何内容" in out and "nothing was published" in out
    _assert_unchanged(result)
    message = next(line.strip() for line in out.splitlines() if "No space left" in line)
    robust_case(
        "disk_full_cli",
        section="fault",
        order=2,
        title="Disk full while the run writes (warehouse folder on a tmpfs too small for the private build "
        "copy), command line",
        reason_code=None,
        destination="the run fails; published warehouse and reports byte-identical",
        valid_rows="—",
        exit_code=1,
        message_en=message,
    )
