"""Where the dbt project lives and how its manifest is kept current."""

from __future__ import annotations

import os
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from dagster_dbt import DbtProject

from pipelines.settings import DBT_PROJECT_DIR

MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"
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
    """The --vars of every dbt command of a run (build and docs): the as-of date. Plans come from
    the data folder's plans/ through the raw layer, never from a var (so no data-folder path
    reaches DuckDB's file readers, which would take it as a glob pattern)."""
    return {"as_of": as_of_iso}


def project_files() -> list[Path]:
    """Every file of the dbt project that dbt reads (generated folders excluded), sorted."""
    files = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in _WATCHED:
        files += [p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file()]
    return sorted(p for p in files if p.exists())


em_dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
