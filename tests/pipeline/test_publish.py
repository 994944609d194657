"""The private build file, the single-writer lock and atomic publication."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from pipelines.errors import PipelineError
from pipelines.publish.publication import publish_reports, publish_warehouse
from pipelines.publish.workspace import prepare_build_file
from pipelines.writer_lock import writer_lock


def test_new_build_file_opens_in_duckdb_1x_storage(tmp_path):
    warehouse, build = tmp_path / "w.duckdb", tmp_path / ".w.duckdb.building"
    assert prepare_build_file(warehouse, build) == "empty"
    con = duckdb.connect(str(build))
    tags = con.execute(
        "select tags from duckdb_databases() where database_name = current_database()"
    ).fetchone()[0]
    con.close()
    assert tags["storage_version"].startswith("v1.5.0")


def test_build_starts_from_a_copy_of_the_published_file(tmp_path):
    warehouse, build = tmp_path / "w.duckdb", tmp_path / ".w.duckdb.building"
    con = duckdb.connect(str(warehouse))
    con.execute("create table t as select 7 as v")
    con.close()
    assert prepare_build_file(warehouse, build) == "copy of published"
    con = duckdb.connect(str(build))
    assert con.execute("select v from t").fetchone() == (7,)
    con.execute("update t set v = 8")
    con.close()
    # the published file is untouched until publication
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select v from t").fetchone() == (7,)
    con.close()
    publish_warehouse(build, warehouse)
    assert not build.exists()
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select v from t").fetchone() == (8,)
    con.close()


def test_corrupt_published_file_gives_a_way_out(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    warehouse.write_bytes(b"this is not a duckdb file" * 100)
    with pytest.raises(PipelineError) as err:
        prepare_build_file(warehouse, tmp_path / ".w.building")
    assert "--rebuild" in err.value.message_zh and "--rebuild" in err.value.message_en
    assert prepare_build_file(warehouse, tmp_path / ".w.building", rebuild=True) == "empty"


def test_second_writer_is_refused_while_the_lock_is_held(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    code = (
        "import sys; from pathlib import Path\n"
        "from pipelines.writer_lock import writer_lock\n"
        "from pipelines.errors import PipelineError\n"
        f"try:\n    with writer_lock(Path({str(warehouse)!r})):\n        pass\nexcept PipelineError as e:\n"
        "    print(e.message_en); sys.exit(3)\n"
    )
    with writer_lock(warehouse):
        with writer_lock(warehouse):  # holds of one process nest (the CLI's and its run's)
            pass
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert proc.returncode == 3
        assert "Another load is writing" in proc.stdout
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0


def test_reports_folder_is_swapped_whole(tmp_path):
    reports, build = tmp_path / "reports", tmp_path / ".reports.building"
    reports.mkdir()
    (reports / "old.html").write_text("old")
    build.mkdir()
    (build / "index.html").write_text("new")
    publish_reports(build, reports)
    assert sorted(p.name for p in reports.iterdir()) == ["index.html"]
    assert not build.exists()
