"""The private build file: where a run works, never the file analysts hold.

A run starts from a copy of the published warehouse (so loads stay incremental: unchanged files
are skipped) or from an empty file; it is only ever published whole, by atomic rename.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb

from pipelines.errors import PipelineError
from pipelines.settings import STORAGE_VERSION
from pipelines.sql import sql_string


def create_empty_warehouse(path: Path) -> None:
    """A new DuckDB file in the storage format analysts' 1.x clients can open."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        con.execute(f"attach {sql_string(path)} as fresh (storage_version '{STORAGE_VERSION}')")
        con.execute("detach fresh")
    finally:
        con.close()


def check_readable(path: Path) -> None:
    """Fail with a clear message (and the way out) when the published file is damaged."""
    try:
        con = duckdb.connect(str(path), read_only=True)
        con.execute("select count(*) from duckdb_tables()").fetchone()
        con.close()
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            return  # held by a writer elsewhere; copying its bytes is not our business to refuse
        raise _corrupt(path, exc) from None
    except duckdb.Error as exc:
        raise _corrupt(path, exc) from None


def _is_wal_mismatch(exc: PipelineError) -> bool:
    text = exc.message_en.lower()
    return "wal" in text and ("does not match" in text or "replaying" in text)


def prepare_build_file(warehouse: Path, build: Path, *, rebuild: bool = False,
                       log: Callable[[str], None] | None = None) -> str:
    """Make the private build file; returns how it started ('copy of published' or 'empty').

    A DuckDB WAL beside the published file that does not belong to it (an analyst's read-write
    session died after a later publication replaced the file) makes every open of the published
    file fail, although the file itself is sound. The run then starts from the file alone; the
    stale WAL is moved aside when the run publishes (publication.py)."""
    for stale in (build, build.with_name(build.name + ".wal")):
        if stale.exists():
            stale.unlink()
    if warehouse.exists() and not rebuild:
        try:
            check_readable(warehouse)
        except PipelineError as exc:
            if not _is_wal_mismatch(exc):
                raise
            shutil.copyfile(warehouse, build)
            try:
                check_readable(build)  # the file alone: sound, or damaged after all (--rebuild)
            except PipelineError:
                build.unlink(missing_ok=True)
                raise exc from None
            if log is not None:
                log(f"已发布文件旁的 WAL 文件 {warehouse}.wal 与该文件不匹配（某个读写会话异常退出后"
                    "留下），本次运行只使用文件本身，发布时把该 WAL 移开。 The WAL beside the published "
                    "file does not belong to it (left by a read-write session that died); this run "
                    "uses the file alone and moves the WAL aside when it publishes.")
            return "copy of published (stale WAL ignored)"
        shutil.copyfile(warehouse, build)
        return "copy of published"
    create_empty_warehouse(build)
    return "empty"


def _corrupt(path: Path, exc: Exception) -> PipelineError:
    return PipelineError(
        f"已发布的数据仓库文件 {path} 无法打开（可能已损坏）：{exc}。原始文件是唯一数据来源，"
        "可用 `python -m pipelines run --rebuild` 从原始文件重建。",
        f"The published warehouse {path} cannot be opened (it may be corrupt): {exc}. The raw files "
        "are the source of truth: rebuild from them with `python -m pipelines run --rebuild`.",
    )

