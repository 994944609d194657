"""Compare every ``marts.*`` table of two warehouse files, row for row.

    python -m bench.compare_marts BEFORE.duckdb AFTER.duckdb [--dump DIR] [--quality] [--digits N]
                                  [--ignore COLUMN ...]

For a refactoring that must not change a number: build the same data folder with the old and
the new code, then compare. Each table present in either file is compared on the columns both
files have, as a multiset of rows (``except all`` both ways: duplicates count, NULL equals NULL).

Floating-point columns are compared to ``--digits`` significant digits (default 12): DuckDB sums
in parallel, so two runs of the *same* code on the same data can differ in the last bit of a sum
(checked: 2 rows of fct_indicator_values and 4 of fct_plan_progress differ at the 16th digit
between two runs of one commit). A row left over after rounding (a value on a rounding boundary)
still counts as identical when a row of the other side has the same other values and floats
within a relative 1e-12 of its own. ``--digits 0`` compares to the last bit.

Columns or tables only one side has are listed: an added column is reported, not treated as a
difference. ``--dump DIR`` also writes each table of each side as a CSV sorted by all its
columns (``DIR/before/<table>.csv``, ``DIR/after/<table>.csv``), for a ``diff -r``.
``--quality`` compares the gate's verdicts as well: per check name, the severity, pass/fail and
offending count in ``quality.check_results`` (the latest run of each file).

``--ignore COLUMN`` leaves a column out of every table's comparison, for values that differ between
any two runs by design: ``--ignore loaded_at`` (``fct_record_revisions.loaded_at`` is the wall-clock
time of each load). The ignored columns are printed.

Exit code 0 when every common table is identical, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines.sql import sql_identifier, sql_string


@dataclass
class TableDiff:
    table: str
    rows_before: int = 0
    rows_after: int = 0
    only_before: int = 0  # rows (on the common columns) missing from after
    only_after: int = 0
    columns_only_before: list[str] = field(default_factory=list)
    columns_only_after: list[str] = field(default_factory=list)
    missing_side: str | None = None  # "before" / "after" when the table is absent there

    @property
    def identical(self) -> bool:
        return self.missing_side is None and self.only_before == 0 and self.only_after == 0

    def line(self) -> str:
        if self.missing_side:
            return f"{self.table}: only in {'after' if self.missing_side == 'before' else 'before'}"
        verdict = "identical" if self.identical else "DIFFERENT"
        text = f"{self.table}: {verdict} ({self.rows_before} rows before, {self.rows_after} after"
        if not self.identical:
            text += f"; {self.only_before} only before, {self.only_after} only after"
        text += ")"
        if self.columns_only_after:
            text += f"; columns added: {', '.join(self.columns_only_after)}"
        if self.columns_only_before:
            text += f"; columns removed: {', '.join(self.columns_only_before)}"
        return text


def _columns(con, db: str, schema: str, table: str) -> list[str]:
    return list(_column_types(con, db, schema, table))


def _column_types(con, db: str, schema: str, table: str) -> dict[str, str]:
    return dict(con.execute(
        "select column_name, data_type from duckdb_columns() where database_name = ? and schema_name = ? "
        "and table_name = ? order by column_index", [db, schema, table]).fetchall())


def _compared(column: str, data_type: str, digits: int) -> str:
    """The column as compared: floating-point values rounded to ``digits`` significant digits."""
    if digits and data_type in ("DOUBLE", "FLOAT", "REAL"):
        return f"printf('%.{digits}g', {sql_identifier(column)}) as {sql_identifier(column)}"
    return sql_identifier(column)


def _tables(con, db: str, schema: str) -> set[str]:
    return {r[0] for r in con.execute(
        "select table_name from duckdb_tables() where database_name = ? and schema_name = ?",
        [db, schema]).fetchall()}


def compare_table(con, table: str, schema: str = "marts", digits: int = 12,
                  ignore: frozenset[str] = frozenset()) -> TableDiff:
    diff = TableDiff(f"{schema}.{table}")
    before = _column_types(con, "before", schema, table)
    after = _column_types(con, "after", schema, table)
    if not before or not after:
        diff.missing_side = "before" if not before else "after"
        return diff
    common = [c for c in before if c in after and c not in ignore]
    diff.columns_only_before = [c for c in before if c not in after]
    diff.columns_only_after = [c for c in after if c not in before]
    cols = ", ".join(_compared(c, before[c], digits) for c in common)
    rel = {side: f"{side}.{sql_identifier(schema)}.{sql_identifier(table)}" for side in ("before", "after")}
    diff.rows_before = con.execute(f"select count(*) from {rel['before']}").fetchone()[0]
    diff.rows_after = con.execute(f"select count(*) from {rel['after']}").fetchone()[0]
    diff.only_before = con.execute(
        f"select count(*) from (select {cols} from {rel['before']} except all "
        f"select {cols} from {rel['after']})").fetchone()[0]
    diff.only_after = con.execute(
        f"select count(*) from (select {cols} from {rel['after']} except all "
        f"select {cols} from {rel['before']})").fetchone()[0]
    floats = [c for c in common if before[c] in FLOAT_TYPES and after[c] in FLOAT_TYPES]
    if digits and floats and diff.only_before and diff.only_after:
        matched = _pairs_within_tolerance(con, rel, common, before, digits, floats)
        diff.only_before -= matched
        diff.only_after -= matched
    return diff


FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")
RELATIVE_TOLERANCE = 1e-12


def _leftover_rows(con, rel: dict[str, str], rounded: list[str], raw: list[str], side: str) -> list[tuple]:
    """Raw rows of ``side`` whose rounded form the other side lacks."""
    other = "after" if side == "before" else "before"
    keys = ", ".join(f"{e} as r{i}" for i, e in enumerate(rounded))
    same = " and ".join(f"l.r{i} is not distinct from x.r{i}" for i in range(len(rounded)))
    return con.execute(f"""
        with leftover as (select {keys} from {rel[side]} except all select {keys} from {rel[other]}),
        x as (select {keys}, {", ".join(raw)} from {rel[side]})
        select {", ".join(f"x.{c}" for c in raw)} from x
        where exists (select 1 from leftover as l where {same})
    """).fetchall()


def _pairs_within_tolerance(con, rel, common: list[str], types: dict[str, str], digits: int,
                            floats: list[str]) -> int:
    """How many leftover rows pair with a row of the other side within RELATIVE_TOLERANCE."""
    index = {c: i for i, c in enumerate(common)}
    rounded = [_compared(c, types[c], digits).split(" as ")[0] for c in common]
    raw = [sql_identifier(c) for c in common]
    left = _leftover_rows(con, rel, rounded, raw, "before")
    right = _leftover_rows(con, rel, rounded, raw, "after")

    def close(a, b) -> bool:
        if a is None or b is None:
            return a is b
        return abs(a - b) <= RELATIVE_TOLERANCE * max(abs(a), abs(b))

    def same(x, y) -> bool:
        return all(close(x[i], y[i]) if c in floats else x[i] == y[i] for c, i in index.items())

    matched = 0
    for row in left:
        for j, other in enumerate(right):
            if same(row, other):
                matched += 1
                del right[j]
                break
    return matched


def dump_table(con, side: str, table: str, out_dir: Path, schema: str = "marts") -> Path:
    """The table as CSV, rows sorted by every column (NULLs first), columns in table order."""
    out = out_dir / side / f"{table}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    cols = _columns(con, side, schema, table)
    order = ", ".join(f"{sql_identifier(c)} nulls first" for c in cols)
    relation = f"{side}.{sql_identifier(schema)}.{sql_identifier(table)}"
    con.execute(f"copy (select * from {relation} order by {order}) to {sql_string(out)} (header true)")
    return out


def compare_quality(con) -> tuple[list[str], list[str]]:
    """(checks whose verdict differs, checks only one side ran), from each file's latest run.

    A verdict is (severity, passed, offending count). A check only one side has (a renamed or new
    dbt test) is listed apart and counts as a difference only when it did not pass. Only the
    latest run counts: a warehouse built in two loads keeps the results of both (summed, the
    volume warning's 17 offending months of the first load and 15 of the second made 32).
    """
    sql = """
        select check_name, any_value(severity), bool_and(passed), sum(offending_count)
        from {side}.quality.check_results
        where run_id = (select run_id from {side}.quality.check_results order by checked_at desc limit 1)
        group by check_name
    """
    found = {}
    for side in ("before", "after"):
        try:
            found[side] = {r[0]: r[1:] for r in con.execute(sql.format(side=side)).fetchall()}
        except duckdb.CatalogException:
            found[side] = {}
    changed, one_side = [], []
    for name in sorted(set(found["before"]) | set(found["after"])):
        b, a = found["before"].get(name), found["after"].get(name)
        if b is None or a is None:
            side, verdict = ("after", a) if b is None else ("before", b)
            line = f"check {name}: only {side} {verdict}"
            (one_side if verdict[1] else changed).append(line)
        elif b != a:
            changed.append(f"check {name}: before {b}, after {a}")
    return changed, one_side


def compare(before: Path, after: Path, dump: Path | None = None, quality: bool = False,
            digits: int = 12, out=sys.stdout, ignore: frozenset[str] = frozenset()) -> bool:
    con = duckdb.connect()
    try:
        for side, path in (("before", before), ("after", after)):
            con.execute(f"attach {sql_string(path)} as {side} (read_only)")
        tables = sorted(_tables(con, "before", "marts") | _tables(con, "after", "marts"))
        if ignore:
            print(f"columns left out of the comparison: {', '.join(sorted(ignore))}", file=out)
        diffs = [compare_table(con, t, digits=digits, ignore=ignore) for t in tables]
        for d in diffs:
            print(d.line(), file=out)
        if dump:
            for t in tables:
                for side in ("before", "after"):
                    if t in _tables(con, side, "marts"):
                        dump_table(con, side, t, dump)
        same = all(d.identical for d in diffs)
        if quality:
            changed, one_side = compare_quality(con)
            for line in changed + one_side:
                print(line, file=out)
            print(f"quality verdicts: {len(changed)} differ; {len(one_side)} passing checks on one side only",
                  file=out)
            same = same and not changed
        n_same = sum(d.identical for d in diffs)
        precision = f"to {digits} significant digits" if digits else "to the last bit"
        print(f"{n_same} of {len(diffs)} marts tables identical (floating-point values {precision})",
              file=out)
        return same
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.compare_marts", description=__doc__.split("\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--dump", type=Path, help="also write sorted CSVs of each side into this folder")
    parser.add_argument("--quality", action="store_true", help="compare the gate's verdicts too")
    parser.add_argument("--digits", type=int, default=12,
                        help="significant digits of floating-point values compared (0: every bit)")
    parser.add_argument("--ignore", action="append", default=[], metavar="COLUMN",
                        help="leave this column out of every table (e.g. loaded_at: a load's clock time)")
    args = parser.parse_args(argv)
    ignore = frozenset(args.ignore)
    same = compare(args.before, args.after, args.dump, args.quality, args.digits, ignore=ignore)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
