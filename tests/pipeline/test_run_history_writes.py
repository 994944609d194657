"""During a CLI run, Dagster's SQLite WAL files are written without a flush per event; other
files and other folders are left as they are, and the history is complete after the run."""

from __future__ import annotations

import sqlite3

import dagster as dg
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


def _tiny_job_events(instance, run_history: bool) -> list[tuple[str, str | None]]:
    """Materialize two assets and a check on ``instance``; the stored events (type, step)."""

    @dg.asset
    def upstream() -> int:
        return 1

    @dg.asset
    def downstream(upstream: int) -> int:
        return upstream + 1

    @dg.asset_check(asset=downstream)
    def downstream_positive(downstream: int) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=downstream > 0)

    job = dg.Definitions(assets=[upstream, downstream], asset_checks=[downstream_positive]
                         ).resolve_implicit_global_asset_job_def()
    if run_history:
        with fast_run_history(instance.root_directory, instance):
            result = job.execute_in_process(instance=instance)
            # the run's own file (created during the run, WAL turned on after its first
            # connection) is written through a connection with the run's settings too
            with instance.event_log_storage.run_connection(result.run_id) as conn:
                assert conn.execute(text("pragma synchronous")).scalar() == 1
            with instance.event_log_storage.index_connection() as conn:
                assert conn.execute(text("pragma synchronous")).scalar() == 1
    else:
        result = job.execute_in_process(instance=instance)
    assert result.success
    records = instance.get_records_for_run(result.run_id, limit=10_000).records
    return [(r.event_log_entry.dagster_event_type.value if r.event_log_entry.dagster_event_type else "",
             r.event_log_entry.step_key) for r in records]


def test_the_event_log_keeps_one_engine_per_file_and_stores_the_same_events(tmp_path):
    (tmp_path / "home").mkdir()
    with dg.DagsterInstance.local_temp(str(tmp_path / "home")) as instance:
        storage = instance.event_log_storage
        plain = _tiny_job_events(instance, run_history=False)
        pooled = _tiny_job_events(instance, run_history=True)
        # Dagster's own methods are back after the run (nothing left patched on the storage)
        assert "_connect" not in vars(storage) and "has_table" not in vars(storage)
        again = _tiny_job_events(instance, run_history=False)
        # the same events, in the same order, with the engine kept as without it
        assert pooled == plain == again
        assert ("ASSET_MATERIALIZATION", "upstream") in pooled
        assert ("ASSET_CHECK_EVALUATION", "downstream_downstream_positive") in pooled
        # the cross-run index (written through the kept engine) has every run's materializations
        latest = instance.fetch_materializations(dg.AssetKey("downstream"), limit=10).records
        assert len(latest) == 3
        # and the history's WAL files were checkpointed when the run ended
        wal = list((tmp_path / "home").rglob("*.db-wal"))
        assert all(p.stat().st_size == 0 for p in wal)


def test_the_kept_engines_are_only_used_for_a_sqlite_event_log():
    from pipelines.run_history_writes import pooled_event_log

    class OtherStorage:
        def _connect(self, shard):
            return shard

    other = OtherStorage()
    with pooled_event_log(other):
        assert other._connect("x") == "x"  # left as it is
    with pooled_event_log(None):
        pass
