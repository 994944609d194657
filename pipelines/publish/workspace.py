"""The private build file: where a run works, never the file analysts hold.

A run starts from a copy of the published warehouse (so loads stay incremental: unchanged files
are skipped) or from an empty file; it is only ever published whole, by atomic rename.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb

from pipelines.errors import PipelineError
from pipelines.settings import STORAGE_VERSION
from pipelines.sql import sql_string

# The lock of the current process, kept open until publication or process exit (the kernel
# releases an flock when its holder dies, so a killed run never leaves a stale lock).
_held_locks: dict[Path, int] = {}


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(f".{warehouse.name}.lock")


def check_writable(folder: Path, what_zh: str, what_en: str) -> None:
    """Fail with a clear message (naming the folder) when ``folder`` cannot be created or written:
    a run would otherwise stop half-way with an operating-system traceback."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".em-write-test-"):
            pass
    except OSError as exc:
        raise PipelineError(
            f"无法写入{what_zh} {folder}：{exc.strerror or exc}。请检查该文件夹的权限"
            "（或磁盘是否只读、已满），或用命令行参数指定另一个文件夹；本次运行未做任何改动。",
            f"Cannot write to the {what_en} {folder}: {exc.strerror or exc}. Check the folder's permissions "
            "(or whether the disk is read-only or full), or give another folder on the command line; "
            "this run changed nothing.",
        ) from None


def acquire_lock(warehouse: Path) -> None:
    """Take the single-writer lock of this warehouse, or fail at once with a clear message."""
    path = lock_path(warehouse)
    if path in _held_locks:
        return
    check_writable(warehouse.parent, "数据仓库所在的文件夹", "warehouse folder")
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise PipelineError(
            f"无法创建加载锁文件 {path}：{exc.strerror or exc}。请检查数据仓库文件夹的权限。",
            f"Cannot create the load lock {path}: {exc.strerror or exc}. Check the warehouse folder's "
            "permissions.",
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise PipelineError(
            f"另一个加载任务正在写入数据仓库 {warehouse}，本次运行已放弃；请待其结束后重试。",
            f"Another load is writing the warehouse {warehouse}; this run did not start. "
            "Retry when it has finished.",
        ) from None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    _held_locks[path] = fd


def release_lock(warehouse: Path) -> None:
    fd = _held_locks.pop(lock_path(warehouse), None)
    if fd is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


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

