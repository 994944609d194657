"""Helpers that write small source files the way the units produce them."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
import xlsxwriter

from pipelines.ingest.loader import load_source

AS_OF = date(2026, 11, 25)
LOADED_AT = datetime(2026, 11, 25, 9, 30)

ACC_HEADER = [
    "事故编号",
    "发生时间",
    "行政区划代码",
    "行政区划名称",
    "单位名称",
    "行业领域",
    "国民经济行业代码",
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

DIS_HEADER = [
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

FIRE_HEADER = [
    "火灾编号",
    "发生时间",
    "行政区划代码",
    "行政区划名称",
    "过火面积（公顷）",
    "受害森林面积（公顷）",
    "火灾等级",
    "死亡人数",
    "受伤人数",
    "填报日期",
]

STAT_HEADER = [
    "行政区划代码",
    "行政区划名称",
    "年份",
    "地区生产总值（亿元）",
    "年末常住人口（万人）",
    "工矿商贸就业人员（万人）",
    "营运车辆（辆）",
    "原煤产量（万吨）",
    "森林面积（公顷）",
    "数据状态",
    "填报日期",
]

CAP_HEADER = ["行政区划代码", "年份", "指标", "数值", "填报日期"]


def acc_row(
    acc_id="SY-2024-001",
    when="2024-03-05 14:20",
    code="230506",
    name="宝山区",
    sector="工贸",
    deaths=1,
    missing=0,
    serious=0,
    minor=0,
    loss=12.5,
    severity="一般",
    vehicle="",
    summary="",
    status="",
    reported="2024-03-10",
    unit="某公司",
    industry="C30",
    acc_type="机械伤害",
):
    return [
        acc_id,
        when,
        code,
        name,
        unit,
        sector,
        industry,
        acc_type,
        deaths,
        missing,
        serious,
        minor,
        loss,
        severity,
        vehicle,
        summary,
        status,
        reported,
    ]


def zero_row(header, key_col, date_col, code, month):
    row = [None] * len(header)
    row[header.index(key_col)] = "零报告"
    row[header.index("行政区划代码")] = code
    row[header.index(date_col)] = month
    return row


def write_xlsx(
    path: Path,
    header,
    rows,
    *,
    title="2024年3月生产安全事故统计表",
    unit_line="填报单位：双鸭山市应急管理局",
    total=True,
    footer=True,
    sheet="Sheet1",
) -> dict[str, int]:
    """Title rows, header, data rows, a 合计 row and a 填表人 footer. Returns row numbers
    (1-based) of header and first data row."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(sheet)
    r = 0
    if title:
        ws.merge_range(r, 0, r, len(header) - 1, title)
        r += 1
    if unit_line:
        ws.write(r, 0, unit_line)
        r += 1
    ws.write_row(r, 0, header)
    header_row = r + 1
    r += 1
    first = r + 1
    for row in rows:
        _write_cells(wb, ws, r, row)
        r += 1
    if total:
        ws.write(r, 0, "合计")
        ws.write(r, header.index("死亡人数") if "死亡人数" in header else 1, 99)
        r += 1
    if footer:
        ws.write(r + 1, 0, "填表人：张三    审核人：李四    填报日期：2024-04-02")
    wb.close()
    return {"header": header_row, "first": first}


def _write_cells(wb, ws, r, row):
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for c, v in enumerate(row):
        if v is None:
            continue
        if isinstance(v, tuple) and v[0] == "formula":
            ws.write_formula(r, c, v[1], None, v[2])
        elif isinstance(v, datetime | date):
            ws.write_datetime(
                r, c, v if isinstance(v, datetime) else datetime(v.year, v.month, v.day), date_fmt
            )
        else:
            ws.write(r, c, v)


def write_csv(path: Path, header, rows, *, encoding="utf-8", title_lines=(), footer_lines=()) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for t in title_lines:
        w.writerow([t])
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    for t in footer_lines:
        w.writerow([t])
    path.write_bytes(buf.getvalue().encode(encoding))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data_raw"
    d.mkdir()
    return d


@pytest.fixture
def con(tmp_path: Path):
    c = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield c
    c.close()


def load(con, source, data_dir, as_of=AS_OF, loaded_at=LOADED_AT):
    return load_source(con, source, data_dir, as_of, loaded_at)


def rows(con, sql, params=None):
    return con.execute(sql, params or []).fetchall()


def one(con, sql, params=None):
    return con.execute(sql, params or []).fetchone()
