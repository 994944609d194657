"""Per-source column specifications (``columns.py``: Col, SourceSpec): canonical headers,
aliases, cell kinds, unit families, record keys.

How a header written in a file is matched to a column (spacing, brackets, other units) is in
``headers.py``; the rules of each cell kind in ``column_rules.py``.
"""

from __future__ import annotations

from pipelines.enumerations import (
    ACCIDENT_TYPES,
    COMPARATOR_ZH,
    COMPARATORS,
    COUNT_INDICATORS,  # noqa: F401 - the quotas' validator imports it from here
    DATA_STATUSES,
    EVALUATION_ZH,
    EVALUATIONS,
    HAZARDS,
    INDICATOR_CODES,  # noqa: F401 - the plans' validator imports it from here
    MEASURES,
    PLAN_ATTRIBUTE_ZH,
    PLAN_ATTRIBUTES,
    RECORD_STATUSES,
    REPORT_STAGES,
    SECTORS,
    SEVERITIES_ZH,
    TARGET_KIND_ZH,
    TARGET_KINDS,
)
from pipelines.ingest.columns import Col, SourceSpec

# The lists of codes live in the dbt seeds (pipelines/enumerations.py); the aliases a file may
# use for them are the loaders' own knowledge and stay here.
SECTOR_ALIASES = {
    "危险化学品": "化工（危险化学品）",
    "化工": "化工（危险化学品）",
    "危化品": "化工（危险化学品）",
}
ACCIDENT_TYPE_ALIASES = {"其他爆炸": "其它爆炸", "其他伤害": "其它伤害", "中毒窒息": "中毒和窒息"}
SEVERITIES = SEVERITIES_ZH
SEVERITY_ALIASES = (
    {f"{s}事故": s for s in SEVERITIES}
    | {f"{s}火灾": s for s in SEVERITIES}
    | {f"{s}森林火灾": s for s in SEVERITIES}
)
HAZARD_ALIASES = {"其它": "其他", "低温冷冻和雪灾": "低温冷冻"}
STAGES = REPORT_STAGES
STATUSES = RECORD_STATUSES
YES_NO = {"是": True, "否": False}

ZERO_REPORT_TOKEN = "零报告"


def _c(name, header, kind, aliases=(), **kw) -> Col:
    return Col(name=name, header=header, kind=kind, aliases=tuple(aliases), **kw)


REGION_CODE = _c("region_code", "行政区划代码", "code", ["区划代码", "行政区划编码", "区划编码"])

SPECS: dict[str, SourceSpec] = {
    "accidents": SourceSpec(
        source="accidents",
        key=("accident_id",),
        key_column="accident_id",
        zero_date_column="occurred_at",
        columns=(
            _c("accident_id", "事故编号", "text", ["编号"], required=True, mandatory=True, detect=True),
            _c(
                "occurred_at",
                "发生时间",
                "datetime",
                ["事故发生时间", "发生日期"],
                required=True,
                mandatory=True,
                detect=True,
            ),
            REGION_CODE,
            _c("region_name", "行政区划名称", "region_name", ["发生地区", "地区"]),
            _c("unit_name", "单位名称", "text", ["事故单位"]),
            _c(
                "sector",
                "行业领域",
                "enum",
                ["统计行业领域"],
                required=True,
                mandatory=True,
                detect=True,
                values=SECTORS,
                value_aliases=SECTOR_ALIASES,
            ),
            _c("industry_code", "国民经济行业代码", "text", ["行业代码"]),
            _c(
                "accident_type",
                "事故类别",
                "enum",
                values=ACCIDENT_TYPES,
                value_aliases=ACCIDENT_TYPE_ALIASES,
            ),
            _c("deaths", "死亡人数", "count", ["死亡"], unit_family="count", mandatory=True),
            _c("missing", "失踪人数", "count", ["失踪", "下落不明人数"], unit_family="count", mandatory=True),
            _c(
                "serious_injuries",
                "重伤人数",
                "count",
                ["重伤（含急性工业中毒）", "重伤"],
                unit_family="count",
                mandatory=True,
            ),
            _c("minor_injuries", "轻伤人数", "count", ["轻伤"], unit_family="count"),
            _c(
                "direct_loss_10k_yuan",
                "直接经济损失（万元）",
                "amount",
                ["经济损失"],
                unit_family="money_10k",
                mandatory=True,
            ),
            _c(
                "reported_severity",
                "事故等级",
                "enum",
                ["事故级别"],
                values=SEVERITIES,
                value_aliases=SEVERITY_ALIASES,
            ),
            _c("involves_operating_vehicle", "涉及营运车辆", "bool", ["营运车辆"]),
            _c("summary", "事故简况", "text", ["简要经过"]),
            _c("status", "状态", "enum", values=STATUSES, default="正常"),
            _c("reported_date", "填报日期", "date", ["上报日期"], required=True, mandatory=True, detect=True),
        ),
    ),
    "disasters": SourceSpec(
        source="disasters",
        key=("event_id", "region_code"),
        key_column="event_id",
        zero_date_column="start_date",
        columns=(
            _c("event_id", "灾害过程编号", "text", ["过程编号"], required=True, mandatory=True, detect=True),
            _c(
                "hazard",
                "灾种",
                "enum",
                ["灾害种类"],
                required=True,
                mandatory=True,
                detect=True,
                values=HAZARDS,
                value_aliases=HAZARD_ALIASES,
            ),
            _c("start_date", "开始日期", "date", ["发生日期"], required=True, mandatory=True, detect=True),
            _c("end_date", "结束日期", "date"),
            _c("region_code", "行政区划代码", "code", ["区划代码"]),
            _c("region_name", "行政区划名称", "region_name", ["地区"]),
            _c(
                "affected_person_times",
                "受灾人次",
                "count",
                ["受灾人口（人次）", "受灾人口"],
                unit_family="count",
                mandatory=True,
            ),
            _c("deaths", "死亡人数", "count", ["因灾死亡人数"], unit_family="count", mandatory=True),
            _c("missing", "失踪人数", "count", ["因灾失踪人数"], unit_family="count", mandatory=True),
            _c(
                "relocated_person_times",
                "紧急转移安置人次",
                "count",
                ["紧急转移安置人口"],
                unit_family="count",
                mandatory=True,
            ),
            _c(
                "needing_relief_person_times",
                "需紧急生活救助人次",
                "count",
                unit_family="count",
                mandatory=True,
            ),
            _c(
                "crop_affected_ha",
                "农作物受灾面积（公顷）",
                "area",
                ["农作物受灾面积"],
                unit_family="area_ha",
                mandatory=True,
            ),
            _c(
                "crop_failed_ha",
                "农作物绝收面积（公顷）",
                "area",
                ["绝收面积"],
                unit_family="area_ha",
                mandatory=True,
            ),
            _c(
                "houses_collapsed",
                "倒塌房屋（间）",
                "count",
                ["倒塌房屋"],
                unit_family="count",
                mandatory=True,
            ),
            _c("houses_severely_damaged", "严重损坏房屋（间）", "count", unit_family="count", mandatory=True),
            _c(
                "houses_generally_damaged", "一般损坏房屋（间）", "count", unit_family="count", mandatory=True
            ),
            _c(
                "direct_loss_10k_yuan",
                "直接经济损失（万元）",
                "amount",
                ["直接经济损失"],
                unit_family="money_10k",
                mandatory=True,
            ),
            _c(
                "report_stage", "报告阶段", "enum", ["报告类型"], required=True, mandatory=True, values=STAGES
            ),
            _c("reported_date", "填报日期", "date", required=True, mandatory=True, detect=True),
        ),
    ),
    "forest_fires": SourceSpec(
        source="forest_fires",
        key=("fire_id",),
        key_column="fire_id",
        zero_date_column="occurred_at",
        columns=(
            _c("fire_id", "火灾编号", "text", required=True, mandatory=True, detect=True),
            _c(
                "occurred_at",
                "发生时间",
                "datetime",
                ["起火时间"],
                required=True,
                mandatory=True,
                detect=True,
            ),
            _c("region_code", "行政区划代码", "code", ["区划代码"]),
            _c("region_name", "行政区划名称", "region_name", ["地区"]),
            _c(
                "burned_area_ha",
                "过火面积（公顷）",
                "area",
                ["过火面积"],
                unit_family="area_ha",
                mandatory=True,
            ),
            _c(
                "damaged_forest_ha",
                "受害森林面积（公顷）",
                "area",
                ["受害森林面积"],
                unit_family="area_ha",
                mandatory=True,
            ),
            _c("fire_grade", "火灾等级", "enum", values=SEVERITIES, value_aliases=SEVERITY_ALIASES),
            _c("deaths", "死亡人数", "count", unit_family="count", mandatory=True),
            _c("injuries", "受伤人数", "count", unit_family="count", mandatory=True),
            _c("reported_date", "填报日期", "date", required=True, mandatory=True, detect=True),
        ),
    ),
    "statistics": SourceSpec(
        source="statistics",
        key=("region_code", "year"),
        columns=(
            _c("region_code", "行政区划代码", "code", ["区划代码"]),
            _c("region_name", "行政区划名称", "region_name", ["地区"]),
            _c("year", "年份", "year", ["统计年度"], required=True, mandatory=True, detect=True),
            _c(
                "gdp_100m_yuan",
                "地区生产总值（亿元）",
                "measure",
                ["地区生产总值", "GDP（亿元）", "GDP"],
                unit_family="gdp_100m",
            ),
            _c(
                "population_10k",
                "年末常住人口（万人）",
                "measure",
                ["常住人口（万人）", "年末常住人口"],
                unit_family="people_10k",
            ),
            _c(
                "industrial_workers_10k",
                "工矿商贸就业人员（万人）",
                "measure",
                ["工矿商贸从业人员（万人）", "工矿商贸就业人员", "工矿商贸从业人员"],
                unit_family="people_10k",
            ),
            _c(
                "operating_vehicles",
                "营运车辆（辆）",
                "measure",
                ["营运车辆数", "营运车辆"],
                unit_family="vehicles",
            ),
            _c(
                "coal_output_10k_tonnes",
                "原煤产量（万吨）",
                "measure",
                ["原煤产量"],
                unit_family="coal_10k_t",
            ),
            _c("forest_area_ha", "森林面积（公顷）", "measure", ["森林面积"], unit_family="area_ha"),
            _c("data_status", "数据状态", "enum", values=tuple(DATA_STATUSES), default="年报"),
            _c("reported_date", "填报日期", "date"),
        ),
    ),
    "capabilities": SourceSpec(
        source="capabilities",
        key=("region_code", "year", "indicator_code"),
        columns=(
            _c("region_code", "行政区划代码", "code", ["区划代码"]),
            _c("region_name", "行政区划名称", "region_name", ["地区"]),
            _c("year", "年份", "year", ["统计年度"], required=True, mandatory=True, detect=True),
            _c(
                "indicator_code",
                "指标",
                "indicator",
                ["指标名称", "指标代码"],
                required=True,
                mandatory=True,
                detect=True,
            ),
            _c("value", "数值", "pct_number", ["指标值", "值"], required=True, mandatory=True, detect=True),
            _c("reported_date", "填报日期", "date"),
        ),
    ),
}

# The plans source (docs/spec/plans.md): the codes are seeds (pipelines/enumerations.py); a plan
# table may give the seed's Chinese word instead, or one of these other spellings.
TARGET_KIND_ALIASES = {zh: code for code, zh in TARGET_KIND_ZH.items()} | {"有效遏制": "curb"}
COMPARATOR_ALIASES = {zh: code for code, zh in COMPARATOR_ZH.items()} | {
    "＜＝": "<=", "＞＝": ">=", "≦": "<=", "≧": ">=",
}
ATTRIBUTE_ALIASES = {zh: code for code, zh in PLAN_ATTRIBUTE_ZH.items()}
EVALUATION_ALIASES = {zh: code for code, zh in EVALUATION_ZH.items()}

SPECS["plans"] = SourceSpec(
    source="plans",
    key=("plan_id", "region_code", "seq"),
    columns=(
        _c("plan_id", "规划编号", "plan_code", ["规划代号"], required=True, mandatory=True, detect=True),
        _c("plan_name", "规划名称", "text", required=True, mandatory=True),
        _c("region_code", "行政区划代码", "code", ["区划代码"], mandatory=True),
        _c("region_name", "行政区划名称", "region_name", ["地区"]),
        _c("start_year", "规划期起始年", "plan_year", ["起始年"], required=True, mandatory=True),
        _c("end_year", "规划期终止年", "plan_year", ["终止年", "目标年"], required=True, mandatory=True),
        _c("baseline_year", "基期年", "plan_year", ["基准年"], required=True, mandatory=True),
        _c("seq", "序号", "plan_seq", required=True, mandatory=True),
        _c("indicator_name_as_printed", "指标名称", "text", ["指标"], mandatory=True),
        _c("indicator_code", "指标代码", "plan_indicator", required=True, mandatory=True, detect=True),
        _c("target_kind", "目标类型", "plan_enum", required=True, mandatory=True, detect=True,
           values=TARGET_KINDS, value_aliases=TARGET_KIND_ALIASES),
        _c("comparator", "比较符", "plan_enum", mandatory=True, values=COMPARATORS,
           value_aliases=COMPARATOR_ALIASES),
        _c("target_value", "目标值", "target_number", mandatory=True),
        _c("unit", "单位", "text"),
        _c("baseline_value_printed", "基期值", "text", ["规划文本基期值"]),
        _c("attribute", "指标属性", "plan_enum", ["属性"], values=PLAN_ATTRIBUTES,
           value_aliases=ATTRIBUTE_ALIASES),
        _c("evaluation", "评价方式", "plan_enum", required=True, mandatory=True, values=EVALUATIONS,
           value_aliases=EVALUATION_ALIASES),
        _c("version_date", "版本日期", "date", ["印发日期"]),
        _c("note", "备注", "text"),
    ),
)

# The control quotas (docs/spec/monthly.md): one row per unit, year and count indicator; a later
# 下达日期 is an adjustment that replaces the earlier quota (decided in dbt, int_quota_versions).
SPECS["quotas"] = SourceSpec(
    source="quotas",
    key=("year", "region_code", "indicator_code"),
    dated_by="issued_date",
    columns=(
        _c("year", "年度", "quota_year", ["年份"], required=True, mandatory=True, detect=True),
        _c("region_code", "行政区划代码", "code", ["区划代码"], mandatory=True),
        _c("region_name", "行政区划名称", "region_name", ["地区"]),
        _c("indicator_code", "指标代码", "quota_indicator", required=True, mandatory=True, detect=True),
        _c("indicator_name_as_printed", "指标名称", "text", ["控制指标"]),
        _c("quota", "控制数", "quota_number", ["控制指标数"], required=True, mandatory=True, detect=True),
        _c("issued_date", "下达日期", "date", required=True, mandatory=True),
    ),
)

MEASURE_COLUMNS = MEASURES
