"""Dagster's run history written without a disk flush per event, for the length of one run.

Dagster's SQLite event log opens a connection per event (a run of the sample stores ~1,400
events, dbt tests and checks included, most of them twice: in the run's file and in
``index.db``) and closes it again. The files are in WAL mode, and closing the last connection of
a WAL file checkpoints it, which flushes it to disk: ~10 ms per event on this machine's disk,
~20 s of a sample run's wall time spent waiting for the disk, with the CPU idle.

During a run, :func:`fast_run_history` keeps one idle connection open to each of those WAL files
(so closing an event's connection no longer checkpoints) and has every connection to a WAL file
use ``synchronous=NORMAL`` (a commit is not flushed at once; SQLite's documented mode for WAL).
What this gives up: after a power loss or an OS crash *during* a run, the last events of that
run may be missing from the history; the files are never corrupted (WAL guarantees it), and a
process crash loses nothing. When the run ends the idle connections close, the last one
checkpoints and the history is on disk. The warehouse itself is not concerned: its publication
flushes what it writes (``publish/publication.py``). Files in another journal mode (Dagster's
``runs.db``) are left exactly as they are.

Given the run's instance, its SQLite event log also keeps **one SQLAlchemy engine per file** for
the run (:func:`pooled_event_log`), where Dagster builds a new engine for every statement it
sends (``SqliteEventLogStorage._connect`` and ``has_table``): a new engine is a new SQLite
connection, the dialect's first-connect queries and an empty statement cache, so every event's
INSERTs were compiled again — about 8,000 engines for the ~1,500 events of a sample run, several
seconds of CPU. The engine's pool keeps the connection open between statements; the statements,
their order, their transactions and Dagster's lock around each are unchanged (the same SQL in
the same files: only the connection is reused), and the pools are closed when the run ends.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine


@contextmanager
def fast_run_history(dagster_home: Path, instance=None) -> Iterator[None]:
    """While the block runs: Dagster's SQLite WAL files under ``dagster_home`` are written with
    ``synchronous=NORMAL`` and kept open by one idle connection each, and ``instance``'s SQLite
    event log reuses one engine per file (see the module's text)."""
    home = str(Path(dagster_home).resolve())
    held: dict[str, sqlite3.Connection] = {}
    lock = threading.Lock()

    def on_connect(dbapi_connection, _record) -> None:
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        rows = dbapi_connection.execute("pragma database_list").fetchall()
        path = next((r[2] for r in rows if r[1] == "main"), "")
        if not path or not path.startswith(home):
            return
        mode = dbapi_connection.execute("pragma journal_mode").fetchone()[0]
        if str(mode).lower() != "wal":
            return
        dbapi_connection.execute("pragma synchronous = normal")
        with lock:
            if path not in held:
                keeper = sqlite3.connect(path, check_same_thread=False)
                keeper.execute("select count(*) from sqlite_master").fetchone()  # opens the WAL index
                held[path] = keeper

    event.listen(Engine, "connect", on_connect)
    try:
        with pooled_event_log(getattr(instance, "event_log_storage", None)):
            yield
    finally:
        event.remove(Engine, "connect", on_connect)
        with lock:
            for keeper in held.values():
                keeper.close()  # the last connection of a file checkpoints it (flushed to disk)
            held.clear()


@contextmanager
def pooled_event_log(storage) -> Iterator[None]:
    """While the block runs, ``storage`` (a ``SqliteEventLogStorage``; anything else is left as it
    is) connects to each of its files through one engine kept for the block, and remembers the
    tables it found (``has_table``: a table does not disappear during a run)."""
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
        SQLITE_BUSY_TIMEOUT_SECONDS,
        SqliteEventLogStorage,
    )

    if not isinstance(storage, SqliteEventLogStorage):
        yield
        return
    engines: dict[str, Engine] = {}
    tables: set[str] = set()
    has_table = storage.has_table

    @contextmanager
    def connect(shard: str):
        # SqliteEventLogStorage._connect, with the engine kept: same lock, same first-use
        # initialisation of a file, one transaction per block
        with storage._db_lock:
            engine = engines.get(shard)
            if engine is None:
                engine = create_engine(storage.conn_string_for_shard(shard), pool_size=1,
                                       connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
                if shard not in storage._initialized_dbs:
                    storage._initdb(engine)  # creates a new run's file and turns WAL on
                    storage._initialized_dbs.add(shard)
                    # the connection kept from before WAL was on has SQLite's default flushes:
                    # the next one, opened on the WAL file, gets the run's settings (on_connect)
                    engine.dispose()
                engines[shard] = engine
            elif shard not in storage._initialized_dbs:  # Dagster forgot it (upgrade): as Dagster
                storage._initdb(engine)
                storage._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def cached_has_table(table_name: str) -> bool:
        if table_name not in tables and has_table(table_name):
            tables.add(table_name)
        return table_name in tables

    storage._connect, storage.has_table = connect, cached_has_table
    try:
        yield
    finally:
        del storage._connect, storage.has_table  # the class's methods again
        with storage._db_lock:
            for engine in engines.values():
                engine.dispose()  # closes the kept connections
            engines.clear()
