"""The project's ``duckdb__persist_docs`` (dbt_project/macros/persist_docs.sql), run by a real
``dbt build`` on a new DuckDB file: every documented column and the table itself carry their
description from the models' and seeds' YAML, exactly, and dbt sends them in one statement per
relation after one look at its columns (dbt-duckdb's own macros sent the table's comment, two
DESCRIBEs and the columns' comments: four round trips)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import duckdb
import pytest

from pipelines.settings import DBT_PROJECT_DIR
from pipelines.transform.project import dbt_executable

# A contracted table, a table without a contract, and the seeds they read (no raw table needed).
SELECTION = ["+dim_code_label", "+int_indicators_defined"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path, dict]:
    work = tmp_path_factory.mktemp("persist_docs")
    db, target, logs = work / "build.duckdb", work / "target", work / "logs"
    env = {**os.environ, "EM_BUILD_DB": str(db), "EM_DBT_AS_OF": "2026-11-26",
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    proc = subprocess.run(
        [dbt_executable(), "build", "--select", *SELECTION, "--exclude-resource-type", "test",
         "unit_test", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
         "--target-path", str(target), "--log-path", str(logs), "--log-format-file", "json",
         "--log-level-file", "debug"],
        env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    return db, logs / "dbt.log", manifest


def _built_nodes(manifest: dict) -> list[dict]:
    names = {"dim_code_label", "int_indicators_defined"}
    nodes = [n for n in manifest["nodes"].values()
             if n["name"] in names or (n["resource_type"] == "seed" and any(
                 n["unique_id"] in m["depends_on"]["nodes"] for m in manifest["nodes"].values()
                 if m["name"] in names))]
    assert len(nodes) == 19, [n["name"] for n in nodes]  # the 2 models and the 17 seeds they read
    return nodes


def test_every_table_and_documented_column_has_its_description(built):
    db, _, manifest = built
    con = duckdb.connect(str(db), read_only=True)
    try:
        for node in _built_nodes(manifest):
            schema, name = node["schema"], node["alias"]
            table_comment = con.execute(
                "select comment from duckdb_tables() where schema_name = ? and table_name = ?",
                [schema, name]).fetchone()
            assert table_comment == (node["description"],), name
            comments = dict(con.execute(
                "select column_name, comment from duckdb_columns() where schema_name = ? "
                "and table_name = ?", [schema, name]).fetchall())
            documented = {c: col["description"] for c, col in node["columns"].items()}
            assert documented, name
            assert {c: comments.get(c) for c in documented} == documented, name
            # a documented description is bilingual ("English / 中文"), so a swapped or truncated
            # comment would not pass the equality above unnoticed
            assert all(" / " in d for d in documented.values()), name
    finally:
        con.close()


def test_one_statement_sets_a_relations_comments_after_one_look_at_its_columns(built):
    _, log, manifest = built
    statements: dict[str, list[str]] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        if event["info"]["name"] == "SQLQuery":
            uid = (event["data"].get("node_info") or {}).get("unique_id")
            sql = re.sub(r"/\*.*?\*/", "", event["data"]["sql"], flags=re.S).strip().lower()
            statements.setdefault(uid, []).append(sql)
    for node in _built_nodes(manifest):
        sent = statements[node["unique_id"]]
        comments = [s for s in sent if s.startswith("comment on")]
        assert len(comments) == 1, node["name"]
        # the table's comment first, then one per documented column, in the same script
        assert comments[0].startswith("comment on table"), node["name"]
        assert comments[0].count("comment on column") == len(node["columns"]), node["name"]
        assert sum("from (describe" in s for s in sent) == 1, node["name"]
