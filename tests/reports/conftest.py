"""A small warehouse holding the marts/quality contract tables with hand-written rows.

Two plan jurisdictions: 双鸭山市 (prefecture, two counties, one with a hostile name) and
满洲里市 (county). The reports must show exactly these numbers.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.reports import build_reports

PROJECT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 20)
RUN_ID = "run-test-0001"
HOSTILE_COUNTY = "岭东区<img src=x onerror=alert(1)>"
HOSTILE_SECTOR = '<script>alert("sector")</script>'
SECRETS = ["某某煤业有限公司", "张三", "SECRET_SUMMARY"]

SCHEMA = """
create schema marts; create schema quality; create schema raw; create schema seeds;
create table marts.dim_region(region_code varchar, region_name varchar, level varchar, parent_code varchar,
  prefecture_code varchar, province_code varchar, is_plan_jurisdiction boolean, county_count integer);
create table marts.bridge_region_rollup(rollup_region_code varchar, county_region_code varchar);
create table marts.dim_indicator(indicator_code varchar, indicator_name_zh varchar, indicator_name_en varchar,
  unit_zh varchar, unit_en varchar, multiplier integer, kind varchar);
create table marts.fct_indicator_values(region_code varchar, year integer, indicator_code varchar,
  numerator double, denominator double, value double, value_ci_low double, value_ci_high double,
  is_current_year boolean, months_covered integer);
create table marts.fct_plan_progress(plan_id varchar, region_code varchar, seq integer,
  indicator_code varchar, indicator_name_as_printed varchar, target_kind varchar, comparator varchar,
  target_value double, unit varchar, baseline_year integer, baseline_value double,
  baseline_value_printed double, is_baseline_different boolean,
  target_threshold double, evaluated_year integer, evaluated_value double, change_pct double, status varchar,
  status_zh varchar, gap_to_target double, is_change_significant boolean, years_complete integer,
  note varchar);
create table marts.fct_ytd_comparison(region_code varchar, indicator_code varchar, year integer,
  through_month integer, value_ytd double, prior_year_value_same_months double, change_pct double,
  is_complete boolean, due_through_month integer);
create table marts.fct_accident_breakdown(region_code varchar, year integer, sector varchar,
  is_industrial boolean, severity_class varchar, accidents integer, deaths integer);
create table marts.fct_disaster_breakdown(region_code varchar, year integer, hazard varchar, events integer,
  dead_missing integer, affected_person_times bigint, direct_loss_100m_yuan double);
create table marts.fct_accidents(accident_id varchar, occurred_at timestamp, occurred_date date, year integer,
  month integer, region_code varchar, prefecture_code varchar, sector varchar, is_industrial boolean,
  industry_code varchar, accident_type varchar, deaths integer, missing integer, deaths_incl_missing integer,
  serious_injuries integer, minor_injuries integer, direct_loss_10k_yuan double, reported_severity varchar,
  severity_class varchar, severity_class_zh varchar, is_severity_mismatch boolean,
  involves_operating_vehicle boolean, is_written_off boolean, revision_count integer, reported_date date,
  source_file varchar, summary varchar, unit_name varchar);
create table marts.fct_missing_submissions(region_code varchar, region_name varchar, prefecture_code varchar,
  source varchar, month date);
create table marts.fct_severity_findings(accident_id varchar, region_code varchar, occurred_date date,
  reported_severity varchar, severity_class varchar, severity_class_zh varchar, deaths_incl_missing integer,
  serious_injuries integer, direct_loss_10k_yuan double);
create table quality.check_results(run_id varchar, checked_at timestamp, check_name varchar,
  asset_key varchar,
  severity varchar, passed boolean, observed_value varchar, offending_count bigint, offending_sample varchar,
  message_zh varchar, message_en varchar);
create table quality.runs(run_id varchar, started_at timestamp, finished_at timestamp, verdict varchar,
  as_of date, data_dir varchar, is_sample_data boolean);
create table raw.quarantine(source varchar, file_name varchar, file_sha256 varchar, sheet_name varchar,
  row_number integer, column_name varchar, reason_code varchar, reason_zh varchar, reason_en varchar,
  raw_record json, deaths_in_row integer, load_seq bigint, loaded_at timestamp);
"""

REGIONS = [
    ("230500", "双鸭山市", "prefecture", "230000", "230500", "230000", True, 2),
    ("230502", "尖山区", "county", "230500", "230500", "230000", False, 1),
    ("230503", HOSTILE_COUNTY, "county", "230500", "230500", "230000", False, 1),
    ("150781", "满洲里市", "county", "150700", "150700", "150000", True, 1),
]
ROLLUP = [
    ("230500", "230500"),
    ("230500", "230502"),
    ("230500", "230503"),
    ("230502", "230502"),
    ("230503", "230503"),
    ("150781", "150781"),
]
INDICATORS = [
    ("safety_deaths", "生产安全事故死亡人数", "Deaths", "人", "persons", 1, "count"),
    ("safety_accidents", "生产安全事故起数", "Accidents", "起", "accidents", 1, "count"),
    ("larger_and_above_accidents", "较大及以上生产安全事故起数", "Larger+", "起", "accidents", 1, "count"),
    (
        "deaths_per_100m_gdp",
        "亿元生产总值生产安全事故死亡率",
        "Deaths per 100m GDP",
        "人/亿元",
        "per 100m",
        1,
        "rate",
    ),
    (
        "disaster_deaths_per_million",
        "每百万人口因自然灾害死亡率",
        "Disaster deaths/m",
        "人/百万人",
        "per m",
        1,
        "rate",
    ),
    (
        "industrial_deaths_per_100k_workers",
        "工矿商贸就业人员十万人生产安全事故死亡率",
        "Industrial",
        "人/十万人",
        "per 100k",
        100000,
        "rate",
    ),
    (
        "relief_time_hours",
        "受灾人员基本生活得到有效救助时间",
        "Relief time",
        "小时",
        "hours",
        1,
        "capability",
    ),
]

# Deaths per year (2016..2025) and GDP (亿元) per county; the prefecture is their sum.
DEATHS = {
    "230502": [14, 12, 13, 11, 12, 10, 11, 9, 8, 9],
    "230503": [9, 8, 7, None, 6, 7, 5, 6, 4, 5],  # 2019 incomplete: a gap, never 0
    "150781": [4, 3, 5, 2, 3, 2, 3, 1, 2, 2],
}
GDP = {"230502": 200.0, "230503": 150.0, "150781": 174.0}


def _indicator_rows() -> list[tuple]:
    rows = []
    years = list(range(2016, 2026))
    series = dict(DEATHS)
    series["230500"] = [
        None if a is None or b is None else a + b
        for a, b in zip(DEATHS["230502"], DEATHS["230503"], strict=True)
    ]
    gdp = dict(GDP, **{"230500": GDP["230502"] + GDP["230503"]})
    for region, deaths in series.items():
        for year, d in zip(years, deaths, strict=True):
            if d is None:
                continue
            low, high = max(d - 2.0 * d**0.5, 0.0), d + 2.0 * d**0.5 + 1
            rows.append((region, year, "safety_deaths", d, None, d, low, high, False, 12))
            rows.append((region, year, "safety_accidents", d + 3, None, d + 3, None, None, False, 12))
            rate = d / gdp[region]
            rows.append(
                (
                    region,
                    year,
                    "deaths_per_100m_gdp",
                    d,
                    gdp[region],
                    rate,
                    low / gdp[region],
                    high / gdp[region],
                    False,
                    12,
                )
            )
    # disaster deaths: 满洲里市 2018 missing
    for year in years:
        if year != 2018:
            rows.append(("150781", year, "disaster_deaths_per_million", 0, 0.18, 0.0, 0.0, 20.5, False, 12))
    for year in (2021, 2022, 2023, 2024, 2025):
        rows.append(
            ("150781", year, "relief_time_hours", None, None, 12 - (year - 2021), None, None, False, 12)
        )
    for year, d in zip(years, [1, 2, 1, 0, 1, 1, 0, 1, 0, 1], strict=True):
        rows.append(
            (
                "150781",
                year,
                "industrial_deaths_per_100k_workers",
                d,
                0.678,
                d / 0.678 * 1.0,
                0.0,
                (d + 2.5) / 0.678,
                False,
                12,
            )
        )
    rows.append(("230500", 2026, "safety_deaths", 22, None, 22, 13.8, 33.3, True, 10))
    return rows


PLAN_PROGRESS = [
    (
        "14fyp",
        "230500",
        1,
        "safety_deaths",
        "生产安全事故死亡人数",
        "decline_pct",
        ">=",
        15,
        "%",
        2020,
        18,
        None,
        False,
        15.3,
        2025,
        14,
        -22.2222,
        "achieved",
        "已完成",
        None,
        False,
        5,
        None,
    ),
    (
        "14fyp",
        "230500",
        2,
        "larger_and_above_accidents",
        "重大较大生产安全事故起数",
        "curb",
        None,
        None,
        None,
        2020,
        None,
        None,
        False,
        None,
        2025,
        None,
        None,
        "no_verdict",
        "不作判定",
        None,
        None,
        5,
        "curb",
    ),
    (
        "14fyp",
        "230500",
        3,
        "deaths_per_100m_gdp",
        "单位生产总值生产安全事故死亡率",
        "decline_pct",
        ">=",
        33,
        "%",
        2020,
        18 / 350,
        None,
        False,
        18 / 350 * 0.67,
        2025,
        14 / 350,
        -22.2222,
        "not_achieved",
        "未完成",
        0.0056,
        False,
        5,
        None,
    ),
    (
        "14fyp",
        "230500",
        7,
        "disaster_deaths_per_million",
        "年均每百万人口因自然灾害死亡率",
        "upper_bound",
        "<",
        1,
        "per million",
        None,
        None,
        None,
        False,
        1,
        None,
        None,
        None,
        "insufficient_data",
        "数据不足",
        None,
        None,
        0,
        None,
    ),
    (
        "14fyp",
        "150781",
        1,
        "safety_deaths",
        "生产安全事故死亡人数",
        "decline_pct",
        ">=",
        15,
        "%",
        2020,
        3,
        3,
        False,
        2.55,
        2025,
        2,
        -33.3333,
        "achieved",
        "已完成",
        None,
        False,
        5,
        None,
    ),
    (
        "14fyp",
        "150781",
        3,
        "deaths_per_100m_gdp",
        "亿元国内生产总值生产安全事故死亡率",
        "decline_pct",
        ">=",
        33,
        "%",
        2020,
        3 / 174,
        0.0172,
        True,
        3 / 174 * 0.67,
        2025,
        2 / 174,
        -33.3333,
        "worsening",
        "逆向变化",
        None,
        False,
        5,
        None,
    ),
    (
        "14fyp",
        "150781",
        4,
        "industrial_deaths_per_100k_workers",
        "工矿商贸就业人员10万人生产安全事故死亡率",
        "decline_pct",
        ">=",
        33,
        "%",
        2020,
        1 / 0.678,
        1.474,
        True,
        1 / 0.678 * 0.67,
        2025,
        1 / 0.678,
        0.0,
        "not_achieved",
        "未完成",
        0.4867,
        False,
        5,
        None,
    ),
    (
        "14fyp",
        "150781",
        5,
        "disaster_deaths_per_million",
        "年均每百万人口因自然灾害死亡率",
        "upper_bound",
        "<",
        1,
        "per million",
        None,
        None,
        None,
        False,
        1,
        2025,
        None,
        None,
        "insufficient_data",
        "数据不足",
        None,
        None,
        4,
        None,
    ),
    (
        "14fyp",
        "150781",
        6,
        "relief_time_hours",
        "灾害事故发生后受灾人员基本生活得到有效救助",
        "upper_bound",
        "<=",
        10,
        "hours",
        2020,
        None,
        12,
        False,
        10,
        2025,
        8,
        None,
        "achieved",
        "已完成",
        None,
        None,
        5,
        None,
    ),
]

YTD = [
    ("230500", "safety_deaths", 2026, 10, 22, 28, -21.4, True, 10),
    ("230500", "deaths_per_100m_gdp", 2026, 10, None, None, None, False, 10),
    # a late county shortens the window to January–August
    ("230500", "safety_accidents", 2026, 8, 20, 25, -20.0, False, 10),
    ("150781", "safety_deaths", 2026, 10, 1, 2, -50.0, True, 10),
]

ACC_BREAKDOWN = [
    ("230500", 2025, "煤矿", True, "larger", 1, 3),
    ("230500", 2025, "煤矿", True, "general", 2, 2),
    ("230500", 2025, "道路运输", False, "general", 5, 6),
    ("230500", 2025, HOSTILE_SECTOR, True, "general", 1, 1),
    ("230500", 2024, "煤矿", True, "general", 4, 5),
    ("230500", 2026, "道路运输", False, "general", 3, 4),
    ("150781", 2025, "道路运输", False, "general", 2, 2),
    ("150781", 2026, "工贸", True, "general", 1, 1),
]
DIS_BREAKDOWN = [
    ("230500", 2025, "洪涝", 2, 1, 15000, 1.25),
    ("230500", 2024, "风雹", 1, 0, 3000, 0.2),
    ("150781", 2025, "雪灾", 1, 0, 800, 0.05),
]
ACCIDENTS = [
    (
        "A-2025-001",
        "2025-03-05 10:00:00",
        "2025-03-05",
        2025,
        3,
        "230503",
        "230500",
        "煤矿",
        True,
        "B06",
        "透水",
        3,
        0,
        3,
        1,
        0,
        500.0,
        "较大",
        "larger",
        "较大",
        False,
        None,
        False,
        1,
        "2025-03-06",
        "2025-03.xlsx",
        "SECRET_SUMMARY 张三 <b>",
        "某某煤业有限公司",
    ),
    (
        "A-2024-009",
        "2024-07-01 08:00:00",
        "2024-07-01",
        2024,
        7,
        "230502",
        "230500",
        "建筑业",
        True,
        "E47",
        "坍塌",
        4,
        0,
        4,
        0,
        0,
        300.0,
        "一般",
        "larger",
        "较大",
        True,
        None,
        False,
        2,
        "2024-07-02",
        "2024-07.xlsx",
        "SECRET_SUMMARY",
        "某某煤业有限公司",
    ),
    (
        "A-2023-100",
        "2023-05-01 08:00:00",
        "2023-05-01",
        2023,
        5,
        "230502",
        "230500",
        "工贸",
        True,
        "C13",
        "中毒和窒息",
        3,
        0,
        3,
        0,
        0,
        100.0,
        "较大",
        "larger",
        "较大",
        False,
        None,
        True,
        1,
        "2023-05-02",
        "2023-05.xlsx",
        "written off",
        "某某煤业有限公司",
    ),
]
MISSING = [
    ("230503", HOSTILE_COUNTY, "230500", "accidents", "2026-09-01"),
    ("230503", HOSTILE_COUNTY, "230500", "disasters", "2026-10-01"),
    ("230502", "尖山区", "230500", "accidents", "2025-04-01"),  # not the current year
]
FINDINGS = [("A-2024-009", "230502", "2024-07-01", "一般", "larger", "较大", 4, 0, 300.0)]
CHECKS = [
    (
        RUN_ID,
        "2026-11-20 08:00:00",
        "accidents_unique",
        "marts.fct_accidents",
        "error",
        True,
        "0",
        0,
        None,
        "事故编号唯一",
        "unique",
    ),
    (
        RUN_ID,
        "2026-11-20 08:00:00",
        "deaths_non_negative",
        "marts.fct_accidents",
        "error",
        True,
        "0",
        0,
        None,
        "死亡人数非负",
        "non-negative",
    ),
    (
        RUN_ID,
        "2026-11-20 08:00:00",
        "indicator_range",
        "marts.fct_indicator_values",
        "error",
        True,
        "0",
        0,
        None,
        "指标值在合理范围",
        "range",
    ),
    (
        RUN_ID,
        "2026-11-20 08:00:00",
        "quarantine_empty",
        "raw.quarantine",
        "warn",
        False,
        "2",
        2,
        '{"unit_name": "某某煤业有限公司"}',
        "有2行记录被隔离",
        "2 rows quarantined",
    ),
    ("other-run", "2026-11-19 08:00:00", "old", "x", "error", False, "1", 1, None, "旧运行", "old"),
]
QUARANTINE = [
    (
        "accidents",
        "2026-09.xlsx",
        "abc",
        "Sheet1",
        7,
        "死亡人数",
        "not_a_number",
        "不是数字",
        "not a number",
        '{"死亡人数": "约3人"}',
        None,
        1,
        "2026-11-20 07:00:00",
    ),
    (
        "accidents",
        "2026-09.xlsx",
        "abc",
        "Sheet1",
        9,
        "行政区划代码",
        "unknown_region",
        "未知行政区划代码",
        "unknown region",
        '{"死亡人数": "2"}',
        2,
        1,
        "2026-11-20 07:00:00",
    ),
]


def make_warehouse(path: Path) -> Path:
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA)
        inserts = {
            "marts.dim_region": REGIONS,
            "marts.bridge_region_rollup": ROLLUP,
            "marts.dim_indicator": INDICATORS,
            "marts.fct_indicator_values": _indicator_rows(),
            "marts.fct_plan_progress": PLAN_PROGRESS,
            "marts.fct_ytd_comparison": YTD,
            "marts.fct_accident_breakdown": ACC_BREAKDOWN,
            "marts.fct_disaster_breakdown": DIS_BREAKDOWN,
            "marts.fct_accidents": ACCIDENTS,
            "marts.fct_missing_submissions": MISSING,
            "marts.fct_severity_findings": FINDINGS,
            "quality.check_results": CHECKS,
            "raw.quarantine": QUARANTINE,
        }
        for table, rows in inserts.items():
            marks = ", ".join("?" * len(rows[0]))
            con.executemany(f"insert into {table} values ({marks})", rows)
        con.execute(
            "insert into quality.runs values (?, ?, ?, ?, ?, ?, ?)",
            [RUN_ID, "2026-11-20 07:00:00", "2026-11-20 08:10:00", "passed", AS_OF, "data_raw", True],
        )
        seed = PROJECT / "dbt_project" / "seeds" / "national_reference.csv"
        con.execute(f"create table seeds.national_reference as select * from read_csv('{seed}', header=true)")
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Path:
    return make_warehouse(tmp_path_factory.mktemp("wh") / "warehouse.duckdb")


@pytest.fixture(scope="session")
def built(warehouse, tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("reports")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        paths = build_reports(con, out, as_of=AS_OF, is_sample_data=True, run_id=RUN_ID)
    finally:
        con.close()
    return out, paths
