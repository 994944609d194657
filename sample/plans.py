# ruff: noqa: E501  (tables of Chinese text are wide)
"""The sample's plan tables (data_raw/plans/, docs/spec/plans.md).

- The five published 14th plans (2021–2025, base 2020): their main indicator tables as
  transcribed from docs/plans/ (the targets of docs/spec/plan_targets.csv), one file each, in
  the forms bureaus use (a workbook with a title row, CSV in GB18030 and UTF-8, header aliases,
  Chinese words or codes for the closed lists, targets written with % signs, baselines as
  printed).
- Illustrative 15th plans (2026–2030, base 2025) for the same five places, marked 示例 in their
  name: no 15th plan of these places is transcribed here, so their targets are assumptions of
  the right form and size (deaths −10% by 2030, deaths per 亿元 GDP −20%, 年均 disaster deaths per
  million below 1, …). 双鸭山's is given twice, an earlier version and a revision with a later
  版本日期 (which supersedes it; the earlier one stays queryable).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pipelines.enumerations import COMPARATOR_ZH, EVALUATION_ZH, PLAN_ATTRIBUTE_ZH, TARGET_KIND_ZH

from .layout import Out
from .writers import Cell

CANON = [
    "规划编号", "规划名称", "行政区划代码", "规划期起始年", "规划期终止年", "基期年", "序号", "指标名称",
    "指标代码", "目标类型", "比较符", "目标值", "单位", "基期值", "指标属性", "评价方式", "版本日期", "备注",
]
ALIASES = [
    "规划代号", "规划名称", "行政区划代码", "起始年", "终止年", "基准年", "序号", "指标", "指标代码",
    "目标类型", "比较符", "目标值", "单位", "规划文本基期值", "属性", "评价方式", "印发日期", "备注",
]
# A plan written in words uses the seeds' Chinese words (pipelines/enumerations.py); an attribute
# the plan does not state is an empty cell.
KIND_ZH = TARGET_KIND_ZH
ATTRIBUTE_ZH = PLAN_ATTRIBUTE_ZH | {"unspecified": ""}


@dataclass(frozen=True)
class Target:
    seq: int
    code: str
    printed: str
    kind: str  # decline_pct / upper_bound / lower_bound / curb
    comparator: str  # < <= > >= or ""
    value: str  # as printed ("15", "0.9"), "" for a curb
    unit: str
    attribute: str  # binding / expected / unspecified
    evaluation: str  # end_vs_base / period_mean / latest
    baseline: str = ""  # 基期值 as printed
    note: str = ""


@dataclass(frozen=True)
class PlanFile:
    file_name: str
    plan_id: str
    name: str
    region: str
    years: tuple[int, int, int]  # first, last, base
    version: str  # 版本日期, "" when the plan text gives none
    targets: tuple[Target, ...]
    fmt: str  # xlsx / utf-8 / utf-8-sig / gb18030
    style: str = "words"  # words: Chinese words for the closed lists; codes: the codes; aliases: alias headers
    title: tuple[str, ...] = ()


T = Target
CURB_NOTE = "规划表述为“有效遏制”，无量化目标"
# --- the published 14th plans (docs/plans/, transcribed in docs/spec/plan_targets.csv) -----------
PLANS_14 = (
    PlanFile(
        "双鸭山市应急体系建设“十四五”规划主要指标.xlsx", "14fyp", "双鸭山市应急体系建设“十四五”规划", "230500",
        (2021, 2025, 2020), "2022-12-30",
        (
            T(1, "safety_deaths", "生产安全事故死亡人数", "decline_pct", ">=", "15", "%", "binding", "end_vs_base"),
            T(2, "larger_and_above_accidents", "重大较大生产安全事故起数", "curb", "", "", "", "binding", "end_vs_base",
              note=CURB_NOTE),
            T(3, "deaths_per_100m_gdp", "单位生产总值生产安全事故死亡率", "decline_pct", ">=", "33", "%", "binding", "end_vs_base"),
            T(4, "industrial_deaths_per_100k_workers", "工矿商贸就业人员十万人生产安全事故死亡率", "decline_pct", ">=", "20", "%",
              "binding", "end_vs_base"),
            T(5, "operating_vehicle_deaths_per_10k", "营运车辆万车死亡率", "decline_pct", ">=", "10", "%", "binding", "end_vs_base"),
            T(6, "coal_deaths_per_mt", "煤矿百万吨死亡率", "decline_pct", ">=", "10", "%", "binding", "end_vs_base"),
            T(7, "disaster_deaths_per_million", "年均每百万人口因自然灾害死亡率", "upper_bound", "<", "1", "人/百万人", "expected",
              "period_mean"),
            T(8, "disaster_affected_per_100k", "年均每十万人受灾人次", "upper_bound", "<", "15000", "人次/十万人", "expected",
              "period_mean"),
            T(9, "disaster_loss_pct_gdp", "年均因自然灾害直接经济损失占全市生产总值比例", "upper_bound", "<", "1", "%", "expected",
              "period_mean"),
        ),
        "xlsx", "words", ("双鸭山市应急体系建设“十四五”规划主要指标", "填报单位：双鸭山市应急管理局"),
    ),
    PlanFile(
        "利州区十四五应急体系规划指标.csv", "14fyp", "广元市利州区“十四五”应急体系规划", "510802",
        (2021, 2025, 2020), "2022-11-29",
        (
            T(1, "safety_deaths", "生产安全事故死亡人数", "decline_pct", ">=", "5", "%", "binding", "end_vs_base"),
            T(2, "deaths_per_100m_gdp", "单位全区生产总值生产安全事故死亡率", "decline_pct", ">=", "15", "%", "binding", "end_vs_base"),
            T(3, "industrial_deaths_per_100k_workers", "工矿商贸就业人员十万人生产安全事故死亡率", "decline_pct", ">=", "10", "%",
              "binding", "end_vs_base"),
            T(4, "disaster_loss_pct_gdp", "年均因自然灾害直接经济损失占全区生产总值比例", "upper_bound", "<", "1", "%", "expected",
              "period_mean"),
            T(5, "disaster_deaths_per_million", "年均每百万人口因自然灾害死亡率", "upper_bound", "<", "1", "人/百万人", "expected",
              "period_mean"),
            T(6, "disaster_affected_per_100k", "年均每十万人受灾人次", "upper_bound", "<", "15000", "人次/十万人", "expected",
              "period_mean"),
        ),
        "gb18030", "aliases",
    ),
    PlanFile(
        "衡水市“十四五”应急管理体系规划主要指标.xlsx", "14fyp", "衡水市“十四五”应急管理体系规划", "131100",
        (2021, 2025, 2020), "2022-03-26",
        (
            T(1, "safety_deaths", "生产安全事故死亡人数", "decline_pct", ">=", "15", "%", "binding", "end_vs_base"),
            T(2, "major_and_above_accidents", "重特大生产安全事故起数", "curb", "", "", "", "binding", "end_vs_base",
              note=CURB_NOTE),
            T(3, "deaths_per_100m_gdp", "亿元地区生产总值生产安全事故死亡率", "decline_pct", ">=", "33", "%", "binding", "end_vs_base"),
            T(4, "industrial_deaths_per_100k_workers", "工矿商贸就业人员十万人生产安全事故死亡率", "decline_pct", ">=", "22", "%",
              "binding", "end_vs_base"),
            T(5, "disaster_deaths_per_million", "年均每百万人口因自然灾害死亡率", "upper_bound", "<", "1", "人/百万人", "expected",
              "period_mean"),
            T(6, "disaster_affected_per_100k", "年均每十万人受灾人次", "upper_bound", "<=", "15000", "人次/十万人", "expected",
              "period_mean", note="原文为“15000”，未写比较符，按上限（≤）理解"),
            T(7, "disaster_loss_pct_gdp", "年均因自然灾害直接经济损失占地区生产总值比例", "upper_bound", "<", "1", "%", "expected",
              "period_mean"),
            T(8, "enforcement_equipment_compliance_pct", "县级以上应急管理部门行政执法装备配备达标率", "lower_bound", ">=", "85",
              "%", "expected", "latest"),
            T(9, "warning_coverage_pct", "灾害预警信息发布公众覆盖率", "lower_bound", ">=", "95", "%", "expected", "latest"),
            T(10, "relief_time_hours", "灾害事故发生后受灾人员基本生活得到有效救助时间", "upper_bound", "<=", "10", "小时",
              "expected", "latest", note="原文为“10小时以内”"),
            T(11, "professional_staff_pct", "县级以上应急管理部门专业人才占比", "lower_bound", ">=", "60", "%", "expected", "latest"),
            T(12, "new_worker_training_pct", "重点行业规模以上企业新增从业人员安全技能培训率", "lower_bound", ">=", "100", "%",
              "expected", "latest"),
        ),
        "xlsx", "words",
    ),
    PlanFile(
        "乐平市十四五应急体系规划主要指标.csv", "14fyp", "乐平市“十四五”应急体系规划", "360281",
        (2021, 2025, 2020), "",
        (
            T(1, "safety_deaths", "生产安全事故死亡人数", "decline_pct", ">=", "15", "%", "unspecified", "end_vs_base",
              note="规划未注明约束性或预期性"),
            T(2, "larger_accidents", "较大生产安全事故起数", "decline_pct", ">=", "15", "%", "unspecified", "end_vs_base"),
            T(3, "deaths_per_100m_gdp", "亿元生产总值生产安全事故死亡率", "decline_pct", ">=", "30", "%", "unspecified", "end_vs_base"),
            T(4, "industrial_deaths_per_100k_workers", "工矿商贸就业人员十万人生产安全事故死亡率", "decline_pct", ">=", "20", "%",
              "unspecified", "end_vs_base", note="原文为“20%”，未写方向，按下降理解"),
            T(5, "disaster_loss_pct_gdp", "年均因自然灾害直接经济损失占全市生产总值", "upper_bound", "<", "1", "%", "unspecified",
              "period_mean"),
            T(6, "disaster_deaths_per_million", "年均每百万人口因自然灾害死亡率", "upper_bound", "<", "1", "人/百万人", "unspecified",
              "period_mean"),
            T(7, "relief_time_hours", "自然灾害发生后受灾人员基本生活得到有效救助的时间", "upper_bound", "<", "10", "小时",
              "unspecified", "latest"),
            T(8, "forest_fire_damage_permille", "森林火灾受害率", "upper_bound", "<", "0.9", "‰", "unspecified", "period_mean"),
        ),
        "utf-8-sig", "codes",
    ),
    PlanFile(
        "满洲里市十四五应急体系规划主要目标.csv", "14fyp", "满洲里“十四五”应急体系规划", "150781",
        (2021, 2025, 2020), "",
        (
            T(1, "safety_deaths", "生产安全事故死亡人数", "decline_pct", ">=", "15", "%", "binding", "end_vs_base", "3人"),
            T(2, "safety_accidents", "生产安全事故起数", "decline_pct", ">=", "15", "%", "binding", "end_vs_base", "3次"),
            T(3, "deaths_per_100m_gdp", "亿元国内生产总值生产安全事故死亡率", "decline_pct", ">=", "33", "%", "binding", "end_vs_base",
              "0.0172%", note="基期值原文为“0.0172%”，单位实为人/亿元"),
            T(4, "industrial_deaths_per_100k_workers", "工矿商贸就业人员10万人生产安全事故死亡率", "decline_pct", ">=", "33", "%",
              "binding", "end_vs_base", "1.474"),
            T(5, "enforcement_equipment_compliance_pct", "应急管理部门行政执法装备配备达标率", "lower_bound", ">=", "100", "%",
              "expected", "latest", "-"),
            T(6, "relief_time_hours", "灾害事故发生后受灾人员基本生活得到有效救助", "upper_bound", "<=", "10", "小时", "expected",
              "latest", "≤12小时"),
        ),
        "utf-8", "words",
    ),
)

# --- illustrative 15th plans (示例): assumptions of the right form and size -----------------------
SHUANGYASHAN_15 = (
    T(1, "safety_deaths", "生产安全事故死亡人数", "decline_pct", ">=", "10", "%", "binding", "end_vs_base"),
    T(2, "larger_and_above_accidents", "较大及以上生产安全事故起数", "curb", "", "", "", "binding", "end_vs_base", note=CURB_NOTE),
    T(3, "deaths_per_100m_gdp", "亿元生产总值生产安全事故死亡率", "decline_pct", ">=", "20", "%", "binding", "end_vs_base"),
    T(4, "industrial_deaths_per_100k_workers", "工矿商贸就业人员十万人生产安全事故死亡率", "decline_pct", ">=", "15", "%",
      "binding", "end_vs_base"),
    T(5, "coal_deaths_per_mt", "煤矿百万吨死亡率", "decline_pct", ">=", "10", "%", "binding", "end_vs_base"),
    T(6, "disaster_deaths_per_million", "年均每百万人口因自然灾害死亡率", "upper_bound", "<", "1", "人/百万人", "expected",
      "period_mean"),
    T(7, "disaster_loss_pct_gdp", "年均因自然灾害直接经济损失占全市生产总值比例", "upper_bound", "<", "1", "%", "expected",
      "period_mean"),
)
PLANS_15 = (
    PlanFile(
        "双鸭山市“十五五”规划主要指标（示例，2026年1月）.csv", "15fyp", "双鸭山市应急体系建设“十五五”规划（示例）", "230500",
        (2026, 2030, 2025), "2026-01-20",
        tuple(t for t in SHUANGYASHAN_15 if t.seq != 5)
        + (T(5, "coal_deaths_per_mt", "煤矿百万吨死亡率", "decline_pct", ">=", "5", "%", "binding", "end_vs_base"),),
        "utf-8", "words",
    ),
    PlanFile(
        "双鸭山市“十五五”规划主要指标（示例，2026年9月修订）.xlsx", "15fyp", "双鸭山市应急体系建设“十五五”规划（示例）",
        "230500", (2026, 2030, 2025), "2026-09-15", SHUANGYASHAN_15,
        "xlsx", "words", ("双鸭山市应急体系建设“十五五”规划主要指标（示例，修订）", "填报单位：双鸭山市应急管理局"),
    ),
    PlanFile(
        "利州区“十五五”规划主要指标（示例）.csv", "15fyp", "广元市利州区“十五五”应急体系规划（示例）", "510802",
        (2026, 2030, 2025), "2026-03-10",
        (
            T(1, "safety_deaths", "生产安全事故死亡人数", "decline_pct", ">=", "10", "%", "binding", "end_vs_base"),
            T(2, "deaths_per_100m_gdp", "亿元生产总值生产安全事故死亡率", "decline_pct", ">=", "20", "%", "binding", "end_vs_base"),
            T(3, "industrial_deaths_per_100k_workers", "工矿商贸就业人员十万人生产安全事故死亡率", "decline_pct", ">=", "15", "%",
              "binding", "end_vs_base"),
            T(4, "disaster_deaths_per_million", "年均每百万人口因自然灾害死亡率", "upper_bound", "<", "1", "人/百万人", "expected",
              "period_mean"),
            T(5, "disaster_loss_pct_gdp", "年均因自然灾害直接经济损失占全区生产总值比例", "upper_bound", "<", "1", "%", "expected",
              "period_mean"),
        ),
        "gb18030", "aliases",
    ),
    PlanFile(
        "衡水市“十五五”规划主要指标（示例）.xlsx", "15fyp", "衡水市“十五五”应急管理体系规划（示例）", "131100",
        (2026, 2030, 2025), "2026-02-28",
        (
            T(1, "safety_deaths", "生产安全事故死亡人数", "decline_pct", ">=", "10", "%", "binding", "end_vs_base"),
            T(2, "larger_and_above_accidents", "年均较大及以上生产安全事故起数", "upper_bound", "<=", "1", "起", "binding",
              "period_mean"),
            T(3, "deaths_per_100m_gdp", "亿元地区生产总值生产安全事故死亡率", "decline_pct", ">=", "20", "%", "binding", "end_vs_base"),
            T(4, "industrial_deaths_per_100k_workers", "工矿商贸就业人员十万人生产安全事故死亡率", "decline_pct", ">=", "15", "%",
              "binding", "end_vs_base"),
            T(5, "disaster_deaths_per_million", "年均每百万人口因自然灾害死亡率", "upper_bound", "<", "1", "人/百万人", "expected",
              "period_mean"),
            T(6, "disaster_loss_pct_gdp", "年均因自然灾害直接经济损失占地区生产总值比例", "upper_bound", "<", "1", "%", "expected",
              "period_mean"),
            T(7, "warning_coverage_pct", "灾害预警信息发布公众覆盖率", "lower_bound", ">=", "98", "%", "expected", "latest"),
            T(8, "relief_time_hours", "灾害事故发生后受灾人员基本生活得到有效救助时间", "upper_bound", "<=", "8", "小时",
              "expected", "latest"),
            T(9, "professional_staff_pct", "县级以上应急管理部门专业人才占比", "lower_bound", ">=", "65", "%", "expected", "latest"),
        ),
        "xlsx", "words",
    ),
    PlanFile(
        "乐平市“十五五”规划主要指标（示例）.csv", "15fyp", "乐平市“十五五”应急体系规划（示例）", "360281",
        (2026, 2030, 2025), "2026-04-15",
        (
            T(1, "safety_deaths", "生产安全事故死亡人数", "decline_pct", ">=", "10", "%", "binding", "end_vs_base"),
            T(2, "deaths_per_100m_gdp", "亿元生产总值生产安全事故死亡率", "decline_pct", ">=", "20", "%", "binding", "end_vs_base"),
            T(3, "disaster_deaths_per_million", "年均每百万人口因自然灾害死亡率", "upper_bound", "<", "1", "人/百万人", "expected",
              "period_mean"),
            T(4, "forest_fire_damage_permille", "年均森林火灾受害率", "upper_bound", "<", "0.9", "‰", "expected", "period_mean"),
            T(5, "relief_time_hours", "自然灾害发生后受灾人员基本生活得到有效救助的时间", "upper_bound", "<", "8", "小时",
              "expected", "latest"),
        ),
        "utf-8-sig", "codes",
    ),
    PlanFile(
        "满洲里市“十五五”规划主要目标（示例）.csv", "15fyp", "满洲里“十五五”应急体系规划（示例）", "150781",
        (2026, 2030, 2025), "2026-05-20",
        (
            T(1, "safety_deaths", "生产安全事故死亡人数", "decline_pct", ">=", "10", "%", "binding", "end_vs_base"),
            T(2, "safety_accidents", "生产安全事故起数", "decline_pct", ">=", "10", "%", "binding", "end_vs_base"),
            T(3, "deaths_per_100m_gdp", "亿元国内生产总值生产安全事故死亡率", "decline_pct", ">=", "20", "%", "binding", "end_vs_base"),
            T(4, "enforcement_equipment_compliance_pct", "应急管理部门行政执法装备配备达标率", "lower_bound", ">=", "100", "%",
              "expected", "latest"),
            T(5, "relief_time_hours", "灾害事故发生后受灾人员基本生活得到有效救助", "upper_bound", "<=", "8", "小时", "expected",
              "latest"),
        ),
        "utf-8", "words",
    ),
)
PLAN_FILES = PLANS_14 + PLANS_15

# --- the national-scale data: the same standard targets for every prefecture (all synthetic) -----
STANDARD_14 = (
    T(1, "safety_deaths", "生产安全事故死亡人数", "decline_pct", ">=", "15", "%", "binding", "end_vs_base"),
    T(2, "larger_and_above_accidents", "重大较大生产安全事故起数", "curb", "", "", "", "binding", "end_vs_base"),
    T(3, "deaths_per_100m_gdp", "亿元生产总值生产安全事故死亡率", "decline_pct", ">=", "33", "%", "binding", "end_vs_base"),
    T(4, "industrial_deaths_per_100k_workers", "工矿商贸就业人员十万人生产安全事故死亡率", "decline_pct", ">=", "20", "%",
      "binding", "end_vs_base"),
    T(5, "disaster_deaths_per_million", "年均每百万人口因自然灾害死亡率", "upper_bound", "<", "1", "人/百万人", "expected",
      "period_mean"),
    T(6, "disaster_affected_per_100k", "年均每十万人受灾人次", "upper_bound", "<", "15000", "人次/十万人", "expected",
      "period_mean"),
    T(7, "disaster_loss_pct_gdp", "年均因自然灾害直接经济损失占地区生产总值比例", "upper_bound", "<", "1", "%", "expected",
      "period_mean"),
)
STANDARD_15 = (
    T(1, "safety_deaths", "生产安全事故死亡人数", "decline_pct", ">=", "10", "%", "binding", "end_vs_base"),
    T(2, "larger_and_above_accidents", "较大及以上生产安全事故起数", "curb", "", "", "", "binding", "end_vs_base"),
    T(3, "deaths_per_100m_gdp", "亿元生产总值生产安全事故死亡率", "decline_pct", ">=", "20", "%", "binding", "end_vs_base"),
    T(4, "industrial_deaths_per_100k_workers", "工矿商贸就业人员十万人生产安全事故死亡率", "decline_pct", ">=", "15", "%",
      "binding", "end_vs_base"),
    T(5, "disaster_deaths_per_million", "年均每百万人口因自然灾害死亡率", "upper_bound", "<", "1", "人/百万人", "expected",
      "period_mean"),
    T(6, "disaster_loss_pct_gdp", "年均因自然灾害直接经济损失占地区生产总值比例", "upper_bound", "<", "1", "%", "expected",
      "period_mean"),
)
# (plan code, period as printed in the name, (first, last, base), targets)
NATIONAL_PLANS = (
    ("14fyp", "“十四五”", (2021, 2025, 2020), STANDARD_14),
    ("15fyp", "“十五五”（示例）", (2026, 2030, 2025), STANDARD_15),
)


def plan_cells(plan: PlanFile, t: Target) -> list[Cell]:
    """One row of a plan table, in the plan file's style."""
    words = plan.style == "words"
    value = f"{t.value}%" if (t.value and t.kind == "decline_pct" and words) else t.value
    first, last, base = plan.years
    return [
        plan.plan_id, plan.name, plan.region, first, last, base, t.seq, t.printed, t.code,
        KIND_ZH[t.kind] if words else t.kind,
        COMPARATOR_ZH.get(t.comparator, t.comparator) if words else t.comparator,
        value, t.unit, t.baseline,
        ATTRIBUTE_ZH[t.attribute] if words else ("" if t.attribute == "unspecified" else t.attribute),
        EVALUATION_ZH[t.evaluation] if words else t.evaluation,
        plan.version, t.note,
    ]


def write_plans(out: Out) -> None:
    for plan in PLAN_FILES:
        header = ALIASES if plan.style == "aliases" else CANON
        rows = [plan_cells(plan, t) for t in plan.targets]
        created = datetime.fromisoformat(plan.version) if plan.version else datetime(2022, 6, 30)
        out.table("plans", plan.file_name, header, rows, fmt=plan.fmt, created=created, title=plan.title)
