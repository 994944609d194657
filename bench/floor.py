"""``python -m bench.floor``: the SQL floor of the dbt stage, timed on a built warehouse.

The floor is what the models cost in DuckDB alone: every model of the run's manifest (its
compiled SQL, the run's as-of date already in it), created in dependency order as one script
on one connection, against a copy of the published warehouse (``raw.*`` and the seeds as the
run left them). No dbt (start-up, parse, per-node threads, metadata queries), no data tests,
no GX checks. The bench compares it with the dbt stage and with dbt + checks of the same run.

It is not a hand-optimised rewrite of the marts: the same SQL dbt runs, so the ratio measures
the orchestration and checking overhead, not how much faster better SQL could be. The script
that was timed is written beside the copy (``floor.sql``) for reading.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path


def floor_statements(manifest: dict) -> list[tuple[str, str]]:
    """(relation, statement) of every SQL model, parents before children. A Python model (the
    Poisson limits table) is not SQL: its table is kept as dbt built it, outside the timing."""
    models = {uid: n for uid, n in manifest["nodes"].items() if n["resource_type"] == "model"}
    done: set[str] = set()
    ordered: list[str] = []

    def visit(uid: str) -> None:
        if uid in done or uid not in models:
            return
        done.add(uid)
        for parent in models[uid]["depends_on"]["nodes"]:
            visit(parent)
        ordered.append(uid)

    for uid in sorted(models):
        visit(uid)
    out = []
    for uid in ordered:
        node = models[uid]
        if node.get("language") == "python":
            continue
        kind = node["config"]["materialized"]
        if kind == "incremental":
            # the manifest of a full build (--full-refresh) holds the SQL that builds every year
            kind = "table"
        if kind not in ("table", "view"):
            raise SystemExit(f"{uid}: materialization {kind} not covered by the floor")
        code = node.get("compiled_code")
        if not code:
            raise SystemExit(f"{uid}: no compiled SQL in the manifest (take the manifest of a dbt build)")
        out.append((node["relation_name"],
                    f"create or replace {kind} {node['relation_name']} as (\n{code}\n);"))
    return out


def run_floor(warehouse: Path, manifest_path: Path, work: Path) -> dict:
    """Time the floor script on a copy of ``warehouse``; the marts' row counts are compared with
    the ones dbt built (the floor computes the same tables, or its figure means nothing)."""
    import duckdb

    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    statements = floor_statements(manifest)
    database = next(n["database"] for n in manifest["nodes"].values() if n["resource_type"] == "model")
    work.mkdir(parents=True, exist_ok=True)
    copy = work / "floor.duckdb"
    shutil.copyfile(warehouse, copy)
    (work / "floor.sql").write_text("\n\n".join(s for _, s in statements) + "\n", encoding="utf-8")
    marts = [rel for rel, _ in statements if '"marts".' in rel]

    def counts(path: Path) -> dict[str, int]:
        con = duckdb.connect()
        con.execute(f"attach '{path}' as \"{database}\" (read_only)")
        try:
            return {rel: con.execute(f"select count(*) from {rel}").fetchone()[0] for rel in marts}
        finally:
            con.close()

    before = counts(warehouse)
    con = duckdb.connect()
    con.execute(f"attach '{copy}' as \"{database}\"")
    con.execute(f'use "{database}"')
    started = time.perf_counter()
    for _, statement in statements:
        con.execute(statement)
    con.execute("checkpoint")
    con.close()
    seconds = time.perf_counter() - started
    after = counts(copy)
    copy.unlink()
    differing = sorted(rel for rel in marts if before.get(rel) != after.get(rel))
    if differing:
        raise SystemExit(f"the floor does not compute the same marts (row counts differ): {differing}")
    return {"seconds": round(seconds, 2), "models": len(statements), "marts": len(marts),
            "script": str(work / "floor.sql")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.floor", description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True, help="a published warehouse file")
    parser.add_argument("--manifest", type=Path, required=True,
                        help="the manifest.json of the dbt build that made it "
                             "(<warehouse dir>/.<name>.dbt/build/manifest.json)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/em_bench/floor"))
    args = parser.parse_args(argv)
    print(json.dumps(run_floor(args.warehouse, args.manifest, args.work), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
