"""Hostile text in data, links out of the data folder, paths in cells, formula injection in exports."""

from __future__ import annotations

import html
import sys
from datetime import datetime
from pathlib import Path

import pytest

from tests.ingest.conftest import ACC_HEADER, acc_row, write_csv, write_xlsx
from tests.robustness.cli import IMG, XSS

from .helpers import assert_reason, files, ids, load, quarantine
from .safe_export import neutralise_cell, neutralise_row

PROJECT_DIR = Path(__file__).resolve().parents[2]


_AUDIT: dict = {"installed": False, "opened": None}


def _audit(event, args):
    if _AUDIT["opened"] is not None and event == "open" and args and isinstance(args[0], str | bytes | Path):
        _AUDIT["opened"].append(str(args[0]))


def acc_dir(data_dir):
    d = data_dir / "accidents"
    d.mkdir(exist_ok=True)
    return d


def test_markup_in_text_fields_is_loaded_verbatim(con, data_dir, robust_case):
    write_xlsx(
        acc_dir(data_dir) / "x.xlsx",
        ACC_HEADER,
        [
            acc_row("X-1", unit=XSS, summary=XSS + IMG, name=XSS),  # code given: the name is only kept
            acc_row("X-2", code="", name=XSS),  # the name is all there is: unknown, quarantined
        ],
    )
    load(con, "accidents", data_dir)
    assert con.execute(
        "select accident_id, unit_name, summary, region_name from raw.accidents"
    ).fetchall() == [("X-1", XSS, XSS + IMG, XSS)]
    q = quarantine(con)
    assert [r["reason_code"] for r in q] == ["unknown_region_name"]
    assert_reason(
        q[0], file="x.xlsx", row=5, column="行政区划名称", zh=(f"实际为“{XSS}”",), en=(f"got '{XSS}'",)
    )
    robust_case(
        "markup_in_text",
        section="security",
        order=1,
        title="`<script>alert(1)</script>` in 单位名称, 事故简况, 行政区划名称",
        reason_code="unknown_region_name (only when the name is all there is)",
        destination="loaded verbatim (raw is data, not HTML); escaped in every HTML output — see the "
        "command-line case",
        valid_rows="1 of 1",
        message_en=q[0]["reason_en"],
    )


def test_symlinks_out_of_the_data_folder_are_refused_unread(con, data_dir, tmp_path, robust_case):
    outside = tmp_path / "outside"
    write_csv(outside / "secret.csv", ACC_HEADER, [acc_row("OUTSIDE-1")])
    d = acc_dir(data_dir)
    write_csv(d / "a_good.csv", ACC_HEADER, [acc_row("GOOD-1")])
    write_csv(data_dir / "shared" / "inside.csv", ACC_HEADER, [acc_row("INSIDE-1")])
    (d / "b_link_out.csv").symlink_to(outside / "secret.csv")
    (d / "c_passwd.csv").symlink_to("/etc/passwd")
    (d / "d_relative.csv").symlink_to(Path("..") / ".." / "outside" / "secret.csv")
    (d / "e_link_in.csv").symlink_to(data_dir / "shared" / "inside.csv")  # inside: fine
    load(con, "accidents", data_dir)
    recs = {r["file_name"]: r for r in files(con)}
    for name in ("b_link_out.csv", "c_passwd.csv", "d_relative.csv"):
        assert recs[name]["status"] == "rejected", recs[name]
        assert recs[name]["file_sha256"] == "" and recs[name]["file_size_bytes"] == 0  # never read
        assert (
            "符号链接" in recs[name]["reason_zh"]
            and "symbolic link pointing outside" in recs[name]["reason_en"]
        )
    assert sorted(ids(con)) == ["GOOD-1", "INSIDE-1"]
    q = {r["file_name"]: r for r in quarantine(con)}
    assert q["c_passwd.csv"]["reason_code"] == "symlink_outside_data_dir"
    robust_case(
        "symlink_outside",
        section="security",
        order=2,
        title="Symlink in the data folder pointing outside it (a file, `/etc/passwd`, a relative `../..`)",
        reason_code="symlink_outside_data_dir",
        destination="raw.files `rejected` (SHA-256 empty: never opened) + file-level quarantine row",
        valid_rows="other files loaded; a link inside the folder is followed",
        message_en=recs["c_passwd.csv"]["reason_en"],
    )


def test_symlinked_source_folder_pointing_outside_is_refused(con, data_dir, tmp_path, robust_case):
    outside = tmp_path / "elsewhere"
    write_csv(outside / "x.csv", ACC_HEADER, [acc_row("OUTSIDE-1")])
    (data_dir / "accidents").symlink_to(outside, target_is_directory=True)
    load(con, "accidents", data_dir)
    recs = files(con)
    assert [(r["file_name"], r["status"], r["file_sha256"]) for r in recs] == [("x.csv", "rejected", "")]
    assert ids(con) == []
    assert "accidents/ 文件夹是指向数据文件夹之外" in recs[0]["reason_zh"]
    assert "symbolic link pointing outside the data folder" in recs[0]["reason_en"]
    robust_case(
        "symlinked_source_folder",
        section="security",
        order=3,
        title="The source folder itself (`accidents/`) a symlink to a folder outside the data folder",
        reason_code="symlink_outside_data_dir",
        destination="each file in it `rejected` unread",
        valid_rows="—",
        message_en=recs[0]["reason_en"],
        note="before the fix the files of a symlinked source folder were read from outside the data "
        "folder (only symlinked files were checked).",
    )


def test_paths_and_urls_in_cells_are_only_text(con, data_dir, tmp_path, robust_case):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    texts = [
        "../../etc/passwd",
        "file:///etc/passwd",
        str(secret),
        f"file://{secret}",
        "\\\\server\\share\\x.xlsx",
        "=cmd|' /C calc'!A0",
    ]
    write_csv(
        acc_dir(data_dir) / "paths.csv",
        ACC_HEADER,
        [acc_row(f"P-{i}", unit=t, summary=t) for i, t in enumerate(texts)]
        + [acc_row("P-9", code="", name="../../etc/passwd")],
    )
    _AUDIT["opened"] = []
    if not _AUDIT["installed"]:
        sys.addaudithook(_audit)  # hooks cannot be removed: it records only while a list is set
        _AUDIT["installed"] = True
    try:
        load(con, "accidents", data_dir)
    finally:
        opened, _AUDIT["opened"] = _AUDIT["opened"], None
    seen = list(opened)
    assert any(p.endswith("paths.csv") for p in seen), seen  # the hook does see the loader's opens
    assert not [p for p in seen if "passwd" in p or "secret" in p or "server" in p], seen
    got = dict(con.execute("select accident_id, summary from raw.accidents").fetchall())
    assert [got[f"P-{i}"] for i in range(len(texts))] == texts
    dump = " ".join(
        str(r)
        for t in ("accidents", "quarantine", "files")
        for r in con.execute(f"select * from raw.{t}").fetchall()
    )
    assert "TOP-SECRET-CONTENT" not in dump and "root:x:0:0" not in dump
    q = quarantine(con)
    assert [(r["reason_code"], r["column_name"]) for r in q] == [("unknown_region_name", "行政区划名称")]
    robust_case(
        "paths_in_cells",
        section="security",
        order=4,
        title="A cell holding `../../etc/passwd`, `file:///etc/passwd`, an absolute path, a UNC path, a DDE "
        "formula",
        reason_code="unknown_region_name (as a region name only)",
        destination="loaded as text; no file named by a cell is opened (Python audit hook: no such open)",
        valid_rows="6 of 6",
        message_en=q[0]["reason_en"],
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("\t=1", "'\t=1"),
        ("  =1", "'  =1"),
        ("＝1+2", "'＝1+2"),
        ("-3", "-3"),
        ("+1.5", "+1.5"),
        ("-", "'-"),
        ("1-2", "1-2"),
        ("宝山区", "宝山区"),
        ("", ""),
        (None, None),
        (-3, -3),
        (2.5, 2.5),
    ],
)
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


def test_csv_exports_neutralise_formula_cells(robust_case):
    """No CSV/Excel export exists in pipelines/ yet; any module that writes one must neutralise cells."""
    writers = ("csv.writer", "DictWriter", ".to_csv(", "write_csv(", "xlsxwriter", "openpyxl", "format csv")
    offenders = []
    for path in sorted((PROJECT_DIR / "pipelines").rglob("*.py")):
        rel = path.relative_to(PROJECT_DIR).as_posix()
        text = path.read_text(encoding="utf-8")
        if any(w in text.lower() for w in (w.lower() for w in writers)) and "neutralise_cell" not in text:
            offenders.append(rel)
    assert offenders == [], (
        "CSV/Excel exports must neutralise formula cells with the rule of tests/robustness/safe_export.py "
        f"(move it into pipelines/ with the first export): {offenders}"
    )
    assert neutralise_row(["=1+2", "-3", "@x", 4]) == ["'=1+2", "-3", "'@x", 4]
    robust_case(
        "csv_injection",
        section="security",
        order=5,
        title="Export cells starting with `=`, `+`, `-`, `@` (CSV/formula injection)",
        reason_code=None,
        destination="`neutralise_cell` (tests/robustness/safe_export.py) prefixes `'`; plain numbers (`-3`) "
        "kept. No CSV/Excel export exists yet; a guard test fails any module that writes one without it",
        valid_rows="—",
    )


def test_load_report_html_escapes_markup_from_files(con, data_dir, tmp_path, robust_case):
    """The load report (pipelines/reports/load_report.py) quotes file names and reasons: escaped."""
    from pipelines.ingest.load_log import record_source_load
    from pipelines.reports.load_report import write_load_report
    from tests.robustness.cli import HOSTILE_FILE

    write_csv(
        acc_dir(data_dir) / HOSTILE_FILE,
        ACC_HEADER,
        [
            acc_row("X-1", unit=XSS, summary=XSS),
            acc_row("X-2", code="", name=XSS),
            acc_row("X-3", deaths=XSS),
        ],
    )
    (acc_dir(data_dir) / f"{IMG}.xlsx").write_bytes(b"not a workbook " + XSS.encode())
    rep = load(con, "accidents", data_dir)
    record_source_load(con, "run-xss", rep, datetime(2026, 11, 25, 9, 30))
    html_path, json_path = write_load_report(con, "run-xss", tmp_path / "report")
    text = html_path.read_text(encoding="utf-8")
    for hostile in (XSS, IMG, "onerror=alert(1)>"):
        assert hostile not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    robust_case(
        "load_report_html",
        section="security",
        order=6,
        title="Markup in a file name and in cells, in the load report (`load_report.html`)",
        reason_code=["unknown_region_name", "not_a_number", "not_a_workbook"],
        destination="load_report.html holds it only escaped",
        valid_rows="1 of 1",
    )


def test_dagster_load_metadata_markdown_escapes_markup(con, data_dir, robust_case):
    """The ingest assets' Markdown metadata (Dagster UI) shows file names and reasons escaped."""
    from pipelines.ingest.assets import report_markdown

    (acc_dir(data_dir) / f"{IMG}.xlsx").write_bytes(b"not a workbook")
    md = report_markdown(load(con, "accidents", data_dir))
    assert IMG not in md
    assert html.escape(IMG) in md
    robust_case(
        "dagster_markdown",
        section="security",
        order=7,
        title="Markup in a file name, in the ingest assets' Markdown metadata (Dagster UI)",
        reason_code="not_a_workbook",
        destination="escaped",
        valid_rows="—",
    )