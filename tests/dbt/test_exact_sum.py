"""The macros ``exact_sum`` / ``exact_mean`` (dbt_project/macros/measures.sql) and the county → city
roll-up built on them (``summed_to_rollup_regions``, macros/shapes.sql), rendered as dbt renders them
and run on hand-made DuckDB tables: the same rows give the same double, to the last bit, in
whatever order they arrive — what makes two full builds, or an increment and a rebuild, of the
marts byte-identical. DuckDB's own ``sum`` of doubles adds in arrival order: 0.1 + 0.2 + 0.3 is
0.6000000000000001 one way and 0.6 the other."""

from __future__ import annotations

import random
from fractions import Fraction

import duckdb
import jinja2
import pytest

from pipelines.settings import DBT_PROJECT_DIR

MACROS = ("measures.sql", "shapes.sql")


@pytest.fixture(scope="module")
def macros():
    text = "\n".join((DBT_PROJECT_DIR / "macros" / name).read_text(encoding="utf-8") for name in MACROS)
    return jinja2.Environment().from_string(text).module


def _values_table(con, values: list[float]) -> None:
    con.execute("create or replace table t (seq integer, x double)")
    con.executemany("insert into t values (?, ?)", list(enumerate(values)))


def test_a_tenth_plus_two_tenths_plus_three_tenths_is_six_tenths_in_either_order(macros):
    con = duckdb.connect()
    plain, exact = [], []
    for values in ([0.1, 0.2, 0.3], [0.3, 0.2, 0.1]):
        _values_table(con, values)
        plain.append(con.execute("select sum(x) from t").fetchone()[0])
        exact.append(con.execute(f"select {macros.exact_sum('x')} from t").fetchone()[0])
    # what the macro is for: DuckDB's own sum depends on the order
    assert plain == [0.6000000000000001, 0.6]
    assert exact == [0.6, 0.6]


def test_filter_and_mean(macros):
    con = duckdb.connect()
    _values_table(con, [0.1, 0.2, 0.3, 0.7, None])
    got = con.execute(
        f"select {macros.exact_sum('x', 'seq < 3')}, {macros.exact_mean('x', 'seq < 3')},"
        f" {macros.exact_mean('x')}, {macros.exact_sum('x', 'seq > 10')},"
        f" {macros.exact_mean('x', 'seq > 10')} from t"
    ).fetchone()
    # by hand: 0.1+0.2+0.3 = 0.6, its mean 0.6 / 3 (a double division); the mean of the four
    # values, the null left out, 1.3 / 4 = 0.325; nothing selected: null, not 0
    assert got == (0.6, 0.6 / 3, 0.325, None, None)


def test_many_rows_in_any_order_on_several_threads_give_the_decimal_sum(macros):
    """300,000 losses in 亿元 with four decimals (k / 10,000): the exact sum is Σk / 10,000 turned
    into a double, whatever the order of the rows and however DuckDB splits them over threads."""
    rng = random.Random(19)
    ks = [rng.randrange(1, 5_000_000) for _ in range(300_000)]
    expected = float(Fraction(sum(ks), 10_000))
    con = duckdb.connect()
    con.execute("set threads = 2")
    got = set()
    for order in ("seq", "x", "x desc", "hash(seq)"):
        con.execute("create or replace table k (seq integer, k bigint)")
        con.execute("insert into k select generate_subscripts($ks, 1), unnest($ks)", {"ks": ks})
        con.execute(f"create or replace table t as select seq, k / 10000 as x from k order by {order}")
        got.add(con.execute(f"select {macros.exact_sum('x')} from t").fetchone()[0])
    assert got == {expected}


def test_county_to_city_roll_up_is_the_same_in_any_order(macros):
    """City 230500 = its own filing + counties 230502, 230503; each county is its own roll-up region."""
    con = duckdb.connect()
    con.execute("""create table bridge as select * from (values
        ('230500', '230500'), ('230500', '230502'), ('230500', '230503'),
        ('230502', '230502'), ('230503', '230503')) v(rollup_region_code, county_region_code)""")
    rows = [("230500", 2026, 0.1), ("230502", 2026, 0.2), ("230503", 2026, 0.3),
            ("230502", 2025, 1.1), ("230503", 2025, 2.2)]
    results = []
    for ordered in (rows, rows[::-1]):
        con.execute("create or replace table m (region_code varchar, year integer, value double)")
        con.executemany("insert into m values (?, ?, ?)", ordered)
        sql = macros.summed_to_rollup_regions("m", "bridge", ["year"])
        results.append(con.execute(f"select * from ({sql}) order by all").fetchall())
    # by hand: 230500 2026 = 0.1 + 0.2 + 0.3 = 0.6; 2025 = 1.1 + 2.2 = 3.3 (not 3.3000000000000003)
    assert results[0] == results[1] == [
        ("230500", 2025, 3.3), ("230500", 2026, 0.6),
        ("230502", 2025, 1.1), ("230502", 2026, 0.2),
        ("230503", 2025, 2.2), ("230503", 2026, 0.3),
    ]
