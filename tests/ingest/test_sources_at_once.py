"""load_sources: all sources at once, each in its own transaction, as if loaded one after the other."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.ingest import loader as loader_module
from pipelines.ingest.loader import load_source, load_sources
from pipelines.ingest.raw_tables import RAW_TABLES, SOURCES
from tests.handmade import write_handmade_folder

from .conftest import AS_OF, LOADED_AT


def dump(con) -> dict[str, list[tuple]]:
    """Every raw table, load time apart, in a fixed order (load_seq kept)."""
    return {
        # the load's clock times differ between two loads of the same files
        t: con.execute(f"select * exclude ({'logged_at' if t == 'load_log' else 'loaded_at'}) "
                       f"from raw.{t} order by all").fetchall()
        for t in RAW_TABLES
    }


def one_after_the_other(con, data: Path) -> dict:
    return {s: load_source(con, s, data, AS_OF, LOADED_AT).files for s in SOURCES}


def at_once(con, data: Path) -> dict:
    outcomes = list(load_sources(con, list(SOURCES), data, AS_OF, LOADED_AT))
    assert [o.error for o in outcomes] == [None] * len(SOURCES)
    return {o.source: o.report.files for o in outcomes}


@pytest.fixture
def two_warehouses(tmp_path):
    a = duckdb.connect(str(tmp_path / "one_by_one.duckdb"))
    b = duckdb.connect(str(tmp_path / "at_once.duckdb"))
    yield a, b
    a.close()
    b.close()


def change_three_sources(data: Path) -> None:
    """A file removed (accidents), one changed (disasters), one changed (statistics)."""
    (data / "accidents" / "accidents_2025_revisions.csv").unlink()
    for name in ("disasters/disasters_2020_2025.csv", "statistics/statistics_2025_final.csv"):
        with open(data / name, "a", encoding="utf-8") as fh:
            fh.write("\n")  # same rows, new bytes: the file is replaced


def test_at_once_loads_what_one_after_the_other_loads(tmp_path, two_warehouses):
    seq_con, par_con = two_warehouses
    data = write_handmade_folder(tmp_path / "data")
    assert one_after_the_other(seq_con, data) == at_once(par_con, data)
    assert dump(par_con) == dump(seq_con)
    # load_seq: the files in source order, then name order, numbered from 1
    expected = [
        (s, p.name) for s in SOURCES if (data / s).is_dir() for p in sorted((data / s).iterdir())
    ]
    got = par_con.execute("select source, file_name, load_seq from raw.files order by load_seq").fetchall()
    assert got == [(s, n, i) for i, (s, n) in enumerate(expected, start=1)]

    # a second load deletes rows of three sources in concurrent transactions
    change_three_sources(data)
    second = at_once(par_con, data)
    assert one_after_the_other(seq_con, data) == second
    assert dump(par_con) == dump(seq_con)
    statuses = {(s, f.file_name): f.status for s, files in second.items() for f in files}
    assert statuses[("accidents", "accidents_2025_revisions.csv")] == "removed"
    assert statuses[("disasters", "disasters_2020_2025.csv")] == "replaced"
    assert statuses[("accidents", "accidents_2020_2025.csv")] == "skipped"
    # the two replaced files continue the numbering: disasters before statistics
    last = len(expected)
    assert par_con.execute(
        "select source, file_name, load_seq from raw.files where load_seq > ? order by load_seq", [last]
    ).fetchall() == [
        ("disasters", "disasters_2020_2025.csv", last + 1),
        ("statistics", "statistics_2025_final.csv", last + 2),
    ]


def test_a_failing_source_rolls_back_alone(tmp_path, two_warehouses, monkeypatch):
    con, _ = two_warehouses
    data = write_handmade_folder(tmp_path / "data")
    at_once(con, data)
    before = dump(con)
    change_three_sources(data)
    real = loader_module.write_chunk

    def disk_full_for_disasters(con, spec, *args):
        if spec.source == "disasters":  # after its old rows were deleted
            raise OSError(28, "No space left on device")
        return real(con, spec, *args)

    monkeypatch.setattr(loader_module, "write_chunk", disk_full_for_disasters)
    outcomes = {o.source: o for o in load_sources(con, list(SOURCES), data, AS_OF, LOADED_AT)}
    assert isinstance(outcomes["disasters"].error, OSError)
    assert outcomes["disasters"].report is None
    assert all(o.error is None for s, o in outcomes.items() if s != "disasters")
    after = dump(con)
    # disasters exactly as before (its deletes rolled back), the others loaded
    disasters_before = [r for r in before["files"] if r[0] == "disasters"]
    assert [r for r in after["files"] if r[0] == "disasters"] == disasters_before
    assert after["disasters"] == before["disasters"]
    assert [r for r in after["zero_reports"] if r[0] == "disasters"] == [
        r for r in before["zero_reports"] if r[0] == "disasters"
    ]
    assert "accidents_2025_revisions.csv" not in {r[1] for r in after["files"] if r[0] == "accidents"}
    assert len(after["accidents"]) < len(before["accidents"])


def test_after_commit_runs_on_each_source_and_its_error_is_kept(tmp_path, two_warehouses):
    con, _ = two_warehouses
    data = write_handmade_folder(tmp_path / "data")

    def count_files(cur, report):
        if report.source == "statistics":
            raise RuntimeError("load log unavailable")
        return cur.execute("select count(*) from raw.files where source = ?", [report.source]).fetchone()[0]

    outcomes = {o.source: o for o in load_sources(con, list(SOURCES), data, AS_OF, LOADED_AT, count_files)}
    assert outcomes["accidents"].after == 2 and outcomes["disasters"].after == 1
    assert str(outcomes["statistics"].error) == "load log unavailable"
    assert outcomes["statistics"].report is not None  # committed before after_commit failed
    assert con.execute("select count(*) from raw.files where source = 'statistics'").fetchone()[0] == 2


def test_unknown_source_is_refused_before_anything_is_written(tmp_path, two_warehouses):
    con, _ = two_warehouses
    with pytest.raises(ValueError, match="unknown source"):
        list(load_sources(con, ["accidents", "weather"], tmp_path, AS_OF, LOADED_AT))
    assert con.execute("select count(*) from duckdb_tables()").fetchone()[0] == 0


@pytest.mark.parametrize("at_once_mode", [False, True], ids=["load_source", "load_sources"])
def test_the_first_error_is_reported_when_the_rollback_fails_too(tmp_path, monkeypatch, at_once_mode):
    """After a fatal DuckDB error the rollback fails as well; the user must see the cause."""
    data = write_handmade_folder(tmp_path / "data")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    real_run = loader_module.run_sql

    def disk_full(*_args):
        raise OSError(28, "No space left on device")

    def invalidated_on_rollback(c, sql, params=None):
        if sql == "rollback":
            raise duckdb.FatalException("database has been invalidated")
        return real_run(c, sql, params)

    monkeypatch.setattr(loader_module, "write_chunk", disk_full)
    monkeypatch.setattr(loader_module, "run_sql", invalidated_on_rollback)
    try:
        if at_once_mode:
            [outcome] = load_sources(con, ["accidents"], data, AS_OF, LOADED_AT)
            assert isinstance(outcome.error, OSError)
        else:
            with pytest.raises(OSError, match="No space left"):
                load_source(con, "accidents", data, AS_OF, LOADED_AT)
    finally:
        con.close()
