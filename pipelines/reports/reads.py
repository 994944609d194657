"""How the pages read the warehouse: plain selects, batched per set of regions.

No indicator is computed here or anywhere in the reports: values, intervals, statuses, changes
and completeness come as the marts give them. Each section module writes its own selects (read →
shape → chart); this module only runs them. Sections whose table is not (yet) in the warehouse
come back empty and say so in the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

Row = dict[str, Any]


def fetch(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[Row]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


@dataclass
class Catalog:
    """Which tables exist, so that a missing optional table empties its section only."""

    tables: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection) -> Catalog:
        rows = fetch(
            con,
            "select table_schema || '.' || table_name as t from information_schema.tables"
            " where table_catalog = current_database()",
        )
        return cls({r["t"] for r in rows})

    def has(self, table: str) -> bool:
        return table in self.tables

    def find(self, name: str, schemas: tuple[str, ...]) -> str | None:
        for s in schemas:
            if f"{s}.{name}" in self.tables:
                return f"{s}.{name}"
        return None


REQUIRED = (
    "marts.dim_region",
    "marts.dim_indicator",
    "marts.dim_code_label",
    "marts.dim_plan",
    "marts.fct_plan_progress",
    "marts.fct_indicator_values",
)


@dataclass(frozen=True)
class CodeLabels:
    """The seeds' labels of every code list (marts.dim_code_label): word and sort order."""

    by_kind: dict[str, dict[str, tuple[str, int]]]

    @classmethod
    def read(cls, con) -> CodeLabels:
        by_kind: dict[str, dict[str, tuple[str, int]]] = {}
        for r in fetch(
            con,
            "select code_kind, code, label_zh, sort_order from marts.dim_code_label"
            " order by code_kind, sort_order, code",
        ):
            by_kind.setdefault(r["code_kind"], {})[r["code"]] = (r["label_zh"], r["sort_order"])
        return cls(by_kind)

    def zh(self, kind: str, code: str | None, default: str | None = None) -> str:
        found = self.by_kind.get(kind, {}).get(code or "")
        return found[0] if found else (default if default is not None else (code or ""))

    def order(self, kind: str, code: str | None) -> int:
        found = self.by_kind.get(kind, {}).get(code or "")
        return found[1] if found else 999

    def words(self, kind: str) -> dict[str, str]:
        return {code: word for code, (word, _) in self.by_kind.get(kind, {}).items()}


def plans(con) -> list[Row]:
    """Every plan in force with its jurisdiction: one report each (a region's plans in time order)."""
    return fetch(
        con,
        """
        select p.*, coalesce(r.region_name, p.region_code) as jurisdiction_name, r.level, r.county_count
        from marts.dim_plan as p
        left join marts.dim_region as r using (region_code)
        order by p.region_code, p.start_year, p.plan_id
        """,
    )


def indicators(con) -> dict[str, Row]:
    return {
        r["indicator_code"]: r for r in fetch(con, "select * from marts.dim_indicator order by sort_order")
    }


class RegionReads:
    """The reads of a set of reports about their own regions, each one query for all of them.

    A report reads ~15 sets of rows about its region. One query per read and report costs ~50 ms
    a report, most of it DuckDB's fixed cost per query; at national scale (342 reports) that is
    most of the report stage. Here each select is run once over every region of the set (its
    first parameter is the list of regions: ``list_contains(?, region)``, and its first column is
    ``_region``), on first use, and grouped by region in the query's order. Filters that differ
    between reports (a plan's years, its indicator codes) are applied by the section.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, regions: list[str], catalog: Catalog):
        self.con = con
        self.regions = list(regions)
        self.catalog = catalog
        self._grouped: dict[tuple, dict[str, list[Row]]] = {}

    def has(self, *tables: str) -> bool:
        return all(self.catalog.has(t) for t in tables)

    def rows(self, region: str, sql: str, *params) -> list[Row]:
        key = (sql, params)
        if key not in self._grouped:
            grouped: dict[str, list[Row]] = {}
            for row in fetch(self.con, sql, [self.regions, *params]):
                grouped.setdefault(row.pop("_region"), []).append(row)
            self._grouped[key] = grouped
        return [dict(r) for r in self._grouped[key].get(region, [])]

    def one(self, region: str, sql: str, *params) -> Row | None:
        found = self.rows(region, sql, *params)
        return found[0] if found else None
