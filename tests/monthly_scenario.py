"""A hand-made data folder for the monthly situation analysis and the control quotas
(docs/spec/monthly.md), every answer worked out here.

It is the hand-made folder of tests/handmade.py (双鸭山市 230500 with 8 counties, 利州区 510802;
2020–2025, zero reports every quiet month) run as of 2026-03-31 (January–March 2026 due), with:

- **2025, besides the hand-made accidents** (尖山区 04-08 煤矿 1 death; 岭东区 05-20 建筑业 2 after
  revision; 岭东区 08-01 工贸 5 written off; 利州区 01-15, 06-15, 11-15 工贸 1 each):
  岭东区 2025-01-15 道路运输 2 deaths; 尖山区 2025-02-20 工贸 1; 尖山区 2025-12-10 工贸 1.
- **2026**: 岭东区 01-12 道路运输 1 death; 尖山区 01-25 煤矿 1; 集贤县 02-14 工贸 3 deaths (较大 by
  the 493号令 rule); 尖山区 03-05 工贸 filed with 1 death and revised to 2 (a revision: 2 count);
  岭东区 03-20 建筑业 2 deaths filed and written off (核销: counts nowhere); 利州区 01-20 工贸 1.
  Zero reports for every other unit-month of January–March, except 饶河县 230524's accidents for
  March: not filed (未报齐). Disasters: zero reports January–March for every unit.
- **Statistics**: the 2025 figures are filed by 2026-03-01 (the hand-made folder files them in June
  and September, after this as-of date).

双鸭山市 (deaths incl. missing; accidents):
  - January: 2 accidents, 2 deaths (岭东区 1, 尖山区 1) against the December before 1 and 1:
    环比 +100% and +100%; against January 2025 (1 accident, 2 deaths): +100% and 持平.
    工矿商贸: 1 and 1 against 0 and 0 (去年同期均为0).
  - January–February: 3 accidents, 5 deaths against 2 and 3: +50.0% and +66.7%; February alone
    1 and 3 against January's 2 and 2: −50.0% and +50.0%. 工矿商贸 2 and 4 against 1 and 1:
    +100% and +300%. 较大: 1. Deaths by sector: 工贸 3 against 1 (+200%), 煤矿 1 against 0,
    道路运输 1 against 2. Counties: 集贤县 3 against 0; 尖山区 1 against 1; 岭东区 1 against 2.
  - January–March: 饶河县 has not filed March: 未报齐 (4 accidents and 7 deaths filed so far, no
    同比); complete through February.
利州区: January–March 1 accident and 1 death against 1 and 1 (持平); March 0 against February 0.

Control quotas for 2026 (issued 2026-01-10 in ``quotas/2026年控制指标.csv``), deaths:
双鸭山市 own 6 (accidents 8, 较大及以上 0), 尖山区 2 adjusted to 4 on 2026-03-15
(``2026年尖山区控制指标调整.csv``), 岭东区 0, 四方台区 1, 集贤县 10 (较大及以上 0), 饶河县 1, 宝山区
1 — and 宝山区 2 for the same date in ``宝山区重复下达.csv``: a conflict, both rejected, 宝山区 has no
quota. 利州区 1 (accidents 1).
  - February (time progress 16.7%): 双鸭山市 5/6 = 83.3% 预警; 尖山区 1/2 = 50% 预警; 岭东区 1 of
    0: 超控 (usage empty); 集贤县 3/10 = 30% 预警, 较大及以上 1 of 0: 超控, flagged; 四方台区 0/1
    and 饶河县 0/1 正常. Ranks by deaths usage: 岭东区 1, 尖山区 2, 集贤县 3, 四方台区 and 饶河县 4.
  - March (25%): 双鸭山市 and 饶河县 未报齐 (no actual, no status); 尖山区 3 of the adjusted 4 =
    75% 预警 (3 of the original 2 would have been 超控); 岭东区 超控; 集贤县 30% 预警; 四方台区 正常.
    Ranks: 岭东区 1, 尖山区 2, 集贤县 3, 四方台区 4.
  - 利州区 1/1 = 100%: 预警 in January (8.3%) and March (25%).
"""

from __future__ import annotations

from pathlib import Path

from tests.handmade import (
    ACCIDENT_HEADERS,
    DISASTER_HEADERS,
    LIZHOU,
    SHUANGYASHAN_COUNTIES,
    _accident_row,
    _write_csv,
    _zero_rows,
    write_handmade_folder,
)

AS_OF = "2026-03-31"
QUOTA_HEADERS = ["年度", "行政区划代码", "行政区划名称", "指标代码", "指标名称", "控制数", "下达日期"]

# (id, time, region, sector, deaths, serious injuries, loss 万元, level, vehicle, status, filed)
ACCIDENTS_2025 = [
    ("SYS-2025-101", "2025-01-15 08:00", "230503", "道路运输", 2, 0, 40, "一般", "否", "", "2025-01-16"),
    ("SYS-2025-102", "2025-02-20 10:00", "230502", "工贸", 1, 0, 30, "一般", "", "", "2025-02-21"),
    ("SYS-2025-103", "2025-12-10 10:00", "230502", "工贸", 1, 0, 30, "一般", "", "", "2025-12-11"),
]
ACCIDENTS_2026 = [
    ("SYS-2026-001", "2026-01-12 07:00", "230503", "道路运输", 1, 0, 20, "一般", "否", "", "2026-01-13"),
    ("SYS-2026-002", "2026-01-25 09:00", "230502", "煤矿", 1, 0, 60, "一般", "", "", "2026-01-26"),
    ("SYS-2026-003", "2026-02-14 15:00", "230521", "工贸", 3, 0, 300, "较大", "", "", "2026-02-15"),
    ("SYS-2026-004", "2026-03-05 11:00", "230502", "工贸", 1, 0, 50, "一般", "", "", "2026-03-06"),
    ("SYS-2026-005", "2026-03-20 16:00", "230503", "建筑业", 2, 0, 90, "一般", "", "", "2026-03-21"),
    ("LZ-2026-001", "2026-01-20 09:00", LIZHOU, "工贸", 1, 0, 40, "一般", "", "", "2026-01-21"),
]
REVISIONS_2026 = [
    ("SYS-2026-004", "2026-03-05 11:00", "230502", "工贸", 2, 0, 50, "一般", "", "", "2026-03-25"),
    ("SYS-2026-005", "2026-03-20 16:00", "230503", "建筑业", 2, 0, 90, "一般", "", "核销", "2026-03-28"),
]
LATE = ("230524", 2026, 3)  # 饶河县 has not filed its March accidents

# (region, name, indicator, quota)
QUOTAS = [
    ("230500", "双鸭山市", "safety_deaths", 6),
    ("230500", "双鸭山市", "safety_accidents", 8),
    ("230500", "双鸭山市", "larger_and_above_accidents", 0),
    ("230502", "尖山区", "safety_deaths", 2),
    ("230503", "岭东区", "safety_deaths", 0),
    ("230505", "四方台区", "safety_deaths", 1),
    ("230506", "宝山区", "safety_deaths", 1),
    ("230521", "集贤县", "safety_deaths", 10),
    ("230521", "集贤县", "larger_and_above_accidents", 0),
    ("230524", "饶河县", "safety_deaths", 1),
    (LIZHOU, "利州区", "safety_deaths", 1),
    (LIZHOU, "利州区", "safety_accidents", 1),
]
NAMES = {"safety_deaths": "生产安全事故死亡人数", "safety_accidents": "生产安全事故起数",
         "larger_and_above_accidents": "较大及以上生产安全事故起数"}


def _quota_row(region, name, indicator, quota, issued="2026-01-10"):
    return [2026, region, name, indicator, NAMES[indicator], quota, issued]


def write_monthly_scenario(root: Path) -> Path:
    write_handmade_folder(root)
    stats = root / "statistics" / "statistics_2020_2025.csv"
    stats.write_text(stats.read_text(encoding="utf-8").replace("2026-06-30", "2026-03-01"), encoding="utf-8")
    (root / "statistics" / "statistics_2025_final.csv").unlink()
    regions = [*SHUANGYASHAN_COUNTIES, LIZHOU]
    filed = {(a[2], int(a[1][:4]), int(a[1][5:7])) for a in ACCIDENTS_2026}

    def quiet_2026(region):
        return [(2026, m) for m in (1, 2, 3) if (region, 2026, m) not in filed and (region, 2026, m) != LATE]

    _write_csv(root / "accidents" / "accidents_2025_extra.csv", ACCIDENT_HEADERS,
               [_accident_row(a) for a in ACCIDENTS_2025])
    _write_csv(root / "accidents" / "accidents_2026Q1.csv", ACCIDENT_HEADERS,
               [_accident_row(a) for a in ACCIDENTS_2026]
               + _zero_rows(ACCIDENT_HEADERS, "事故编号", "发生时间", regions, quiet_2026))
    _write_csv(root / "accidents" / "accidents_2026Q1_revisions.csv", ACCIDENT_HEADERS,
               [_accident_row(a) for a in REVISIONS_2026])
    _write_csv(root / "disasters" / "disasters_2026Q1.csv", DISASTER_HEADERS,
               _zero_rows(DISASTER_HEADERS, "灾害过程编号", "开始日期", regions,
                          lambda _r: [(2026, m) for m in (1, 2, 3)]))
    _write_csv(root / "quotas" / "2026年控制指标.csv", QUOTA_HEADERS, [_quota_row(*q) for q in QUOTAS])
    _write_csv(root / "quotas" / "2026年尖山区控制指标调整.csv", QUOTA_HEADERS,
               [_quota_row("230502", "尖山区", "safety_deaths", 4, "2026-03-15")])
    _write_csv(root / "quotas" / "宝山区重复下达.csv", QUOTA_HEADERS,
               [_quota_row("230506", "宝山区", "safety_deaths", 2)])
    return root
