"""Run the project's dbt on a test's DuckDB file (a subprocess, as the pipeline runs it)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from pipelines.settings import DBT_PROJECT_DIR
from pipelines.transform.project import dbt_executable


def run_dbt(database: Path, *args: str, as_of: str, work_dir: Path, timeout: int = 900) -> str:
    """``dbt <args>`` against ``database`` with the run's as-of date; its output, or a failure."""
    env = {**os.environ, "EM_BUILD_DB": str(database), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    result = subprocess.run(
        [
            dbt_executable(), *args,
            "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target-path", str(work_dir / "target"), "--log-path", str(work_dir / "logs"),
            "--vars", json.dumps({"as_of": as_of}),
        ],
        env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    return result.stdout


def build_models(database: Path, select: list[str], *, as_of: str, work_dir: Path) -> str:
    """Build (seeds and models, no data tests) the selected nodes; unselected refs must exist."""
    return run_dbt(
        database, "build", "--select", *select,
        "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test",
        as_of=as_of, work_dir=work_dir,
    )
