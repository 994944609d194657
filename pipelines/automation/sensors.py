"""Notice files dropped into the data folder and start a load, once per file content.

Every minute the sensor lists the files the loaders would read (``<data>/<source>/*.xlsx|csv``
and the legacy formats they reject with a message) with the loaders' own ``source_entries``,
hashes them with their ``sha256_of`` and asks for a run for each content (SHA-256) it has not
seen. Seen = contents already in the published warehouse's
``raw.files`` (so a loaded file never triggers) plus contents it already asked for (its cursor).
The run key is the content's hash: Dagster never starts two runs for the same key either.

- A file still being copied (modified less than ``SETTLE_SECONDS`` ago) waits for the next tick.
- More than ``BATCH_ABOVE`` new files in one tick (a whole year dropped at once, the first start)
  give one run for all of them: every run loads the whole folder anyway.
- Hashes are cached in the cursor by size and modification time: a tick re-reads only files that
  changed on disk.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.automation.jobs import full_run_job
from pipelines.enumerations import SOURCES
from pipelines.ingest.discovery import sha256_of, source_entries
from pipelines.settings import PipelineSettings

SETTLE_SECONDS = 30
BATCH_ABOVE = 3
CURSOR_VERSION = 1


@dataclass(frozen=True)
class DataFile:
    name: str  # "source/file name"
    sha256: str
    size: int
    mtime_ns: int


def data_files(data_dir: Path, cache: dict[str, list] | None = None,
               settle_seconds: float = 0, now: float | None = None) -> tuple[list[DataFile], list[str]]:
    """(files the loaders would read, names still being written). ``cache``: name → [size, mtime_ns, sha]."""
    cache = cache or {}
    now = time.time() if now is None else now
    found, settling = [], []
    for source in SOURCES:
        # The loaders' own listing: the same files, the same refusals.
        for entry in source_entries(data_dir, source):
            if not entry.is_readable:
                continue  # refused by the loaders with a message; nothing to hash
            stat = entry.path.stat()
            name = f"{source}/{entry.name}"
            if now - stat.st_mtime < settle_seconds:
                settling.append(name)
                continue
            cached = cache.get(name)
            if cached and cached[0] == stat.st_size and cached[1] == stat.st_mtime_ns:
                digest = cached[2]
            else:
                try:
                    digest = sha256_of(entry.path)
                except PermissionError:
                    continue  # the run refuses it with a message; nothing to hash
            found.append(DataFile(name, digest, stat.st_size, stat.st_mtime_ns))
    return found, settling


def new_file_requests(files: list[DataFile], seen: set[str]) -> list[dg.RunRequest]:
    """One run request per content not seen before (run key: its hash); one for a large batch."""
    new: dict[str, DataFile] = {}
    for f in files:
        if f.sha256 not in seen and f.sha256 not in new:
            new[f.sha256] = f
    if len(new) > BATCH_ABOVE:
        digest = hashlib.sha256("".join(sorted(new)).encode()).hexdigest()
        names = [f.name for f in new.values()]
        return [dg.RunRequest(run_key=f"files-{digest}", tags={
            "em/trigger": "file", "em/files": str(len(names)), "em/file": f"{names[0]} …"})]
    return [dg.RunRequest(run_key=f"file-{digest}", tags={"em/trigger": "file", "em/file": f.name})
            for digest, f in new.items()]


class WarehouseBusy(Exception):
    """The published file cannot be read now (someone holds it read-write)."""


def loaded_hashes(warehouse: Path) -> set[str]:
    """Contents the published warehouse already holds (loaded or rejected): they never trigger."""
    if not warehouse.exists():
        return set()
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as exc:
        raise WarehouseBusy(str(exc)) from exc
    try:
        return {row[0] for row in con.execute("select file_sha256 from raw.files").fetchall() if row[0]}
    except duckdb.CatalogException:
        return set()  # published before any file was loaded
    finally:
        con.close()


def read_cursor(text: str | None) -> tuple[set[str], dict[str, list]] | None:
    if not text:
        return None
    state = json.loads(text)
    return set(state.get("seen", [])), dict(state.get("files", {}))


def write_cursor(seen: set[str], files: list[DataFile]) -> str:
    return json.dumps({"v": CURSOR_VERSION, "seen": sorted(seen),
                       "files": {f.name: [f.size, f.mtime_ns, f.sha256] for f in files}},
                      separators=(",", ":"))


def evaluate(settings: PipelineSettings, cursor: str | None, settle_seconds: float = SETTLE_SECONDS,
             now: float | None = None) -> tuple[list[dg.RunRequest], str | None, str]:
    """(run requests, new cursor or None to keep it, a reason when nothing is requested)."""
    state = read_cursor(cursor)
    seen, cache = state if state else (set(), {})
    try:
        seen |= loaded_hashes(settings.warehouse_path)
    except WarehouseBusy as exc:
        if state is None:
            # Without a cursor, not knowing what is loaded would ask for every file: wait.
            return [], None, f"已发布的数据仓库暂不可读，下次再试 published warehouse not readable now: {exc}"
    if not settings.data_path.is_dir():
        return [], None, f"数据目录不存在 data folder missing: {settings.data_path}"
    files, settling = data_files(settings.data_path, cache, settle_seconds, now)
    requests = new_file_requests(files, seen)
    now_seen = seen | {f.sha256 for f in files}
    new_cursor = write_cursor(now_seen, files)
    if requests:
        return requests, new_cursor, ""
    reason = "没有新文件或变化的文件 no new or changed files"
    if settling:
        reason += f"; 正在写入，稍后处理 still being written: {', '.join(settling)}"
    return [], (new_cursor if new_cursor != cursor else None), reason


@dg.sensor(
    job=full_run_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="数据目录出现新文件或文件内容变化时启动加载（同一内容只触发一次；已加载的文件不触发）。"
    " Starts a load when a new or changed file appears in the data folder (once per content).",
)
def new_data_files_sensor(context: dg.SensorEvaluationContext, settings: PipelineSettings):
    requests, cursor, reason = evaluate(settings, context.cursor)
    if cursor is not None:
        context.update_cursor(cursor)
    if requests:
        for request in requests:
            context.log.info(f"新文件 new file: {request.tags.get('em/file')} → run key {request.run_key}")
        return requests
    return dg.SkipReason(reason)


sensors = [new_data_files_sensor]
