"""Where the dbt project lives and how its manifest is kept current.

Without dagster-dbt (~2 s to import): the command line reads these before the definitions, to
start dbt's parse of a new warehouse at once (``parse_ahead.py``). dagster-dbt's ``DbtProject``
is made with the dbt assets (``assets.py``)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from pipelines.settings import DBT_PROJECT_DIR, PipelineSettings

MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"
AS_OF_ENV = "EM_DBT_AS_OF"  # the run's as-of date, read by the macro as_of_date() (macros/dates.sql)
_WATCHED = ("models", "seeds", "macros", "tests", "snapshots")


def dbt_executable() -> str:
    """The dbt of the interpreter running us (the project's virtual environment)."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def _newest_source_mtime() -> float:
    newest = (DBT_PROJECT_DIR / "dbt_project.yml").stat().st_mtime
    for folder in _WATCHED:
        for path in (DBT_PROJECT_DIR / folder).rglob("*"):
            if path.is_file():
                newest = max(newest, path.stat().st_mtime)
    return newest


def ensure_manifest() -> Path:
    """Run `dbt parse` when the manifest is missing or older than the project's files.

    Only `dagster dev` prepares the manifest by itself; the CLI, tests and CI come through here.
    """
    if MANIFEST.exists() and MANIFEST.stat().st_mtime >= _newest_source_mtime():
        return MANIFEST
    env = {**os.environ, "EM_BUILD_DB": os.environ.get("EM_BUILD_DB", ":memory:")}
    proc = subprocess.run(
        [dbt_executable(), "parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR),
         "--profiles-dir", str(DBT_PROJECT_DIR)],
        env=env, capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"dbt parse failed:\n{proc.stdout}\n{proc.stderr}")
    return MANIFEST


@cache
def project_vars() -> dict[str, Any]:
    """The vars of ``dbt_project.yml`` as declared there (a run overrides only ``as_of``): the
    quality gate's thresholds and the first covered year live there once, for the models, and
    Python reads them here for its messages."""
    text = (DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8")
    return dict(yaml.safe_load(text)["vars"])


def dbt_vars(as_of_iso: str, data_dir: Path) -> dict[str, str]:  # noqa: ARG001 - one signature for all callers
    """The --vars of every dbt command of a run (build and docs): none. The as-of date goes in the
    environment (:func:`as_of_in_environment`): a var that changes every run would make dbt
    re-parse the whole project every run. Plans come from the data folder's plans/ through the
    raw layer, never from a var (so no data-folder path reaches DuckDB's file readers, which
    would take it as a glob pattern)."""
    return {}


@contextmanager
def as_of_in_environment(as_of_iso: str) -> Iterator[None]:
    """``EM_DBT_AS_OF`` set while a dbt process is started (it inherits os.environ), then put
    back as it was: the macro ``as_of_date()`` reads it when the models run."""
    before = os.environ.get(AS_OF_ENV)
    os.environ[AS_OF_ENV] = as_of_iso
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(AS_OF_ENV, None)
        else:
            os.environ[AS_OF_ENV] = before


def profile_environment(settings: PipelineSettings) -> dict[str, str]:
    """The profile's values of a run's dbt (dbt_project/profiles.yml reads them from the
    environment): the private build file and DuckDB's memory limit. One home for both the build
    (transform/assets.py) and the parse made ahead of it (parse_ahead.py): dbt reuses a parse only
    for the same profile values."""
    return {"EM_BUILD_DB": str(settings.build_path), "EM_DUCKDB_MEMORY_LIMIT": settings.memory_limit}


def warehouse_target_dir(warehouse: Path, purpose: str = "build") -> Path:
    """dbt's target folder of one warehouse (``.<name>.dbt/<purpose>`` beside it): its manifest
    and ``partial_parse.msgpack`` stay there between runs, so dbt re-parses only the files that
    changed since the last run on that warehouse (nothing, usually) instead of the whole project
    (~7 s on this machine). Per warehouse, because dbt reuses a parse only for the same profile
    values, and the profile's path is the warehouse's build file; the first run on a warehouse
    parses the whole project, while the sources load when the command line runs it
    (``parse_ahead.py``)."""
    target = Path(warehouse).with_name(f".{Path(warehouse).name}.dbt") / purpose
    target.mkdir(parents=True, exist_ok=True)
    return target


def project_files() -> list[Path]:
    """Every file of the dbt project that dbt reads (generated folders excluded), sorted."""
    files = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in _WATCHED:
        files += [p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file()]
    return sorted(p for p in files if p.exists())

