"""A representative handful through `python -m pipelines run`: exit codes, messages, and a published
warehouse (and reports) that stay exactly as they were when a run is blocked or fails.

The runs are background jobs (``tests/robustness/cli.py``) started when collection finishes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

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
        ("workbook.csv", "内容是 Excel 工作簿（.xlsx）", "has a .csv name but is an Excel workbook"),
        ("dup.csv", "“死亡人数”出现 2 次", "死亡人数 appears 2 times"),
    ]:
        assert f"{name}：文件 {name}" in out and zh in out and en in out, name
    assert "Traceback" not in out
    _assert_unchanged(result)
    for case in ("not_a_workbook", "password_protected", "empty_csv", "csv_is_xlsx", "duplicate_header"):
        robust_case(case, exit_code="2 (gate blocked; published warehouse and reports unchanged)")
    robust_case(
        "cli_unreadable_files",
        section="cli",
        order=1,
        title="Hand-made folder + `fake.xlsx` (text), `locked.xlsx` (OLE2), `empty.csv`; round two: "
        "`workbook.csv` (an xlsx), `dup.csv` (死亡人数 twice)",
        reason_code=["not_a_workbook", "password_protected", "empty_file", "workbook_named_csv",
                     "duplicate_columns"],
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
    names.append(f"and {len(pages) - len(names)} pages in sub-folders (dbt docs, the quality page)")
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


# --------------------------------------------------------------------------- issue 21 (round two)


@pytest.mark.cli_job("refusals")
def test_runs_refused_before_they_start(robust_case):
    result = cli.wait_job("refusals")
    runs = result["runs"]
    assert result["after"] == result["before"], "a refused run changed the published files"
    expected = {
        "2024/06/30": ("--as-of 应为 YYYY-MM-DD 格式的日期", "--as-of must be a date written YYYY-MM-DD"),
        "20240630": ("实际为“20240630”", "got '20240630'"),
        "2024-13-01": ("“2024-13-01”不是有效的日期", "'2024-13-01' is not a valid date"),
        "EM_AS_OF=2024-6-30": ("EM_AS_OF 应为 YYYY-MM-DD", "EM_AS_OF must be a date written YYYY-MM-DD"),
        "read-only warehouse folder": ("无法写入数据仓库所在的文件夹",
                                       "Cannot write to the warehouse folder"),
        "read-only reports folder": ("无法写入报告文件夹的上级文件夹",
                                     "Cannot write to the folder that holds the reports folder"),
    }
    if not result["read_only"]:
        expected = {k: v for k, v in expected.items() if "read-only" not in k}
    assert set(runs) == set(expected)
    for what, (zh, en) in expected.items():
        proc = runs[what]
        out = proc.stdout + proc.stderr
        assert proc.returncode == 1, (what, out[-3000:])
        assert zh in proc.stderr and en in proc.stderr, (what, proc.stderr)
        assert "Traceback" not in out, (what, out[-3000:])
    message = runs["2024/06/30"].stderr.strip().splitlines()[-1]
    robust_case(
        "cli_as_of_forms", section="cli", order=10,
        title="#9 `--as-of 2024/06/30`, `--as-of 20240630` (was accepted), `--as-of 2024-13-01`, "
        "`EM_AS_OF=2024-6-30`",
        reason_code=None,
        destination="refused before anything starts, naming the one accepted form; published files "
        "byte-identical", valid_rows="—", exit_code=1, message_en=message,
    )
    if result["read_only"]:
        message = runs["read-only warehouse folder"].stderr.strip().splitlines()[-1]
        robust_case(
            "cli_read_only_folder", section="cli", order=11,
            title="#9 a read-only warehouse folder (a read-only mount); sibling: a read-only reports folder",
            reason_code=None,
            destination="refused before anything starts, naming the folder and the way out; published "
            "files byte-identical", valid_rows="—", exit_code=1, message_en=message,
        )


@pytest.mark.cli_job("round_two")
def test_round_two_through_the_command_line(robust_case):
    result = cli.wait_job("round_two")
    proc = result["proc"]
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-6000:]
    assert "WAL does not match" in (result["stale_open_error"] or "")  # the state the run started from
    assert "does not belong to it" in out  # the run says what it did about the stale WAL
    warehouse = result["root"] / "pub" / "w.duckdb"
    assert not Path(f"{warehouse}.wal").exists()
    # the file name's ESC is shown, not obeyed (dbt's own coloured lines are not data)
    assert "2026-09\x1b" not in out and "2026-09\\u001b[31m红.csv" in out
    con = duckdb.connect(str(warehouse), read_only=True)  # opens: the stale WAL is gone
    try:
        accidents = dict(con.execute(
            "select accident_id, (deaths, is_written_off, revision_count) from marts.fct_accidents "
            "where year = 2026").fetchall())
        reasons = con.execute(
            "select file_name, row_number, reason_code from raw.quarantine order by file_name, row_number"
        ).fetchall()
        late = con.execute("select status from raw.load_log where file_name = '2026-11_late.csv' "
                           "order by logged_at desc limit 1").fetchone()
    finally:
        con.close()
    assert accidents == {
        "R2-LATE-1": (1, False, 1),  # quarantined as future-dated when published; judged again
        "R2-GLOB-1": (1, False, 1), "R2-GLOB-2": (1, False, 1),  # 2026-03[终版].csv
        "R2-KEY-1": (1, True, 2),  # written off by `Ｒ２-ＫＥＹ-１`
        "R2-KEY-2": (2, False, 2),  # revised by `R2-KEY-2` + U+200B
        "R2-OK-6": (1, False, 1), "R2-VIS-1": (1, False, 1),  # not EXAMPLE-1, not the hidden copy
        "R2-FX-OK": (1, False, 1), "R2-ESC-1": (1, False, 1),
    }
    assert reasons == [
        ("2026-06_overflow.csv", 2, "out_of_range"), ("2026-08_script.xlsx", 2, "formula_without_value"),
        ("2026-09\x1b[31m红.csv", 3, "not_a_number"),
    ]
    assert late == ("revalidated",)
    report = json.loads((result["root"] / "pub" / "reports" / "load_report.json").read_text(encoding="utf-8"))
    by_name = {f["file_name"]: f for f in report["files"]}
    assert by_name["2026-07.xlsx"]["note_zh"] == "未读取隐藏的工作表：填表示例（隐藏）"
    assert by_name["2026-11_late.csv"]["note_en"] == (
        "judged again: the as-of date moved from 2026-11-26 to 2026-11-30")
    html = (result["root"] / "pub" / "reports" / "load_report.html").read_text(encoding="utf-8")
    assert "\x1b" not in html and "2026-09\\u001b[31m红.csv" in html
    for case in ("glob_brackets_alone", "keys_normalised", "overflow_loss_1e400", "hidden_sheets",
                 "formula_without_value", "future_row_rejudged", "stale_wal", "names_control_characters"):
        robust_case(case, exit_code="0 through the command line (`test_round_two_through_the_command_line`)")
    robust_case(
        "cli_round_two", section="cli", order=12,
        title="Hand-made folder published as of 2026-11-26 (a row filed 2026-11-28 quarantined), a stale WAL "
        "beside it; then `run --as-of 2026-11-30` with `2026-03[终版].csv`, a full-width 核销 and a U+200B "
        "revision, a `1e400` loss, a hidden sheet, a formula without a result, an ESC in a file name",
        reason_code=["out_of_range", "formula_without_value", "not_a_number"],
        destination="published; `marts.fct_accidents` 2026 holds exactly the 9 accidents the files support "
        "(8 counted, 1 written off; R2-KEY-2 revised to 2 deaths; no EXAMPLE-1, no 1e400 loss); the late "
        "file judged again; the published file opens (WAL moved aside); names escaped in the terminal and "
        "load_report.html",
        valid_rows="all valid rows; the 3 bad rows quarantined (warning only)", exit_code=0,
    )
