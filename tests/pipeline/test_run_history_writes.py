"""During a CLI run, Dagster's SQLite WAL files are written without a flush per event; other
files and other folders are left as they are, and the history is complete after the run."""

from __future__ import annotations

import sqlite3

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from pipelines.run_history_writes import fast_run_history


def _database(path, wal: bool) -> None:
    con = sqlite3.connect(path)
    if wal:
        con.execute("pragma journal_mode = wal")
    con.execute("create table events (n integer)")
    con.commit()
    con.close()


def _insert_and_read_sync(path, n: int) -> int:
    """One event as Dagster's event log writes it (a new engine and connection each time);
    the connection's ``synchronous`` setting (2 FULL, 1 NORMAL)."""
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    with engine.connect() as conn, conn.begin():
        conn.execute(text("insert into events values (:n)"), {"n": n})
        sync = conn.execute(text("pragma synchronous")).scalar()
    engine.dispose()
    return sync


def test_wal_files_of_the_history_skip_the_flush_per_event_and_keep_every_event(tmp_path):
    home, elsewhere = tmp_path / "dagster_home", tmp_path / "other"
    home.mkdir()
    elsewhere.mkdir()
    run_file, rollback_file, other_file = home / "run.db", home / "runs.db", elsewhere / "x.db"
    _database(run_file, wal=True)
    _database(rollback_file, wal=False)
    _database(other_file, wal=True)

    with fast_run_history(home):
        syncs = [_insert_and_read_sync(run_file, n) for n in range(5)]
        rollback_sync = _insert_and_read_sync(rollback_file, 1)
        other_sync = _insert_and_read_sync(other_file, 1)
        # closing an event's connection no longer checkpoints: the WAL file is still there
        assert (home / "run.db-wal").exists()
    assert syncs == [1] * 5  # NORMAL inside the history's WAL files
    assert rollback_sync == 2 and other_sync == 2  # left as they were (FULL, SQLite's default)
    # after the run: the last connection closed, the WAL checkpointed, every event in the file
    assert not (home / "run.db-wal").exists() or (home / "run.db-wal").stat().st_size == 0
    con = sqlite3.connect(run_file)
    assert con.execute("select count(*), sum(n) from events").fetchone() == (5, 10)
    con.close()
    # the listener is gone: a later connection is FULL again
    assert _insert_and_read_sync(run_file, 5) == 2
