"""Notice files dropped into the data folder and start a load, once per file content."""


import hashlib
import json
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.automation.jobs import full_run_job
from pipelines.ingest.raw_tables import SOURCES
from pipelines.settings import PipelineSettings


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_files(data_dir: Path) -> dict[str, str]:
    """`source/name` → SHA-256 of every file the loaders would read."""
    found = {}
    for source in SOURCES:
        folder = data_dir / source
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.is_file() and not path.name.startswith(("~$", ".")):
                found[f"{source}/{path.name}"] = _sha256(path)
    return found


def new_file_requests(data_dir: Path, seen: set[str]) -> tuple[list[dg.RunRequest], set[str]]:
    """One run request per file content not seen before; the run key is the content's hash."""
    requests, now_seen = [], set(seen)
    for name, digest in data_files(data_dir).items():
        if digest in now_seen:
            continue
        now_seen.add(digest)
        requests.append(dg.RunRequest(run_key=f"file-{digest}", tags={"em/trigger": "file", "em/file": name}))
    return requests, now_seen


def loaded_hashes(warehouse: Path) -> set[str]:
    """Contents the published warehouse already holds: they never trigger a run."""
    if not warehouse.exists():
        return set()
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {row[0] for row in con.execute("select file_sha256 from raw.files").fetchall()}
    except duckdb.Error:
        return set()
    finally:
        con.close()


@dg.sensor(job=full_run_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.STOPPED,
           description="数据目录出现新文件或文件内容变化时启动加载（同一内容只触发一次）。")
def new_data_files_sensor(context: dg.SensorEvaluationContext, settings: PipelineSettings):
    seen = set(json.loads(context.cursor)) if context.cursor else loaded_hashes(settings.warehouse_path)
    requests, now_seen = new_file_requests(settings.data_path, seen)
    for request in requests:
        yield request
    if now_seen != seen:
        context.update_cursor(json.dumps(sorted(now_seen)))
    if not requests:
        yield dg.SkipReason("没有新文件 no new or changed files")


sensors = [new_data_files_sensor]
