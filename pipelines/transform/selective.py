# ruff: noqa: E501  (each column carries its English / 中文 comment on its line: the DuckDB comment)
"""Which dbt nodes a run must build: only those whose inputs changed since the published build.

A run works in a copy of the published warehouse, so every model, seed and view the last
publication built is already there. A node needs building again only when something it reads
changed: a ``raw.*`` table this load touched (fingerprinted by content), the as-of date (for
the nodes whose SQL reads it), or the dbt project itself (files, dbt and engine versions: then
everything is rebuilt). The fingerprints the published marts were built from are kept in
``quality.transform_inputs``; a new or rebuilt (``--rebuild``) file has none, so it builds all.

A data test is run when any node it reads is rebuilt (or it reads the as-of date and that
changed); otherwise its result is the last one recorded in ``quality.check_results``, carried
over (same inputs, same result) and marked so in its message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

from pipelines.gate_records import now_in_china
from pipelines.tables import Column, Table
from pipelines.transform.project import project_files

AS_OF_MACRO = "macro.em_warehouse.as_of_date"
_VERSIONED = ("dbt-core", "dbt-duckdb", "duckdb", "numpy", "pandas", "scipy")

TRANSFORM_INPUTS = Table(
    "quality",
    "transform_inputs",
    "What the dbt build of the published marts read: one row per input (the dbt project, the as-of date, each raw table) with its fingerprint; a later run rebuilds only what reads a changed input. / 已发布数据集市的 dbt 构建所读取的输入及其指纹：下次运行只重建读取了已变化输入的模型。",
    (
        Column("input", "varchar", "project, as_of, or source:<schema>.<table>. / 输入名称。"),
        Column("fingerprint", "varchar", "Hash of the input's content (rows of a raw table, files of the dbt project), or the as-of date. / 输入内容的指纹。"),
        Column("run_id", "varchar", "Dagster run id of the build that read it. / 读取该输入的运行编号。"),
        Column("recorded_at", "timestamp", "When it was recorded (Asia/Shanghai wall-clock time). / 记录时间（北京时间）。"),
    ),
)


@dataclass
class BuildPlan:
    """What to build; ``full`` means everything (the reason says why)."""

    full: bool
    reason: str
    fingerprints: dict[str, str]
    skipped: set[str] = field(default_factory=set)  # unique ids of models, seeds and tests not run
    carried: dict[str, dict[str, Any]] = field(default_factory=dict)  # test id -> its last result
    changed_inputs: list[str] = field(default_factory=list)

    def to_run(self, manifest: Mapping[str, Any]) -> list[str]:
        return [u for u in _buildable(manifest) if u not in self.skipped]


def project_fingerprint() -> str:
    """The dbt project's files and the versions of what runs them: a change rebuilds everything."""
    digest = hashlib.sha256()
    for name in _VERSIONED:
        try:
            digest.update(f"{name}={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-\n".encode())
    for path in project_files():
        digest.update(str(path.name).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _source_table(source: Mapping[str, Any]) -> str:
    return f"{source['schema']}.{source['identifier'] or source['name']}"


def source_fingerprints(con, manifest: Mapping[str, Any]) -> dict[str, str]:
    """``source:<schema>.<table>`` -> row count and the sum of the rows' hashes (every column):
    any row added, removed or changed changes it. A missing table has the fingerprint ``absent``."""
    existing = {f"{s}.{t}" for s, t in con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
    ).fetchall()}
    out = {}
    for table in sorted({_source_table(s) for s in manifest["sources"].values()}):
        if table not in existing:
            out[f"source:{table}"] = "absent"
            continue
        rows, total = con.execute(
            f"select count(*), coalesce(sum(hash(t)::hugeint), 0)::varchar from {table} as t"
        ).fetchone()
        out[f"source:{table}"] = f"{rows}:{total}"
    return out


def recorded_fingerprints(con) -> dict[str, str]:
    if not _table_exists(con, TRANSFORM_INPUTS.schema, TRANSFORM_INPUTS.name):
        return {}
    return dict(con.execute(f"select input, fingerprint from {TRANSFORM_INPUTS.qualified_name}").fetchall())


def record_fingerprints(con, fingerprints: Mapping[str, str], run_id: str) -> None:
    """Kept in the build file: published with the marts they describe, or dropped with them."""
    TRANSFORM_INPUTS.create(con)
    con.execute(f"delete from {TRANSFORM_INPUTS.qualified_name}")
    now = now_in_china()
    con.executemany(f"insert into {TRANSFORM_INPUTS.qualified_name} values (?, ?, ?, ?)",
                    [(k, v, run_id, now) for k, v in sorted(fingerprints.items())])


def _table_exists(con, schema: str, name: str) -> bool:
    return con.execute(
        "select count(*) from duckdb_tables() where database_name = current_database()"
        " and schema_name = ? and table_name = ?", [schema, name]).fetchone()[0] > 0


def _buildable(manifest: Mapping[str, Any]) -> list[str]:
    return [u for u, n in manifest["nodes"].items() if n["resource_type"] in ("model", "seed", "test")]


def _reads_as_of(manifest: Mapping[str, Any], node: Mapping[str, Any]) -> bool:
    macros, seen = manifest["macros"], set()
    pending = list(node["depends_on"].get("macros", []))
    while pending:
        name = pending.pop()
        if name == AS_OF_MACRO:
            return True
        if name in seen or name not in macros:
            continue
        seen.add(name)
        pending += macros[name]["depends_on"].get("macros", [])
    return False


def _descendants(manifest: Mapping[str, Any], roots: Iterable[str]) -> set[str]:
    children, out = manifest["child_map"], set()
    pending = list(roots)
    while pending:
        for child in children.get(pending.pop(), []):
            if child not in out:
                out.add(child)
                pending.append(child)
    return out


def _missing_relations(con, manifest: Mapping[str, Any]) -> set[str]:
    """Models and seeds whose table or view is not in the file (then they are built)."""
    present = {(s, t) for s, t in con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
        " union all select schema_name, view_name from duckdb_views()"
        " where database_name = current_database() and not internal"
    ).fetchall()}
    return {u for u, n in manifest["nodes"].items()
            if n["resource_type"] in ("model", "seed")
            and (n["schema"], n.get("alias") or n["name"]) not in present}


def plan_build(con, manifest: Mapping[str, Any], as_of_iso: str,
               last_results: Mapping[str, dict[str, Any]]) -> BuildPlan:
    """The nodes to build in this file, from the fingerprints of its inputs against those the
    published build recorded. ``last_results``: test unique id -> its last recorded result."""
    current = {"project": project_fingerprint(), "as_of": as_of_iso, **source_fingerprints(con, manifest)}
    recorded = recorded_fingerprints(con)
    if not recorded:
        return BuildPlan(True, "no recorded build in this file (new or --rebuild)", current)
    if recorded.get("project") != current["project"]:
        return BuildPlan(True, "the dbt project changed since the published build", current)
    changed = sorted(k for k, v in current.items() if k != "project" and recorded.get(k) != v)
    nodes = manifest["nodes"]
    changed_sources = [u for u, s in manifest["sources"].items()
                       if f"source:{_source_table(s)}" in changed]
    dirty = _descendants(manifest, changed_sources)
    if "as_of" in changed:
        reading = {u for u, n in nodes.items() if _reads_as_of(manifest, n)}
        dirty |= reading | _descendants(manifest, reading)
    missing = _missing_relations(con, manifest)
    dirty |= missing | _descendants(manifest, missing)
    skipped, carried = set(), {}
    for uid in _buildable(manifest):
        node = nodes[uid]
        if uid in dirty:
            continue
        if node["resource_type"] == "test":
            parents = node["depends_on"].get("nodes", [])
            if any(p in dirty for p in parents) or uid not in last_results:
                continue
            carried[uid] = last_results[uid]
        skipped.add(uid)
    return BuildPlan(False, "inputs changed: " + (", ".join(changed) or "none"), current,
                     skipped, carried, changed)


def exclusion_args(manifest: Mapping[str, Any], skipped: set[str]) -> list[str]:
    """dbt arguments leaving out exactly the skipped nodes (each by its full fqn, so no test is
    left out only because a node it reads is: indirect selection off)."""
    if not skipped:
        return []
    names = sorted("fqn:" + ".".join(manifest["nodes"][u]["fqn"]) for u in skipped)
    return ["--indirect-selection", "empty", "--exclude", " ".join(names)]


def last_test_results(con, checks: Mapping[str, tuple[str, str]]) -> dict[str, dict[str, Any]]:
    """Test unique id -> its last row in ``quality.check_results`` (``checks``: test id ->
    (asset key as ``schema.table``, check name))."""
    if not _table_exists(con, "quality", "check_results"):
        return {}
    rows = con.execute(
        "select asset_key, check_name, run_id, severity, passed, offending_count"
        " from quality.check_results"
        " qualify row_number() over (partition by asset_key, check_name order by checked_at desc) = 1"
    ).fetchall()
    latest = {(a, c): {"run_id": r, "severity": s, "passed": p, "failed_rows": n}
              for a, c, r, s, p, n in rows}
    return {uid: latest[key] for uid, key in checks.items() if key in latest}


def in_build_order(manifest: Mapping[str, Any], uids: Iterable[str]) -> list[str]:
    """The given nodes, each after every node it reads (Dagster wants a multi-asset's outputs
    in dependency order)."""
    wanted, parents, done, order = set(uids), manifest["parent_map"], set(), []

    def visit(uid: str) -> None:
        if uid in done:
            return
        done.add(uid)
        for parent in sorted(parents.get(uid, [])):
            visit(parent)
        if uid in wanted:
            order.append(uid)

    for uid in sorted(wanted):
        visit(uid)
    return order
