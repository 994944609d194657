"""Helpers: a hand-made data folder loaded into a warehouse file by the real loaders (no dbt)."""

from __future__ import annotations

import os
import time
from datetime import date, datetime
from pathlib import Path

import duckdb

from pipelines.ingest.load_log import record_source_load
from pipelines.ingest.loader import load_source
from pipelines.ingest.raw_tables import SOURCES

AS_OF = date(2026, 11, 26)
LOADED_AT = datetime(2026, 11, 26, 9, 0)


def age_files(folder: Path, seconds: float = 3600) -> None:
    """Make every file look written long ago (the sensor waits for files to settle)."""
    past = time.time() - seconds
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, (past, past))


def load_into(db: Path, data: Path, run_id: str = "run-1", loaded_at: datetime = LOADED_AT) -> dict:
    """Load every source of ``data`` into ``db`` as an ingest run would; returns revised counts."""
    db.parent.mkdir(parents=True, exist_ok=True)
    revised = {}
    con = duckdb.connect(str(db))
    try:
        for source in SOURCES:
            report = load_source(con, source, data, AS_OF, loaded_at)
            revised[source] = record_source_load(con, run_id, report, loaded_at)
    finally:
        con.close()
    return revised
