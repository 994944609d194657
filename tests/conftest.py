"""Shared fixtures: every test works in temporary paths, never in the project's var/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(autouse=True, scope="session")
def _isolated_dagster_home(tmp_path_factory):
    """Session-wide, so module-scoped fixtures that run the CLI never touch the project's var/."""
    saved = dict(os.environ)
    os.environ["DAGSTER_HOME"] = str(tmp_path_factory.mktemp("dagster_home"))
    for name in ("EM_DATA_DIR", "EM_WAREHOUSE", "EM_REPORTS_DIR", "EM_AS_OF", "EM_STRICT", "EM_DBT_AS_OF"):
        os.environ.pop(name, None)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def run_paths(tmp_path: Path) -> dict[str, Path]:
    return {
        "warehouse": tmp_path / "out" / "warehouse.duckdb",
        "reports": tmp_path / "out" / "reports",
    }


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("EM_BUILD_DB", None)
    return env
