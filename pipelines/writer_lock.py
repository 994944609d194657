"""The single-writer lock of a warehouse, held in one place: for as long as a run lives.

DuckDB allows one writer per file, and a run owns the private build file, the staging folders and
the publication journal beside the published warehouse: two runs at once would corrupt them. So a
run holds an exclusive ``flock`` on ``.<warehouse>.lock`` from its start to its end:

- every Dagster run (UI, schedule, sensor, command line) through the ``writer_lock`` resource,
  which the in-process executor initializes once when the run starts and tears down when it ends,
  whatever happened (the first step and the publishing step require it);
- the command line also takes it before it imports the definitions (a second run is refused at
  once, before the slow start), and holds it until it has written the run log.

Holds in one process nest (the command line's and its run's are one lock). The kernel releases an
``flock`` when its holder dies, so a killed run never leaves a stale lock. ``status`` reads the
holder's pid from ``/proc/locks`` (:func:`lock_path`).
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from pipelines.errors import PipelineError

# lock file -> (its descriptor, how many holds of this process share it)
_held: dict[Path, tuple[int, int]] = {}


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


def _acquire(warehouse: Path) -> None:
    path = lock_path(warehouse)
    if path in _held:
        fd, holds = _held[path]
        _held[path] = (fd, holds + 1)
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
    _held[path] = (fd, 1)


def _release(warehouse: Path) -> None:
    path = lock_path(warehouse)
    fd, holds = _held.pop(path)
    if holds > 1:
        _held[path] = (fd, holds - 1)
        return
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


@contextmanager
def writer_lock(warehouse: Path) -> Iterator[None]:
    """Hold the warehouse's single-writer lock, or fail at once with a clear message."""
    warehouse = Path(warehouse)
    _acquire(warehouse)
    try:
        yield
    finally:
        _release(warehouse)


@dg.resource(
    required_resource_keys={"settings"},
    description="数据仓库的单写入锁：运行开始时取得，运行结束时释放。 The warehouse's single-writer lock, "
    "held from the start of the run to its end.",
)
def writer_lock_resource(init_context: dg.InitResourceContext) -> Iterator[Path]:
    warehouse = init_context.resources.settings.warehouse_path
    with writer_lock(warehouse):
        yield warehouse
