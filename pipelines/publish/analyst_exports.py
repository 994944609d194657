"""What analysts get besides the warehouse file: the marts as Parquet and the dbt docs site.

Both are made from the private build file during publication, never from the published file:

- ``export_marts_parquet``: one ``<table>.parquet`` per table of schema ``marts``, written into a
  temporary folder beside the target and swapped in whole (like the reports), so a reader never
  sees a half-written set. The folder is ``<warehouse dir>/parquet/`` (``parquet_path``).
- ``write_dbt_docs``: ``dbt docs generate --static`` against the build file; its single
  self-contained ``static_index.html`` (opens from ``file://``, no network) is copied to
  ``<reports folder>/dbt-docs/index.html``.

No CSV is written here. Parquet cells are data, not spreadsheet formulas, and Parquet is not
opened by double-click in Excel, so no formula neutralisation is needed for these files.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import duckdb

from pipelines.publish.publication import publish_reports
from pipelines.settings import DBT_PROJECT_DIR, PipelineSettings
from pipelines.transform.project import dbt_executable

PARQUET_DIR_NAME = "parquet"
DBT_DOCS_DIR_NAME = "dbt-docs"


def parquet_path(settings: PipelineSettings) -> Path:
    """The published Parquet folder: ``parquet/`` beside the published warehouse file."""
    return settings.warehouse_path.parent / PARQUET_DIR_NAME


def _sql_str(text: str | Path) -> str:
    return str(text).replace("'", "''")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def export_marts_parquet(build_db: Path, target_dir: Path) -> list[Path]:
    """Write every table of schema ``marts`` to ``target_dir/<table>.parquet``; swap the folder in.

    The files carry the table and column comments (English / 中文) as Parquet key-value metadata
    (``em.table_comment``, ``em.column_comments`` as JSON). Returns the published file paths.
    """
    target_dir = Path(target_dir)
    target_dir.parent.mkdir(parents=True, exist_ok=True)
    building = target_dir.with_name(f".{target_dir.name}.building")
    if building.exists():
        shutil.rmtree(building)
    building.mkdir()
    con = duckdb.connect(str(build_db), read_only=True)
    try:
        tables = [
            (name, comment)
            for name, comment in con.execute(
                "select table_name, comment from duckdb_tables() "
                "where database_name = current_database() and schema_name = 'marts' order by table_name"
            ).fetchall()
        ]
        for table, comment in tables:
            columns = dict(
                con.execute(
                    "select column_name, coalesce(comment, '') from duckdb_columns() "
                    "where database_name = current_database() and schema_name = 'marts' and table_name = ? "
                    "order by column_index",
                    [table],
                ).fetchall()
            )
            metadata = {
                "em.table_comment": comment or "",
                "em.column_comments": json.dumps(columns, ensure_ascii=False),
            }
            kv = ", ".join(f"'{_sql_str(k)}': '{_sql_str(v)}'" for k, v in metadata.items())
            out = building / f"{table}.parquet"
            con.execute(
                f"copy (select * from marts.{_ident(table)}) to '{_sql_str(out)}' "
                f"(format parquet, compression zstd, kv_metadata {{{kv}}})"
            )
    finally:
        con.close()
    publish_reports(building, target_dir)  # the same whole-folder swap as the reports
    return sorted(target_dir / f"{table}.parquet" for table, _ in tables)


def write_dbt_docs(build_db: Path, target_dir: Path, *, as_of: date | None = None) -> Path:
    """Generate the dbt documentation site from the build file into ``target_dir/dbt-docs/index.html``.

    ``target_dir`` is the reports build folder (published with the reports). dbt writes its
    artefacts into a temporary folder, not into the project's ``target/``. Returns the HTML path.
    """
    out_dir = Path(target_dir) / DBT_DOCS_DIR_NAME
    with tempfile.TemporaryDirectory(prefix="em-dbt-docs-") as tmp:
        tmp_path = Path(tmp)
        command = [
            dbt_executable(), "docs", "generate", "--static", "--quiet",
            "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"),
        ]
        if as_of is not None:
            command += ["--vars", json.dumps({"as_of": as_of.isoformat()})]
        env = {**os.environ, "EM_BUILD_DB": str(Path(build_db).resolve())}
        proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False,
                              cwd=str(DBT_PROJECT_DIR))
        static = tmp_path / "target" / "static_index.html"
        if proc.returncode != 0 or not static.exists():
            raise RuntimeError(
                f"dbt docs generate failed (exit {proc.returncode}):\n"
                f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
            )
        out_dir.mkdir(parents=True, exist_ok=True)
        html = out_dir / "index.html"
        shutil.copyfile(static, html)
    return html
