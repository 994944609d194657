"""Analysts read the published file while loads run: read-only, other clients, snapshots, comments."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import textwrap

import duckdb
import pytest

from tests.analysts.conftest import duckdb_cli, failure_text, run_args, run_cli
from tests.handmade import ACCIDENT_HEADERS, LIZHOU, _accident_row, write_handmade_folder

LIZHOU_2025_DEATHS = (
    "select value from marts.fct_indicator_values "
    f"where region_code = '{LIZHOU}' and year = 2025 and indicator_code = 'safety_deaths'"
)

HOLDER = textwrap.dedent("""
    import sys
    import duckdb

    con = duckdb.connect(sys.argv[1], read_only=True)
    query = sys.argv[2]
    print(con.execute(query).fetchone()[0], flush=True)
    sys.stdin.readline()  # hold the connection until told to read again
    print(con.execute(query).fetchone()[0], flush=True)
    sys.stdin.readline()
    con.close()
""")


def test_duckdb_cli_opens_the_published_file_read_only(published):
    cli = duckdb_cli()
    if cli is None:
        pytest.skip("DuckDB CLI not installed (pip install duckdb-cli)")
    version = subprocess.run([str(cli), "-version"], capture_output=True, text=True, timeout=60).stdout
    assert version.startswith("v1.5"), version  # a 1.x client: the file is in storage format v1.5.0
    proc = subprocess.run(
        [str(cli), "-readonly", "-csv", str(published.warehouse), "-c",
         "select region_code, year, value from marts.fct_indicator_values "
         "where indicator_code = 'deaths_per_100m_gdp' and region_code in ('230502', '230500') "
         "and year = 2020 order by region_code"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    # 尖山区 5 deaths / 50 亿元 = 0.1; 双鸭山市 6 / 400 = 0.015 (tests/handmade.py)
    assert proc.stdout.splitlines() == ["region_code,year,value", "230500,2020,0.015", "230502,2020,0.1"]
    # read-only really is read-only
    refused = subprocess.run([str(cli), "-readonly", str(published.warehouse), "-c",
                              "create table marts.scratch as select 1 as x"],
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0 and "read-only" in refused.stderr


def test_column_comments_in_english_and_chinese(published):
    con = duckdb.connect(str(published.warehouse), read_only=True)
    try:
        comments = dict(con.execute(
            "select column_name, comment from duckdb_columns() "
            "where schema_name = 'marts' and table_name = 'fct_indicator_values'").fetchall())
        table = con.execute(
            "select comment from duckdb_tables() "
            "where schema_name = 'marts' and table_name = 'fct_indicator_values'").fetchone()[0]
    finally:
        con.close()
    assert comments["value_ci_low"] == ("Lower exact Poisson 95% limit (counts and count-based rates), "
                                        "in the same unit as value. / 泊松精确95%置信下限（单位同指标值）。")
    assert comments["region_code"] == "6-digit region code. / 6位行政区划代码。"
    for name, comment in comments.items():
        english, _, chinese = (comment or "").partition(" / ")
        assert english.isascii() and english, (name, comment)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese), (name, comment)
    assert "incomplete years are absent" in table and "指标值事实表" in table


def test_held_connection_keeps_its_snapshot_while_a_run_publishes(tmp_path):
    data = write_handmade_folder(tmp_path / "data")
    warehouse, reports = tmp_path / "pub" / "em_warehouse.duckdb", tmp_path / "pub" / "reports"
    home = tmp_path / "dagster_home"
    home.mkdir()
    first = run_cli(*run_args(data, warehouse, reports), dagster_home=home)
    assert first.returncode == 0, failure_text(first)
    inode_before = os.stat(warehouse).st_ino

    # One more accident file: 利州区 2025 gains a fourth 1-death 工贸 accident (June already has
    # LZ-2025-002, so no 零报告 conflicts): 3 → 4 deaths.
    extra = data / "accidents" / "accidents_2025_late.csv"
    with extra.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(ACCIDENT_HEADERS)
        writer.writerow(_accident_row(
            ("LZ-2025-004", "2025-06-20 09:00", LIZHOU, "工贸", 1, 0, 30, "一般", "", "", "2025-06-21")))

    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(warehouse), LIZHOU_2025_DEATHS],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert float(holder.stdout.readline()) == 3.0  # connected, reading, holding
        second = run_cli(*run_args(data, warehouse, reports), dagster_home=home)
        assert second.returncode == 0, failure_text(second)
        assert "accidents_2025_late.csv" in second.stdout
        assert holder.poll() is None, holder.stderr.read()  # the reader was never disturbed
        assert os.stat(warehouse).st_ino != inode_before  # replaced by rename, not written in place

        holder.stdin.write("\n")
        holder.stdin.flush()
        assert float(holder.stdout.readline()) == 3.0  # the held connection: its old snapshot
        con = duckdb.connect(str(warehouse), read_only=True)  # a new connection: the new data
        try:
            assert con.execute(LIZHOU_2025_DEATHS).fetchone()[0] == 4.0
        finally:
            con.close()
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.wait(timeout=60) == 0, holder.stderr.read()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    # the Parquet folder was swapped with the warehouse
    parquet = warehouse.parent / "parquet" / "fct_indicator_values.parquet"
    con = duckdb.connect()
    try:
        got = con.execute(f"select value from read_parquet('{parquet}') where region_code = '{LIZHOU}' "
                          "and year = 2025 and indicator_code = 'safety_deaths'").fetchone()[0]
    finally:
        con.close()
    assert got == 4.0
