"""Publication: the only step that touches what analysts and leaders see.

The warehouse is replaced by an atomic rename of the finished build file; the reports folder is
swapped in by two renames. A run that dies before this leaves both exactly as they were.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish_warehouse(build: Path, warehouse: Path) -> int:
    """Checkpoint the build file and move it over the published one. Returns its size."""
    con = duckdb.connect(str(build))
    try:
        con.execute("checkpoint")
    finally:
        con.close()
    with open(build, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(build, warehouse)
    _fsync_dir(warehouse.parent)
    return warehouse.stat().st_size


def publish_reports(build_dir: Path, reports_dir: Path) -> None:
    """Swap the freshly written reports folder into place and drop the previous one."""
    reports_dir.parent.mkdir(parents=True, exist_ok=True)
    old = reports_dir.with_name(f".{reports_dir.name}.previous")
    if old.exists():
        shutil.rmtree(old)
    if reports_dir.exists():
        os.replace(reports_dir, old)
    os.replace(build_dir, reports_dir)
    _fsync_dir(reports_dir.parent)
    if old.exists():
        shutil.rmtree(old)
