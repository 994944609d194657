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
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine


@contextmanager
def fast_run_history(dagster_home: Path) -> Iterator[None]:
    """While the block runs: Dagster's SQLite WAL files under ``dagster_home`` are written with
    ``synchronous=NORMAL`` and kept open by one idle connection each (see the module's text)."""
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
        yield
    finally:
        event.remove(Engine, "connect", on_connect)
        with lock:
            for keeper in held.values():
                keeper.close()  # the last connection of a file checkpoints it (flushed to disk)
            held.clear()
