"""What analysts get besides the warehouse file: the marts as Parquet and the dbt docs site.

Both are made from the private build file during publication, never from the published file:

- ``stage_marts_parquet``: one ``<table>.parquet`` per table of schema ``marts``, written into a
  staging folder beside the target; publication swaps it in together with the warehouse and the
  reports (``publication.publish_together``), so a reader never sees a half-written set, nor a set
  from another run than the warehouse. The folder is ``<warehouse dir>/parquet/``
  (``parquet_path``). ``export_marts_parquet`` stages and swaps on its own. Each file carries the
  digest of the content it was written from (``em.content_digest``): a table whose digest equals
  that of the published file is carried over (hard-linked into the staging folder) instead of
  written again, so the staged folder is always whole and equal to a full export.
- ``write_dbt_docs``: ``dbt docs generate --static`` against the build file; its single
  self-contained ``static_index.html`` (opens from ``file://``, no network) is copied to
  ``<reports folder>/dbt-docs/index.html``; regenerated only when dbt, the project, the vars or
  the catalog changed (``dbt_docs_key``), otherwise the published page — or the page another
  warehouse generated with the same key (``dbt_project/target/docs-cache/``) — is reused.

No CSV is written here. Parquet cells are data, not spreadsheet formulas, and Parquet is not
opened by double-click in Excel, so no formula neutralisation is needed for these files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import duckdb

from pipelines.publish.publication import publish_reports
from pipelines.settings import DBT_PROJECT_DIR, PipelineSettings
from pipelines.sql import sql_identifier, sql_string
from pipelines.transform.project import AS_OF_ENV, MANIFEST, dbt_executable, project_files

PARQUET_DIR_NAME = "parquet"
PARQUET_FORMAT = "1"  # bump when the export's layout or options change: every file is written again
DIGEST_KEY = "em.content_digest"
DOCS_FORMAT = "2"  # bump to regenerate every cached docs page
DBT_DOCS_DIR_NAME = "dbt-docs"
DOCS_CACHE = MANIFEST.parent / "docs-cache"  # <key>.html: pages by key, for every warehouse
DOCS_CACHE_KEEP = 4  # the most recently used pages kept in the cache


def parquet_path(settings: PipelineSettings) -> Path:
    """The published Parquet folder: ``parquet/`` beside the published warehouse file."""
    return settings.warehouse_path.parent / PARQUET_DIR_NAME


def parquet_staging_path(target_dir: Path) -> Path:
    """Where the Parquet files of a run are written before publication: ``.<name>.building``
    beside the published folder."""
    return Path(target_dir).with_name(f".{Path(target_dir).name}.building")


def export_marts_parquet(build_db: Path, target_dir: Path) -> list[Path]:
    """Write every table of schema ``marts`` to ``target_dir/<table>.parquet``; swap the folder in
    on its own. (A run publishes it with the warehouse and the reports as one unit instead:
    :func:`stage_marts_parquet` and ``publication.publish_together``.) Returns the file paths."""
    building, names, _ = stage_marts_parquet(build_db, target_dir, carry_from=target_dir)
    publish_reports(building, target_dir)  # the same whole-folder swap as the reports
    return sorted(Path(target_dir) / name for name in names)


def stage_marts_parquet(build_db: Path, target_dir: Path, config: dict[str, str] | None = None, *,
                        carry_from: Path | None = None) -> tuple[Path, list[str], list[str]]:
    """Write every table of schema ``marts`` to ``<staging>/<table>.parquet`` beside ``target_dir``
    (``.<name>.building``); returns the staging folder, the file names (for publication) and the
    names of the files carried over.

    The files carry the table and column comments (English / 中文) as Parquet key-value metadata
    (``em.table_comment``, ``em.column_comments`` as JSON), and the digest of their content
    (``em.content_digest``: :func:`content_digest`).

    ``carry_from``: the published Parquet folder. A table whose digest equals the one recorded in
    its published file is not written again: that file is hard-linked (or copied) into the staging
    folder. Files are never changed in place, so the published folder and the staged one may share
    them. ``config``: the run's DuckDB configuration (its memory limit: ``settings.duckdb_config``).
    """
    target_dir = Path(target_dir)
    target_dir.parent.mkdir(parents=True, exist_ok=True)
    building = parquet_staging_path(target_dir)
    if building.exists():
        shutil.rmtree(building)
    building.mkdir()
    carried: list[str] = []
    con = duckdb.connect(str(build_db), read_only=True, config=config or {})
    try:
        tables = [
            (name, comment)
            for name, comment in con.execute(
                "select table_name, comment from duckdb_tables() "
                "where database_name = current_database() and schema_name = 'marts' order by table_name"
            ).fetchall()
        ]
        for table, comment in tables:
            columns = con.execute(
                "select column_name, data_type, coalesce(comment, '') from duckdb_columns() "
                "where database_name = current_database() and schema_name = 'marts' and table_name = ? "
                "order by column_index",
                [table],
            ).fetchall()
            out = building / f"{table}.parquet"
            digest = content_digest(con, table, comment, columns)
            if carry_from is not None and _carry(con, Path(carry_from) / out.name, out, digest):
                carried.append(out.name)
                continue
            metadata = {
                "em.table_comment": comment or "",
                "em.column_comments": json.dumps({c: note for c, _, note in columns}, ensure_ascii=False),
                DIGEST_KEY: digest,
            }
            kv = ", ".join(f"{sql_string(k)}: {sql_string(v)}" for k, v in metadata.items())
            con.execute(
                f"copy (select * from marts.{sql_identifier(table)}) to {sql_string(out)} "
                f"(format parquet, compression zstd, kv_metadata {{{kv}}})"
            )
    finally:
        con.close()
    return building, [f"{table}.parquet" for table, _ in tables], carried


def content_digest(con: duckdb.DuckDBPyConnection, table: str, comment: str | None,
                   columns: list[tuple[str, str, str]]) -> str:
    """What a mart's Parquet file is written from: the export's format, DuckDB's version, the
    table's comment, its columns (name, type, comment) and its rows — their number, and the sum
    and the XOR of DuckDB's ``hash()`` of each whole row (every column, the load's lineage
    included, every bit of a floating-point value: the file must equal a full export). The order of
    the rows is not part of it: a table has none."""
    n, total, xor = con.execute(
        f"select count(*), coalesce(sum(h), 0)::varchar, coalesce(bit_xor(h), 0)::varchar "
        f"from (select hash(t) as h from marts.{sql_identifier(table)} as t)"
    ).fetchone()
    parts = [PARQUET_FORMAT, duckdb.__version__, table, comment or "", columns, n, total, xor]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def published_digest(con: duckdb.DuckDBPyConnection, path: Path) -> str | None:
    """The content digest recorded in a published Parquet file (None: no file, or none recorded)."""
    if not path.is_file():
        return None
    try:
        row = con.execute(
            "select value from parquet_kv_metadata(?) where key = ?", [str(path), DIGEST_KEY.encode()]
        ).fetchone()
    except duckdb.Error:
        return None  # unreadable: written again
    return bytes(row[0]).decode() if row else None


def _carry(con: duckdb.DuckDBPyConnection, published: Path, out: Path, digest: str) -> bool:
    """Put the published file in the staging folder when it was written from the same content."""
    if published_digest(con, published) != digest:
        return False
    try:
        os.link(published, out)
    except OSError:
        shutil.copyfile(published, out)
    return True


DOCS_KEY_MARK = "<!-- em-dbt-docs-key: "


def _docs_vars(dbt_vars: dict[str, str]) -> dict[str, str]:
    """The vars the docs are generated with: the run's, without ``as_of``. The compiled SQL the
    site shows is then compiled for the project's default as-of date (dbt_project.yml), as an
    ad-hoc ``dbt compile`` gives it: the site does not depend on the run's date, and a monthly
    run can reuse it. (``--no-compile`` would say so more plainly, but dbt 1.11 then fails to
    write the manifest the static page embeds.)"""
    return {k: v for k, v in dbt_vars.items() if k != "as_of"}


def dbt_docs_key(build_db: Path, dbt_vars: dict[str, str]) -> str:
    """What the docs site is made of: dbt's version, the project's files, which vars are set
    (a var may change what the models compile to; the values of the run's as-of date do not)
    and the build file's catalog (tables, views, columns, types, comments; dbt-duckdb's catalog
    has no row counts or other statistics). Equal keys give the same site, whatever was loaded."""
    from dbt.version import __version__ as dbt_version

    digest = hashlib.sha256()
    digest.update(f"{DOCS_FORMAT}|{dbt_version}|{sorted(_docs_vars(dbt_vars))}\n".encode())
    for path in project_files():
        digest.update(str(path.relative_to(DBT_PROJECT_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    con = duckdb.connect(str(build_db), read_only=True)
    try:
        catalog = con.execute(
            """
            select t.schema_name, t.table_name, t.kind, t.comment,
                   c.column_index, c.column_name, c.data_type, c.comment
            from (select schema_name, table_name, 'table' as kind, comment from duckdb_tables()
                  where database_name = current_database()
                  union all
                  select schema_name, view_name, 'view', comment from duckdb_views()
                  where database_name = current_database() and not internal) t
            left join duckdb_columns() c
              on c.database_name = current_database() and c.schema_name = t.schema_name
             and c.table_name = t.table_name
            order by all
            """
        ).fetchall()
        catalog.append((con.execute("select current_database()").fetchone()[0],))
    finally:
        con.close()
    digest.update(repr(catalog).encode())
    return digest.hexdigest()


def _key_of(html: Path) -> str | None:
    """The key written at the end of a docs page by write_dbt_docs (None: no page, or no key)."""
    try:
        with html.open("rb") as f:
            f.seek(max(0, html.stat().st_size - 200))
            tail = f.read().decode("utf-8", errors="replace")
    except OSError:
        return None
    at = tail.rfind(DOCS_KEY_MARK)
    return tail[at + len(DOCS_KEY_MARK):].split(" ", 1)[0] if at >= 0 else None


def _cached_page(key: str) -> Path | None:
    page = DOCS_CACHE / f"{key}.html"
    if page.exists() and _key_of(page) == key:
        page.touch()  # most recently used
        return page
    return None


def _cache_page(html: Path, key: str) -> None:
    """Keep a generated page under its key (written whole, then renamed); older pages beyond
    DOCS_CACHE_KEEP are dropped. A cache that cannot be written only costs the next run time."""
    try:
        DOCS_CACHE.mkdir(parents=True, exist_ok=True)
        partial = DOCS_CACHE / f".{key}.{os.getpid()}.partial"
        shutil.copyfile(html, partial)
        os.replace(partial, DOCS_CACHE / f"{key}.html")
        pages = sorted(DOCS_CACHE.glob("*.html"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in pages[DOCS_CACHE_KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def reuse_dbt_docs(key: str, html: Path, reuse_from: Path | None) -> bool:
    """Copy the page made with ``key`` to ``html``: the published one (``reuse_from/dbt-docs/``)
    or the cache's. False when neither has it."""
    previous = Path(reuse_from) / DBT_DOCS_DIR_NAME / "index.html" if reuse_from is not None else None
    page = previous if previous is not None and _key_of(previous) == key else _cached_page(key)
    if page is None:
        return False
    html.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(page, html)
    return True


def dbt_docs_command(build_db: Path, target: Path, log_dir: Path,
                     dbt_vars: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """The ``dbt docs generate --static`` command against ``build_db`` and its environment; dbt
    writes ``target/static_index.html``."""
    command = [
        dbt_executable(), "docs", "generate", "--static", "--quiet",
        "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(target), "--log-path", str(log_dir),
    ]
    if _docs_vars(dbt_vars):
        command += ["--vars", json.dumps(_docs_vars(dbt_vars))]
    env = {**os.environ, "EM_BUILD_DB": str(Path(build_db).resolve())}
    env.pop(AS_OF_ENV, None)  # the page is compiled for the project's default date, not the run's
    return command, env


def install_dbt_docs(static: Path, html: Path, key: str) -> None:
    """Put dbt's page at ``html`` with its key at the end, by rename (a reader of ``html`` sees
    the old page or the new one, whole), and keep it in the cache."""
    html.parent.mkdir(parents=True, exist_ok=True)
    partial = html.with_name(f".{html.name}.{os.getpid()}.partial")
    shutil.copyfile(static, partial)
    with partial.open("a", encoding="utf-8") as f:
        f.write(f"\n{DOCS_KEY_MARK}{key} -->\n")
    os.replace(partial, html)
    _cache_page(html, key)


def write_dbt_docs(build_db: Path, target_dir: Path, *, dbt_vars: dict[str, str] | None = None,
                   reuse_from: Path | None = None, dbt_target: Path | None = None) -> Path:
    """Generate the dbt documentation site from the build file into ``target_dir/dbt-docs/index.html``,
    waiting for it (a run generates it beside its publication instead: ``docs_beside_run.py``).

    ``target_dir`` is the reports build folder (published with the reports). dbt writes its
    artefacts into a temporary folder, not into the project's ``target/``. Returns the HTML path.

    ``dbt docs generate`` is a second dbt process (~9 s: parse and catalog). When
    ``reuse_from/dbt-docs/index.html`` (the published reports folder) or the cache
    (``DOCS_CACHE``, shared by every warehouse of this project) holds a page with the same
    :func:`dbt_docs_key` — same dbt, project, vars and catalog — that page is copied instead.
    ``dbt_target``: dbt's target folder, kept between runs so dbt reuses its parse (a temporary
    one otherwise).
    """
    html = Path(target_dir) / DBT_DOCS_DIR_NAME / "index.html"
    dbt_vars = dbt_vars or {}
    key = dbt_docs_key(build_db, dbt_vars)
    if reuse_dbt_docs(key, html, reuse_from):
        return html
    with tempfile.TemporaryDirectory(prefix="em-dbt-docs-") as tmp:
        tmp_path = Path(tmp)
        target = Path(dbt_target) if dbt_target is not None else tmp_path / "target"
        static = target / "static_index.html"
        static.unlink(missing_ok=True)  # a page of an earlier run in a kept target folder
        command, env = dbt_docs_command(build_db, target, tmp_path / "logs", dbt_vars)
        proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False,
                              cwd=str(DBT_PROJECT_DIR))
        if proc.returncode != 0 or not static.exists():
            raise RuntimeError(
                f"dbt docs generate failed (exit {proc.returncode}):\n"
                f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
            )
        install_dbt_docs(static, html, key)
    return html
