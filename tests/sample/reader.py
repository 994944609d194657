"""A small, independent reader of the generated files (for the tests only).

It follows docs/spec/data-contracts.md directly (aliases, title/total/footer rows, encodings, zero
reports, number and date rules) and shares no code with the generator.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import polars as pl

REGIONS_CSV = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "regions.csv"

ALIASES: dict[str, dict[str, list[str]]] = {
    "accidents": {
        "事故编号": ["编号"],
        "发生时间": ["事故发生时间", "发生日期"],
        "行政区划代码": ["区划代码"],
        "行政区划名称": ["发生地区", "地区"],
        "单位名称": ["事故单位"],
        "行业领域": ["统计行业领域"],
        "国民经济行业代码": ["行业代码"],
        "事故类别": [],
        "死亡人数": ["死亡"],
        "失踪人数": ["失踪", "下落不明人数"],
        "重伤人数": ["重伤(含急性工业中毒)"],
        "轻伤人数": ["轻伤"],
        "直接经济损失(万元)": ["经济损失"],
        "事故等级": ["事故级别"],
        "涉及营运车辆": ["营运车辆"],
        "事故简况": ["简要经过"],
        "状态": [],
        "填报日期": ["上报日期"],
    },
    "disasters": {
        "灾害过程编号": ["过程编号"],
        "灾种": ["灾害种类"],
        "开始日期": ["发生日期"],
        "结束日期": [],
        "行政区划代码": [],
        "行政区划名称": ["地区"],
        "受灾人次": ["受灾人口(人次)", "受灾人口"],
        "死亡人数": ["因灾死亡人数"],
        "失踪人数": ["因灾失踪人数"],
        "紧急转移安置人次": ["紧急转移安置人口"],
        "需紧急生活救助人次": [],
        "农作物受灾面积(公顷)": ["农作物受灾面积", "农作物受灾面积(千公顷)"],
        "农作物绝收面积(公顷)": ["绝收面积"],
        "倒塌房屋(间)": ["倒塌房屋"],
        "严重损坏房屋(间)": [],
        "一般损坏房屋(间)": [],
        "直接经济损失(万元)": ["直接经济损失", "直接经济损失(亿元)"],
        "报告阶段": ["报告类型"],
        "填报日期": [],
    },
    "forest_fires": {
        "火灾编号": [],
        "发生时间": ["起火时间"],
        "行政区划代码": [],
        "行政区划名称": [],
        "过火面积(公顷)": ["过火面积"],
        "受害森林面积(公顷)": ["受害森林面积"],
        "火灾等级": [],
        "死亡人数": [],
        "受伤人数": [],
        "填报日期": [],
    },
    "statistics": {
        "行政区划代码": [],
        "行政区划名称": ["地区"],
        "年份": ["统计年度"],
        "地区生产总值(亿元)": ["地区生产总值", "GDP(亿元)", "地区生产总值(万元)"],
        "年末常住人口(万人)": ["常住人口(万人)"],
        "工矿商贸就业人员(万人)": ["工矿商贸从业人员(万人)"],
        "营运车辆(辆)": ["营运车辆数"],
        "原煤产量(万吨)": [],
        "森林面积(公顷)": [],
        "数据状态": [],
        "填报日期": [],
    },
    "capabilities": {"行政区划代码": [], "年份": [], "指标": [], "数值": [], "填报日期": []},
    # docs/spec/plans.md
    "plans": {
        "规划编号": ["规划代号"], "规划名称": [], "行政区划代码": [], "规划期起始年": ["起始年"],
        "规划期终止年": ["终止年", "目标年"], "基期年": ["基准年"], "序号": [], "指标名称": ["指标"],
        "指标代码": [], "目标类型": [], "比较符": [], "目标值": [], "单位": [], "基期值": ["规划文本基期值"],
        "指标属性": ["属性"], "评价方式": [], "版本日期": ["印发日期"], "备注": [],
    },
}
REQUIRED = {
    "accidents": ["事故编号", "发生时间", "行业领域", "填报日期"],
    "disasters": ["灾害过程编号", "开始日期", "填报日期"],
    "forest_fires": ["火灾编号", "发生时间", "填报日期"],
    "statistics": ["行政区划代码", "年份"],
    "capabilities": ["行政区划代码", "年份", "指标", "数值"],
    "plans": ["规划编号", "指标代码", "目标类型"],
}
KEY = {"accidents": "事故编号", "disasters": "灾害过程编号", "forest_fires": "火灾编号"}
DATE_COL = {"accidents": "发生时间", "disasters": "开始日期", "forest_fires": "发生时间"}
EXTRA_OK = {"备注"}


def norm_header(h: str) -> str:
    h = re.sub(r"[\s\u3000]+", "", h or "")
    return h.replace("（", "(").replace("）", ")")


def canon_map(source: str) -> dict[str, str]:
    m: dict[str, str] = {}
    for canon, aliases in ALIASES[source].items():
        m[norm_header(canon)] = canon
        for a in aliases:
            m[norm_header(a)] = canon
    return m


def regions() -> tuple[set[str], dict[str, str]]:
    codes: set[str] = set()
    names: dict[str, list[str]] = {}
    with REGIONS_CSV.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            codes.add(r["region_code"])
            for n in {r["region_name"], re.sub(r"[市区县]$", "", r["region_name"])}:
                names.setdefault(n, []).append(r["region_code"])
    return codes, {n: c[0] for n, c in names.items() if len(c) == 1}


def read_grid(path: Path) -> list[list[str]]:
    """Every cell as text (None -> '')."""
    if path.suffix == ".xlsx":
        df = pl.read_excel(path, has_header=False, infer_schema_length=0)
    else:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")
        df = pl.read_csv(io.BytesIO(text.encode("utf-8")), has_header=False, infer_schema=False)
    return [["" if v is None else str(v) for v in row] for row in df.iter_rows()]


@dataclass
class Table:
    path: Path
    header_row: int  # 0-based index in the grid
    headers: list[str]  # canonical (or the raw text when unknown)
    raw_headers: list[str]
    records: list[tuple[int, dict[str, str]]]  # (spreadsheet row number, canonical -> text)


def read_table(source: str, path: Path) -> Table:
    grid = read_grid(path)
    cmap = canon_map(source)
    i, mapped = -1, []
    for i, row in enumerate(grid):  # noqa: B007 (i is used after the loop)
        mapped = [cmap.get(norm_header(c), c) for c in row]
        if all(r in mapped for r in REQUIRED[source]):
            break
    else:
        raise AssertionError(f"{path.name}: no header row")
    recs = []
    for j, row in enumerate(grid[i + 1 :], start=i + 2):
        cells = [c.strip() for c in row]
        non_empty = [c for c in cells if c]
        if not non_empty:
            continue
        if non_empty[0] in ("合计", "总计", "小计"):
            continue
        if len(non_empty) == 1 and re.match(r"^(填表人|审核人|填报日期)", non_empty[0]):
            continue
        recs.append((j, {h: c for h, c in zip(mapped, cells, strict=False) if h}))
    return Table(path, i, mapped, grid[i], recs)


FW = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


def number(text: str) -> float:
    t = (text or "").strip().translate(FW).replace(",", "").rstrip("%")
    if t in ("", "—", "-", "/", "无"):
        return 0.0
    return float(t)  # ValueError: the row is rejected


DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?")


def parse_date(text: str) -> date:
    m = DATE_RE.match((text or "").strip())
    if not m:
        raise ValueError(text)
    return date(int(m[1]), int(m[2]), int(m[3] or 1))


def is_zero_report(source: str, rec: dict[str, str]) -> bool:
    return rec.get(KEY[source], "") == "零报告"


def as_of() -> datetime:
    return datetime(2026, 11, 26)
