"""How the sample's records become files: batches, formats, header styles, imperfections."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from .profiles import (
    CAPABILITIES,
    CAPABILITY_NAMES,
    CURRENT_YEAR,
    YEARS,
    Jurisdiction,
)
from .records import (
    Accident,
    DisasterRow,
    Fire,
    accident_batch,
    days_in_month,
    is_missing,
    months_of,
)
from .writers import Cell, fmt_num, write_csv, write_xlsx

ZERO = "零报告"
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

# --- accidents -------------------------------------------------------------------------------
ACC_CANON = [
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
ACC_HEADERS = {
    "A": ACC_CANON,
    "B": [
        "编号",
        "事故发生时间",
        "区划代码",
        "发生地区",
        "事故单位",
        "统计行业领域",
        "行业代码",
        "事故类别",
        "死亡",
        "失踪",
        "重伤（含急性工业中毒）",
        "轻伤",
        "直接经济损失\n（万元）",
        "事故级别",
        "营运车辆",
        "简要经过",
        "状态",
        "上报日期",
    ],
    "C": [
        "事故编号",
        "发生日期",
        "行政区划代码",
        "地区",
        "单位名称",
        "行业领域",
        "国民经济行业代码",
        "事故类别",
        "死亡人数",
        "下落不明人数",
        "重伤人数",
        "轻伤人数",
        "经济损失",
        "事故等级",
        "涉及营运车辆",
        "事故简况",
        "状态",
        "填报日期",
    ],
    # 乐平: half-width brackets, no 轻伤 and no 行业代码 column, an extra 备注 column
    "D": [
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
        "直接经济损失(万元)",
        "事故等级",
        "涉及营运车辆",
        "事故简况",
        "状态",
        "填报日期",
        "备注",
    ],
    "E": [
        "事故编号",
        "发生时间",
        "行政区划代码",
        "行政区划名称",
        "单位名称",
        "行业领域",
        "国民经济行业代码",
        "事故类别",
        "死亡",
        "失踪",
        "重伤人数",
        "轻伤",
        "直接经济损失（万元）",
        "事故等级",
        "营运车辆",
        "事故简况",
        "状态",
        "填报日期",
    ],
}


def fmt_dt(style: str, v: datetime | date, with_time: bool = True) -> Cell:
    """A date/time as each unit's software writes it."""
    has_time = with_time and isinstance(v, datetime)
    if style == "A":
        return v  # an Excel date cell (CSV: ISO text)
    if style == "B":
        s = f"{v.year}年{v.month}月{v.day}日"
        return s + (f"{v.hour}时{v.minute:02d}分" if has_time else "")
    if style == "C":
        s = f"{v.year}/{v.month}/{v.day}"
        return s + (f" {v.hour}:{v.minute:02d}" if has_time else "")
    if style == "E":
        s = f"{v.year}.{v.month}.{v.day}"
        return s + (f" {v.hour}:{v.minute:02d}" if has_time else "")
    return v.strftime("%Y-%m-%d %H:%M") if has_time else v.strftime("%Y-%m-%d")


def zero_count(style: str, v: int) -> Cell:
    if v:
        return v
    return {"A": "—", "B": "—", "C": "无", "D": "", "E": 0}[style]


def fmt_loss(style: str, v: float) -> Cell:
    if style in ("B", "C") and v >= 1000:
        return f"{v:,.1f}"  # thousands separator, as text
    return v if style in ("A", "E") else fmt_num(v, 1)


def accident_row(style: str, a: Accident) -> list[Cell]:
    vals: dict[str, Cell] = {
        "id": a.id,
        "occurred": fmt_dt(style, a.occurred),
        "code": a.code,
        "name": a.name,
        "unit": a.unit_name,
        "sector": a.sector,
        "icode": a.industry_code,
        "atype": a.accident_type,
        "deaths": a.deaths,
        "missing": zero_count(style, a.missing),
        "serious": zero_count(style, a.serious),
        "minor": zero_count(style, a.minor),
        "loss": fmt_loss(style, a.loss),
        "reported": a.reported,
        "opveh": a.operating_vehicle or "",
        "summary": a.summary,
        "status": "" if a.status == "正常" else a.status,
        "rdate": fmt_dt(style, a.reported_date, with_time=False),
    }
    if style == "C" and a.sector == "化工（危险化学品）":
        vals["sector"] = "危险化学品"  # alias
    for k, v in a.overrides.items():
        vals[k] = v
    order = [
        "id",
        "occurred",
        "code",
        "name",
        "unit",
        "sector",
        "icode",
        "atype",
        "deaths",
        "missing",
        "serious",
        "minor",
        "loss",
        "reported",
        "opveh",
        "summary",
        "status",
        "rdate",
    ]
    if style == "D":
        order = [k for k in order if k not in ("minor", "icode")]
        return [vals[k] for k in order] + [a.note if a.note.startswith("revision") else ""]
    return [vals[k] for k in order]


def zero_row(
    style: str, header_len: int, code: str, y: int, m: int, date_pos: int, code_pos: int, rng: random.Random
) -> list[Cell]:
    row: list[Cell] = [""] * header_len
    row[0] = ZERO
    row[code_pos] = code
    if style in ("A", "D") and rng.random() < 0.5:
        row[date_pos] = f"{y}-{m:02d}"
    else:
        row[date_pos] = fmt_dt(style, date(y, m, days_in_month(y, m)), with_time=False)
    if isinstance(row[date_pos], date):
        row[date_pos] = row[date_pos].isoformat()  # type: ignore[union-attr]
    return row


class Out:
    """Collects what was written (for the summary)."""

    def __init__(self, root: Path):
        self.root = root
        self.files: dict[str, int] = defaultdict(int)
        self.bytes: dict[str, int] = defaultdict(int)
        self.rows: dict[str, int] = defaultdict(int)
        self.zero_reports: dict[str, int] = defaultdict(int)

    def table(
        self,
        source: str,
        name: str,
        header: Sequence[str],
        rows: Sequence[Sequence[Cell]],
        *,
        fmt: str,
        created: datetime,
        title: Sequence[str] = (),
        total: Sequence[Cell] | None = None,
        footer: Sequence[str] = (),
        zero: int = 0,
    ) -> None:
        if not rows:
            return  # nothing filed for this batch (a unit that has not reported yet)
        path = self.root / source / name
        if fmt == "xlsx":
            n = write_xlsx(
                path,
                header,
                rows,
                created=created,
                title_lines=title,
                total_row=total,
                footer_lines=footer,
                sheet_name="Sheet1",
            )
        else:
            n = write_csv(path, header, rows, encoding=fmt)
        self.files[source] += 1
        self.bytes[source] += n
        self.rows[source] += len(rows) - zero
        self.zero_reports[source] += zero


def _label_months(label: str) -> list[tuple[int, int]]:
    y = int(label[:4])
    if "Q" in label:
        q = int(label[-1])
        return [(y, m) for m in range(3 * q - 2, 3 * q + 1) if m in months_of(y)]
    return [(y, int(label[5:7]))]


def _label_title(label: str) -> str:
    y = int(label[:4])
    if "Q" in label:
        return f"{y}年第{'一二三四'[int(label[-1]) - 1]}季度"
    return f"{y}年{int(label[5:7])}月"


def write_accidents(out: Out, rng: random.Random, jur: Jurisdiction, accidents: list[Accident]) -> None:
    style = jur.style
    by_batch: dict[str, list[Accident]] = defaultdict(list)
    for a in accidents:
        by_batch[
            accident_batch(
                jur, a.reported_date if a.note.startswith(("revision", "核销")) else a.occurred.date()
            )
        ].append(a)
    # occurrence months of records, per unit (for zero reports)
    covered = {(a.code, a.occurred.year, a.occurred.month) for a in accidents if a.counted}
    labels = sorted(
        {accident_batch(jur, date(y, m, 1)) for y in (*YEARS, CURRENT_YEAR) for m in months_of(y)}
    )
    header = list(ACC_HEADERS[style])
    date_pos, code_pos = 1, 2
    for label in labels:
        recs = sorted(by_batch.get(label, []), key=lambda a: (a.occurred, a.id))
        rows = [accident_row(style, a) for a in recs]
        zeros = []
        for u in jur.units:
            for y, m in _label_months(label):
                if is_missing(u.code, "accidents", y, m):
                    continue
                if (u.code, y, m) not in covered:
                    zeros.append(zero_row(style, len(header), u.code, y, m, date_pos, code_pos, rng))
        # one redundant zero report (harmless): 双鸭山 尖山区, 2022-05
        if jur.code == "230500" and label == "2022-05":
            zeros.append(zero_row(style, len(header), "230502", 2022, 5, date_pos, code_pos, rng))
        y_last, m_last = _label_months(label)[-1]
        filed = date(y_last, m_last, days_in_month(y_last, m_last))
        if y_last == CURRENT_YEAR and m_last == 10:
            filed = date(2026, 11, 5)
        created = datetime(filed.year, filed.month, filed.day, 9, 0)
        name = f"{label}_{jur.name}"
        all_rows = rows + zeros
        if style == "A" and int(label[:4]) <= 2017:
            out.table(
                "accidents", f"{name}.csv", header, all_rows, fmt="gb18030", created=created, zero=len(zeros)
            )
        elif style in ("A", "B") or (style == "E" and int(label[:4]) <= 2020):
            title = [f"{_label_title(label)}生产安全事故统计表", f"填报单位：{jur.name}应急管理局"]
            if style == "E":
                title = []
            total = None
            if style in ("A", "B") and rows:
                total = [""] * len(header)
                total[0] = "合计"
                total[8] = sum(a.deaths for a in recs)
                total[10] = sum(a.serious for a in recs)
            footer = (
                [
                    f"填表人：{'王李张刘陈'[rng.randrange(5)]}某某    "
                    f"审核人：{'赵孙周吴郑'[rng.randrange(5)]}某某",
                    f"填报日期：{filed.year}年{filed.month}月{filed.day}日",
                ]
                if style != "E"
                else []
            )
            out.table(
                "accidents",
                f"{name}.xlsx",
                header,
                all_rows,
                fmt="xlsx",
                created=created,
                title=title,
                total=total,
                footer=footer,
                zero=len(zeros),
            )
        else:
            enc = {"C": "gb18030", "D": "utf-8-sig", "E": "utf-8"}[style]
            out.table("accidents", f"{name}.csv", header, all_rows, fmt=enc, created=created, zero=len(zeros))


# --- disasters -------------------------------------------------------------------------------
DIS_CANON = [
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
DIS_ALIAS = [
    "过程编号",
    "灾害种类",
    "发生日期",
    "结束日期",
    "行政区划代码",
    "地区",
    "受灾人口（人次）",
    "因灾死亡人数",
    "因灾失踪人数",
    "紧急转移安置人口",
    "需紧急生活救助人次",
    "农作物受灾面积",
    "绝收面积",
    "倒塌房屋",
    "严重损坏房屋（间）",
    "一般损坏房屋（间）",
    "直接经济损失",
    "报告类型",
    "填报日期",
]


def _dis_batch(d: date) -> str:
    if d.year < CURRENT_YEAR:
        return f"{d.year}年{'上' if d.month <= 6 else '下'}半年"
    if d.month <= 6:
        return f"{d.year}年1-6月"
    if d.month <= 9:
        return f"{d.year}年7-9月"
    return f"{d.year}年{d.month}月"


def _dis_label_months(label: str) -> list[tuple[int, int]]:
    y = int(label[:4])
    if "上半年" in label:
        return [(y, m) for m in range(1, 7)]
    if "下半年" in label:
        return [(y, m) for m in range(7, 13)]
    a, _, b = label[5:].rstrip("月").partition("-")
    return [(y, m) for m in range(int(a), int(b or a) + 1)]


def disaster_cells(
    r: DisasterRow, *, kha: bool = False, yi: bool = False, style: str = "A", thousands: bool = False
) -> list[Cell]:
    def cnt(v: int) -> Cell:
        if v == 0:
            return "—" if style == "B" else 0
        return f"{v:,}" if thousands and v >= 1000 else v

    crop = fmt_num(r.crop_affected / 1000, 4) if kha else fmt_num(r.crop_affected, 1)
    loss = fmt_num(r.loss / 10000, 6) if yi else fmt_num(r.loss, 1)
    vals: list[Cell] = [
        r.event_id,
        r.hazard,
        fmt_dt(style, r.start, False),
        fmt_dt(style, r.end, False),
        r.code,
        r.name,
        cnt(r.affected),
        cnt(r.deaths),
        cnt(r.missing),
        cnt(r.relocated),
        cnt(r.relief),
        crop,
        fmt_num(r.crop_failed, 1),
        cnt(r.collapsed),
        cnt(r.severe),
        cnt(r.general),
        loss,
        r.stage,
        fmt_dt(style, r.reported_date, False),
    ]
    keys = [
        "event_id",
        "hazard",
        "start",
        "end",
        "code",
        "name",
        "affected",
        "deaths",
        "missing",
        "relocated",
        "relief",
        "crop",
        "failed",
        "collapsed",
        "severe",
        "general",
        "loss",
        "stage",
        "rdate",
    ]
    for k, v in r.overrides.items():
        vals[keys.index(k)] = v
    return vals


def write_disasters(out: Out, rng: random.Random, jur: Jurisdiction, rows: list[DisasterRow]) -> None:
    style = "B" if jur.code == "131100" else ("C" if jur.code == "510802" else "D")
    header = DIS_ALIAS if style == "B" else DIS_CANON
    enc = "gb18030" if style in ("B", "C") else "utf-8-sig"
    covered = {(r.code, r.start.year, r.start.month) for r in rows}
    initial = [r for r in rows if r.stage != "核报"]
    final = [r for r in rows if r.stage == "核报"]
    by_batch: dict[str, list[DisasterRow]] = defaultdict(list)
    for r in initial:
        by_batch[_dis_batch(r.start)].append(r)
    labels = sorted({_dis_batch(date(y, m, 1)) for y in (*YEARS, CURRENT_YEAR) for m in months_of(y)})
    for label in labels:
        recs = sorted(by_batch.get(label, []), key=lambda r: (r.start, r.event_id, r.code, r.reported_date))
        cells = [disaster_cells(r, style=style, thousands=(style == "D")) for r in recs]
        zeros = []
        for u in jur.units:
            for y, m in _dis_label_months(label):
                if not is_missing(u.code, "disasters", y, m) and (u.code, y, m) not in covered:
                    z: list[Cell] = [""] * len(header)
                    z[0], z[4] = ZERO, u.code
                    z[2] = fmt_dt(style, date(y, m, 1), False) if rng.random() < 0.5 else f"{y}-{m:02d}"
                    if isinstance(z[2], date):
                        z[2] = z[2].isoformat()
                    zeros.append(z)
        out.table(
            "disasters",
            f"{label}_{jur.name}.csv",
            header,
            cells + zeros,
            fmt=enc,
            created=datetime(2000, 1, 1),
            zero=len(zeros),
        )
    for year in YEARS:
        recs = sorted((r for r in final if r.start.year == year), key=lambda r: (r.start, r.event_id, r.code))
        if not recs:
            continue
        kha = jur.code == "150781" and year in (2019, 2020, 2021)
        yi = jur.code == "510802" and year in (2022, 2023)
        hdr = list(DIS_CANON)
        if kha:
            hdr[11] = "农作物受灾面积（千公顷）"
        if yi:
            hdr[16] = "直接经济损失（亿元）"
        filed = max(r.reported_date for r in recs)
        out.table(
            "disasters",
            f"{year}年核报_{jur.name}.xlsx",
            hdr,
            [disaster_cells(r, kha=kha, yi=yi, style="A") for r in recs],
            fmt="xlsx",
            created=datetime(filed.year, filed.month, filed.day, 10, 0),
            title=[f"{year}年自然灾害损失统计（核报）", f"填报单位：{jur.name}应急管理局"],
            footer=["填表人：", "审核人："],
        )


# --- forest fires ----------------------------------------------------------------------------
FIRE_CANON = [
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
FIRE_ALIAS = [
    "火灾编号",
    "起火时间",
    "行政区划代码",
    "行政区划名称",
    "过火面积",
    "受害森林面积",
    "火灾等级",
    "死亡人数",
    "受伤人数",
    "填报日期",
]


def _fire_batch(d: date) -> str:
    if d.year < CURRENT_YEAR:
        return f"{d.year}年"
    if d.month <= 8:
        return f"{d.year}年1-8月"
    return f"{d.year}年{d.month}月"


def write_fires(
    out: Out, rng: random.Random, jur: Jurisdiction, fires: list[Fire], revisions: list[Fire]
) -> None:
    xlsx = jur.code in ("360281", "230500")
    header = FIRE_CANON if xlsx else FIRE_ALIAS
    covered = {(f.code, f.occurred.year, f.occurred.month) for f in fires}
    by_batch: dict[str, list[Fire]] = defaultdict(list)
    for f in fires:
        by_batch[_fire_batch(f.occurred.date())].append(f)
    for f in revisions:
        by_batch[_fire_batch(f.reported_date)].append(f)
    labels = sorted({_fire_batch(date(y, m, 1)) for y in (*YEARS, CURRENT_YEAR) for m in months_of(y)})
    for label in labels:
        y = int(label[:4])
        if label.endswith("年"):
            months = [(y, m) for m in range(1, 13)]
        else:
            a, _, b = label[5:].rstrip("月").partition("-")
            months = [(y, m) for m in range(int(a), int(b or a) + 1)]
        recs = sorted(by_batch.get(label, []), key=lambda f: (f.occurred, f.id, f.reported_date))
        rows: list[list[Cell]] = [
            [
                f.id,
                f.occurred if xlsx else fmt_dt("D", f.occurred),
                f.code,
                f.name,
                f.burned,
                f.damaged,
                f.grade,
                f.deaths,
                f.injuries,
                f.reported_date if xlsx else f.reported_date.isoformat(),
            ]
            for f in recs
        ]
        zeros = []
        for u in jur.units:
            for yy, m in months:
                if not is_missing(u.code, "forest_fires", yy, m) and (u.code, yy, m) not in covered:
                    z: list[Cell] = [""] * len(header)
                    z[0], z[2], z[1] = ZERO, u.code, f"{yy}-{m:02d}"
                    zeros.append(z)
        last = months[-1]
        filed = date(last[0], last[1], days_in_month(*last)) if y < CURRENT_YEAR else date(2026, 11, 3)
        if xlsx:
            out.table(
                "forest_fires",
                f"{label}_{jur.name}.xlsx",
                header,
                rows + zeros,
                fmt="xlsx",
                created=datetime(filed.year, filed.month, filed.day, 11, 0),
                title=[f"{label}森林火灾台账", f"填报单位：{jur.name}应急管理局"],
                footer=["填表人："],
                zero=len(zeros),
            )
        else:
            out.table(
                "forest_fires",
                f"{label}_{jur.name}.csv",
                header,
                rows + zeros,
                fmt="utf-8",
                created=datetime(2000, 1, 1),
                zero=len(zeros),
            )


# --- statistics ------------------------------------------------------------------------------
STAT_MEASURES = ("gdp", "population", "workers", "vehicles", "coal", "forest")
STAT_CANON = [
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
STAT_ALIAS = [
    "行政区划代码",
    "地区",
    "统计年度",
    "GDP（亿元）",
    "常住人口（万人）",
    "工矿商贸从业人员（万人）",
    "营运车辆数",
    "原煤产量（万吨）",
    "森林面积（公顷）",
    "数据状态",
    "填报日期",
]


def allocate(total: float, weights: Sequence[float], decimals: int) -> list[float]:
    """Split a total over units so that the rounded parts add up exactly to the rounded total."""
    scale = 10**decimals
    whole = round(total * scale)
    wsum = sum(weights)
    if wsum == 0:
        return [0.0] * len(weights)
    raw = [whole * w / wsum for w in weights]
    parts = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in order[: whole - sum(parts)]:
        parts[i] += 1
    return [p / scale for p in parts]


DECIMALS = {"gdp": 2, "population": 2, "workers": 2, "vehicles": 0, "coal": 1, "forest": 0}


def unit_values(rng: random.Random, jur: Jurisdiction) -> dict[tuple[str, int, str], float]:
    """Denominators per unit, year and measure (the 年报/初步核算 vintage)."""
    out: dict[tuple[str, int, str], float] = {}
    for measure in jur.measures:
        for year in YEARS:
            total = jur.totals[measure][year]
            if measure == "gdp":
                w = [u.gdp for u in jur.units]
            elif measure == "coal":
                w = [u.coal for u in jur.units]
            elif measure == "forest":
                w = [u.forest for u in jur.units]
            elif measure == "workers":
                w = [
                    (u.pop / sum(x.pop for x in jur.units) + u.gdp / sum(x.gdp for x in jur.units))
                    for u in jur.units
                ]
            else:
                w = [u.pop for u in jur.units]
            w = [x * (1 + rng.uniform(-0.02, 0.02)) if x else 0.0 for x in w]
            dec = DECIMALS[measure]
            if measure == "workers" and jur.code == "150781":
                dec = 4
            for u, v in zip(jur.units, allocate(total, w, dec), strict=True):
                out[(u.code, year, measure)] = v
    return out


def _stat_cell(measure: str, v: float | None, thousands: bool) -> Cell:
    if v is None:
        return ""
    if measure in ("vehicles", "forest"):
        iv = int(round(v))
        return f"{iv:,}" if thousands else iv
    return fmt_num(v, 4)


def write_statistics(
    out: Out,
    jurs: list[Jurisdiction],
    values: dict[tuple[str, int, str], float],
    revised: dict[tuple[str, int], float],
) -> None:
    for year in YEARS:
        status = {2024: "初步核算", 2025: "初步核算", 2016: ""}.get(year, "年报")
        filed = date(year + 1, 3, 15) if year < 2025 else date(2026, 3, 10)
        alias = year in (2018, 2019, 2022)
        header = list(STAT_ALIAS if alias else STAT_CANON)
        gdp_wan = year == 2017
        if gdp_wan:
            header[3] = "地区生产总值（万元）"
        rows: list[list[Cell]] = []
        for jur in jurs:
            for u in jur.units:
                row: list[Cell] = [u.code, u.name, year]
                for m in STAT_MEASURES:
                    v = values.get((u.code, year, m)) if m in jur.measures else None
                    if m == "gdp" and gdp_wan and v is not None:
                        row.append(int(round(v * 10000)))
                    else:
                        row.append(_stat_cell(m, v, thousands=year in (2019, 2021, 2023)))
                row += [status, filed.isoformat()]
                rows.append(row)
        if year <= 2019:
            enc = "gb18030" if year <= 2017 else "utf-8-sig"
            out.table(
                "statistics", f"{year}年社会经济统计.csv", header, rows, fmt=enc, created=datetime(2000, 1, 1)
            )
        else:
            out.table(
                "statistics",
                f"{year}年社会经济统计.xlsx",
                header,
                rows,
                fmt="xlsx",
                created=datetime(filed.year, filed.month, filed.day, 9, 30),
                title=[f"{year}年社会经济统计（应急管理指标分母）", "单位：见各列"],
                footer=["填表人：", "审核人："],
            )
    # the GDP revision: 2024 初步核算 -> 最终核实, GDP only (other cells empty: not supplied)
    rows = []
    for jur in jurs:
        for u in jur.units:
            rows.append(
                [
                    u.code,
                    u.name,
                    2024,
                    fmt_num(revised[(u.code, 2024)], 2),
                    "",
                    "",
                    "",
                    "",
                    "",
                    "最终核实",
                    "2025-12-20",
                ]
            )
    out.table(
        "statistics",
        "2024年地区生产总值最终核实.csv",
        STAT_CANON,
        rows,
        fmt="utf-8-sig",
        created=datetime(2000, 1, 1),
    )


# --- capabilities ----------------------------------------------------------------------------
def write_capabilities(out: Out) -> None:
    header = ["行政区划代码", "年份", "指标", "数值", "填报日期"]
    for year in range(2020, 2026):
        rows: list[list[Cell]] = []
        for code, inds in CAPABILITIES.items():
            for ind, series in inds.items():
                name = CAPABILITY_NAMES[ind] if year % 2 == 0 else ind
                v = series[year]
                val: Cell = f"{fmt_num(v, 1)}%" if (ind.endswith("_pct") and year >= 2023) else fmt_num(v, 1)
                rows.append([code, year, name, val, f"{year + 1}-01-20"])
        if year == 2023:
            out.table(
                "capabilities",
                f"{year}年应急能力建设指标.xlsx",
                header,
                rows,
                fmt="xlsx",
                created=datetime(2024, 1, 20, 9, 0),
                title=["2023年应急能力建设指标"],
            )
        else:
            out.table(
                "capabilities",
                f"{year}年应急能力建设指标.csv",
                header,
                rows,
                fmt="gb18030" if year == 2021 else "utf-8",
                created=datetime(2000, 1, 1),
            )
