"""Fingerprints of the reports: a report whose fingerprint is unchanged is carried over, not re-rendered.

A report's fingerprint is a SHA-256 of everything it reads and shows:

- **its jurisdiction's rows** of every mart it reads: for each table, the number of rows and the
  sum of DuckDB's ``hash()`` of each whole row (every column but the load's lineage,
  ``LINEAGE``; floating-point values to 10 significant digits), over the rows whose region is
  the jurisdiction itself or a county-level unit under it (``bridge_region_rollup``, or
  ``dim_region.prefecture_code``). Computed in DuckDB, one query for every jurisdiction; a
  superset of what the sections select (they filter by year or plan after this), so a change
  the report could show always changes the fingerprint;
- **what the whole run shares** and the page shows: the as-of date, 示例数据 or not, the code
  labels, the indicators, the national reference, the monthly measures and due months, the
  quality gate's verdict (the plan report's quality section states it), which of the tables exist;
- **the code that draws it**: every file of ``pipelines/reports/``, the templates and styles of
  ``reports/``, and the versions of DuckDB, plotly and Jinja2;
- the plan (its id) or the month.

Which tables a report reads is declared here (``PLAN_TABLES`` / ``MONTHLY_TABLES``: table → the
column naming its region; ``*_RUN_TABLES``: read whole); ``tests/reports/test_carry_over.py``
checks that every table named in the reports' SQL is declared. The run id and the time a page was
generated are not in it: a carried report keeps those of the run that generated it.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from functools import cache
from importlib.metadata import version
from pathlib import Path

from pipelines.paths import REPORT_STYLES_DIR, REPORT_TEMPLATES_DIR

from .reads import Catalog, fetch

# table -> the column that names the row's region (plan reports: pipelines/reports/sections/)
PLAN_TABLES = {
    "marts.dim_region": "region_code",
    "marts.dim_plan": "region_code",
    "marts.bridge_region_rollup": "county_region_code",
    "marts.fct_plan_progress": "region_code",
    "marts.fct_denominators": "region_code",
    "marts.fct_indicator_values": "region_code",
    "marts.fct_period_comparison": "region_code",
    "marts.fct_plan_ytd": "region_code",
    "marts.fct_plan_outlook": "region_code",
    "marts.fct_ytd_comparison": "region_code",
    "marts.fct_accident_breakdown": "region_code",
    "marts.fct_disaster_breakdown": "region_code",
    "marts.fct_accidents": "region_code",
    "marts.fct_source_completeness": "region_code",
    "marts.fct_missing_submissions": "region_code",
    "marts.fct_quarantine_summary": "region_code",
    "marts.fct_severity_findings": "region_code",
    "marts.fct_quota_usage": "region_code",
}
# read whole: what every plan report shares (national_reference: wherever dbt put the seed)
PLAN_RUN_TABLES = (
    "marts.dim_indicator",
    "marts.dim_code_label",
    "seeds.national_reference",
    "main_seeds.national_reference",
    "marts.national_reference",
    "main.national_reference",
)
# the monthly analyses (pipelines/reports/monthly/)
MONTHLY_TABLES = {
    "marts.dim_region": "region_code",
    "marts.bridge_region_rollup": "county_region_code",
    "marts.fct_monthly_situation": "region_code",
    "marts.fct_accidents": "region_code",
    "marts.fct_region_month_coverage": "region_code",
    "marts.fct_quota_usage": "region_code",
}
MONTHLY_RUN_TABLES = (
    "marts.dim_month",
    "marts.dim_code_label",
    "marts.dim_indicator",
    "seeds.situation_measures",
)

# the load's lineage (which load wrote the row): reloading a file renumbers every row of it, and
# no report shows it, so a reloaded file changes only the fingerprints of rows that changed
LINEAGE = ("load_seq", "loaded_at")
FLOATS = ("DOUBLE", "FLOAT", "REAL")
SIGNIFICANT = 10  # digits of a floating-point value that count (pages show at most 7)

PACKAGE = Path(__file__).resolve().parent


@cache
def code_digest() -> str:
    """The reports' code, templates and styles, and the versions of what renders them."""
    h = hashlib.sha256()
    files = [*PACKAGE.rglob("*.py"), *REPORT_TEMPLATES_DIR.rglob("*"), *REPORT_STYLES_DIR.rglob("*")]
    for path in sorted(p for p in files if p.is_file() and "__pycache__" not in p.parts):
        h.update(str(path.relative_to(path.parents[1])).encode() + b"\0" + path.read_bytes() + b"\0")
    for package in ("duckdb", "plotly", "jinja2"):
        h.update(f"{package}={version(package)}\0".encode())
    return h.hexdigest()


def _sha(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _rows(con, tables) -> dict[str, str]:
    """Each table as the rows to hash: without its lineage columns, and each floating-point value
    rounded to ``SIGNIFICANT`` digits (a rebuilt mart may sum the same numbers in another order,
    which changes the last bits; no page shows more than a few digits)."""
    columns: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in fetch(
        con,
        "select table_schema || '.' || table_name as t, column_name as c, data_type as type"
        " from information_schema.columns where table_catalog = current_database()"
        " and list_contains(?, table_schema || '.' || table_name) order by t, ordinal_position",
        [list(tables)],
    ):
        columns[r["t"]].append((r["c"], r["type"]))
    out = {}
    for t in tables:
        cols = [(c, typ) for c, typ in columns[t] if c not in LINEAGE]
        if len(cols) == len(columns[t]) and not any(typ in FLOATS for _, typ in cols):
            out[t] = t
            continue
        exprs = ", ".join(_rounded(c) if typ in FLOATS else f'"{c}"' for c, typ in cols)
        out[t] = f"(select {exprs} from {t})"
    return out


def _rounded(column: str) -> str:
    c = f'"{column}"'
    return (
        f"case when {c} is null or {c} = 0 or not isfinite({c}) then {c}"
        f" else round({c}, ({SIGNIFICANT - 1} - floor(log10(abs({c}))))::integer) end as {c}"
    )


def _table_digest(con, table: str, rows: str) -> list:
    [row] = fetch(con, f"select count(*) as n, coalesce(sum(hash(t)), 0)::varchar as h from {rows} as t")
    return [table, row["n"], row["h"]]


def _run_digest(con, catalog: Catalog, tables, region_tables, facts: dict) -> str:
    present = sorted(t for t in (*tables, *region_tables) if catalog.has(t))
    rows = _rows(con, [t for t in tables if catalog.has(t)])
    whole = [_table_digest(con, t, r) for t, r in rows.items()]
    return _sha(code_digest(), facts, present, whole)


def jurisdiction_digests(con, catalog: Catalog, tables: dict[str, str]) -> dict[str, str]:
    """Per jurisdiction (every region in marts.dim_region), a digest of its rows of ``tables``:
    its own and those of the county-level units under it. One query for all of them."""
    present = {t: col for t, col in tables.items() if catalog.has(t)}
    if not present or not catalog.has("marts.dim_region"):
        return {}
    scope = [
        "select region_code as jurisdiction, region_code from marts.dim_region",
        "select prefecture_code, region_code from marts.dim_region where prefecture_code is not null",
    ]
    if catalog.has("marts.bridge_region_rollup"):
        scope.append("select rollup_region_code, county_region_code from marts.bridge_region_rollup")
    rows = _rows(con, present)
    digests = " union all ".join(
        f"select '{t}' as tbl, {col}::varchar as region_code, count(*) as n, sum(hash(t)) as h"
        f" from {rows[t]} as t group by all"
        for t, col in present.items()
    )
    rows = fetch(
        con,
        f"""
        with scope as ({" union ".join(scope)}), digest as ({digests})
        select s.jurisdiction, d.tbl, sum(d.n) as n, sum(d.h)::varchar as h
        from digest as d inner join scope as s using (region_code)
        group by all order by s.jurisdiction, d.tbl
        """,
    )
    per: dict[str, list] = defaultdict(list)
    for r in rows:
        per[r["jurisdiction"]].append([r["tbl"], r["n"], r["h"]])
    return {code: _sha(parts) for code, parts in per.items()}


class PlanFingerprints:
    """The fingerprint of each plan report of this run (plan id + jurisdiction)."""

    def __init__(self, con, *, as_of, is_sample_data: bool, gate_verdict: str | None):
        catalog = Catalog.read(con)
        facts = {"as_of": str(as_of), "sample": is_sample_data, "gate": gate_verdict, "kind": "plan"}
        self.run = _run_digest(con, catalog, PLAN_RUN_TABLES, PLAN_TABLES, facts)
        self.regions = jurisdiction_digests(con, catalog, PLAN_TABLES)

    def of(self, plan: dict) -> str:
        return _sha(self.run, self.regions.get(plan["region_code"]), plan["plan_id"])


class MonthlyFingerprints:
    """The fingerprint of each jurisdiction's monthly analysis of one month."""

    def __init__(self, con, *, as_of, is_sample_data: bool, year: int, month: int):
        catalog = Catalog.read(con)
        facts = {"as_of": str(as_of), "sample": is_sample_data, "month": [year, month], "kind": "monthly"}
        self.run = _run_digest(con, catalog, MONTHLY_RUN_TABLES, MONTHLY_TABLES, facts)
        self.regions = jurisdiction_digests(con, catalog, MONTHLY_TABLES)

    def of(self, region_code: str) -> str:
        return _sha(self.run, self.regions.get(region_code))
