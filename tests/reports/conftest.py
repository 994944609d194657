"""A small warehouse holding the marts/quality contract tables with hand-written rows.

Two plan jurisdictions: 双鸭山市 (prefecture, two counties, one with a hostile name) and
满洲里市 (county), both under their ended 14th plan (2021–2025, final evaluation), and 双鸭山市
under a running 15th plan too (2026–2030, base 2025, monitored through October 2026). The
reports must show exactly these numbers.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines import enumerations
from pipelines.gate_records import ensure_quality_tables
from pipelines.ingest.raw_tables import create_raw_tables
from pipelines.reports import build_reports
from tests.contract_tables import create_contract_tables, insert_rows

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
  unit_zh varchar, unit_en varchar, multiplier integer, kind varchar, is_count_based boolean,
  numerator_unit_zh varchar, sort_order integer);
create table marts.dim_plan(plan_id varchar, region_code varchar, region_name varchar, plan_name varchar,
  start_year integer, end_year integer, baseline_year integer, previous_first_year integer,
  previous_last_year integer, is_over boolean, stage varchar, stage_zh varchar, monitoring_year integer,
  monitoring_month integer, version_date date, source_file varchar, target_count bigint);
create table marts.fct_period_comparison(region_code varchar, indicator_code varchar,
  previous_first_year integer, previous_last_year integer, first_year integer, last_year integer,
  previous_total double, total double, previous_mean double, mean double, change_pct double, change_pp double,
  missing_years varchar, previous_years_complete bigint, years_complete bigint,
  previous_numerator_total double, numerator_total double, is_change_significant boolean,
  change_p_value double);
create table marts.fct_plan_ytd(plan_id varchar, region_code varchar, seq integer, indicator_code varchar,
  year integer, through_month integer, ytd_value double, prior_ytd_value double, ytd_change_pct double,
  required_yearly_change_pct double, pace_ratio double, status varchar, status_zh varchar,
  is_change_significant boolean, change_p_value double, is_above_bound boolean, target_kind varchar,
  comparator varchar, target_value double);
create table marts.fct_plan_outlook(plan_id varchar, region_code varchar, seq integer, indicator_code varchar,
  evaluation varchar, first_fitted_year integer, last_fitted_year integer, years_fitted integer,
  projected_year integer, projected_value double, projected_low double, projected_high double,
  target_value double, comparator varchar, outlook varchar, outlook_zh varchar, method varchar,
  trend_pct_per_year double, dispersion double);
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
  is_industrial boolean, severity_class varchar, accidents integer, deaths integer, through_month integer);
create table marts.fct_disaster_breakdown(region_code varchar, year integer, hazard varchar, events integer,
  dead_missing integer, affected_person_times bigint, direct_loss_100m_yuan double, through_month integer);
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
    ("safety_deaths", "生产安全事故死亡人数", "Deaths", "人", "persons", 1, "count", True, "人", 1),
    ("safety_accidents", "生产安全事故起数", "Accidents", "起", "accidents", 1, "count", True, "起", 2),
    (
        "larger_and_above_accidents",
        "较大及以上生产安全事故起数",
        "Larger+",
        "起",
        "accidents",
        1,
        "count",
        True,
        "起",
        4,
    ),
    (
        "deaths_per_100m_gdp",
        "亿元生产总值生产安全事故死亡率",
        "Deaths per 100m GDP",
        "人/亿元",
        "per 100m",
        1,
        "rate",
        True,
        "人",
        6,
    ),
    (
        "disaster_deaths_per_million",
        "每百万人口因自然灾害死亡率",
        "Disaster deaths/m",
        "人/百万人",
        "per m",
        1,
        "rate",
        True,
        "人",
        10,
    ),
    (
        "industrial_deaths_per_100k_workers",
        "工矿商贸就业人员十万人生产安全事故死亡率",
        "Industrial",
        "人/十万人",
        "per 100k",
        100000,
        "rate",
        True,
        "人",
        7,
    ),
    (
        "relief_time_hours",
        "受灾人员基本生活得到有效救助时间",
        "Relief time",
        "小时",
        "hours",
        1,
        "capability",
        False,
        None,
        16,
    ),
    # a loss share: its numerator is money, never a count
    (
        "disaster_loss_pct_gdp",
        "因自然灾害直接经济损失占生产总值比例",
        "Loss % GDP",
        "%",
        "%",
        100,
        "rate",
        False,
        "亿元",
        12,
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
    # 0.4485 亿元 of disaster loss a year over 350 亿元 of GDP (a share, not a count)
    for year in years:
        loss = ("230500", year, "disaster_loss_pct_gdp", 0.4485, 350.0, 0.4485 / 350 * 100)
        rows.append((*loss, None, None, False, 12))
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

# 双鸭山's 14th plan: a loss share, whose numerator (亿元) is never shown as a count.
LOSS_SHARE = 0.4485 / 350 * 100
PLAN_PROGRESS.append(
    (
        "14fyp",
        "230500",
        9,
        "disaster_loss_pct_gdp",
        "年均因自然灾害直接经济损失占全市生产总值比例",
        "upper_bound",
        "<",
        1,
        "%",
        2020,
        LOSS_SHARE,
        None,
        False,
        1,
        2025,
        LOSS_SHARE,
        None,
        "achieved",
        "已完成",
        None,
        None,
        5,
        None,
    )
)
# 双鸭山's running 15th plan (base 2025): no complete plan year yet.
PLAN_PROGRESS += [
    (
        "15fyp",
        "230500",
        1,
        "safety_deaths",
        "生产安全事故死亡人数",
        "decline_pct",
        ">=",
        10,
        "%",
        2025,
        14,
        None,
        False,
        12.6,
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
        "15fyp",
        "230500",
        2,
        "deaths_per_100m_gdp",
        "亿元生产总值生产安全事故死亡率",
        "decline_pct",
        ">=",
        20,
        "%",
        2025,
        14 / 350,
        None,
        False,
        14 / 350 * 0.8,
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
]
PLANS = [
    (
        "14fyp",
        "230500",
        "双鸭山市",
        "双鸭山市应急体系建设“十四五”规划",
        2021,
        2025,
        2020,
        2016,
        2020,
        True,
        "final_evaluation",
        "终期评估",
        None,
        None,
        "2022-12-30",
        "双鸭山十四五.xlsx",
        5,
    ),
    (
        "14fyp",
        "150781",
        "满洲里市",
        "满洲里“十四五”应急体系规划",
        2021,
        2025,
        2020,
        2016,
        2020,
        True,
        "final_evaluation",
        "终期评估",
        None,
        None,
        None,
        "满洲里十四五.csv",
        5,
    ),
    (
        "15fyp",
        "230500",
        "双鸭山市",
        "双鸭山市应急体系建设“十五五”规划（示例）",
        2026,
        2030,
        2025,
        2021,
        2025,
        False,
        "monitoring",
        "年度监测",
        2026,
        10,
        "2026-09-15",
        "双鸭山十五五.xlsx",
        2,
    ),
]
# The final evaluation, worked out from DEATHS: 双鸭山 2019 is a gap (岭东区 did not file), so its
# previous period has no total; 尖山区 62 → 47 (−24.2%); 满洲里 17 → 10 (−41.2%).
Y = (2016, 2020, 2021, 2025)
PERIOD = [
    ("230500", "safety_deaths", *Y, None, 74, None, 14.8, None, None, "2019", 4, 5, None, 74, None, None),
    (
        "230502",
        "safety_deaths",
        *Y,
        62,
        47,
        12.4,
        9.4,
        (9.4 - 12.4) / 12.4 * 100,
        None,
        None,
        5,
        5,
        62,
        47,
        True,
        0.04,
    ),
    ("230503", "safety_deaths", *Y, None, 27, None, 5.4, None, None, "2019", 4, 5, None, 27, None, None),
    (
        "150781",
        "safety_deaths",
        *Y,
        17,
        10,
        3.4,
        2.0,
        (2.0 - 3.4) / 3.4 * 100,
        None,
        None,
        5,
        5,
        17,
        10,
        False,
        0.25,
    ),
    (
        "230500",
        "disaster_loss_pct_gdp",
        *Y,
        None,
        None,
        0.1,
        0.1281,
        None,
        0.0281,
        None,
        5,
        5,
        1.75,
        2.2425,
        None,
        None,
    ),
]
PLAN_YTD = [
    (
        "15fyp",
        "230500",
        1,
        "safety_deaths",
        2026,
        10,
        22,
        28,
        (22 - 28) / 28 * 100,
        -2.085,
        10.28,
        "on_track",
        "符合进度",
        False,
        0.42,
        None,
        "decline_pct",
        ">=",
        10,
    ),
]
OUTLOOK = [
    (
        "15fyp",
        "230500",
        1,
        "safety_deaths",
        "end_vs_base",
        2016,
        2025,
        10,
        2030,
        10.5,
        6.1,
        17.9,
        12.6,
        ">=",
        "uncertain",
        "不确定",
        "poisson_trend",
        -4.2,
        1.0,
    ),
    (
        "15fyp",
        "230500",
        2,
        "deaths_per_100m_gdp",
        "end_vs_base",
        2016,
        2025,
        10,
        2030,
        0.02,
        0.012,
        0.031,
        14 / 350 * 0.8,
        ">=",
        "likely",
        "可能实现",
        "poisson_trend",
        -6.0,
        1.0,
    ),
]

YTD = [
    ("230500", "safety_deaths", 2026, 10, 22, 28, -21.4, True, 10),
    ("230500", "deaths_per_100m_gdp", 2026, 10, None, None, None, False, 10),
    # a late county shortens the window to January–August
    ("230500", "safety_accidents", 2026, 8, 20, 25, -20.0, False, 10),
    ("150781", "safety_deaths", 2026, 10, 1, 2, -50.0, True, 10),
    # the counties of 双鸭山: 尖山区 fewer deaths, the hostile-named county more (a worsening county)
    ("230502", "safety_deaths", 2026, 10, 13, 22, (13 - 22) / 22 * 100, True, 10),
    ("230503", "safety_deaths", 2026, 10, 9, 6, 50.0, True, 10),
]

# the current year counts January..8 (the year-to-date month of fct_ytd_comparison): 1—8月
ACC_BREAKDOWN = [
    ("230500", 2025, "煤矿", True, "larger", 1, 3, 12),
    ("230500", 2025, "煤矿", True, "general", 2, 2, 12),
    ("230500", 2025, "道路运输", False, "general", 5, 6, 12),
    ("230500", 2025, HOSTILE_SECTOR, True, "general", 1, 1, 12),
    ("230500", 2024, "煤矿", True, "general", 4, 5, 12),
    ("230500", 2026, "道路运输", False, "general", 3, 4, 8),
    ("150781", 2025, "道路运输", False, "general", 2, 2, 12),
    ("150781", 2026, "工贸", True, "general", 1, 1, 8),
]
DIS_BREAKDOWN = [
    ("230500", 2025, "洪涝", 2, 1, 15000, 1.25, 12),
    ("230500", 2024, "风雹", 1, 0, 3000, 0.2, 12),
    ("150781", 2025, "雪灾", 1, 0, 800, 0.05, 12),
    ("230500", 2026, "干旱", 1, 0, 500, 0.01, 8),
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


def _schema_columns() -> dict[str, list[str]]:
    """The column order of each table's rows above (the order the tuples are written in)."""
    found = {}
    for m in re.finditer(r"create table (\w+\.\w+)\((.*?)\);", SCHEMA, re.S):
        cols = [c.strip().split()[0] for c in re.split(r",(?![^(]*\))", m.group(2)) if c.strip()]
        found[m.group(1)] = cols
    return found


def code_label_rows() -> list[dict]:
    """marts.dim_code_label as dbt builds it from the seeds: the kinds the pages label."""
    rows = []
    for kind, seed, code, label, order in (
        ("source", "sources", "source", "source_zh", "sort_order"),
        ("sector", "sectors", "sector", "sector", "sort_order"),
        ("hazard", "hazards", "hazard", "hazard", "sort_order"),
        ("severity_class", "severities", "severity_class", "severity_class_zh", "severity_rank"),
        ("comparator", "comparators", "comparator", "comparator_zh", "sort_order"),
        ("measure", "measures", "measure", "measure_zh", "sort_order"),
    ):
        for r in enumerations.seed_rows(seed):
            rows.append(
                {
                    "code_kind": kind,
                    "code": r[code],
                    "sort_order": r[order],
                    "label_zh": r[label],
                    "label_en": r.get(f"{code}_en") or r[code],
                }
            )
    for r in enumerations.seed_rows("code_labels"):
        rows.append({k: r[k] for k in ("code_kind", "code", "sort_order", "label_zh", "label_en")})
    return rows


SOURCE_COMPLETENESS = [
    # 双鸭山 2019 accidents incomplete (岭东区 did not file), every other shown year complete
    *(
        {
            "region_code": region,
            "source": source,
            "year": year,
            "months_due": 12 if year < 2026 else 10,
            "is_current_year": year == 2026,
            "units_required": 2 if region == "230500" else 1,
            "units_complete": (
                1
                if (region, source, year) == ("230500", "accidents", 2019)
                else 2
                if region == "230500"
                else 1
            ),
            "is_complete": (region, source, year) != ("230500", "accidents", 2019),
        }
        for region in ("230500", "150781")
        for source in ("accidents", "disasters", "forest_fires")
        for year in range(2016, 2027)
    ),
]
QUARANTINE_SUMMARY = [
    {
        "source": "accidents",
        "region_code": "230503",
        "prefecture_code": "230500",
        "region_located_by": "row",
        "reason_code": "not_a_number",
        "column_name": "死亡人数",
        "rows_quarantined": 1,
        "deaths_in_rows": None,
        "rows_deaths_unreadable": 1,
        "files": 1,
        "example_reason_zh": "文件 2026-09.xlsx 第 7 行：不是数字",
        "example_reason_en": "not a number",
        "file_rows_zh": "2026-09.xlsx 第7行",
    },
    {
        "source": "accidents",
        "region_code": "230502",
        "prefecture_code": "230500",
        "region_located_by": "file",
        "reason_code": "unknown_region",
        "column_name": "行政区划代码",
        "rows_quarantined": 1,
        "deaths_in_rows": 2,
        "rows_deaths_unreadable": 0,
        "files": 1,
        "example_reason_zh": "文件 2026-09.xlsx 第 9 行：未知区划",
        "example_reason_en": "unknown region",
        "file_rows_zh": "2026-09.xlsx 第9行",
    },
]
GDP_STATUS = [
    {"region_code": r, "year": y, "gdp_data_status": "初步核算" if y == 2025 else "最终核实"}
    for r in ("230500", "150781")
    for y in range(2016, 2026)
]


def _evaluation(row: dict) -> str:
    if (row.get("indicator_name_as_printed") or "").startswith("年均"):
        return "period_mean"
    return "latest" if row["indicator_code"] == "relief_time_hours" else "end_vs_base"


def make_warehouse(path: Path) -> Path:
    """The marts as their dbt contracts define them (tests/contract_tables.py), filled by hand."""
    columns = _schema_columns()
    con = duckdb.connect(str(path))
    try:
        for schema in ("marts", "quality", "raw", "seeds"):
            con.execute(f"create schema if not exists {schema}")
        ensure_quality_tables(con)
        create_raw_tables(con)
        inserts = {
            "marts.dim_region": REGIONS,
            "marts.bridge_region_rollup": ROLLUP,
            "marts.dim_indicator": INDICATORS,
            "marts.fct_indicator_values": _indicator_rows(),
            "marts.fct_plan_progress": PLAN_PROGRESS,
            "marts.dim_plan": PLANS,
            "marts.fct_period_comparison": PERIOD,
            "marts.fct_plan_ytd": PLAN_YTD,
            "marts.fct_plan_outlook": OUTLOOK,
            "marts.fct_ytd_comparison": YTD,
            "marts.fct_accident_breakdown": ACC_BREAKDOWN,
            "marts.fct_disaster_breakdown": DIS_BREAKDOWN,
            "marts.fct_accidents": ACCIDENTS,
            "marts.fct_missing_submissions": MISSING,
            "marts.fct_severity_findings": FINDINGS,
        }
        models = [t.split(".")[1] for t in inserts] + [
            "dim_code_label",
            "fct_source_completeness",
            "fct_quarantine_summary",
            "fct_denominators",
            # the monthly analysis' marts, empty: no month is due here, so the asset writes an empty
            # monthly/ folder (its contents: tests/pipeline/test_monthly_*)
            "dim_month",
            "fct_monthly_situation",
            "fct_region_month_coverage",
            "fct_quota_usage",
        ]
        create_contract_tables(con, models)
        for table, rows in inserts.items():
            dicts = [dict(zip(columns[table], row, strict=True)) for row in rows]
            if table == "marts.fct_plan_progress":
                for d in dicts:
                    d["evaluation"] = _evaluation(d)
                    mean = d["evaluation"] == "period_mean"
                    d["change_basis"] = "previous_period_mean" if mean else "base_year"
                    d["is_plan_over"] = d["plan_id"] == "14fyp"
            if table == "marts.fct_accidents":
                for d in dicts:
                    d["is_larger_and_above"] = d["severity_class"] in ("larger", "major", "extraordinary")
            insert_rows(con, table.split(".")[1], dicts)
        insert_rows(con, "dim_code_label", code_label_rows())
        insert_rows(con, "fct_source_completeness", SOURCE_COMPLETENESS)
        insert_rows(con, "fct_quarantine_summary", QUARANTINE_SUMMARY)
        insert_rows(con, "fct_denominators", GDP_STATUS)
        con.execute(
            "update marts.dim_indicator set denominator_measure = 'gdp_100m_yuan'"
            " where indicator_code in ('deaths_per_100m_gdp', 'disaster_loss_pct_gdp')"
        )
        con.execute(
            "update marts.dim_indicator set source = case when indicator_code like 'disaster%'"
            " then 'disasters' when kind = 'capability' then 'capabilities' else 'accidents' end"
        )
        # the counts beside the rates, as fct_plan_progress carries them (from the indicator values)
        con.execute("""
            update marts.fct_plan_progress as p set
              is_count_based = i.is_count_based, indicator_kind = i.kind,
              baseline_numerator = (select v.numerator from marts.fct_indicator_values as v
                where v.region_code = p.region_code and v.indicator_code = p.indicator_code
                  and v.year = p.baseline_year),
              evaluated_numerator = (select v.numerator from marts.fct_indicator_values as v
                where v.region_code = p.region_code and v.indicator_code = p.indicator_code
                  and v.year = p.evaluated_year)
            from marts.dim_indicator as i where i.indicator_code = p.indicator_code
        """)
        for row in CHECKS:
            con.execute(
                "insert into quality.check_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [*row[:6], float(row[6]), *row[7:]],
            )
        marks = ", ".join("?" * len(QUARANTINE[0]))
        names = ", ".join(columns["raw.quarantine"])
        con.executemany(f"insert into raw.quarantine ({names}) values ({marks})", QUARANTINE)
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
