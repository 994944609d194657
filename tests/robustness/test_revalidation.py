"""Issue 21, item 2 and its siblings: a row's validity is decided again when what it was judged against
changes — the as-of date, the region list, the rules, and (through the same mechanism) the plan and
quota files — although the file itself did not change.

Every case loads real files into a real DuckDB file twice or more with ``load_source`` /
``load_sources``; after a re-judgment the raw tables must equal those of a fresh load under the new
context (``loaded_at`` aside), and ``load_seq`` must not move (revisions resolve as before).
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest import contracts, judgment, load_source, load_sources
from pipelines.ingest.raw_tables import SOURCES
from tests.ingest.conftest import ACC_HEADER, acc_row, write_csv

from .helpers import dicts, quarantine

PROJECT_DIR = Path(__file__).resolve().parents[2]
LOADED_AT = datetime(2026, 12, 1, 9, 0)
RAW = ("accidents", "disasters", "forest_fires", "statistics", "capabilities", "zero_reports", "quarantine")


def acc_dir(data_dir: Path) -> Path:
    d = data_dir / "accidents"
    d.mkdir(exist_ok=True)
    return d


def at(con, data_dir, as_of: str, source: str = "accidents"):
    return load_source(con, source, data_dir, date.fromisoformat(as_of), LOADED_AT)


def raw_state(con, tables=RAW) -> dict[str, list]:
    """Every raw table's rows (loaded_at aside), in a stable order."""
    out = {}
    for t in tables:
        cols = [r[0] for r in con.execute(
            "select column_name from duckdb_columns() where database_name = current_database() "
            "and schema_name = 'raw' and table_name = ? and column_name <> 'loaded_at' order by column_index",
            [t]).fetchall()]
        out[t] = con.execute(f"select {', '.join(cols)} from raw.{t} order by all").fetchall()
    return out


def statuses(rep) -> dict[str, str]:
    return {f.file_name: f.status for f in rep.files}


def test_a_row_rejected_as_future_dated_is_judged_again_when_the_as_of_date_moves(tmp_path, data_dir,
                                                                                 robust_case):
    write_csv(acc_dir(data_dir) / "2026-11.csv", ACC_HEADER, [
        acc_row("A-1", when="2026-11-10 08:00", reported="2026-11-12"),
        acc_row("A-2", when="2026-11-20 08:00", reported="2026-12-01"),  # filed after 2026-11-30
    ])
    write_csv(acc_dir(data_dir) / "2024-03.csv", ACC_HEADER, [acc_row("OLD-1")])
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    at(con, data_dir, "2026-11-30")
    q = quarantine(con)
    assert [(r["file_name"], r["reason_code"]) for r in q] == [("2026-11.csv", "future_date")]
    assert "2026-11-30" in q[0]["reason_zh"]
    seq_before = dict(con.execute("select file_name, load_seq from raw.files").fetchall())

    rep = at(con, data_dir, "2026-12-31")  # a month later: the row is no longer in the future
    assert statuses(rep) == {"2024-03.csv": "skipped", "2026-11.csv": "revalidated"}
    f = {x.file_name: x for x in rep.files}["2026-11.csv"]
    assert (f.rows_read, f.rows_loaded, f.rows_rejected) == (2, 2, 0)
    assert f.note_zh == "重新校验：数据截止日期由 2026-11-30 改为 2026-12-31"
    assert f.note_en == "judged again: the as-of date moved from 2026-11-30 to 2026-12-31"
    assert quarantine(con) == []
    assert dict(con.execute("select file_name, load_seq from raw.files").fetchall()) == seq_before
    assert json.loads(con.execute("select judged_against from raw.files where file_name = '2026-11.csv'")
                      .fetchone()[0])["as_of"] == "2026-12-31"

    fresh = duckdb.connect(str(tmp_path / "fresh.duckdb"))
    at(fresh, data_dir, "2026-12-31")
    assert raw_state(con) == raw_state(fresh)  # as if loaded fresh at the new date
    fresh.close()

    rep = at(con, data_dir, "2027-01-31")  # both as-of dates after every date in the files: untouched
    assert set(statuses(rep).values()) == {"skipped"}
    con.close()
    robust_case(
        "future_row_rejudged", section="revalidation", order=1,
        title="#2 a row dated 2026-11-20, filed 2026-12-01: quarantined at `--as-of 2026-11-30`, then the "
        "same unchanged file at 2026-12-31",
        reason_code="future_date, then none",
        destination="the file is judged again (status `revalidated`, 重新校验, with why); the row loads; raw "
        "tables equal a fresh load at 2026-12-31; load_seq kept; a later as-of leaves it skipped",
        valid_rows="2 of 2", exit_code="0", message_en=f.note_en,
    )


def test_a_row_becomes_future_dated_when_the_as_of_date_moves_back(tmp_path, data_dir, robust_case):
    write_csv(acc_dir(data_dir) / "2026-11.csv", ACC_HEADER, [
        acc_row("A-1", when="2026-11-10 08:00", reported="2026-11-12"),
        acc_row("A-2", when="2026-11-20 08:00", reported="2026-12-01"),
    ])
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    at(con, data_dir, "2026-12-31")
    assert quarantine(con) == []
    rep = at(con, data_dir, "2026-11-30")  # e.g. `--as-of` to see the figures as they stood
    assert statuses(rep) == {"2026-11.csv": "revalidated"}
    q = quarantine(con)
    assert [(r["row_number"], r["reason_code"]) for r in q] == [(3, "future_date")]
    assert "不能晚于数据截止日期 2026-11-30" in q[0]["reason_zh"]
    con.close()
    robust_case(
        "future_row_as_of_back", section="revalidation", order=2,
        title="#2 sibling: the as-of date moved back (2026-12-31 → 2026-11-30)", reason_code="future_date",
        destination="judged again: the row filed 2026-12-01 is quarantined, its reason citing 2026-11-30",
        valid_rows="1 of 1", exit_code="0", message_en=q[0]["reason_en"],
    )


def test_the_bundled_sample_loaded_early_then_at_its_as_of_date(tmp_path, robust_case):
    """The issue's reproduction: a run at --as-of 2024-06-30, then one at the sample's as-of date (in the
    issue 2026-11-30; here 2026-11-26, the date the sample was made as of)."""
    data = tmp_path / "data"
    shutil.copytree(PROJECT_DIR / "data_raw", data)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    list(load_sources(con, list(SOURCES), data, date(2024, 6, 30), LOADED_AT))
    stuck = con.execute("select count(*) from raw.quarantine where reason_code = 'future_date'").fetchone()[0]
    outcomes = list(load_sources(con, list(SOURCES), data, date(2026, 11, 26), LOADED_AT))
    assert all(o.error is None for o in outcomes)
    revalidated = sum(o.report.count("revalidated") for o in outcomes)
    skipped = sum(o.report.count("skipped") for o in outcomes)
    fresh = duckdb.connect(str(tmp_path / "fresh.duckdb"))
    list(load_sources(fresh, list(SOURCES), data, date(2026, 11, 26), LOADED_AT))
    assert raw_state(con) == raw_state(fresh)
    future = "select count(*) from raw.quarantine where reason_code = 'future_date'"
    assert con.execute(future).fetchone() == (0,)
    assert stuck > 2000 and revalidated > 0 and skipped > 0  # files with no date after 2024-06-30: skipped
    fresh.close()
    con.close()
    robust_case(
        "sample_as_of_early_then_late", section="revalidation", order=3,
        title="#2 the bundled sample loaded at `--as-of 2024-06-30`, then at 2026-11-26",
        reason_code="future_date, then none",
        destination=f"{stuck:,} rows quarantined as future-dated at 2024-06-30; at 2026-11-26 the "
        f"{revalidated} files holding a date after 2024-06-30 are judged again and {skipped} are skipped; "
        "every raw table equals a fresh load at 2026-11-26 (no row stuck, nothing blocked)",
        valid_rows="all", exit_code="0",
    )


def test_unchanged_files_whose_reference_input_changed_are_judged_again(tmp_path, data_dir, monkeypatch,
                                                                         robust_case):
    """The region list (and, the same way, the ingest rules) is an input of every verdict: when its
    fingerprint changes, every file of the sources judged against it is judged again, once."""
    write_csv(acc_dir(data_dir) / "a.csv", ACC_HEADER, [acc_row("A-1"), acc_row("A-2", code="999999")])
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    at(con, data_dir, "2026-11-30")
    before = raw_state(con)
    assert [r["reason_code"] for r in quarantine(con)] == ["unknown_region_code"]
    ref = judgment.REFERENCE_INPUTS["regions"]
    monkeypatch.setitem(judgment.REFERENCE_INPUTS, "regions",
                        dataclasses.replace(ref, fingerprint=lambda _d: "a-new-region-list"))
    rep = at(con, data_dir, "2026-11-30")
    assert statuses(rep) == {"a.csv": "revalidated"}
    assert rep.files[0].note_zh == "重新校验：行政区划代码表已变化"
    assert raw_state(con) == before  # the same list in fact: the same verdicts
    assert statuses(at(con, data_dir, "2026-11-30")) == {"a.csv": "skipped"}
    rules = judgment.REFERENCE_INPUTS["rules"]
    monkeypatch.setitem(judgment.REFERENCE_INPUTS, "rules",
                        dataclasses.replace(rules, fingerprint=lambda _d: "new-rules"))
    rep = at(con, data_dir, "2026-11-30")
    assert rep.files[0].note_en == "judged again: the validation rules (the software was updated) changed"
    con.close()
    robust_case(
        "reference_input_changed", section="revalidation", order=4,
        title="#2 sibling: the region list changed (its fingerprint), then the ingest rules (the software)",
        reason_code=None,
        destination="every file of the sources judged against it is judged again once (then skipped)",
        valid_rows="as before", exit_code="0", message_en=rep.files[0].note_en,
    )


def test_a_new_reference_input_plugs_in(tmp_path, data_dir, monkeypatch, robust_case):
    """How the plan and quota files plug in: register a reference input and name it in the source's
    ``judged_against``; a change to those files re-judges the source's unchanged files."""
    plans = data_dir / "plans"
    plans.mkdir()
    (plans / "15th.csv").write_text("plan_id\nP1\n", encoding="utf-8")
    monkeypatch.setitem(judgment.REFERENCE_INPUTS, "plans", judgment.ReferenceInput(
        "plans", lambda d: judgment.folder_fingerprint(Path(d) / "plans"), "规划文件", "the plan files"))
    spec = dataclasses.replace(contracts.SPECS["accidents"], judged_against=("rules", "regions", "plans"))
    monkeypatch.setitem(contracts.SPECS, "accidents", spec)
    write_csv(acc_dir(data_dir) / "a.csv", ACC_HEADER, [acc_row("A-1")])
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    at(con, data_dir, "2026-11-30")
    recorded = json.loads(con.execute("select judged_against from raw.files").fetchone()[0])
    assert set(recorded) == {"as_of", "rules", "regions", "plans"}
    assert statuses(at(con, data_dir, "2026-11-30")) == {"a.csv": "skipped"}
    (plans / "15th.csv").write_text("plan_id\nP1\nP2\n", encoding="utf-8")
    rep = at(con, data_dir, "2026-11-30")
    assert statuses(rep) == {"a.csv": "revalidated"} and rep.files[0].note_zh == "重新校验：规划文件已变化"
    con.close()
    robust_case(
        "reference_input_plugs_in", section="revalidation", order=5,
        title="#2 the mechanism for the plan and quota files: a registered reference input "
        "(`judgment.register_reference_input`) named in `SourceSpec.judged_against`",
        reason_code=None, destination="a change to the plan files re-judges the unchanged accidents files",
        valid_rows="as before", exit_code="0", message_en=rep.files[0].note_en,
    )


def test_revision_ties_resolve_as_before_after_a_rejudgment(tmp_path, data_dir, robust_case):
    """Two filings of one accident with the same 填报日期: the later-loaded file wins. Judging the earlier
    file again must not make it the later one (its load_seq is kept)."""
    write_csv(acc_dir(data_dir) / "a.csv", ACC_HEADER, [
        acc_row("T-1", deaths=1, reported="2026-11-12"),
        acc_row("F-1", when="2026-11-20 08:00", reported="2026-12-01"),
    ])
    write_csv(acc_dir(data_dir) / "b.csv", ACC_HEADER, [acc_row("T-1", deaths=2, reported="2026-11-12")])
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    at(con, data_dir, "2026-11-30")
    rep = at(con, data_dir, "2026-12-31")
    assert statuses(rep) == {"a.csv": "revalidated", "b.csv": "skipped"}
    winner = con.execute("select deaths from raw.accidents where accident_id = 'T-1' "
                         "order by reported_date desc, load_seq desc limit 1").fetchone()
    assert winner == (2,)  # b.csv, loaded after a.csv, still wins the tie
    assert dicts(con, "select file_name, load_seq from raw.files order by 1") == [
        {"file_name": "a.csv", "load_seq": 1}, {"file_name": "b.csv", "load_seq": 2}
    ]
    con.close()
    robust_case(
        "rejudged_keeps_load_seq", section="revalidation", order=6,
        title="#2 sibling: re-judging an earlier file must not change which filing wins a 填报日期 tie",
        reason_code=None, destination="the re-judged file keeps its load_seq; the later file still wins",
        valid_rows="all", exit_code="0",
    )


def test_a_warehouse_from_before_this_mechanism_is_brought_up_to_date(tmp_path, data_dir, robust_case):
    write_csv(acc_dir(data_dir) / "a.csv", ACC_HEADER, [acc_row("A-1")])
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    at(con, data_dir, "2026-11-30")
    for column in ("judged_against", "latest_date", "note_zh", "note_en"):  # as an older version left it
        con.execute(f"alter table raw.files drop column {column}")
    rep = at(con, data_dir, "2026-11-30")
    assert statuses(rep) == {"a.csv": "revalidated"}
    assert rep.files[0].note_en == "judged again: its earlier load did not record what it was judged against"
    assert statuses(at(con, data_dir, "2026-11-30")) == {"a.csv": "skipped"}
    con.close()
    robust_case(
        "rejudged_after_upgrade", section="revalidation", order=7,
        title="#2 sibling: a warehouse published before raw.files recorded what files were judged against",
        reason_code=None, destination="the columns are added; every file is judged again once, then skipped",
        valid_rows="as before", exit_code="0", message_en=rep.files[0].note_en,
    )


@pytest.mark.parametrize("kind", ["year", "zero_month"])
def test_years_and_zero_report_months_count_as_dates(tmp_path, data_dir, kind, robust_case):
    if kind == "year":
        from tests.ingest.conftest import STAT_HEADER
        write_csv(data_dir / "statistics" / "s.csv", STAT_HEADER,
                  [["360281", "", 2026, "174.2", 50, 2, 5000, 0, 0, "初步核算", ""]])
        source, first, second = "statistics", "2025-12-31", "2026-01-31"
    else:
        from tests.ingest.conftest import zero_row
        write_csv(acc_dir(data_dir) / "z.csv", ACC_HEADER,
                  [zero_row(ACC_HEADER, "事故编号", "发生时间", "230502", "2026-12")])
        source, first, second = "accidents", "2026-11-30", "2026-12-05"
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    at(con, data_dir, first, source)
    assert [r["reason_code"] for r in quarantine(con)] == ["future_date"]
    rep = at(con, data_dir, second, source)
    assert set(statuses(rep).values()) == {"revalidated"} and quarantine(con) == []
    con.close()
    robust_case(
        f"rejudged_{kind}", section="revalidation", order=8 if kind == "year" else 9,
        title="#2 sibling: a statistics year 2026 at as-of 2025-12-31, then 2026-01-31" if kind == "year"
        else "#2 sibling: a 零报告 for 2026-12 at as-of 2026-11-30, then 2026-12-05",
        reason_code="future_date, then none", destination="judged again; loads", valid_rows="1 of 1",
        exit_code="0",
    )
