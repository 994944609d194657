"""A hand-made data folder for plans as data (docs/spec/plans.md), every answer worked out here.

It is the hand-made folder of tests/handmade.py (双鸭山市 230500 with 8 counties, 利州区 510802;
2020–2025; their 14th plans) changed and extended as follows, run as of 2026-11-26 (January to
October 2026 due):

- **利州区's 2025 is incomplete**: its accident 零报告 for 2025-12 is taken out. Its 14th plan is
  over, so its deaths targets are 数据不足 — not judged on 2024 (0 deaths, which is below every
  threshold: the old fallback would have called them achieved).
- **双鸭山市's previous period**: disasters 2016–2019 (零报告 every month, and one flood in 尖山区
  in July 2018: 60,000 person-times, 1 dead, 10,000 万元 = 1 亿元) with population 15 万 and GDP
  50 亿元 per county. So, 120 万 people and 400 亿元 a year:
    - 受灾人次 per 100k: 2018 5,000, other years 0 → 2016–2020 mean 1,000; 2021–2025: 1,000 in
      2023 only → mean 200: **−80%** against the previous period's mean (2020 alone is 0: no
      relative change could be shown against it);
    - loss/GDP: 2018 1/400×100 = 0.25%, 2016–2020 mean 0.05%; 2023 0.2/400×100 = 0.05%, mean 0.01%:
      **−0.04 百分点** (a percentage indicator changes in points);
    - disaster deaths per million: 2018 1/1.2 → previous mean 1/6 = 0.1667; 2023 2/1.2 → mean
      1/3: +100%.
- **双鸭山市 files its own 2025 GDP**: 420 亿元 (初步核算), while its counties sum to 400. The city's
  2025 deaths per 亿元 GDP is 3/420 = 0.0071429 (basis filed), not 3/400; its 2020 rate stays
  6/400 = 0.015 (sum_of_counties): the 14th-plan change is (3/420 − 0.015)/0.015 = −52.38%.
- **2026, January–October**: 零报告 for accidents and disasters of every unit, and two accidents:
  尖山区 2026-03-15 工贸 1 death; 利州区 2026-05-10 工贸 3 deaths (较大 by the 493号令 rule).
  Monitoring month: October for both jurisdictions (2025's January–October filed too).
- **Plans** (besides the two 14th plans):
    - 双鸭山市 15fyp (2026–2030, base 2025), beside its 14th plan. Year to date: deaths 1 against
      3 (2025-04 1, 2025-05 2 after revision) = −66.7%; required 0.9^(1/5) − 1 = −2.085%/year →
      on_track; 较大 accidents 0 against 0 (the 2025 较大 accident was written off) → on_track.
      Baseline 2025: 3 deaths; deaths per 亿元 GDP 3/420, its denominator 初步核算.
    - 利州区 15fyp in two files: 2026-03-01 (deaths −5%) and a revision 2026-06-30 (deaths −10%,
      较大 accidents −10%): the revision is in force, the first superseded. Year to date: deaths 3
      against 2 (2025-01, 2025-06) → worsening; 较大 accidents 1 against 0 → worsening (a
      previous-year 0 with a count now).
    - 利州区 plan `zx` in two files with the same 版本日期: a conflict, both rejected (named).
    - 衡水市 131100 15fyp whose rows give two first years (2026, 2027): rejected whole, named; it
      has no report and the quality gate says so.
    - 乐平市 360281 15fyp, on accidents 2020–2025 of 243, 162, 108, 72, 48, 32 (each with one
      death; GDP 300 亿元 a year): an exact geometric decline by a third a year, which the Poisson
      trend fits exactly, so the projection for 2030 is 32·(2/3)^5 = 4.2140 with a 95% interval
      from the Fisher information (OUTLOOK_INTERVAL): deaths −10% (≤ 28.8) likely; accidents ≤ 2
      unlikely; accidents ≤ 5 uncertain.
    - 满洲里市 150781 14fyp with one target and no data at all: 数据不足, never achieved.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from tests.handmade import (
    ACCIDENT_HEADERS,
    DISASTER_HEADERS,
    LIZHOU,
    SHUANGYASHAN_COUNTIES,
    STAT_HEADERS,
    _accident_row,
    _write_csv,
    plan_rows,
    write_handmade_folder,
    write_plan,
)

AS_OF = "2026-11-26"
LEPING = "360281"
LEPING_ACCIDENTS = {2020 + k: round(243 * (2 / 3) ** k) for k in range(6)}  # 243, 162, 108, 72, 48, 32
FLOOD_2018 = [
    "DZ2018-01",
    "洪涝",
    "2018-07-10",
    "2018-07-12",
    "230502",
    "尖山区",
    "60000",
    "1",
    "0",
    "500",
    "100",
    "300",
    "20",
    "1",
    "1",
    "5",
    "10000",
    "核报",
    "2018-08-20",
]

B, E = "约束性", "预期性"
DECLINE, BOUND = ("下降", "≥"), ("上限", "<=")
# (file, plan, name, region, first, last, base, version, targets)
PLANS = [
    (
        "双鸭山市十五五（示例）.csv",
        "15fyp",
        "双鸭山市“十五五”规划（示例）",
        "230500",
        2026,
        2030,
        2025,
        "2026-02-01",
        [
            (1, "safety_deaths", "生产安全事故死亡人数", *DECLINE, "10%", "%", B, "期末比基期"),
            (2, "larger_accidents", "较大生产安全事故起数", *DECLINE, "10%", "%", B, "期末比基期"),
            (
                3,
                "deaths_per_100m_gdp",
                "亿元生产总值生产安全事故死亡率",
                *DECLINE,
                "20%",
                "%",
                B,
                "期末比基期",
            ),
            (
                4,
                "disaster_deaths_per_million",
                "年均每百万人口因自然灾害死亡率",
                "上限",
                "<",
                "1",
                "",
                E,
                "期间年均",
            ),
        ],
    ),
    (
        "利州区十五五（2026年3月）.csv",
        "15fyp",
        "利州区“十五五”规划（示例）",
        LIZHOU,
        2026,
        2030,
        2025,
        "2026-03-01",
        [
            (1, "safety_deaths", "生产安全事故死亡人数", *DECLINE, "5%", "%", B, "期末比基期"),
        ],
    ),
    (
        "利州区十五五（2026年6月修订）.csv",
        "15fyp",
        "利州区“十五五”规划（示例）",
        LIZHOU,
        2026,
        2030,
        2025,
        "2026-06-30",
        [
            (1, "safety_deaths", "生产安全事故死亡人数", *DECLINE, "10%", "%", B, "期末比基期"),
            (2, "larger_accidents", "较大生产安全事故起数", *DECLINE, "10%", "%", B, "期末比基期"),
        ],
    ),
    (
        "利州区专项规划.csv",
        "zx",
        "利州区安全生产专项规划（示例）",
        LIZHOU,
        2026,
        2030,
        2025,
        "2026-04-01",
        [
            (1, "safety_deaths", "生产安全事故死亡人数", *DECLINE, "8%", "%", B, "期末比基期"),
        ],
    ),
    (
        "利州区专项规划（另一份）.csv",
        "zx",
        "利州区安全生产专项规划（示例）",
        LIZHOU,
        2026,
        2030,
        2025,
        "2026-04-01",
        [
            (1, "safety_deaths", "生产安全事故死亡人数", *DECLINE, "12%", "%", B, "期末比基期"),
        ],
    ),
    (
        "乐平市十五五（示例）.csv",
        "15fyp",
        "乐平市“十五五”规划（示例）",
        LEPING,
        2026,
        2030,
        2025,
        "2026-04-15",
        [
            (1, "safety_deaths", "生产安全事故死亡人数", *DECLINE, "10%", "%", B, "期末比基期"),
            (2, "safety_accidents", "生产安全事故起数", *BOUND, "2", "起", E, "期末比基期"),
            (3, "safety_accidents", "生产安全事故起数（宽口径）", *BOUND, "5", "起", E, "期末比基期"),
        ],
    ),
    (
        "满洲里市十四五.csv",
        "14fyp",
        "满洲里“十四五”应急体系规划",
        "150781",
        2021,
        2025,
        2020,
        "",
        [
            (1, "safety_deaths", "生产安全事故死亡人数", *DECLINE, "15%", "%", B, "期末比基期"),
        ],
    ),
]
HENGSHUI_FILE = "衡水市十五五（示例）.csv"


def outlook_interval(counts: list[float], years: list[int], end_year: int) -> tuple[float, float, float]:
    """The projection of an exact geometric series and its 95% interval, from the closed form:
    the fit is exact (μ_t = y_t), Var(η_T) = xᵀ I⁻¹ x with I = Σ y_t (1, t − t̄)(1, t − t̄)ᵀ."""
    tbar = sum(years) / len(years)
    s0 = sum(counts)
    s1 = sum(y * (t - tbar) for y, t in zip(counts, years, strict=True))
    s2 = sum(y * (t - tbar) ** 2 for y, t in zip(counts, years, strict=True))
    det = s0 * s2 - s1 * s1
    d = end_year - tbar
    var = (s2 - 2 * d * s1 + d * d * s0) / det
    ratio = counts[1] / counts[0]
    value = counts[-1] * ratio ** (end_year - years[-1])
    z = 1.959963984540054
    return value, value * math.exp(-z * math.sqrt(var)), value * math.exp(z * math.sqrt(var))


OUTLOOK_INTERVAL = outlook_interval(list(LEPING_ACCIDENTS.values()), list(LEPING_ACCIDENTS), 2030)


def _zero(headers: list[str], key: str, date_col: str, region: str, year: int, month: int) -> list[str]:
    row = [""] * len(headers)
    row[headers.index(key)] = "零报告"
    row[headers.index("行政区划代码")] = region
    row[headers.index(date_col)] = f"{year}-{month:02d}"
    return row


def _drop_zero_report(path: Path, region: str, month: str) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    kept = [r for r in rows if not (r[0] == "零报告" and r[2] == region and r[1] == month)]
    assert len(kept) == len(rows) - 1
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(kept)


def write_plans_scenario(root: Path) -> Path:
    write_handmade_folder(root)
    _drop_zero_report(root / "accidents" / "accidents_2020_2025.csv", LIZHOU, "2025-12")
    # 双鸭山's previous period: disasters 2016–2019 and their denominators
    disasters = [FLOOD_2018] + [
        _zero(DISASTER_HEADERS, "灾害过程编号", "开始日期", county, year, month)
        for county in SHUANGYASHAN_COUNTIES
        for year in range(2016, 2020)
        for month in range(1, 13)
        if (county, year, month) != ("230502", 2018, 7)
    ]
    _write_csv(root / "disasters" / "disasters_2016_2019.csv", DISASTER_HEADERS, disasters)
    stats = [
        [county, "", year, 50, 15, 2, 5000, 0, "最终核实", f"{year + 1}-06-30"]
        for year in range(2016, 2020)
        for county in SHUANGYASHAN_COUNTIES
    ]
    stats.append(["230500", "双鸭山市", 2025, 420, "", "", "", "", "初步核算", "2026-03-01"])
    stats += [
        [LEPING, "乐平市", year, 300, "", "", "", "", "最终核实", f"{year + 1}-06-30"]
        for year in LEPING_ACCIDENTS
    ]
    _write_csv(root / "statistics" / "statistics_scenario.csv", STAT_HEADERS, stats)
    # 2026 January–October: every unit filed, two accidents
    accidents = [
        _accident_row(
            ("SYS-2026-001", "2026-03-15 10:00", "230502", "工贸", 1, 0, 30, "一般", "", "", "2026-03-16")
        ),
        _accident_row(
            ("LZ-2026-001", "2026-05-10 10:00", LIZHOU, "工贸", 3, 0, 200, "较大", "", "", "2026-05-11")
        ),
    ]
    busy = {("230502", 3), (LIZHOU, 5)}
    accidents += [
        _zero(ACCIDENT_HEADERS, "事故编号", "发生时间", r, 2026, m)
        for r in [*SHUANGYASHAN_COUNTIES, LIZHOU]
        for m in range(1, 11)
        if (r, m) not in busy
    ]
    # 乐平: 243, 162, 108, 72, 48, 32 accidents of one death, spread over the months
    for year, n in LEPING_ACCIDENTS.items():
        for i in range(n):
            when = f"{year}-{i % 12 + 1:02d}-{i // 12 + 1:02d} 09:00"
            accidents.append(
                _accident_row(
                    (
                        f"LP-{year}-{i:03d}",
                        when,
                        LEPING,
                        "工贸",
                        1,
                        0,
                        10,
                        "一般",
                        "",
                        "",
                        f"{year}-{i % 12 + 1:02d}-28",
                    )
                )
            )
    _write_csv(root / "accidents" / "accidents_scenario.csv", ACCIDENT_HEADERS, accidents)
    _write_csv(
        root / "disasters" / "disasters_2026.csv",
        DISASTER_HEADERS,
        [
            _zero(DISASTER_HEADERS, "灾害过程编号", "开始日期", r, 2026, m)
            for r in [*SHUANGYASHAN_COUNTIES, LIZHOU]
            for m in range(1, 11)
        ],
    )
    for file_name, *plan in PLANS:
        write_plan(root, file_name, plan_rows(*plan))
    # 衡水: plan-level cells that differ between rows (first years 2026 and 2027)
    hengshui = plan_rows(
        "15fyp",
        "衡水市“十五五”规划（示例）",
        "131100",
        2026,
        2030,
        2025,
        "2026-02-28",
        [
            (1, "safety_deaths", "生产安全事故死亡人数", *DECLINE, "10%", "%", B, "期末比基期"),
            (
                2,
                "deaths_per_100m_gdp",
                "亿元生产总值生产安全事故死亡率",
                *DECLINE,
                "20%",
                "%",
                B,
                "期末比基期",
            ),
        ],
    )
    hengshui[1][3] = 2027
    write_plan(root, HENGSHUI_FILE, hengshui)
    return root
