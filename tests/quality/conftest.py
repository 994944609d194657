"""Fixtures: a real build DuckDB in tmp_path and a private copy of the GX project."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest.raw_tables import create_raw_tables
from pipelines.settings import EXPECTATIONS_DIR, PipelineSettings
from tests.dbt_runner import build_models

AS_OF = "2026-03-15"


@pytest.fixture(scope="session", autouse=True)
def gx_root(tmp_path_factory) -> Path:
    """The committed GX project, copied: test runs never write into the repo's expectations/."""
    root = tmp_path_factory.mktemp("gx") / "expectations"
    shutil.copytree(EXPECTATIONS_DIR, root, ignore=shutil.ignore_patterns("uncommitted"))
    old = os.environ.get("EM_EXPECTATIONS_DIR")
    os.environ["EM_EXPECTATIONS_DIR"] = str(root)
    yield root
    if old is None:
        os.environ.pop("EM_EXPECTATIONS_DIR", None)
    else:
        os.environ["EM_EXPECTATIONS_DIR"] = old


@pytest.fixture
def make_settings(tmp_path):
    def make(strict: bool = False) -> PipelineSettings:
        (tmp_path / "data").mkdir(exist_ok=True)
        return PipelineSettings(
            warehouse=str(tmp_path / "w.duckdb"), data_dir=str(tmp_path / "data"),
            reports_dir=str(tmp_path / "reports"), as_of=AS_OF, strict=strict,
        )

    return make


@pytest.fixture
def settings(make_settings) -> PipelineSettings:
    return make_settings()


@pytest.fixture
def build(settings, tmp_path):
    """Build dbt nodes (seeds, models, the quality views) into the build file, as a run would."""

    def run(select: list[str]) -> None:
        build_models(settings.build_path, select, as_of=AS_OF, work_dir=tmp_path / "dbt")

    return run


@pytest.fixture
def con(settings):
    """A connection to the build file with the raw tables; close it before the checks run."""
    c = duckdb.connect(str(settings.build_path))
    create_raw_tables(c)
    yield c
    c.close()
