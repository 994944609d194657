"""The load report: read, loaded, revised, rejected with reasons — per run and per file."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.ingest import ingest_assets
from pipelines.reports.load_report import write_load_report
from pipelines.settings import PipelineSettings
from tests.handmade import ACCIDENT_HEADERS, write_handmade_folder

from .conftest import load_into


def _bad_accidents(data: Path) -> Path:
    """A later file: re-files SYS-2020-001 (revision), one new record, two bad rows."""
    path = data / "accidents" / "accidents_2026.csv"
    rows = [
        [
            "SYS-2020-001",
            "2020-03-10 09:00",
            "230502",
            "",
            "某单位",
            "工贸",
            "其它伤害",
            3,
            0,
            0,
            0,
            120,
            "一般",
            "",
            "",
            "",
            "2026-10-01",
        ],
        [
            "LZ-2026-001",
            "2026-10-15 09:00",
            "510802",
            "",
            "某单位",
            "工贸",
            "其它伤害",
            1,
            0,
            0,
            0,
            40,
            "一般",
            "",
            "",
            "",
            "2026-10-16",
        ],
        [
            "LZ-2026-002",
            "2026-10-16 09:00",
            "510802",
            "",
            "某单位",
            "工贸",
            "其它伤害",
            "约3人",
            0,
            0,
            0,
            40,
            "一般",
            "",
            "<b>x</b>",
            "",
            "2026-10-17",
        ],
        [
            "LZ-2026-003",
            "2026-10-17 09:00",
            "999999",
            "",
            "某单位",
            "工贸",
            "其它伤害",
            1,
            0,
            0,
            0,
            40,
            "一般",
            "",
            "",
            "",
            "2026-10-18",
        ],
    ]
    path.write_text(
        ",".join(ACCIDENT_HEADERS) + "\n" + "\n".join(",".join(map(str, r)) for r in rows) + "\n",
        encoding="utf-8",
    )
    return path


def test_revisions_are_keys_an_earlier_file_already_held(tmp_path):
    data = write_handmade_folder(tmp_path / "data")
    revised = load_into(tmp_path / "w.duckdb", data)
    # accidents_2025_revisions.csv re-files SYS-2025-002 and SYS-2025-003; statistics_2025_final.csv
    # re-files 利州区 2025 GDP; the disaster's 核报 is in the same file as its 初报 (not a revision of a file)
    assert revised["accidents"] == {"accidents_2025_revisions.csv": 2}
    assert revised["statistics"] == {"statistics_2025_final.csv": 1}
    assert revised["disasters"] == {}


def test_report_for_a_run_lists_every_file_with_reasons(tmp_path):
    data = write_handmade_folder(tmp_path / "data")
    db = tmp_path / "w.duckdb"
    load_into(db, data, run_id="run-1")
    _bad_accidents(data)
    (data / "disasters" / "old.xls").write_text("legacy")
    load_into(db, data, run_id="run-2", loaded_at=datetime(2026, 11, 27, 9, 0))
    con = duckdb.connect(str(db))
    try:
        html_path, json_path = write_load_report(con, "run-2", tmp_path / "reports")
    finally:
        con.close()
    report = json.loads(json_path.read_text(encoding="utf-8"))
    files = {(f["source"], f["file_name"]): f for f in report["files"]}
    new = files[("accidents", "accidents_2026.csv")]
    assert (
        new["status"],
        new["rows_read"],
        new["rows_loaded"],
        new["rows_revised"],
        new["rows_rejected"],
    ) == ("loaded", 4, 2, 1, 2)
    reasons = {(r["column_name"], r["reason_code"]): r for r in new["rejections"]}
    assert sum(r["rows"] for r in new["rejections"]) == 2
    assert all(r["reason_zh"] and r["reason_en"] and r["first_rows"] for r in new["rejections"]), reasons
    legacy = files[("disasters", "old.xls")]
    assert legacy["status"] == "rejected" and ".xls" in legacy["reason_zh"]
    assert files[("accidents", "accidents_2020_2025.csv")]["status"] == "skipped"
    t = report["totals"]
    # skipped: the hand-made folder's 5 register/statistics files and its 2 plan files
    assert (t["files_loaded"], t["files_rejected"], t["files_skipped"]) == (1, 1, 7)
    assert (t["rows_read"], t["rows_loaded"], t["rows_revised"], t["rows_rejected"]) == (4, 2, 1, 2)
    page = html_path.read_text(encoding="utf-8")
    # problems first: the rejected rows (file, column, reason, row numbers) before the files read
    assert page.index('id="rejected-rows"') < page.index('id="load-files"')
    assert page.index("accidents_2026.csv") < page.index('id="load-files"')
    assert 'data-fact="rows_rejected_held" data-value="2"' in page and "此前载入时拒收" not in page
    assert "<b>x</b>" not in page  # cell text is escaped
    # the first run's report is still there, by run id
    con = duckdb.connect(str(db), read_only=True)
    try:
        first = json.loads(write_load_report(con, "run-1", tmp_path / "r1")[1].read_text(encoding="utf-8"))
    finally:
        con.close()
    assert first["totals"]["files_loaded"] == 7 and first["totals"]["rows_revised"] == 3


def test_rows_still_in_quarantine_are_listed_when_their_file_is_unchanged(tmp_path):
    """A rerun that reads nothing new still names the rows an uncorrected file has in quarantine."""
    data = write_handmade_folder(tmp_path / "data")
    db = tmp_path / "w.duckdb"
    _bad_accidents(data)
    load_into(db, data, run_id="run-1")
    load_into(db, data, run_id="run-2", loaded_at=datetime(2026, 11, 27, 9, 0))
    con = duckdb.connect(str(db))
    try:
        html_path, json_path = write_load_report(con, "run-2", tmp_path / "reports")
    finally:
        con.close()
    report = json.loads(json_path.read_text(encoding="utf-8"))
    bad = {(f["source"], f["file_name"]): f for f in report["files"]}[("accidents", "accidents_2026.csv")]
    assert bad["status"] == "skipped" and bad["rows_rejected"] == 2
    assert sum(r["rows"] for r in bad["rejections"]) == 2 and all(r["first_rows"] for r in bad["rejections"])
    t = report["totals"]
    assert (t["files_loaded"], t["rows_rejected"], t["rows_rejected_held"]) == (0, 0, 2)
    page = html_path.read_text(encoding="utf-8")
    assert 'data-fact="rows_rejected_held" data-value="2"' in page and "此前载入时拒收" in page
    assert page.count('<tr class="rejected">') == len(bad["rejections"])


def test_report_for_an_unknown_run_is_empty_not_an_error(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        html_path, json_path = write_load_report(con, "nope", tmp_path / "out")
    finally:
        con.close()
    assert json.loads(json_path.read_text())["files"] == []
    page = html_path.read_text(encoding="utf-8")
    assert "本次运行没有记录任何文件" in page and "No file recorded for this run" in page
    assert "所有文件均已读取" not in page


def test_ingest_asset_metadata_shows_revised_and_reasons(tmp_path):
    data = write_handmade_folder(tmp_path / "data")
    _bad_accidents(data)
    settings = PipelineSettings(
        data_dir=str(data), warehouse=str(tmp_path / "wh" / "w.duckdb"), as_of="2026-11-26"
    )
    settings.build_path.parent.mkdir(parents=True)
    [raw_sources] = ingest_assets
    accidents = dg.AssetKey(["raw", "accidents"])
    result = dg.materialize([raw_sources], selection=[accidents], resources={"settings": settings})
    assert result.success
    md = result.asset_materializations_for_node(raw_sources.op.name)[0].metadata
    # accidents_2025_revisions.csv: 2 revised; accidents_2026.csv (loaded after 2020_2025): 1
    assert md["rows_revised"].value == 3
    assert "修订 revised" in md["files"].value
    assert "rejections" in md and "accidents_2026.csv" in md["rejections"].value
    with duckdb.connect(str(settings.build_path), read_only=True) as con:
        logged = con.execute("select count(*), count(distinct run_id) from raw.load_log").fetchone()
    assert logged == (3, 1)


def test_load_report_module_imports_on_its_own():
    import subprocess
    import sys

    code = "import pipelines.reports.load_report as m; print(m.write_load_report.__name__)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
