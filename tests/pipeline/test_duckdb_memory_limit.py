"""DuckDB's memory limit for the build: one setting; dbt's DuckDB gets all of it, the pipeline's
own connections half, the Parquet export a quarter.

DuckDB's own default is 80 % of the machine's RAM; a national build held 6 GB in dbt's process.
"""

from __future__ import annotations

import os
import subprocess

import duckdb
import pytest

from pipelines.errors import PipelineError
from pipelines.settings import DBT_PROJECT_DIR, DEFAULT_DUCKDB_MEMORY_LIMIT, PipelineSettings, memory_share
from pipelines.transform.project import dbt_executable


def _mib(size: str) -> float:
    """DuckDB's reported size in MiB: '953.6 MiB', '1.9 GiB'."""
    number, unit = size.split()
    return float(number) * {"KiB": 1 / 1024, "MiB": 1, "GiB": 1024}[unit]


def test_default_then_environment_then_the_resource(monkeypatch, tmp_path):
    monkeypatch.delenv("EM_DUCKDB_MEMORY_LIMIT", raising=False)
    settings = PipelineSettings(warehouse=str(tmp_path / "w.duckdb"))
    assert settings.memory_limit == DEFAULT_DUCKDB_MEMORY_LIMIT == "1GB"
    # spills go beside the private build file, hidden like it
    assert settings.spill_path == tmp_path / ".w.duckdb.building.tmp"
    monkeypatch.setenv("EM_DUCKDB_MEMORY_LIMIT", " 512MB ")
    assert settings.memory_limit == "512MB"
    assert PipelineSettings(duckdb_memory_limit="2GiB").memory_limit == "2GiB"


@pytest.mark.parametrize("text", ["lots", "1 G", "-1GB", "80%", ""])
def test_a_malformed_limit_is_refused_in_both_languages(monkeypatch, text):
    monkeypatch.setenv("EM_DUCKDB_MEMORY_LIMIT", text or " ")
    with pytest.raises(PipelineError) as raised:
        PipelineSettings().memory_limit  # noqa: B018
    assert "EM_DUCKDB_MEMORY_LIMIT" in raised.value.message_zh
    assert "must be a memory size such as 1GB" in raised.value.message_en


@pytest.mark.parametrize(("limit", "half", "quarter"), [
    ("1GB", "500MB", "250MB"),  # DuckDB's GB and MB are powers of 1000
    ("2GiB", "1073MB", "536MB"),  # 2 x 2^30 / 2 = 1,073,741,824 bytes
    ("1.5GB", "750MB", "375MB"),
    (" 300 mb ", "150MB", "75MB"),
    ("1KB", "1MB", "1MB"),  # never below 1MB
])
def test_the_shares_of_the_limit(limit, half, quarter):
    assert memory_share(limit, 2) == half
    assert memory_share(limit, 4) == quarter


def test_the_pipelines_connections_use_half_of_it(monkeypatch, tmp_path):
    """The pipeline's process also holds Python, polars batches and GX's frames: its DuckDB gets
    half the limit (the Parquet export's too)."""
    monkeypatch.setenv("EM_DUCKDB_MEMORY_LIMIT", "300MB")
    settings = PipelineSettings(warehouse=str(tmp_path / "w.duckdb"))
    with settings.connect() as con:
        limit, spill, fsync = con.execute(
            "select current_setting('memory_limit'), current_setting('temp_directory'), "
            "current_setting('fsync_mode')").fetchone()
    assert _mib(limit) == pytest.approx(150e6 / 2**20, abs=0.1)  # DuckDB's MB are 10^6 bytes
    assert spill == str(settings.spill_path)
    # the private build file is not flushed per commit (publication flushes it before the swap)
    assert fsync == "NONE"


def test_dbts_duckdb_uses_it(tmp_path):
    """The profile gives dbt's DuckDB the limit the pipeline sets, and spills beside the file."""
    database = tmp_path / ".w.duckdb.building"
    duckdb.connect(str(database)).close()
    env = {**os.environ, "EM_BUILD_DB": str(database), "EM_DUCKDB_MEMORY_LIMIT": "300MB",
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    result = subprocess.run(
        [dbt_executable(), "show", "--inline",
         "select current_setting('memory_limit') as memory_limit, "
         "current_setting('temp_directory') as spill, current_setting('fsync_mode') as fsync",
         "--output", "json", "--log-format", "text",
         "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert '"memory_limit": "286.1 MiB"' in result.stdout
    assert f'"spill": "{database}.tmp"' in result.stdout
    assert '"fsync": "NONE"' in result.stdout
