"""A small data folder written by hand, independent of the sample generator.

Two plan jurisdictions, years 2020–2025, every answer worked out by hand (see EXPECTED).
Their 14th plans (2021–2025, base 2020) are the targets of the published plans, one CSV each in
``plans/`` (PLAN_HEADERS, HANDMADE_PLANS).

双鸭山市 230500 (8 county-level units). Every unit, every year: GDP 50 亿元, 15 万人,
工矿商贸 workers 2 万人, 5,000 operating vehicles, coal output 500 万吨 in 尖山区 and 0 elsewhere.
So the city: GDP 400 亿元, 120 万人 (1.2 million), 16 万 workers, 40,000 vehicles, 5 Mt coal.
  2020: 尖山区 工贸 2 deaths; 尖山区 煤矿 3 deaths (较大); 岭东区 道路运输 1 death, operating vehicle.
        → 3 accidents, 6 deaths, 5 in 工矿商贸, 3 in coal, 1 operating-vehicle death, 1 较大.
  2025: 尖山区 煤矿 1 death; 岭东区 建筑业 first filed with 1 death, revised to 2 (latest wins);
        岭东区 工贸 5 deaths filed then written off (核销: counts nowhere).
        → 2 accidents, 3 deaths, all 工矿商贸, 1 coal death, 0 operating-vehicle deaths.
  Disasters: one event in 四方台区 in 2023: 初报 1 dead, 核报 2 dead + 0 missing,
        12,000 person-times affected, 2,000 万元 (0.2 亿元) loss.
  2021–2024: no accidents, zero reports every month.

利州区 510802 (a county-level jurisdiction): population 50 万.
  GDP 2020 200 亿元; 2025 初步核算 250 then 最终核实 300 亿元 (the latest vintage wins).
  Workers 2020 5 万, 2025 6 万.
  2020: 工贸 1 death, 道路运输 1 death → 2 deaths, 1 industrial.
  2025: three 工贸 accidents of 1 death each → 3 deaths, 3 industrial.
  Disasters: 2024-07 was never filed (no record, no zero report) → 2024 incomplete.
"""

from __future__ import annotations

import csv
from pathlib import Path

SHUANGYASHAN_COUNTIES = ["230502", "230503", "230505", "230506", "230521", "230522", "230523", "230524"]
LIZHOU = "510802"
YEARS = range(2020, 2026)

ACCIDENT_HEADERS = [
    "事故编号",
    "发生时间",
    "行政区划代码",
    "行政区划名称",
    "单位名称",
    "行业领域",
    "事故类别",
    "死亡人数",
    "失踪人数",
    "重伤人数",
    "轻伤人数",
    "直接经济损失（万元）",
    "事故等级",
    "涉及营运车辆",
    "事故简况",
    "状态",
    "填报日期",
]

# (id, time, region, sector, deaths, serious injuries, loss 万元, level, operating vehicle, status, filed)
ACCIDENTS = [
    ("SYS-2020-001", "2020-03-10 09:00", "230502", "工贸", 2, 0, 120, "一般", "", "", "2020-03-11"),
    ("SYS-2020-002", "2020-06-02 14:20", "230502", "煤矿", 3, 1, 600, "较大", "", "", "2020-06-03"),
    ("SYS-2020-003", "2020-09-15 07:30", "230503", "道路运输", 1, 2, 30, "一般", "是", "", "2020-09-15"),
    ("SYS-2025-001", "2025-04-08 10:00", "230502", "煤矿", 1, 0, 200, "一般", "", "", "2025-04-09"),
    ("SYS-2025-002", "2025-05-20 16:00", "230503", "建筑业", 1, 0, 80, "一般", "", "", "2025-05-21"),
    ("SYS-2025-003", "2025-08-01 11:00", "230503", "工贸", 5, 0, 900, "较大", "", "", "2025-08-02"),
    ("LZ-2020-001", "2020-02-11 08:00", LIZHOU, "工贸", 1, 0, 50, "一般", "", "", "2020-02-12"),
    ("LZ-2020-002", "2020-10-05 18:00", LIZHOU, "道路运输", 1, 0, 20, "一般", "是", "", "2020-10-06"),
    ("LZ-2025-001", "2025-01-15 09:00", LIZHOU, "工贸", 1, 0, 40, "一般", "", "", "2025-01-16"),
    ("LZ-2025-002", "2025-06-15 09:00", LIZHOU, "工贸", 1, 0, 40, "一般", "", "", "2025-06-16"),
    ("LZ-2025-003", "2025-11-15 09:00", LIZHOU, "工贸", 1, 0, 40, "一般", "", "", "2025-11-16"),
]
# Later filings of the same keys: a revision (1 → 2 deaths) and a write-off.
ACCIDENT_REVISIONS = [
    ("SYS-2025-002", "2025-05-20 16:00", "230503", "建筑业", 2, 0, 80, "一般", "", "", "2025-06-10"),
    ("SYS-2025-003", "2025-08-01 11:00", "230503", "工贸", 5, 0, 900, "较大", "", "核销", "2025-08-20"),
]

DISASTER_HEADERS = [
    "灾害过程编号",
    "灾种",
    "开始日期",
    "结束日期",
    "行政区划代码",
    "行政区划名称",
    "受灾人次",
    "死亡人数",
    "失踪人数",
    "紧急转移安置人次",
    "需紧急生活救助人次",
    "农作物受灾面积（公顷）",
    "农作物绝收面积（公顷）",
    "倒塌房屋（间）",
    "严重损坏房屋（间）",
    "一般损坏房屋（间）",
    "直接经济损失（万元）",
    "报告阶段",
    "填报日期",
]
DISASTERS = [
    [
        "DZ2023-01",
        "洪涝",
        "2023-07-20",
        "2023-07-22",
        "230505",
        "四方台区",
        "8000",
        "1",
        "0",
        "300",
        "100",
        "500",
        "50",
        "2",
        "3",
        "10",
        "1500",
        "初报",
        "2023-07-23",
    ],
    [
        "DZ2023-01",
        "洪涝",
        "2023-07-20",
        "2023-07-22",
        "230505",
        "四方台区",
        "12000",
        "2",
        "0",
        "400",
        "150",
        "600",
        "80",
        "3",
        "4",
        "12",
        "2000",
        "核报",
        "2023-08-30",
    ],
]

STAT_HEADERS = [
    "行政区划代码",
    "行政区划名称",
    "年份",
    "地区生产总值（亿元）",
    "年末常住人口（万人）",
    "工矿商贸就业人员（万人）",
    "营运车辆（辆）",
    "原煤产量（万吨）",
    "数据状态",
    "填报日期",
]

PLAN_HEADERS = [
    "规划编号", "规划名称", "行政区划代码", "规划期起始年", "规划期终止年", "基期年", "序号", "指标名称",
    "指标代码", "目标类型", "比较符", "目标值", "单位", "基期值", "指标属性", "评价方式", "版本日期", "备注",
]
B, E = "约束性", "预期性"  # 指标属性
END, MEAN = "期末比基期", "期间年均"  # 评价方式
# (seq, indicator, printed name, kind, comparator, value, unit, attribute, evaluation)
SHUANGYASHAN_14 = [
    (1, "safety_deaths", "生产安全事故死亡人数", "下降", "≥", "15%", "%", B, END),
    (2, "larger_and_above_accidents", "重大较大生产安全事故起数", "遏制", "", "", "", B, END),
    (3, "deaths_per_100m_gdp", "单位生产总值生产安全事故死亡率", "下降", "≥", "33%", "%", B, END),
    (4, "industrial_deaths_per_100k_workers", "工矿商贸就业人员十万人生产安全事故死亡率",
     "下降", "≥", "20%", "%", B, END),
    (5, "operating_vehicle_deaths_per_10k", "营运车辆万车死亡率", "下降", "≥", "10%", "%", B, END),
    (6, "coal_deaths_per_mt", "煤矿百万吨死亡率", "下降", "≥", "10%", "%", B, END),
    (7, "disaster_deaths_per_million", "年均每百万人口因自然灾害死亡率", "上限", "<", "1", "", E, MEAN),
    (8, "disaster_affected_per_100k", "年均每十万人受灾人次", "上限", "<", "15000", "", E, MEAN),
    (9, "disaster_loss_pct_gdp", "年均因自然灾害直接经济损失占全市生产总值比例",
     "上限", "<", "1%", "%", E, MEAN),
]
LIZHOU_14 = [
    (1, "safety_deaths", "生产安全事故死亡人数", "下降", "≥", "5%", "%", B, END),
    (2, "deaths_per_100m_gdp", "单位全区生产总值生产安全事故死亡率", "下降", "≥", "15%", "%", B, END),
    (3, "industrial_deaths_per_100k_workers", "工矿商贸就业人员十万人生产安全事故死亡率",
     "下降", "≥", "10%", "%", B, END),
    (4, "disaster_loss_pct_gdp", "年均因自然灾害直接经济损失占全区生产总值比例",
     "上限", "<", "1%", "%", E, MEAN),
    (5, "disaster_deaths_per_million", "年均每百万人口因自然灾害死亡率", "上限", "<", "1", "", E, MEAN),
    (6, "disaster_affected_per_100k", "年均每十万人受灾人次", "上限", "<", "15000", "", E, MEAN),
]
# (file, plan code, plan name, region, first year, last year, base year, version date, targets)
HANDMADE_PLANS = [
    ("双鸭山市十四五规划.csv", "14fyp", "双鸭山市应急体系建设“十四五”规划", "230500", 2021, 2025, 2020,
     "2022-12-30", SHUANGYASHAN_14),
    ("利州区十四五规划.csv", "14fyp", "广元市利州区“十四五”应急体系规划", LIZHOU, 2021, 2025, 2020,
     "2022-11-29", LIZHOU_14),
]


def plan_rows(plan_id, name, region, first, last, base, version, targets, **overrides) -> list[list]:
    """Rows of a plan table (PLAN_HEADERS); ``overrides`` maps a header to a value for every row."""
    rows = []
    for seq, code, printed, kind, comp, value, unit, attribute, evaluation in targets:
        cells = [plan_id, name, region, first, last, base, seq, printed, code, kind, comp, value, unit, "",
                 attribute, evaluation, version, ""]
        row = dict(zip(PLAN_HEADERS, cells, strict=True))
        row.update(overrides)
        rows.append([row[h] for h in PLAN_HEADERS])
    return rows


def write_plan(root: Path, file_name: str, rows: list[list], headers: list[str] = PLAN_HEADERS) -> Path:
    path = root / "plans" / file_name
    _write_csv(path, headers, rows)
    return path


# Expected marts values, worked out by hand from the figures above.
EXPECTED_VALUES = {
    # (region, year, indicator): (numerator, denominator, value)
    ("230500", 2020, "safety_deaths"): 6,
    ("230500", 2025, "safety_deaths"): 3,
    ("230500", 2022, "safety_deaths"): 0,
    ("230500", 2020, "safety_accidents"): 3,
    ("230500", 2025, "safety_accidents"): 2,
    ("230500", 2020, "larger_and_above_accidents"): 1,
    ("230500", 2025, "larger_and_above_accidents"): 0,
    ("230500", 2020, "deaths_per_100m_gdp"): 0.015,  # 6 / 400
    ("230500", 2025, "deaths_per_100m_gdp"): 0.0075,  # 3 / 400
    ("230500", 2020, "industrial_deaths_per_100k_workers"): 3.125,  # 5 / 160,000 × 100,000
    ("230500", 2025, "industrial_deaths_per_100k_workers"): 1.875,  # 3 / 160,000 × 100,000
    ("230500", 2020, "operating_vehicle_deaths_per_10k"): 0.25,  # 1 / 40,000 × 10,000
    ("230500", 2025, "operating_vehicle_deaths_per_10k"): 0.0,
    ("230500", 2020, "coal_deaths_per_mt"): 0.6,  # 3 / 5 Mt
    ("230500", 2025, "coal_deaths_per_mt"): 0.2,  # 1 / 5 Mt
    ("230500", 2023, "disaster_deaths_per_million"): 2 / 1.2,
    ("230500", 2022, "disaster_deaths_per_million"): 0.0,
    ("230500", 2023, "disaster_affected_per_100k"): 1000.0,  # 12,000 / 1,200,000 × 100,000
    ("230500", 2023, "disaster_loss_pct_gdp"): 0.05,  # 0.2 / 400 × 100
    ("230502", 2020, "safety_deaths"): 5,  # 尖山区 alone
    ("230502", 2020, "deaths_per_100m_gdp"): 0.1,  # 5 / 50
    ("230503", 2020, "deaths_per_100m_gdp"): 0.02,  # 1 / 50
    ("230524", 2020, "deaths_per_100m_gdp"): 0.0,  # a quiet county: 0 / 50
    ("510802", 2020, "safety_deaths"): 2,
    ("510802", 2025, "safety_deaths"): 3,
    ("510802", 2020, "deaths_per_100m_gdp"): 0.01,  # 2 / 200
    ("510802", 2025, "deaths_per_100m_gdp"): 0.01,  # 3 / 300 (最终核实, not 3 / 250)
    ("510802", 2020, "industrial_deaths_per_100k_workers"): 2.0,  # 1 / 50,000 × 100,000
    ("510802", 2025, "industrial_deaths_per_100k_workers"): 5.0,  # 3 / 60,000 × 100,000
}
# Region-years that must be absent (incomplete), never 0.
EXPECTED_ABSENT = [
    ("510802", 2024, "disaster_deaths_per_million"),
    ("510802", 2024, "disaster_affected_per_100k"),
]

# (region, seq) → (status, baseline, evaluated value, change %)
EXPECTED_PROGRESS = {
    ("230500", 1): ("achieved", 6, 3, -50.0),  # safety_deaths −15% target
    ("230500", 2): ("no_verdict", 1, None, None),  # curb larger_and_above
    ("230500", 3): ("achieved", 0.015, 0.0075, -50.0),
    ("230500", 4): ("achieved", 3.125, 1.875, -40.0),
    ("230500", 5): ("achieved", 0.25, 0.0, -100.0),
    ("230500", 6): ("achieved", 0.6, 0.2, -200 / 3),
    ("230500", 7): ("achieved", None, (2 / 1.2) / 5, None),  # mean 2021–2025 of 0,0,1.667,0,0
    ("230500", 8): ("achieved", None, 200.0, None),  # mean of 0,0,1000,0,0
    ("230500", 9): ("achieved", None, 0.01, None),  # mean of 0,0,0.05,0,0
    ("510802", 1): ("not_achieved", 2, 3, 50.0),
    ("510802", 2): ("not_achieved", 0.01, 0.01, 0.0),
    ("510802", 3): ("not_achieved", 2.0, 5.0, 150.0),
    ("510802", 4): ("insufficient_data", None, None, None),
    ("510802", 5): ("insufficient_data", None, None, None),
    ("510802", 6): ("insufficient_data", None, None, None),
}


def _write_csv(path: Path, headers: list[str], rows: list[list], encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)


def _accident_row(a) -> list:
    acc_id, when, region, sector, deaths, serious, loss, level, vehicle, status, filed = a
    return [
        acc_id,
        when,
        region,
        "",
        "某单位",
        sector,
        "其它伤害",
        deaths,
        0,
        serious,
        0,
        loss,
        level,
        vehicle,
        "",
        status,
        filed,
    ]


def _zero_rows(key_headers: list[str], key_col: str, date_col: str, regions, months_by_region) -> list[list]:
    rows = []
    for region in regions:
        for year, month in months_by_region(region):
            row = [""] * len(key_headers)
            row[key_headers.index(key_col)] = "零报告"
            row[key_headers.index("行政区划代码")] = region
            row[key_headers.index(date_col)] = f"{year}-{month:02d}"
            rows.append(row)
    return rows


def write_handmade_folder(root: Path) -> Path:
    regions = [*SHUANGYASHAN_COUNTIES, LIZHOU]
    accident_months = {(r, int(a[1][:4]), int(a[1][5:7])) for a in ACCIDENTS for r in [a[2]]}

    def quiet_accident_months(region):
        return [(y, m) for y in YEARS for m in range(1, 13) if (region, y, m) not in accident_months]

    _write_csv(
        root / "accidents" / "accidents_2020_2025.csv",
        ACCIDENT_HEADERS,
        [_accident_row(a) for a in ACCIDENTS]
        + _zero_rows(ACCIDENT_HEADERS, "事故编号", "发生时间", regions, quiet_accident_months),
    )
    _write_csv(
        root / "accidents" / "accidents_2025_revisions.csv",
        ACCIDENT_HEADERS,
        [_accident_row(a) for a in ACCIDENT_REVISIONS],
    )

    def quiet_disaster_months(region):
        return [
            (y, m)
            for y in YEARS
            for m in range(1, 13)
            if not (region == "230505" and (y, m) == (2023, 7))
            and not (region == LIZHOU and (y, m) == (2024, 7))
        ]

    _write_csv(
        root / "disasters" / "disasters_2020_2025.csv",
        DISASTER_HEADERS,
        DISASTERS + _zero_rows(DISASTER_HEADERS, "灾害过程编号", "开始日期", regions, quiet_disaster_months),
    )

    stats = []
    for year in YEARS:
        for county in SHUANGYASHAN_COUNTIES:
            coal = 500 if county == "230502" else 0
            stats.append([county, "", year, 50, 15, 2, 5000, coal, "最终核实", f"{year + 1}-06-30"])
        gdp, workers = {2020: (200, 5), 2025: (250, 6)}.get(year, (220, 5))
        status = "初步核算" if year == 2025 else "最终核实"
        stats.append([LIZHOU, "利州区", year, gdp, 50, workers, "", "", status, f"{year + 1}-03-01"])
    _write_csv(root / "statistics" / "statistics_2020_2025.csv", STAT_HEADERS, stats)
    # The 2025 GDP of 利州区, verified later: only the GDP cell is given.
    _write_csv(
        root / "statistics" / "statistics_2025_final.csv",
        STAT_HEADERS,
        [[LIZHOU, "利州区", 2025, 300, "", "", "", "", "最终核实", "2026-09-30"]],
    )
    for file_name, *plan in HANDMADE_PLANS:
        write_plan(root, file_name, plan_rows(*plan))
    return root
