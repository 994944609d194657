"""The Parquet export of the marts and the dbt docs site, published with each run."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile

import duckdb
import pyarrow.parquet as pq
import pytest

from pipelines.publish.analyst_exports import (
    DOCS_CACHE,
    dbt_docs_key,
    export_marts_parquet,
    parquet_path,
    write_dbt_docs,
)
from pipelines.settings import PipelineSettings
from tests.analysts.conftest import duckdb_cli


def _marts_tables(warehouse) -> dict[str, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        names = [n for (n,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' order by 1").fetchall()]
        return {n: con.execute(f"select count(*) from marts.{n}").fetchone()[0] for n in names}
    finally:
        con.close()


# ---------------------------------------------------------------------------------- Parquet

def test_parquet_path_is_beside_the_published_warehouse(tmp_path):
    settings = PipelineSettings(warehouse=str(tmp_path / "w" / "em_warehouse.duckdb"))
    assert parquet_path(settings) == tmp_path / "w" / "parquet"


def test_run_publishes_one_parquet_file_per_mart(published):
    tables = _marts_tables(published.warehouse)
    # 18 + dim_code_label, dim_month, fct_record_revisions, rpt_region_year, and the plan marts:
    # dim_plan, dim_plan_version, fct_plan_target_versions, fct_period_comparison, fct_plan_ytd,
    # fct_plan_outlook; the monthly marts: fct_monthly_situation, fct_region_month_coverage,
    # fct_quota_usage, fct_quota_versions
    assert len(tables) == 32
    files = sorted(published.parquet.iterdir())
    assert [p.name for p in files] == [f"{t}.parquet" for t in sorted(tables)]
    # nothing of the swap left behind
    assert sorted(p.name for p in published.warehouse.parent.iterdir() if "parquet" in p.name) == ["parquet"]
    for path in files:
        table = pq.read_table(path)  # any Parquet reader, here pyarrow
        assert table.num_rows == tables[path.stem], path.name
        meta = table.schema.metadata
        assert " / " in meta[b"em.table_comment"].decode("utf-8"), path.name
        columns = json.loads(meta[b"em.column_comments"].decode("utf-8"))
        assert list(columns) == table.column_names
    comments = json.loads(pq.read_schema(published.parquet / "fct_indicator_values.parquet")
                          .metadata[b"em.column_comments"])
    assert "泊松" in comments["value_ci_low"]


def test_parquet_files_open_in_the_duckdb_1_5_cli(published):
    cli = duckdb_cli()
    if cli is None:
        pytest.skip("DuckDB CLI not installed (pip install duckdb-cli)")
    sql = (f"select region_code, value from read_parquet('{published.parquet}/fct_indicator_values.parquet') "
           "where indicator_code = 'deaths_per_100m_gdp' and year = 2020 and region_code = '230502'")
    proc = subprocess.run([str(cli), "-csv", "-c", sql], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["region_code,value", "230502,0.1"]  # 尖山区 2020: 5 / 50 亿元


def test_export_replaces_the_folder_whole(tmp_path):
    build = tmp_path / ".w.duckdb.building"
    con = duckdb.connect(str(build))
    con.execute("create schema marts")
    con.execute("create table marts.dim_x as select 1 as x, '=1+1' as formula_like_text")
    con.execute("comment on table marts.dim_x is 'X. / 某表。'")
    con.execute("comment on column marts.dim_x.x is 'An x. / 某列。'")
    con.execute("create view marts.v_not_exported as select 1 as y")
    con.execute("create table main.not_a_mart as select 1 as z")
    con.close()
    target = tmp_path / "parquet"
    target.mkdir()
    (target / "stale_from_an_older_run.parquet").write_bytes(b"old")

    written = export_marts_parquet(build, target)

    assert written == [target / "dim_x.parquet"]
    assert sorted(p.name for p in target.iterdir()) == ["dim_x.parquet"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".w.duckdb.building", "parquet"]
    table = pq.read_table(written[0])
    assert table.to_pylist() == [{"x": 1, "formula_like_text": "=1+1"}]
    assert table.schema.metadata[b"em.table_comment"].decode() == "X. / 某表。"
    assert json.loads(table.schema.metadata[b"em.column_comments"]) == {"x": "An x. / 某列。",
                                                                          "formula_like_text": ""}
    # the build file is untouched and still opens read-write for publication
    con = duckdb.connect(str(build))
    assert con.execute("select count(*) from marts.dim_x").fetchone() == (1,)
    con.close()


# ---------------------------------------------------------------------------------- dbt docs

def test_run_publishes_the_dbt_docs_site(published):
    html = published.reports / "dbt-docs" / "index.html"
    assert html.exists()
    text = html.read_text(encoding="utf-8")
    assert len(text) > 1_000_000  # manifest and catalog are inside the page
    assert "model.em_warehouse.fct_indicator_values" in text
    # the catalog was read from the build file: the columns' comments (JSON-escaped) are in it
    assert "Lower exact Poisson 95% limit" in text
    # it opens on the project's overview of the warehouse, not on dbt's stock "Welcome!" page
    assert "doc.em_warehouse.__overview__" in text and "Where to start (schema" in text
    # nothing loaded from the network: no external script, stylesheet or font
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']https?://", text)
    assert "fonts.googleapis" not in text
    # the reports index is still where it was
    assert (published.reports / "index.html").exists()


def test_write_dbt_docs_from_a_build_file_and_reuse_it_only_while_nothing_changed(published, tmp_path):
    build = tmp_path / ".copy.building"
    shutil.copyfile(published.warehouse, build)
    out = write_dbt_docs(build, tmp_path / "reports-build")
    assert out == tmp_path / "reports-build" / "dbt-docs" / "index.html"
    assert out.stat().st_size > 1_000_000
    # dbt wrote its artefacts elsewhere: nothing but the page in the target folder
    assert sorted(p.name for p in (tmp_path / "reports-build").rglob("*")) == ["dbt-docs", "index.html"]
    assert out.read_text(encoding="utf-8").rstrip().endswith(f"{dbt_docs_key(build, {})} -->")

    # Same project, vars and catalog: the page is reused byte for byte (a regenerated page differs:
    # dbt stamps generated_at into it).
    again = write_dbt_docs(build, tmp_path / "second", reuse_from=tmp_path / "reports-build")
    assert again.read_bytes() == out.read_bytes()
    # Another warehouse (no published page to reuse) with the same project and catalog: the page
    # kept under its key in the project's cache, not a second dbt process.
    assert (DOCS_CACHE / f"{dbt_docs_key(build, {})}.html").exists()
    elsewhere = write_dbt_docs(build, tmp_path / "other-warehouse")
    assert elsewhere.read_bytes() == out.read_bytes()

    # New loads change no catalog, but a changed column comment (or model, or var) does: regenerated.
    con = duckdb.connect(str(build))
    con.execute("comment on column marts.fct_indicator_values.value is 'changed for the docs test 测试'")
    con.close()
    changed = write_dbt_docs(build, tmp_path / "third", reuse_from=tmp_path / "reports-build")
    text = changed.read_text(encoding="utf-8")
    assert "changed for the docs test" in text
    assert dbt_docs_key(build, {}) in text[-200:]
    # the run's as-of date changes nothing in the site (compiled for the project's default date);
    # which other vars are set does (they may change what the models compile to), not their values
    assert dbt_docs_key(build, {"as_of": "2026-12-05"}) == dbt_docs_key(build, {})
    with_var = dbt_docs_key(build, {"include_as_of_month": "true"})
    assert with_var != dbt_docs_key(build, {})
    assert with_var == dbt_docs_key(build, {"include_as_of_month": "false"})


@pytest.mark.browser
def test_dbt_docs_open_offline_in_chromium(published):
    from pipelines.reports.pdf import BASE_FLAGS, find_chromium

    if find_chromium() is None:
        pytest.skip("Chromium 未安装（/usr/bin/chromium）：apt-get install -y chromium fonts-noto-cjk")
    sync_api = pytest.importorskip("playwright.sync_api")
    html = published.reports / "dbt-docs" / "index.html"
    outside: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as p, tempfile.TemporaryDirectory(prefix="em-pw-") as profile:
        context = p.chromium.launch_persistent_context(profile, executable_path=find_chromium(),
                                                       headless=True, args=BASE_FLAGS)
        try:
            page = context.new_page()
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file://", "data:"))
                    else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{html.as_uri()}#!/model/model.em_warehouse.fct_indicator_values", wait_until="load")
            page.wait_for_function("document.body.innerText.includes('value_ci_low')", timeout=30_000)
            body = page.inner_text("body")
        finally:
            context.close()
    assert "fct_indicator_values" in body and "泊松精确95%置信下限" in body
    assert outside == [], outside
    assert errors == [], errors
