"""Faults in-process: the disk filling up in the middle of a load, a corrupt warehouse file."""

from __future__ import annotations

import errno
import os

import duckdb
import pytest

from pipelines.errors import PipelineError
from pipelines.ingest import raw_writes
from pipelines.publish.workspace import check_readable, create_empty_warehouse, prepare_build_file
from tests.ingest.conftest import ACC_HEADER, acc_row, write_csv, write_xlsx

from .cli import corrupt_file
from .helpers import files, ids, load, quarantine


def test_disk_full_mid_load_rolls_back_the_whole_source(con, data_dir, monkeypatch, robust_case):
    d = data_dir / "accidents"
    write_csv(d / "a.csv", ACC_HEADER, [acc_row("A-1")])
    load(con, "accidents", data_dir)
    before = {
        t: con.execute(f"select * from raw.{t} order by all").fetchall()
        for t in ("accidents", "quarantine", "files", "zero_reports")
    }
    write_csv(d / "a.csv", ACC_HEADER, [acc_row("A-1", deaths=2)])  # a corrected copy: replaces
    write_xlsx(d / "b.xlsx", ACC_HEADER, [acc_row("B-1"), acc_row("B-2", deaths="约3人")])
    real_insert = raw_writes.insert
    calls = {"n": 0}

    def insert_then_disk_full(con_, table, df, constants=None):
        calls["n"] += 1
        if calls["n"] >= 3:  # a.csv written, then the disk fills up while b.xlsx is written
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_insert(con_, table, df, constants)

    monkeypatch.setattr(raw_writes, "insert", insert_then_disk_full)
    with pytest.raises(OSError) as err:
        load(con, "accidents", data_dir)
    assert err.value.errno == errno.ENOSPC and "No space left on device" in str(err.value)
    monkeypatch.setattr(raw_writes, "insert", real_insert)
    after = {t: con.execute(f"select * from raw.{t} order by all").fetchall() for t in before}
    assert after == before  # nothing half-loaded: a.csv's old rows are back, b.xlsx left no trace
    rep = load(con, "accidents", data_dir)  # space again: the next run loads everything
    assert sorted(ids(con)) == ["A-1", "B-1"] and [f.status for f in rep.files] == ["replaced", "loaded"]
    assert [r["reason_code"] for r in quarantine(con)] == ["not_a_number"]
    assert [r["file_name"] for r in files(con)] == ["a.csv", "b.xlsx"]
    robust_case(
        "disk_full_in_process",
        section="fault",
        order=3,
        title="Disk full in the middle of a source's load (OSError ENOSPC raised by a write, in-process)",
        reason_code=None,
        destination="the source's transaction rolls back: raw tables exactly as before; the next run "
        "loads everything",
        valid_rows="none half-loaded",
        exit_code="1 (step failure; see the command-line disk-full case)",
        message_en=str(err.value),
    )


@pytest.mark.parametrize(
    ("case", "damage"),
    [
        ("garbage", lambda p: p.write_bytes(b"this is not a database" * 100)),
        ("zero_bytes", lambda p: p.write_bytes(b"")),
        ("block_overwritten", corrupt_file),
    ],
)
def test_corrupt_published_file_is_refused_with_the_way_out(tmp_path, case, damage, robust_case):
    warehouse = tmp_path / "pub" / "w.duckdb"
    create_empty_warehouse(warehouse)
    con = duckdb.connect(str(warehouse))
    con.execute("create schema raw; create table raw.t as select range as i from range(100000)")
    con.execute("checkpoint")
    con.close()
    damage(warehouse)
    damaged = warehouse.read_bytes()
    build = tmp_path / "pub" / ".w.duckdb.building"
    with pytest.raises(PipelineError) as err:
        prepare_build_file(warehouse, build)
    assert str(warehouse) in err.value.message_zh and str(warehouse) in err.value.message_en
    assert "--rebuild" in err.value.message_zh and "--rebuild" in err.value.message_en
    assert warehouse.read_bytes() == damaged  # left as it was, for inspection
    assert prepare_build_file(warehouse, build, rebuild=True) == "empty"
    check_readable(build)
    robust_case(
        f"corrupt_{case}",
        section="fault",
        order=4,
        title=f"Corrupt warehouse file, in-process ({case.replace('_', ' ')})",
        reason_code=None,
        destination="refused before the build copy; `--rebuild` starts from an empty file",
        valid_rows="—",
        exit_code="1 (see the command-line case)",
        message_en=err.value.message_en,
    )


def test_damage_in_a_data_block_passes_the_open_check(tmp_path, robust_case):
    """Documents a limit: the open check reads the catalog, not every block, so damage inside a data
    block is only found when that block is read (later in the run, without the `--rebuild` hint)."""
    warehouse = tmp_path / "w.duckdb"
    create_empty_warehouse(warehouse)
    con = duckdb.connect(str(warehouse))
    con.execute("create table t as select range as i, md5(range::varchar) as s from range(300000)")
    con.execute("checkpoint")
    con.close()
    with open(warehouse, "r+b") as fh:
        fh.seek(warehouse.stat().st_size // 2)
        fh.write(bytes(4096))
    check_readable(warehouse)  # passes
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        with pytest.raises(duckdb.Error, match="checksum"):
            con.execute("select sum(i), count(distinct s) from t").fetchall()
    finally:
        con.close()
    robust_case(
        "corrupt_limit",
        section="fault",
        order=5,
        title="Limit: a damaged data block (not the catalog)",
        reason_code=None,
        destination="passes the open check (`check_readable` reads the catalog only); fails when the block "
        "is read, with DuckDB's checksum error and without the `--rebuild` hint",
        valid_rows="—",
        note="`pipelines/publish/workspace.check_readable` opens the file and lists its tables. Reading "
        "every table once (e.g. `select count(*)` over each column, or a full checksum pass) would catch "
        "damaged data blocks before the run starts, at the cost of reading the file once per run.",
    )
