"""``python -m bench.compare_marts --quality`` compares the verdicts of each file's latest run: a
warehouse built in two loads keeps the check results of both, and summing them made a warning
with 17 offending months in the first load and 15 in the second look like 32 against a rebuild's
15."""

from __future__ import annotations

import io
from datetime import datetime

import duckdb

from bench.compare_marts import compare


def _warehouse(path, runs: list[tuple[str, datetime, int]]):
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("create table marts.t as select 1 as x")
    con.execute("create schema quality")
    con.execute("create table quality.check_results (run_id varchar, checked_at timestamp,"
                " check_name varchar, severity varchar, passed boolean, offending_count bigint)")
    for run_id, at, offending in runs:
        con.execute("insert into quality.check_results values (?, ?, 'raw_accidents_monthly_volume', 'WARN',"
                    " false, ?)", [run_id, at, offending])
    con.close()
    return path


def test_only_the_latest_run_of_each_file_is_compared(tmp_path):
    two_loads = _warehouse(tmp_path / "two.duckdb", [("first", datetime(2026, 12, 5, 9), 17),
                                                      ("second", datetime(2026, 12, 5, 10), 15)])
    rebuilt = _warehouse(tmp_path / "rebuilt.duckdb", [("only", datetime(2026, 12, 5, 11), 15)])
    out = io.StringIO()
    assert compare(two_loads, rebuilt, quality=True, out=out), out.getvalue()
    assert "quality verdicts: 0 differ" in out.getvalue()
    other = _warehouse(tmp_path / "other.duckdb", [("only", datetime(2026, 12, 5, 11), 16)])
    out = io.StringIO()
    assert not compare(two_loads, other, quality=True, out=out)
    assert ("check raw_accidents_monthly_volume: before ('WARN', False, 15), after ('WARN', False, 16)"
            in out.getvalue())
