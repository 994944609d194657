"""Issue 21, items 12 and 13: a stale DuckDB WAL beside the published file, and a kill -9 in the
publication window. Real files, real DuckDB, real SIGKILL (a child process kills itself at each step
of the swap).
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.errors import PipelineError
from pipelines.publish.publication import (
    journal_path,
    publication_state,
    publish_together,
    recover_publication,
    wal_path,
)
from pipelines.publish.workspace import create_empty_warehouse, prepare_build_file
from pipelines.status import status_lines

PROJECT_DIR = Path(__file__).resolve().parents[2]


def _db(path: Path, value: int) -> None:
    create_empty_warehouse(path)
    con = duckdb.connect(str(path))
    con.execute("create table t as select ? as v", [value])
    con.execute("checkpoint")
    con.close()


def _value(path: Path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("select v from t").fetchone()[0]
    finally:
        con.close()


def _stale_wal(warehouse: Path) -> None:
    """An analyst's read-write session writes and dies (its WAL stays); later a publication replaces the
    file: the WAL now belongs to no file."""
    code = (f"import duckdb, os\ncon = duckdb.connect({str(warehouse)!r})\n"
            "con.execute('create table mine(i int)')\n"
            "con.execute('insert into mine values (1)')\nos._exit(0)\n")
    subprocess.run([sys.executable, "-c", code], check=True)
    assert wal_path(warehouse).exists()
    newer = warehouse.with_name("newer.duckdb")
    _db(newer, 2)
    os.replace(newer, warehouse)


# --------------------------------------------------------------------------- 12. stale WAL


def test_a_stale_wal_no_longer_blocks_runs_and_publication_removes_it(tmp_path, robust_case):
    warehouse, build = tmp_path / "pub" / "w.duckdb", tmp_path / "pub" / ".w.duckdb.building"
    _db(warehouse, 1)
    _stale_wal(warehouse)
    with pytest.raises(duckdb.IOException, match="WAL does not match"):  # the symptom analysts see
        duckdb.connect(str(warehouse), read_only=True)
    lines = "\n".join(status_lines(warehouse, tmp_path / "reports"))
    assert "不属于这个文件" in lines and "the next run moves it aside" in lines and "--rebuild" not in lines
    said = []
    assert prepare_build_file(warehouse, build, log=said.append) == "copy of published (stale WAL ignored)"
    assert "与该文件不匹配" in said[0] and "moves the WAL aside" in said[0]
    assert _value(build) == 2  # the published file itself, sound
    publish_together(warehouse, build, [])
    assert not wal_path(warehouse).exists() and not journal_path(warehouse).exists()
    assert _value(warehouse) == 2
    con = duckdb.connect(str(warehouse))  # read-write too
    con.close()
    robust_case(
        "stale_wal", section="fault", order=10,
        title="#12 a stale DuckDB WAL beside the published file (an analyst's read-write session died, then "
        "a publication replaced the file): every open fails with `WAL does not match database file`",
        reason_code=None,
        destination="the run starts from the file alone (it is sound) and says so; publication moves the WAL "
        "aside with the old file: the published file opens again; `status` explains instead of advising "
        "`--rebuild`",
        valid_rows="—", exit_code="0 (was 1, and `--rebuild` exited 0 leaving a file that did not open)",
        message_en=said[0],
    )


def test_rebuild_over_a_stale_wal_publishes_a_file_that_opens(tmp_path, robust_case):
    warehouse, build = tmp_path / "pub" / "w.duckdb", tmp_path / "pub" / ".w.duckdb.building"
    _db(warehouse, 1)
    _stale_wal(warehouse)
    assert prepare_build_file(warehouse, build, rebuild=True) == "empty"
    con = duckdb.connect(str(build))
    con.execute("create table t as select 3 as v")
    con.close()
    publish_together(warehouse, build, [])
    assert _value(warehouse) == 3 and not wal_path(warehouse).exists()
    robust_case(
        "stale_wal_rebuild", section="fault", order=11,
        title="#12 `--rebuild` over a stale WAL (the recovery the message used to advise)", reason_code=None,
        destination="the rebuilt file is published and the stale WAL moved aside: it opens",
        valid_rows="—", exit_code="0",
    )


def test_a_damaged_file_behind_a_stale_wal_is_still_called_damaged(tmp_path, robust_case):
    warehouse, build = tmp_path / "pub" / "w.duckdb", tmp_path / "pub" / ".w.duckdb.building"
    _db(warehouse, 1)
    _stale_wal(warehouse)
    warehouse.write_bytes(b"not a database" * 1000)
    with pytest.raises(PipelineError) as err:
        prepare_build_file(warehouse, build)
    assert "--rebuild" in err.value.message_en and not build.exists()
    robust_case(
        "stale_wal_damaged_file", section="fault", order=12,
        title="#12 sibling: a stale WAL beside a file that is damaged too", reason_code=None,
        destination="refused with the `--rebuild` way out (the WAL is not blamed for a damaged file)",
        valid_rows="—", exit_code="1", message_en=err.value.message_en,
    )


# --------------------------------------------------------------------------- 13. kill -9 while publishing


KILLER = """
import os, signal, sys
from pathlib import Path
from pipelines.publish import publication
root, kill_at = Path(sys.argv[1]), int(sys.argv[2])
swaps = []
def swap(src, dst):
    if len(swaps) == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    swaps.append((src, dst))
    os.replace(src, dst)
if kill_at == -1:  # after the commit mark, before the old copies are removed
    publication._finish = lambda journal, items: os.kill(os.getpid(), signal.SIGKILL)
publication.publish_together(
    root / "pub" / "w.duckdb", root / "pub" / ".w.duckdb.building",
    [("Parquet", root / "pub" / "parquet", root / "pub" / ".parquet.building"),
     ("报告 reports", root / "reports", root / ".reports.building")],
    run_id="run-new", swap=swap)
print("finished")
"""
# the moves, in order: warehouse aside, new warehouse in, stale WAL aside, Parquet aside, new Parquet in,
# reports aside, new reports in
SWAPS = ["warehouse aside", "warehouse in", "WAL aside", "parquet aside", "parquet in", "reports aside",
         "reports in"]
W, P, R = "数据仓库 warehouse", "Parquet", "报告 reports"
EXPECTED_STATE = [  # what `status` must say after a kill before each move
    f"new now: none; moved aside, missing: none; still old: {W}, {P}, {R}",
    f"new now: none; moved aside, missing: {W}; still old: {P}, {R}",
    f"new now: {W}; moved aside, missing: none; still old: {P}, {R}",
    f"new now: {W}; moved aside, missing: none; still old: {P}, {R}",
    f"new now: {W}; moved aside, missing: {P}; still old: {R}",
    f"new now: {W}, {P}; moved aside, missing: none; still old: {R}",
    f"new now: {W}, {P}; moved aside, missing: {R}; still old: none",
]


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _published(root: Path) -> dict:
    w = root / "pub" / "w.duckdb"
    return {
        "warehouse": hashlib.sha256(w.read_bytes()).hexdigest() if w.exists() else None,
        "wal": wal_path(w).read_bytes() if wal_path(w).exists() else None,
        "parquet": _tree(root / "pub" / "parquet"), "reports": _tree(root / "reports"),
    }


def _sets(root: Path, *, with_old: bool = True) -> tuple[dict, dict]:
    """The old published set (if any) and the new staged one; returns (old state, new contents)."""
    pub = root / "pub"
    if with_old:
        _db(pub / "w.duckdb", 1)
        _stale_wal(pub / "w.duckdb")  # a stale WAL too: it must come back with the old set
        (pub / "parquet").mkdir()
        (pub / "parquet" / "fct.parquet").write_bytes(b"old parquet")
        (root / "reports").mkdir()
        (root / "reports" / "index.html").write_text("<p>old</p>", encoding="utf-8")
    _db(pub / ".w.duckdb.building", 5)
    (pub / ".parquet.building").mkdir(parents=True)
    (pub / ".parquet.building" / "fct.parquet").write_bytes(b"new parquet")
    (pub / ".parquet.building" / "dim.parquet").write_bytes(b"new dim")
    (root / ".reports.building").mkdir()
    (root / ".reports.building" / "index.html").write_text("<p>new</p>", encoding="utf-8")
    new = {"parquet": _tree(pub / ".parquet.building"), "reports": _tree(root / ".reports.building")}
    return (_published(root) if with_old else None), new


def _kill_publication(root: Path, kill_at: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", KILLER, str(root), str(kill_at)], cwd=PROJECT_DIR,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("kill_at", [*range(len(SWAPS)), -1],
                         ids=[f"before-{s.replace(' ', '-')}" for s in SWAPS] + ["after-commit"])
def test_a_kill_anywhere_in_publication_leaves_all_old_or_all_new(tmp_path, kill_at, robust_case):
    old, new = _sets(tmp_path)
    proc = _kill_publication(tmp_path, kill_at)
    assert proc.returncode == -signal.SIGKILL, proc.stdout + proc.stderr
    warehouse = tmp_path / "pub" / "w.duckdb"

    state = publication_state(warehouse)  # what `status` says before anything repairs it
    text = "\n".join(status_lines(warehouse, tmp_path / "reports"))
    assert "the published files were not touched" not in text
    if kill_at == -1:
        assert "consistent (all new)" in state[0][1]
    else:
        assert EXPECTED_STATE[kill_at] in state[0][1]
        assert "The next run restores the old set" in state[0][1]
        assert state[0][1] in text

    outcome = recover_publication(warehouse)  # what the next run does first, under the lock
    after = _published(tmp_path)
    if kill_at == -1:
        assert outcome == "completed"
        assert _value(warehouse) == 5 and after["wal"] is None
        assert after["parquet"] == new["parquet"] and after["reports"] == new["reports"]
    else:
        assert outcome == "rolled back"
        assert after == old  # byte-identical, the stale WAL back beside its file
    assert not journal_path(warehouse).exists()
    assert not any(p.name.endswith(".previous") for p in (tmp_path / "pub").iterdir())
    assert publication_state(warehouse) == []  # status: no interrupted publication any more
    label = "after the commit mark" if kill_at == -1 else f"before the move “{SWAPS[kill_at]}”"
    robust_case(
        f"publish_kill_{'after_commit' if kill_at == -1 else kill_at}", section="fault",
        order=20 + kill_at % 10,
        title=f"#13 kill -9 during publication, {label}",
        reason_code=None,
        destination=("`status`: all new, old copies left to remove; the next run removes them"
                     if kill_at == -1 else "`status` says which items are new and which old; the next run "
                     "restores the old set, byte-identical (warehouse, WAL, Parquet, reports)"),
        valid_rows="—", exit_code="killed (-9); the next run 0",
        message_en=state[0][1],
    )


def test_a_kill_during_the_first_publication_leaves_nothing_published(tmp_path, robust_case):
    _sets(tmp_path, with_old=False)
    proc = _kill_publication(tmp_path, 2)  # warehouse and Parquet in, reports not
    assert proc.returncode == -signal.SIGKILL
    warehouse = tmp_path / "pub" / "w.duckdb"
    assert warehouse.exists() and (tmp_path / "pub" / "parquet").exists()
    assert recover_publication(warehouse) == "rolled back"
    assert not warehouse.exists() and not (tmp_path / "pub" / "parquet").exists()
    assert not (tmp_path / "reports").exists()
    robust_case(
        "publish_kill_first", section="fault", order=30,
        title="#13 sibling: kill -9 during the very first publication (nothing published before)",
        reason_code=None,
        destination="the next run removes what was swapped in: nothing published, as before",
        valid_rows="—", exit_code="killed (-9); the next run 0",
    )


def test_a_damaged_journal_is_ignored(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    _db(warehouse, 1)
    journal_path(warehouse).write_text("{not json", encoding="utf-8")
    assert publication_state(warehouse)[0][1].startswith("a damaged publication journal")
    assert recover_publication(warehouse) is None and not journal_path(warehouse).exists()
    assert _value(warehouse) == 1
