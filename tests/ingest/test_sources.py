"""Disasters, forest fires, statistics and capabilities."""

from __future__ import annotations

from datetime import date, datetime

from .conftest import (
    CAP_HEADER,
    DIS_HEADER,
    FIRE_HEADER,
    STAT_HEADER,
    load,
    one,
    rows,
    write_csv,
    write_xlsx,
    zero_row,
)


def dis_row(
    event="HL-2024-01",
    hazard="洪涝",
    start="2024-07-10",
    end="2024-07-12",
    code="360281",
    name="",
    affected=1200,
    deaths=1,
    missing=1,
    relocated=300,
    relief=50,
    crop=150.5,
    failed=20,
    collapsed=3,
    severe=5,
    general=10,
    loss=880,
    stage="初报",
    reported="2024-07-13",
):
    return [
        event,
        hazard,
        start,
        end,
        code,
        name,
        affected,
        deaths,
        missing,
        relocated,
        relief,
        crop,
        failed,
        collapsed,
        severe,
        general,
        loss,
        stage,
        reported,
    ]


def test_disaster_stages_initial_then_final(con, data_dir):
    d = data_dir / "disasters"
    write_xlsx(
        d / "2024-07.xlsx",
        DIS_HEADER,
        [dis_row(stage="初报", deaths=1, reported="2024-07-13")],
        title="2024年7月自然灾害损失统计表",
    )
    write_xlsx(
        d / "2024-08.xlsx",
        DIS_HEADER,
        [dis_row(stage="核报", deaths=2, affected="1,500", reported="2024-08-20")],
        title="核报",
    )
    rep = load(con, "disasters", data_dir)
    assert (rep.rows_loaded, rep.rows_rejected) == (2, 0)
    assert rows(
        con,
        "select event_id, region_code, report_stage, deaths, missing, affected_person_times, "
        "crop_affected_ha, direct_loss_10k_yuan, start_date, end_date, load_seq "
        "from raw.disasters order by load_seq",
    ) == [
        ("HL-2024-01", "360281", "初报", 1, 1, 1200, 150.5, 880.0, date(2024, 7, 10), date(2024, 7, 12), 1),
        ("HL-2024-01", "360281", "核报", 2, 1, 1500, 150.5, 880.0, date(2024, 7, 10), date(2024, 7, 12), 2),
    ]


def test_disaster_units_in_thousand_hectares_and_100m_yuan_are_converted(con, data_dir):
    header = list(DIS_HEADER)
    header[header.index("农作物受灾面积（公顷）")] = "农作物受灾面积(千公顷)"
    header[header.index("农作物绝收面积（公顷）")] = "绝收面积（千公顷）"
    header[header.index("直接经济损失（万元）")] = "直接经济损失（亿元）"
    write_xlsx(data_dir / "disasters" / "d.xlsx", header, [dis_row(crop="1.5", failed="0.25", loss="0.32")])
    load(con, "disasters", data_dir)
    assert one(con, "select crop_affected_ha, crop_failed_ha, direct_loss_10k_yuan from raw.disasters") == (
        1500.0,
        250.0,
        3200.0,
    )


def test_disaster_rules(con, data_dir):
    write_xlsx(
        data_dir / "disasters" / "d.xlsx",
        DIS_HEADER,
        [
            dis_row("E-1", end="2024-07-01"),  # ends before it starts
            dis_row("E-2", crop=10, failed=20),  # more failed than affected
            dis_row("E-3", hazard="陨石"),
            dis_row("E-4", stage="终报"),
            dis_row("E-5", code="", name="满洲里市"),
            zero_row(DIS_HEADER, "灾害过程编号", "开始日期", "360281", "2024-06"),
        ],
    )
    rep = load(con, "disasters", data_dir)
    assert (rep.rows_loaded, rep.rows_zero_reports, rep.rows_rejected) == (1, 1, 4)
    assert rows(con, "select row_number, reason_code, column_name from raw.quarantine order by 1") == [
        (4, "end_before_start", "结束日期"),
        (5, "inconsistent_values", "农作物绝收面积（公顷）"),
        (6, "invalid_value", "灾种"),
        (7, "invalid_value", "报告阶段"),
    ]
    assert one(con, "select region_code, is_region_from_name from raw.disasters") == ("150781", True)
    assert one(con, "select source, region_code, month from raw.zero_reports") == (
        "disasters",
        "360281",
        date(2024, 6, 1),
    )


def test_forest_fires(con, data_dir):
    write_csv(
        data_dir / "forest_fires" / "2024.csv",
        FIRE_HEADER,
        [
            [
                "LP-2024-01",
                "2024年3月5日 14时20分",
                "360281",
                "乐平市",
                "12.5",
                "3.2",
                "一般",
                "0",
                "1",
                "2024-03-08",
            ],
            [
                "LP-2024-02",
                "2024-04-01",
                "360281",
                "",
                "2",
                "5",
                "",
                "",
                "",
                "2024-04-03",
            ],  # damaged > burned
            ["零报告", "2024-05", "360281", "", "", "", "", "", "", ""],
        ],
        encoding="gb18030",
        title_lines=["2024年森林火灾台账"],
    )
    rep = load(con, "forest_fires", data_dir)
    assert (rep.rows_loaded, rep.rows_zero_reports, rep.rows_rejected) == (1, 1, 1)
    assert one(
        con,
        "select fire_id, occurred_at, burned_area_ha, damaged_forest_ha, fire_grade, injuries, "
        "row_number from raw.forest_fires",
    ) == ("LP-2024-01", datetime(2024, 3, 5, 14, 20), 12.5, 3.2, "一般", 1, 3)
    assert one(con, "select reason_code, row_number from raw.quarantine") == ("inconsistent_values", 4)


def stat_row(
    code="150781",
    year=2020,
    gdp="",
    pop="",
    workers="",
    vehicles="",
    coal="",
    forest="",
    status="",
    reported="",
):
    return [code, "", year, gdp, pop, workers, vehicles, coal, forest, status, reported]


def test_statistics_wide_to_long_and_vintages(con, data_dir):
    d = data_dir / "statistics"
    write_xlsx(
        d / "2020-prelim.xlsx",
        STAT_HEADER,
        [
            stat_row(
                gdp="174.2",
                pop="15.3",
                workers="2.04",
                vehicles="3,210",
                status="初步核算",
                reported="2021-02-01",
            ),
        ],
        title="2020年社会经济统计",
    )
    write_csv(
        d / "2020-final.csv",
        STAT_HEADER,
        [
            stat_row(gdp="173.9", status="最终核实", reported="2021-12-20"),
            stat_row(code="360281", year="2020年", forest="１２,３４５"),  # 数据状态 empty → 年报
        ],
        encoding="utf-8-sig",
    )
    rep = load(con, "statistics", data_dir)
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (3, 3, 0)
    assert rows(
        con,
        "select source_file, region_code, year, measure, value, data_status, vintage_rank, "
        "reported_date from raw.statistics order by source_file, region_code, measure",
    ) == [
        ("2020-final.csv", "150781", 2020, "gdp_100m_yuan", 173.9, "最终核实", 3, date(2021, 12, 20)),
        ("2020-final.csv", "360281", 2020, "forest_area_ha", 12345.0, "年报", 2, None),
        ("2020-prelim.xlsx", "150781", 2020, "gdp_100m_yuan", 174.2, "初步核算", 1, date(2021, 2, 1)),
        ("2020-prelim.xlsx", "150781", 2020, "industrial_workers_10k", 2.04, "初步核算", 1, date(2021, 2, 1)),
        ("2020-prelim.xlsx", "150781", 2020, "operating_vehicles", 3210.0, "初步核算", 1, date(2021, 2, 1)),
        ("2020-prelim.xlsx", "150781", 2020, "population_10k", 15.3, "初步核算", 1, date(2021, 2, 1)),
    ]


def test_statistics_gdp_in_10k_yuan_and_rejections(con, data_dir):
    header = list(STAT_HEADER)
    header[header.index("地区生产总值（亿元）")] = "地区生产总值（万元）"
    write_xlsx(
        data_dir / "statistics" / "s.xlsx",
        header,
        [
            stat_row(gdp="1,742,000"),
            stat_row(code="360281", gdp="约100"),
            stat_row(code="510802", year=2027, gdp="5"),
            stat_row(code="131100", gdp="10", status="年报", reported="2021-03-01"),
            stat_row(code="131100", gdp="11", status="年报", reported="2021-03-01"),
            stat_row(code="230500", gdp="-1"),
        ],
        title="",
    )
    rep = load(con, "statistics", data_dir)
    assert one(con, "select region_code, measure, value from raw.statistics") == (
        "150781",
        "gdp_100m_yuan",
        174.2,
    )
    assert rows(con, "select row_number, reason_code, column_name from raw.quarantine order by 1") == [
        (4, "not_a_number", "地区生产总值（万元）"),
        (5, "future_date", "年份"),
        (6, "conflicting_duplicate", "行政区划代码"),
        (7, "conflicting_duplicate", "行政区划代码"),
        (8, "negative_value", "地区生产总值（万元）"),
    ]
    assert rep.rows_rejected == 5


def test_capabilities_by_name_or_code_with_percent(con, data_dir):
    write_xlsx(
        data_dir / "capabilities" / "2024.xlsx",
        CAP_HEADER,
        [
            ["150781", 2024, "灾害预警信息发布公众覆盖率", "95.5%", "2025-01-10"],
            ["150781", 2024, "relief_time_hours", "10", "2025-01-10"],
            ["150781", 2024, "新增从业人员 安全技能培训率", "１００％", ""],
            ["150781", 2024, "幸福指数", "99", ""],
            ["150781", 2024, "应急管理部门专业人才占比", "", ""],
        ],
        title="2024年应急能力建设指标",
    )
    rep = load(con, "capabilities", data_dir)
    assert (rep.rows_loaded, rep.rows_rejected) == (3, 2)
    assert rows(
        con, "select indicator_code, value, reported_date from raw.capabilities order by row_number"
    ) == [
        ("warning_coverage_pct", 95.5, date(2025, 1, 10)),
        ("relief_time_hours", 10.0, date(2025, 1, 10)),
        ("new_worker_training_pct", 100.0, None),
    ]
    assert rows(con, "select row_number, reason_code from raw.quarantine order by 1") == [
        (7, "unknown_indicator"),
        (8, "missing_value"),
    ]
