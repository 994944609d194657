"""The dbt docs site of a run, generated beside its publication instead of before it.

``dbt docs generate`` (~7 s: a second dbt process that parses the project, compiles every model
and reads the catalog) runs only when the project, dbt or the catalog changed
(``analyst_exports.dbt_docs_key``); the published reports, Parquet files and warehouse do not wait
for it:

1. ``start`` (the ``dbt_docs`` publication step): the page with the run's key, published or
   cached, is staged as before. Otherwise the build file is copied, whole, to
   ``.<warehouse>.dbt/docs-catalog/`` (dbt cannot open the build file while the run writes it,
   and a copy gives dbt exactly the run's catalog and data: ``rpt_region_year`` reads rows when
   it compiles), and ``dbt docs generate`` is started on the copy, in the background. The
   previously published page is staged meanwhile, so the site is never missing.
2. ``finish`` (the ``dbt_docs_page`` step, after ``published_warehouse``): waits for dbt and
   renames its page into the *published* reports folder (a reader sees the old page or the new
   one, whole). A failure is logged and reported by the step, but does not fail the load: the
   warehouse and the reports are already published, and the old page keeps its old key, so the
   next run generates the page again.
3. ``stop``: whatever a run started and did not wait for (a blocked or failed run never reaches
   ``finish``) is ended, and its copy removed, when the run ends (``docs_generation_resource``:
   it requires the writer's lock, so Dagster tears it down before the lock is released): no dbt
   process outlives its run.

One pending generation per warehouse (the run holds its writer's lock).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from pipelines.publish.analyst_exports import (
    DBT_DOCS_DIR_NAME,
    dbt_docs_command,
    dbt_docs_key,
    install_dbt_docs,
    reuse_dbt_docs,
)
from pipelines.publish.publication import checkpoint
from pipelines.settings import DBT_PROJECT_DIR
from pipelines.transform.project import warehouse_target_dir

FINISH_TIMEOUT_S = 600  # dbt docs of the national warehouse: ~10 s


@dataclass
class _Pending:
    process: subprocess.Popen
    key: str
    static: Path  # the page dbt writes
    catalog_copy: Path  # the copy of the build file dbt reads
    log: object  # dbt's output (a temporary file)


_PENDING: dict[Path, _Pending] = {}  # warehouse -> its run's generation


def start(warehouse: Path, build_db: Path, reports_build: Path, published_reports: Path,
          dbt_vars: dict[str, str]) -> str:
    """Stage the docs page of this run's key if one exists ('reused'), else start generating it
    ('started'; ``finish`` publishes it)."""
    warehouse = Path(warehouse)
    html = Path(reports_build) / DBT_DOCS_DIR_NAME / "index.html"
    key = dbt_docs_key(build_db, dbt_vars)
    if reuse_dbt_docs(key, html, published_reports):
        return "reused"
    stop(warehouse)
    previous = Path(published_reports) / DBT_DOCS_DIR_NAME / "index.html"
    if previous.exists():  # shown until the new page replaces it
        html.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(previous, html)
    folder = warehouse_target_dir(warehouse, "docs-catalog")  # fixed: dbt keeps its parse
    catalog_copy = folder / Path(build_db).name  # the same name: the same database name for dbt
    checkpoint(build_db)  # one file, nothing left in a WAL
    shutil.copyfile(build_db, catalog_copy)
    target = warehouse_target_dir(warehouse, "docs")
    static = target / "static_index.html"
    static.unlink(missing_ok=True)  # a page of an earlier run
    command, env = dbt_docs_command(catalog_copy, target, folder / "logs", dbt_vars)
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
    process = subprocess.Popen(command, env=env, cwd=str(DBT_PROJECT_DIR), stdout=log,
                               stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    _PENDING[warehouse] = _Pending(process, key, static, catalog_copy, log)
    return "started"


def finish(warehouse: Path, published_reports: Path) -> tuple[str, str | None]:
    """Wait for the generation ``start`` began and publish its page: ('none', None) when nothing
    was pending, ('published', None), or ('failed', what dbt said)."""
    pending = _PENDING.pop(Path(warehouse), None)
    if pending is None:
        return "none", None
    try:
        try:
            code = pending.process.wait(timeout=FINISH_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            _end(pending.process)
            return "failed", f"dbt docs generate did not finish within {FINISH_TIMEOUT_S} s"
        if code != 0 or not pending.static.exists():
            pending.log.seek(0)
            return "failed", f"dbt docs generate failed (exit {code}):\n{pending.log.read()[-4000:]}"
        install_dbt_docs(pending.static, Path(published_reports) / DBT_DOCS_DIR_NAME / "index.html",
                         pending.key)
        return "published", None
    finally:
        _clean(pending)


def stop(warehouse: Path) -> None:
    """End a generation the run did not wait for, and remove its copy of the build file."""
    pending = _PENDING.pop(Path(warehouse), None)
    if pending is not None:
        _end(pending.process)
        _clean(pending)


def _end(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _clean(pending: _Pending) -> None:
    pending.log.close()
    for path in (pending.catalog_copy, pending.catalog_copy.with_name(pending.catalog_copy.name + ".wal")):
        path.unlink(missing_ok=True)
    shutil.rmtree(pending.catalog_copy.with_name(pending.catalog_copy.name + ".tmp"), ignore_errors=True)


@dg.resource(
    required_resource_keys={"writer_lock"},
    description="后台生成 dbt 文档的进程随运行结束（在释放单写入锁之前）。 A dbt docs generation the run "
    "started and did not wait for ends with the run, before the writer's lock is released.",
)
def docs_generation_resource(init_context: dg.InitResourceContext) -> Iterator[Path]:
    # resources are torn down in the reverse order of their start: this one before the lock it requires
    warehouse = Path(init_context.resources.writer_lock)
    try:
        yield warehouse
    finally:
        stop(warehouse)
