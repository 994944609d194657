"""What a run publishes for analysts besides the warehouse, when only part of it changed.

- The Parquet export writes again only the marts whose content changed; the others are carried
  over from the published folder. Whatever was carried, every published file reads back equal to
  what a full export of the published warehouse writes (rows, columns and types, metadata).
- The dbt docs site, when it must be generated again, is generated beside the run: the reports
  are published without waiting for it, the page replaces the published one when dbt is done, a
  failure leaves the old page and does not fail the load, and nothing outlives the run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import uuid

import dagster as dg
import duckdb
import pytest

from pipelines import writer_lock as writer_lock_module
from pipelines.publish import docs_beside_run
from pipelines.publish.analyst_exports import (
    DIGEST_KEY,
    dbt_docs_key,
    export_marts_parquet,
    stage_marts_parquet,
)
from pipelines.publish.docs_beside_run import docs_generation_resource
from pipelines.publish.publication import publish_reports
from pipelines.settings import PipelineSettings
from pipelines.writer_lock import lock_path, writer_lock_resource
from tests.analysts.conftest import failure_text, run_args, run_cli
from tests.pipeline.test_selective_dbt_build import first_load, later_filings


def _differences(a, b) -> list[str]:
    """What differs between two Parquet files read back: columns and types, the comments'
    metadata, and the rows as a multiset."""
    con = duckdb.connect()
    try:
        out = []
        schema = "select name, type from parquet_schema(?) order by all"
        if con.execute(schema, [str(a)]).fetchall() != con.execute(schema, [str(b)]).fetchall():
            out.append("schema")
        meta = "select key, value from parquet_kv_metadata(?) order by key"
        if con.execute(meta, [str(a)]).fetchall() != con.execute(meta, [str(b)]).fetchall():
            out.append("metadata")
        for x, y in ((a, b), (b, a)):
            extra = con.execute(f"select count(*) from (select * from read_parquet('{x}') "
                                f"except all select * from read_parquet('{y}'))").fetchone()[0]
            if extra:
                out.append(f"{extra} rows of {x.name} not in the other")
        return out
    finally:
        con.close()


def full_export(warehouse, folder):
    """What a full export of ``warehouse`` writes: nothing carried."""
    staged, names, carried = stage_marts_parquet(warehouse, folder)
    assert carried == []
    publish_reports(staged, folder)
    return names


# ---------------------------------------------------------------------------------- Parquet

def test_only_changed_marts_are_written_and_the_set_equals_a_full_export(tmp_path):
    build = tmp_path / ".w.duckdb.building"
    con = duckdb.connect(str(build))
    con.execute("create schema marts")
    con.execute("create table marts.dim_kept as select range as id, 'x' || range as label from range(1000)")
    con.execute("create table marts.fct_changed as select range as id, (range * 0.1)::double as v "
                "from range(1000)")
    con.execute("create table marts.fct_commented as select 1 as id")
    con.close()
    target = tmp_path / "parquet"
    export_marts_parquet(build, target)
    inode = {p.name: p.stat().st_ino for p in target.iterdir()}

    con = duckdb.connect(str(build))
    con.execute("update marts.fct_changed set v = v + 1e-12 where id = 999")  # one bit of one value
    con.execute("comment on column marts.fct_commented.id is 'now commented / 有注释'")  # metadata only
    con.execute("create table marts.fct_new as select 2 as id")
    con.close()
    staged, names, carried = stage_marts_parquet(build, target, carry_from=target)

    assert names == ["dim_kept.parquet", "fct_changed.parquet", "fct_commented.parquet", "fct_new.parquet"]
    assert carried == ["dim_kept.parquet"]
    # carried: the published file itself (a hard link), not a copy written again
    assert (staged / "dim_kept.parquet").stat().st_ino == inode["dim_kept.parquet"]
    full = tmp_path / "full"
    assert full_export(build, full) == names
    for name in names:
        assert _differences(staged / name, full / name) == [], name
    con = duckdb.connect()
    changed = staged / "fct_changed.parquet"
    [(v,)] = con.execute(f"select v from read_parquet('{changed}') where id = 999").fetchall()
    assert v == 999 * 0.1 + 1e-12
    con.close()


# ---------------------------------------------------------------------------------- dbt docs

@pytest.fixture
def changed_catalog(published, tmp_path):
    """A build file whose catalog no page was made for (a column comment no run has had), and a
    published reports folder holding an older page."""
    build = tmp_path / ".em_warehouse.duckdb.building"
    shutil.copyfile(published.warehouse, build)
    marker = f"docs beside the run {uuid.uuid4().hex[:12]}"
    con = duckdb.connect(str(build))
    con.execute(f"comment on column marts.fct_indicator_values.value is '{marker}'")
    con.close()
    reports = tmp_path / "pub" / "reports"
    shutil.copytree(published.reports / "dbt-docs", reports / "dbt-docs")
    staging = tmp_path / "pub" / ".reports.building"
    staging.mkdir()
    return tmp_path / "pub" / "em_warehouse.duckdb", build, staging, reports, marker


def test_docs_are_generated_beside_the_run_and_replace_the_published_page(changed_catalog):
    warehouse, build, staging, reports, marker = changed_catalog
    old = (reports / "dbt-docs" / "index.html").read_bytes()
    key = dbt_docs_key(build, {})
    try:
        assert docs_beside_run.start(warehouse, build, staging, reports, {}) == "started"
        # staged meanwhile: the published page, so the site is never missing
        assert (staging / "dbt-docs" / "index.html").read_bytes() == old
        outcome, problem = docs_beside_run.finish(warehouse, reports)
    finally:
        docs_beside_run.stop(warehouse)
    assert (outcome, problem) == ("published", None)
    text = (reports / "dbt-docs" / "index.html").read_text(encoding="utf-8")
    assert marker in text and text.rstrip().endswith(f"{key} -->")
    # nothing left: no copy of the build file, no partial page
    assert list((warehouse.parent / f".{warehouse.name}.dbt" / "docs-catalog").glob("*.duckdb*")) == []
    assert sorted(p.name for p in (reports / "dbt-docs").iterdir()) == ["index.html"]
    assert docs_beside_run.finish(warehouse, reports) == ("none", None)
    # the next run with this catalog reuses the page
    again = staging.parent / "again"
    assert docs_beside_run.start(warehouse, build, again, reports, {}) == "reused"
    assert (again / "dbt-docs" / "index.html").read_text(encoding="utf-8") == text


def test_a_failed_generation_keeps_the_published_page(changed_catalog, monkeypatch):
    warehouse, build, staging, reports, _ = changed_catalog
    old = (reports / "dbt-docs" / "index.html").read_bytes()
    fail = [sys.executable, "-c", "import sys; print('dbt says no'); sys.exit(2)"]
    monkeypatch.setattr(docs_beside_run, "dbt_docs_command", lambda *a: (fail, None))
    try:
        assert docs_beside_run.start(warehouse, build, staging, reports, {}) == "started"
        outcome, problem = docs_beside_run.finish(warehouse, reports)
    finally:
        docs_beside_run.stop(warehouse)
    assert outcome == "failed" and "exit 2" in problem and "dbt says no" in problem
    assert (reports / "dbt-docs" / "index.html").read_bytes() == old


def test_a_generation_the_run_did_not_wait_for_ends_with_it(changed_catalog, monkeypatch):
    warehouse, build, staging, reports, _ = changed_catalog
    sleep = [sys.executable, "-c", "import time; time.sleep(60)"]
    monkeypatch.setattr(docs_beside_run, "dbt_docs_command", lambda *a: (sleep, None))
    settings = PipelineSettings(warehouse=str(warehouse))
    seen_at_stop = []
    real_stop = docs_beside_run.stop

    def stop_and_look(folder):
        seen_at_stop.append(lock_path(warehouse) in writer_lock_module._held)
        real_stop(folder)

    monkeypatch.setattr(docs_beside_run, "stop", stop_and_look)
    # the run's resources as Dagster starts and ends them (definitions.py)
    with dg.build_resources({"settings": settings, "writer_lock": writer_lock_resource,
                             "docs_generation": docs_generation_resource}):
        assert docs_beside_run.start(warehouse, build, staging, reports, {}) == "started"
        process = docs_beside_run._PENDING[warehouse].process
        assert process.poll() is None
    assert process.poll() is not None  # ended with the run
    # once by start (an earlier generation), once by the resource at the run's end: both before
    # the writer's lock was released
    assert seen_at_stop == [True, True]
    assert lock_path(warehouse) not in writer_lock_module._held
    assert list((warehouse.parent / f".{warehouse.name}.dbt" / "docs-catalog").glob("*.duckdb*")) == []


# ---------------------------------------------------------------------------------- a run

@pytest.fixture(scope="module")
def increment(tmp_path_factory):
    """The hand-made folder loaded without its later filings, then with them (a new month, a
    corrected file, a revision, a GDP revision, a plan revision)."""
    root = tmp_path_factory.mktemp("increment_exports")
    data = first_load(root)
    warehouse, reports = root / "pub" / "em_warehouse.duckdb", root / "pub" / "reports"
    home = root / "dagster_home"
    home.mkdir()
    first = run_cli(*run_args(data, warehouse, reports), dagster_home=home)
    assert first.returncode == 0, failure_text(first)
    later_filings(root, data)
    second = run_cli(*run_args(data, warehouse, reports), dagster_home=home)
    assert second.returncode == 0, failure_text(second)
    return root, warehouse, reports, second.stdout


def test_after_an_increment_every_parquet_file_equals_a_full_export(increment):
    root, warehouse, _, log = increment
    [(written, carried)] = re.findall(r"written (\d+), carried over unchanged (\d+)", log)
    assert int(written) > 0 and int(carried) > 0  # the new month changed some marts, not all
    published = warehouse.parent / "parquet"
    names = full_export(warehouse, root / "full")
    assert sorted(p.name for p in published.iterdir()) == names
    con = duckdb.connect()
    for name in names:
        assert _differences(published / name, root / "full" / name) == [], name
        digest = con.execute("select value from parquet_kv_metadata(?) where key = ?",
                             [str(published / name), DIGEST_KEY.encode()]).fetchall()
        assert len(digest) == 1, name
    con.close()


def test_after_the_run_the_docs_page_is_that_of_the_published_warehouse(increment):
    _, warehouse, reports, log = increment
    page = (reports / "dbt-docs" / "index.html").read_text(encoding="utf-8")
    assert page.rstrip().endswith(f"{dbt_docs_key(warehouse, {})} -->")
    assert "dbt_docs_page" in log
    # no dbt process of this warehouse outlives the run
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert str(warehouse.parent) not in ps
