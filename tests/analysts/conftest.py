"""One warehouse for the analysts' tests, built by the command line from the hand-made folder.

The hand-made folder (tests/handmade.py, every figure worked out by hand there) plus one file,
``accidents/accidents_2026_analysts.csv``, so that the 2026 questions have answers:

- SYS-2026-001, 2026-03-12, 尖山区 230502, 煤矿, 4 deaths, reported 一般. By the 493号令 rule
  (3–9 deaths) it is 较大: a severity finding, and the only 较大-or-worse accident of 2022–2026
  (SYS-2020-002 is older; SYS-2025-003 is written off).
- SYS-2026-002 in region 999999, 1 death: an unknown code, quarantined (row 3 of the file).
- 零报告 for every other county-level unit-month of 2026-01..2026-10 (as of 2026-11-26 the months
  due are January to October), so 2026 accidents are complete: year to date 双鸭山市 4 deaths in
  1 accident against 3 deaths in 2 accidents in 2025-01..10 (SYS-2025-001 April, SYS-2025-002 May,
  2 deaths after revision); 利州区 0 against 2 (LZ-2025-001, LZ-2025-002; LZ-2025-003 is in
  November). Disasters have no 2026 filings: every unit is on the 催报清单 for 2026-01..10.
- ``plans/双鸭山市十五五（示例）.csv``: 双鸭山市's 15th plan (2026–2030, base 2025) beside its ended
  14th plan: deaths −10% (2025: 3 deaths → 2.7), deaths per 亿元 GDP −20% (2025: 3/400 → 0.006).
  No 2026 disaster register is filed, so it has no monitoring month yet (年内监测 数据不足).
- ``quotas/2026年控制指标.csv``: 2026 deaths quotas, issued 2026-01-15: 双鸭山市 its own 5 (and 1
  accident), 尖山区 2, 岭东区 0, 四方台区 1, 利州区 1. Through October (time progress 83.3%):
  双鸭山市 4 of 5 deaths = 80% 正常, 1 of 1 accident = 100% 预警; 尖山区 4 of 2 = 200% 超控, with a 较大
  accident, rank 1; 岭东区 0 of 0 正常 (usage empty) and 四方台区 0 of 1 = 0% 正常, both rank 2.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import cli_env
from tests.handmade import (
    ACCIDENT_HEADERS,
    LIZHOU,
    SHUANGYASHAN_COUNTIES,
    _accident_row,
    plan_rows,
    write_handmade_folder,
    write_plan,
)

AS_OF = "2026-11-26"
EXTRA_ACCIDENTS = [
    ("SYS-2026-001", "2026-03-12 10:00", "230502", "煤矿", 4, 0, 700, "一般", "", "", "2026-03-13"),
    ("SYS-2026-002", "2026-04-02 10:00", "999999", "工贸", 1, 0, 10, "一般", "", "", "2026-04-03"),
]

QUOTAS = [
    ("230500", "双鸭山市", "safety_deaths", 5),
    ("230500", "双鸭山市", "safety_accidents", 1),
    ("230502", "尖山区", "safety_deaths", 2),
    ("230503", "岭东区", "safety_deaths", 0),
    ("230505", "四方台区", "safety_deaths", 1),
    (LIZHOU, "利州区", "safety_deaths", 1),
]
QUOTA_HEADERS = ["年度", "行政区划代码", "行政区划名称", "指标代码", "指标名称", "控制数", "下达日期"]
QUOTA_NAMES = {"safety_deaths": "生产安全事故死亡人数", "safety_accidents": "生产安全事故起数"}


def write_analyst_extras(root: Path) -> Path:
    rows = [_accident_row(a) for a in EXTRA_ACCIDENTS]
    for region in [*SHUANGYASHAN_COUNTIES, LIZHOU]:
        for month in range(1, 11):
            if (region, month) == ("230502", 3):
                continue
            row = [""] * len(ACCIDENT_HEADERS)
            row[ACCIDENT_HEADERS.index("事故编号")] = "零报告"
            row[ACCIDENT_HEADERS.index("行政区划代码")] = region
            row[ACCIDENT_HEADERS.index("发生时间")] = f"2026-{month:02d}"
            rows.append(row)
    path = root / "accidents" / "accidents_2026_analysts.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(ACCIDENT_HEADERS)
        writer.writerows(rows)
    write_plan(root, "双鸭山市十五五（示例）.csv", plan_rows(
        "15fyp", "双鸭山市应急体系建设“十五五”规划（示例）", "230500", 2026, 2030, 2025, "2026-02-01", [
            (1, "safety_deaths", "生产安全事故死亡人数", "下降", "≥", "10%", "%", "约束性", "期末比基期"),
            (2, "deaths_per_100m_gdp", "亿元生产总值生产安全事故死亡率", "下降", "≥", "20%", "%", "约束性",
             "期末比基期"),
        ]))
    quotas = root / "quotas" / "2026年控制指标.csv"
    quotas.parent.mkdir(parents=True, exist_ok=True)
    with quotas.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(QUOTA_HEADERS)
        for region, name, indicator, quota in QUOTAS:
            writer.writerow([2026, region, name, indicator, QUOTA_NAMES[indicator], quota, "2026-01-15"])
    return path


def run_cli(*args: str, dagster_home: Path) -> subprocess.CompletedProcess:
    env = cli_env()
    env["DAGSTER_HOME"] = str(dagster_home)  # never the project's var/dagster_home
    return subprocess.run([sys.executable, "-m", "pipelines", *args], capture_output=True, text=True,
                          env=env, timeout=900)


def failure_text(proc: subprocess.CompletedProcess) -> str:
    """The lines that say why a run failed (dbt's progress output is long), then the tails."""
    starts = ("✗", "警告", "运行失败", "质量关口")
    why = [line for line in proc.stdout.splitlines()
           if line.lstrip().startswith(starts) or "失败 failed" in line]
    tails = ["--- stdout tail ---", proc.stdout[-3000:], "--- stderr ---", proc.stderr[-3000:]]
    return "\n".join([*why, *tails])


def run_args(data: Path, warehouse: Path, reports: Path) -> list[str]:
    return ["run", "--data-dir", str(data), "--warehouse", str(warehouse), "--reports-dir", str(reports),
            "--as-of", AS_OF]


@dataclass
class Published:
    proc: subprocess.CompletedProcess
    data: Path
    warehouse: Path
    reports: Path
    parquet: Path


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Published:
    root = tmp_path_factory.mktemp("analysts")
    data = write_handmade_folder(root / "data")
    write_analyst_extras(data)
    warehouse, reports = root / "pub" / "em_warehouse.duckdb", root / "pub" / "reports"
    home = root / "dagster_home"
    home.mkdir()
    proc = run_cli(*run_args(data, warehouse, reports), dagster_home=home)
    assert proc.returncode == 0, failure_text(proc)
    return Published(proc, data, warehouse, reports, warehouse.parent / "parquet")


def duckdb_cli() -> Path | None:
    """The DuckDB CLI of this virtual environment (the `duckdb-cli` package), if installed."""
    path = Path(sys.executable).with_name("duckdb")
    return path if path.exists() and os.access(path, os.X_OK) else None
