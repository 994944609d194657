"""A run rebuilds only the dbt models whose inputs changed, and its marts are those of a full build.

The hand-made folder (tests/handmade.py) is loaded without its later filings, then they arrive:
a new month (2026-01 accidents), a corrected file reloaded under its name (利州区's LZ-2025-003
1 → 2 deaths), a revision and a 核销 (accidents_2025_revisions.csv), a GDP revision (利州区 2025
最终核实) and a plan revision (a later version of 利州区's 14th plan). The second run builds
only what reads a changed input; its marts must equal

- those of ``--rebuild`` on the final folder (every column but the load's lineage, ``loaded_at``
  and ``load_seq``, which number loads and differ by design between one load and two);
- those of the same second load with every dbt node built (the same raw tables, so every column
  but the clock time ``loaded_at``), with the same test verdicts.

``fct_monthly_situation`` is built incrementally by statistical year (delete+insert of the years
whose inputs changed and the year after each). A third load corrects an accident of 2020, an
earlier year than the latest: only 2020 and 2021 (its 同比) are rebuilt — a sentinel value planted
in the published table survives in every other year and is gone in those two — and the marts
equal those of ``--rebuild`` on that folder. ``fct_record_revisions`` is built incrementally by
record: the same load (which also withdraws one accident of the corrected file) rebuilds the
records with a filing in that file only — sentinels planted in every row survive in the others —
and the withdrawn record is gone. The per-unit filing and measures models (int_submissions_covered,
int_situation_measures_by_month, int_event_measures_by_month, int_region_months_covered) are
built incrementally by year (their rows of a year read that year's inputs only): the same load
rebuilds 2020 only in each — sentinel rows planted in a year no input has (2010) survive, those
planted in 2020 are gone — and their uniqueness tests read the rebuilt year only. So are the two
coverage marts built from them (fct_submission_coverage, fct_region_month_coverage): the same
load rebuilds 2020 only of each, a sentinel row planted in 2010 survives and the sentinel counts
set in 2020 are gone. So are the indicator values (int_indicator_values_computed and
fct_indicator_values, on int_indicator_values_year_inputs): the same load rebuilds 2020 only of
each, a row planted in 2010 survives and the values set to -7 in 2020 are gone. A scoped
uniqueness test names the rebuilt years as literals (a filter DuckDB applies in the table scan);
after a full build it reads the whole table.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys

import duckdb
import pytest

from bench.compare_marts import compare
from tests.conftest import cli_env
from tests.handmade import HANDMADE_PLANS, LIZHOU, plan_rows, write_handmade_folder, write_plan

AS_OF = "2026-11-26"
LATER_FILINGS = ("accidents/accidents_2025_revisions.csv", "statistics/statistics_2025_final.csv")


def run(data, warehouse, *extra):
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines", "run", "--data-dir", str(data), "--warehouse", str(warehouse),
         "--reports-dir", str(warehouse.parent / "reports"), "--as-of", AS_OF, *extra],
        capture_output=True, text=True, env=cli_env(), timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-3000:]
    return proc.stdout


def first_load(root):
    data = write_handmade_folder(root / "data")
    for name in LATER_FILINGS:
        shutil.move(data / name, root / name.replace("/", "_"))
    return data


def later_filings(root, data):
    for name in LATER_FILINGS:
        shutil.move(root / name.replace("/", "_"), data / name)
    # the corrected file, reloaded under its name: LZ-2025-003 1 → 2 deaths
    path = data / "accidents" / "accidents_2020_2025.csv"
    text = path.read_text(encoding="utf-8")
    [line] = [x for x in text.splitlines() if x.startswith("LZ-2025-003,")]
    cells = line.split(",")
    assert cells[7] == "1"
    cells[7] = "2"
    path.write_text(text.replace(line, ",".join(cells)), encoding="utf-8")
    # a new month: one accident in 尖山区, zero reports elsewhere
    counties = ["230502", "230503", "230505", "230506", "230521", "230522", "230523", "230524", LIZHOU]
    header = text.splitlines()[0]
    rows = ["SYS-2026-001,2026-01-12 10:00,230502,,尖山区甲厂,工贸,其它伤害,1,0,0,0,60,一般,,,,2026-01-13"]
    rows += [f"零报告,2026-01,{c}" + "," * 14 for c in counties if c != "230502"]
    (data / "accidents" / "accidents_2026_01.csv").write_text(
        "\n".join([header, *rows]) + "\n", encoding="utf-8")
    # a plan revision: a later version of 利州区's plan, target 1 now −8 %
    [lizhou] = [p for p in HANDMADE_PLANS if p[3] == LIZHOU]
    file_name, plan_id, name, region, first, last, base, _version, targets = lizhou
    revised = [(t[0], t[1], t[2], t[3], t[4], "8%" if t[0] == 1 else t[5], *t[6:]) for t in targets]
    write_plan(data, "利州区十四五规划_2024修订.csv",
               plan_rows(plan_id, name, region, first, last, base, "2024-06-30", revised))


# One row a year of the published monthly situation (尖山区 230503's accidents, December, total),
# set to an impossible value before the third load: a year the load rebuilds loses it.
SENTINEL = -7.0
SENTINEL_ROWS = ("region_code = '230503' and source = 'accidents' and measure = 'accidents'"
                 " and breakdown_kind = 'total' and month = 12 and year between 2015 and 2025")
KEYS = ("region_code", "year", "month", "source", "measure", "breakdown_kind", "breakdown_value")


# fct_record_revisions is built incrementally by record: before the third load every row's
# `changes` is set to this; a record the load rebuilds loses it.
REVISION_SENTINEL = "SENTINEL"
CORRECTED_FILE = "accidents_2020_2025.csv"
WITHDRAWN = "SYS-2020-001"  # its one filing is in the corrected file, which no longer holds it


# The intermediate models built incrementally by year (their rows of a year read that year's
# inputs only). Sentinel rows (value -7, breakdown or measure "sentinel") are planted in the two
# measures-by-month tables before the third load, in 2020 (which that load rebuilds) and in 2010
# (a year no input has, which nothing reads: no mart depends on it).
YEARLY_MODELS = ("int_submissions_covered", "int_situation_measures_by_month",
                 "int_event_measures_by_month", "int_region_months_covered")
PLANT_MEASURE_SENTINELS = (
    """insert into intermediate.int_situation_measures_by_month by name
       select m.region_code, m.source, m.measure, 'sector' as breakdown_kind, 'sentinel' as breakdown_value,
              make_date(y.year, 12, 1) as month, y.year, 12 as month_number, -7.0 as value
       from (select * from intermediate.int_situation_measures_by_month limit 1) as m
       cross join (values (2010), (2020)) as y (year)""",
    """insert into intermediate.int_event_measures_by_month by name
       select m.region_code, make_date(y.year, 12, 1) as month, y.year, 12 as month_number, m.source,
              'sentinel' as measure, -7.0 as value
       from (select * from intermediate.int_event_measures_by_month limit 1) as m
       cross join (values (2010), (2020)) as y (year)""",
)


# The marts built by year the same way (their years recorded in the schema intermediate too).
# Before the third load their rows of December 2020 get counts of -7, and a copy of one of them is
# planted in 2010 (a year no input has): valid rows otherwise (a register, a covered month), so
# every data test and every model reading the marts sees nothing new.
YEARLY_MARTS = {"fct_submission_coverage": "records", "fct_region_month_coverage": "units_required"}
PLANT_MART_SENTINELS = (
    """insert into marts.fct_submission_coverage by name
       select region_code, source, date '2010-12-01' as month, 2010 as year, is_covered,
              -7 as records, -7 as zero_reports
       from marts.fct_submission_coverage where month = date '2020-12-01' and is_covered limit 1""",
    """update marts.fct_submission_coverage set records = -7, zero_reports = -7
       where month = date '2020-12-01'""",
    """insert into marts.fct_region_month_coverage by name
       select * replace (2010 as year, -7 as units_required, -7 as units_filed)
       from marts.fct_region_month_coverage where year = 2020 and month = 12 and is_covered limit 1""",
    """update marts.fct_region_month_coverage set units_required = -7, units_filed = -7
       where year = 2020 and month = 12""",
)


# The indicator values, built by year from int_indicator_values_year_inputs. Before the third load
# their values of 2020 are set to -7 in both tables, and a copy of a 2020 row of the intermediate
# one, not count-based (no Poisson limit reads it), is planted in 2010 (a year no input has: no
# build of fct_indicator_values reads it, as that year is never rebuilt).
INDICATOR_MODELS = {"int_indicator_values_computed": "intermediate", "fct_indicator_values": "marts"}
PLANT_INDICATOR_SENTINELS = (
    """insert into intermediate.int_indicator_values_computed by name
       select * replace (2010 as year, false as is_count_based, -7.0 as value)
       from intermediate.int_indicator_values_computed where year = 2020 limit 1""",
    "update intermediate.int_indicator_values_computed set value = -7 where year = 2020",
    "update marts.fct_indicator_values set value = -7 where year = 2020",
)


def correct_an_earlier_year(data):
    """SYS-2020-003 (230503, 2020-09) 1 → 2 deaths, reloaded under the file's name; and
    SYS-2020-001 (230502, 2020-03) withdrawn: its row replaced by that month's 零报告."""
    path = data / "accidents" / CORRECTED_FILE
    text = path.read_text(encoding="utf-8")
    [line] = [x for x in text.splitlines() if x.startswith("SYS-2020-003,")]
    cells = line.split(",")
    assert cells[7] == "1"
    cells[7] = "2"
    text = text.replace(line, ",".join(cells))
    [withdrawn] = [x for x in text.splitlines() if x.startswith(f"{WITHDRAWN},")]
    assert withdrawn.split(",")[1:3] == ["2020-03-10 09:00", "230502"]
    path.write_text(text.replace(withdrawn, "零报告,2020-03,230502" + "," * 14), encoding="utf-8")


def marts_equal(before, after, *ignore) -> tuple[bool, str]:
    out = io.StringIO()
    same = compare(before, after, out=out, ignore=frozenset(ignore))
    return same, out.getvalue()


def verdicts(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            "select asset_key, check_name, passed, offending_count from quality.check_results"
            " where run_id = (select run_id from quality.runs order by finished_at desc limit 1)"
            " and message_en like 'dbt test %' order by all").fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory):
    root = tmp_path_factory.mktemp("selective")
    data = first_load(root)
    published = root / "pub" / "w.duckdb"
    run(data, published)
    # The same second load with every dbt node built: a copy of the published state without
    # the fingerprints of its build.
    full = root / "full" / "w.duckdb"
    full.parent.mkdir()
    shutil.copyfile(published, full)
    con = duckdb.connect(str(full))
    con.execute("drop table quality.transform_inputs")
    con.close()
    later_filings(root, data)
    incremental_log = run(data, published)
    second = root / "second" / "w.duckdb"  # the published state after the second load
    second.parent.mkdir()
    shutil.copyfile(published, second)
    full_log = run(data, full)
    rebuilt = root / "rebuilt" / "w.duckdb"
    run(data, rebuilt, "--rebuild")
    # The third load: a correction in an earlier year than the latest, on sentinels.
    con = duckdb.connect(str(published))
    con.execute(f"update marts.fct_monthly_situation set month_value = {SENTINEL} where {SENTINEL_ROWS}")
    con.execute(f"update marts.fct_record_revisions set changes = '{REVISION_SENTINEL}'")
    for plant in PLANT_MEASURE_SENTINELS + PLANT_MART_SENTINELS + PLANT_INDICATOR_SENTINELS:
        con.execute(plant)
    con.close()
    correct_an_earlier_year(data)
    earlier_log = run(data, published)
    con = duckdb.connect(str(published))
    yearly = {
        "sentinels": {t: sorted(y for (y,) in con.execute(
            f"select year from intermediate.{t} where value = {SENTINEL}").fetchall())
            for t in ("int_situation_measures_by_month", "int_event_measures_by_month")},
        "rebuilt": {t: sorted(y for (y,) in con.execute(
            f"select year from intermediate.{t}_years_built where rebuilt").fetchall())
            for t in (*YEARLY_MODELS, *YEARLY_MARTS, *INDICATOR_MODELS)},
        "indicator_sentinels": {t: sorted({y for (y,) in con.execute(
            f"select year from {schema}.{t} where value = {SENTINEL}").fetchall()})
            for t, schema in INDICATOR_MODELS.items()},
        "mart_sentinels": {t: sorted({y for (y,) in con.execute(
            f"select year from marts.{t} where {column} = {SENTINEL}").fetchall()})
            for t, column in YEARLY_MARTS.items()},
    }
    for t, column in YEARLY_MARTS.items():
        con.execute(f"delete from marts.{t} where {column} = {SENTINEL}")
    for t in yearly["sentinels"]:
        con.execute(f"delete from intermediate.{t} where value = {SENTINEL}")
    for t, schema in INDICATOR_MODELS.items():
        con.execute(f"delete from {schema}.{t} where value = {SENTINEL}")
    kept_sentinels = sorted(y for (y,) in con.execute(
        f"select year from marts.fct_monthly_situation where {SENTINEL_ROWS}"
        f" and month_value = {SENTINEL}").fetchall())
    revisions = {
        "kept": set(con.execute("select distinct source, record_key from marts.fct_record_revisions"
                                f" where changes = '{REVISION_SENTINEL}'").fetchall()),
        "rebuilt": set(con.execute("select distinct source, record_key from marts.fct_record_revisions"
                                   f" where changes is distinct from '{REVISION_SENTINEL}'").fetchall()),
        "withdrawn": con.execute("select count(*) from marts.fct_record_revisions"
                                 f" where record_key = '{WITHDRAWN}'").fetchone()[0],
    }
    # put back what was planted where it was kept (rows not rebuilt: the second load's values)
    con.execute(f"attach '{second}' as second (read_only)")
    con.execute(f"""update marts.fct_monthly_situation as t set month_value = s.month_value
                    from second.marts.fct_monthly_situation as s
                    where t.month_value = {SENTINEL} and {' and '.join(f's.{k} = t.{k}' for k in KEYS)}""")
    con.execute(f"""update marts.fct_record_revisions as t set changes = s.changes
                    from second.marts.fct_record_revisions as s
                    where t.changes = '{REVISION_SENTINEL}' and s.source = t.source
                    and s.record_key = t.record_key and s.filing_seq = t.filing_seq""")
    con.close()
    final = root / "final" / "w.duckdb"
    run(data, final, "--rebuild")
    return {"incremental": second, "full": full, "rebuilt": rebuilt, "third": published, "final": final,
            "incremental_log": incremental_log, "full_log": full_log, "earlier_log": earlier_log,
            "kept_sentinels": kept_sentinels, "revisions": revisions, "yearly": yearly,
            "earlier_tests": scoped_unique_tests(published), "final_tests": scoped_unique_tests(final)}


def scoped_unique_tests(warehouse):
    """The compiled SQL of the uniqueness tests of the last dbt build of ``warehouse`` (dbt's
    target folder beside it), by model, for the models whose key test is scoped."""
    target = warehouse.with_name(f".{warehouse.name}.dbt") / "build"
    nodes = json.loads((target / "manifest.json").read_text(encoding="utf-8"))["nodes"]
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    by_model = {}
    for r in results:
        node = nodes.get(r["unique_id"], {})
        if (node.get("test_metadata") or {}).get("name") == "unique_combination_of_columns":
            model = node["attached_node"].rsplit(".", 1)[-1]
            if model in ("fct_monthly_situation", *YEARLY_MARTS):
                by_model[model] = r.get("compiled_code") or ""
    return by_model


def test_the_second_load_builds_only_part_of_the_project(warehouses):
    log = warehouses["incremental_log"]
    assert "building only what reads a changed input" in log, log[-3000:]
    assert "source:raw.accidents" in log and "source:raw.statistics" in log and "source:raw.plans" in log
    assert "building everything" in warehouses["full_log"]
    con = duckdb.connect(str(warehouses["incremental"]), read_only=True)
    carried = con.execute(
        "select count(*) from quality.check_results where message_en like '%inputs unchanged, result of run%'"
        " and run_id = (select run_id from quality.runs order by finished_at desc limit 1)").fetchone()[0]
    con.close()
    assert carried > 0  # the seeds' tests at least: no seed changed


def test_marts_equal_those_of_a_full_dbt_build_of_the_same_load(warehouses):
    same, report = marts_equal(warehouses["full"], warehouses["incremental"], "loaded_at")
    assert same, report
    assert verdicts(warehouses["full"]) == verdicts(warehouses["incremental"])


def test_marts_equal_those_of_a_rebuild_of_the_final_folder(warehouses):
    same, report = marts_equal(warehouses["rebuilt"], warehouses["incremental"], "loaded_at", "load_seq")
    assert same, report


def test_the_later_filings_reached_the_marts(warehouses):
    con = duckdb.connect(str(warehouses["incremental"]), read_only=True)
    try:
        deaths = dict(con.execute(
            "select accident_id, deaths from marts.fct_accidents"
            " where accident_id in ('LZ-2025-003', 'SYS-2025-002', 'SYS-2026-001')").fetchall())
        written_off = con.execute(
            "select is_written_off from marts.fct_accidents where accident_id = 'SYS-2025-003'").fetchall()
        gdp = con.execute(
            "select gdp_100m_yuan from marts.fct_denominators where region_code = ? and year = 2025",
            [LIZHOU]).fetchall()
    finally:
        con.close()
    assert deaths == {"LZ-2025-003": 2, "SYS-2025-002": 2, "SYS-2026-001": 1}
    assert written_off == [(True,)]  # 核销: kept, flagged, counted nowhere
    assert gdp == [(300.0,)]


def test_a_correction_in_an_earlier_year_rebuilds_that_year_and_the_next_only(warehouses):
    assert "source:raw.accidents" in warehouses["earlier_log"]
    # the sentinels of every year but 2020 and 2021 were left as they were: those years were not rebuilt
    assert warehouses["kept_sentinels"] == [y for y in range(2015, 2026) if y not in (2020, 2021)]
    con = duckdb.connect(str(warehouses["third"]), read_only=True)
    try:
        con.execute(f"attach '{warehouses['incremental']}' as second (read_only)")
        changed_years = con.execute(
            "select distinct year from (select * from marts.fct_monthly_situation"
            " except all select * from second.marts.fct_monthly_situation) order by year").fetchall()
        deaths_2020, prior_2021 = con.execute(
            "select max(ytd_value) filter (where year = 2020),"
            " max(prior_ytd_value) filter (where year = 2021)"
            " from marts.fct_monthly_situation where region_code = '230503' and source = 'accidents'"
            " and measure = 'deaths' and breakdown_kind = 'total' and month = 12").fetchone()
    finally:
        con.close()
    # 2020's deaths (its year to date) and 2021's 同比 base moved; nothing else did
    assert changed_years == [(2020,), (2021,)]
    assert (deaths_2020, prior_2021) == (2.0, 2.0)  # SYS-2020-003, now 2 deaths, the only one there


def test_marts_after_the_earlier_year_correction_equal_a_rebuild(warehouses):
    same, report = marts_equal(warehouses["final"], warehouses["third"], "loaded_at", "load_seq")
    assert same, report


def test_the_earlier_year_correction_rebuilds_the_revisions_of_the_corrected_file_only(warehouses):
    """The corrected file was reloaded: every record with a filing in it is rebuilt (its filings
    have a new load), every other record kept as it was; the withdrawn record is gone."""
    con = duckdb.connect(str(warehouses["incremental"]), read_only=True)
    try:
        in_file = set(con.execute(
            "select distinct source, record_key from marts.fct_record_revisions"
            " where source = 'accidents' and source_file = ?", [CORRECTED_FILE]).fetchall())
        every = set(con.execute(
            "select distinct source, record_key from marts.fct_record_revisions").fetchall())
    finally:
        con.close()
    revisions = warehouses["revisions"]
    assert ("accidents", WITHDRAWN) in in_file and revisions["withdrawn"] == 0
    assert revisions["rebuilt"] == in_file - {("accidents", WITHDRAWN)}
    assert revisions["kept"] == every - in_file
    # the kept ones span every source but the corrected one's file: accidents of other files too
    assert {s for s, _ in revisions["kept"]} >= {"accidents", "disasters", "statistics"}


def test_the_earlier_year_correction_rebuilds_that_year_only_of_the_yearly_models(warehouses):
    """The correction and the withdrawal are both of 2020 (the reloaded file's other rows, of
    2021-2025, come back the same with a new load: no fingerprint sees the load): each per-unit
    model rebuilt 2020 and no other year. Its rows of 2010 (planted: no input has that year)
    were left alone, its rows of 2020 replaced (the planted ones gone)."""
    yearly = warehouses["yearly"]
    assert yearly["rebuilt"] == dict.fromkeys((*YEARLY_MODELS, *YEARLY_MARTS, *INDICATOR_MODELS), [2020])
    assert yearly["indicator_sentinels"] == {"int_indicator_values_computed": [2010],
                                             "fct_indicator_values": []}
    assert yearly["mart_sentinels"] == dict.fromkeys(YEARLY_MARTS, [2010])
    assert yearly["sentinels"] == {"int_situation_measures_by_month": [2010],
                                   "int_event_measures_by_month": [2010]}


def test_a_full_build_rebuilds_and_tests_every_year_of_the_yearly_models(warehouses):
    """--rebuild (a full refresh) builds every year of each per-unit model and of the indicator
    values and records them all as rebuilt, so their data tests read the whole table."""
    con = duckdb.connect(str(warehouses["final"]), read_only=True)
    try:
        for t, schema in {**dict.fromkeys(YEARLY_MODELS, "intermediate"), **INDICATOR_MODELS}.items():
            years = {y for (y,) in con.execute(f"select distinct year from {schema}.{t}").fetchall()}
            rebuilt = {y for (y,) in con.execute(
                f"select year from intermediate.{t}_years_built where rebuilt").fetchall()}
            kept = {y for (y,) in con.execute(f"select year from intermediate.{t}_years_built").fetchall()}
            assert years and years <= rebuilt == kept, t
    finally:
        con.close()


def test_the_scoped_uniqueness_tests_name_the_rebuilt_years_or_read_every_row(warehouses):
    """After the earlier-year correction the scoped key tests read the years rebuilt, named as
    literals (a filter DuckDB applies in the scan); after --rebuild they read the whole table."""
    earlier, final = warehouses["earlier_tests"], warehouses["final_tests"]
    assert "where year in (2020, 2021) or year is null" in earlier["fct_monthly_situation"]
    for model in YEARLY_MARTS:
        assert "where year in (2020) or year is null" in earlier[model], earlier[model]
    for model, sql in final.items():
        assert sql and "_years_built" not in sql and "year in (" not in sql, (model, sql)
