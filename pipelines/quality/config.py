"""Thresholds and reference lists of the quality gate: one place, changed here, read everywhere.

Strictness (quarantined rows warn or block) is not here: it is run policy and comes from
``PipelineSettings.is_strict``. Where the GX suites live can be moved with ``EM_EXPECTATIONS_DIR``
(tests point it at a copy, so a test run never writes into the committed folder).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from pipelines.ingest import contracts
from pipelines.settings import EXPECTATIONS_DIR, REGIONS_CSV

REGIONS_CSV_PATH = REGIONS_CSV


def expectations_dir() -> Path:
    """The GX file context root (the top-level ``expectations/`` folder by default)."""
    return Path(os.environ.get("EM_EXPECTATIONS_DIR") or EXPECTATIONS_DIR).resolve()


# --- the period the warehouse covers ------------------------------------------------------
# The earliest date an event or statistic may carry. 2015 because one plan (衡水) compares
# 2020 with 2015; submissions coverage itself starts in 2016-01.
COVERED_FROM = date(2015, 1, 1)
# Statistics for year Y are published during Y+1: denominators are required for years up to
# as_of.year - DENOMINATOR_LAG_YEARS only (the current year's GDP does not exist yet).
DENOMINATOR_LAG_YEARS = 1

# --- warnings ----------------------------------------------------------------------------
GDP_REVISION_WARN_SHARE = 0.10  # a revision moving GDP by more than 10% is flagged
VOLUME_TRAILING_MONTHS = 12
VOLUME_JUMP_FACTOR = 3.0  # a month above 3x its trailing average is flagged
VOLUME_JUMP_MIN_COUNT = 8  # ...when it has at least this many accidents (5 against 1.6 is noise)
VOLUME_ZERO_MIN_AVERAGE = 4.0  # a zero month is flagged when the trailing average is at least this
# Only recent months are judged (older ones were judged when they were loaded): a warning about
# 2017 raised on every run would teach people to ignore the list.
VOLUME_LOOKBACK_MONTHS = 12

# --- offending rows carried in metadata / check_results ------------------------------------
SAMPLE_ROWS = 20

# --- reference lists (from docs/spec/data-contracts.md and indicators.md) ------------------
SECTORS = [
    "煤矿", "金属非金属矿山", "化工（危险化学品）", "烟花爆竹", "工贸", "建筑业", "其他工矿商贸",
    "道路运输", "铁路运输", "水上运输", "航空运输", "渔业船舶", "农业机械", "火灾",
]
ACCIDENT_TYPES = [
    "物体打击", "车辆伤害", "机械伤害", "起重伤害", "触电", "淹溺", "灼烫", "火灾", "高处坠落", "坍塌",
    "冒顶片帮", "透水", "放炮", "火药爆炸", "瓦斯爆炸", "锅炉爆炸", "容器爆炸", "其它爆炸", "中毒和窒息",
    "其它伤害",
]
SEVERITIES_ZH = ["一般", "较大", "重大", "特别重大"]
ACCIDENT_STATUSES = ["正常", "核销"]
HAZARDS = [
    "洪涝", "干旱", "台风", "风雹", "低温冷冻", "雪灾", "沙尘暴", "地震", "地质灾害", "森林草原火灾",
    "生物灾害", "其他",
]
REPORT_STAGES = ["初报", "续报", "核报"]
DATA_STATUSES = ["初步核算", "年报", "最终核实", "普查修订"]
MEASURES = [
    "gdp_100m_yuan", "population_10k", "industrial_workers_10k", "operating_vehicles",
    "coal_output_10k_tonnes", "forest_area_ha",
]
CAPABILITY_INDICATORS = list(contracts.CAPABILITY_INDICATORS.values())
OUTCOME_INDICATORS = list(contracts.OUTCOME_INDICATORS)
INDICATORS = OUTCOME_INDICATORS + CAPABILITY_INDICATORS

# Plausible upper bounds per indicator (lower bound is 0 for all). Generous on purpose: they
# catch unit slips (GDP in 万元, a % given as a share), not bad years.
INDICATOR_MAX: dict[str, float] = {
    "deaths_per_100m_gdp": 10,
    "industrial_deaths_per_100k_workers": 1_000,
    "operating_vehicle_deaths_per_10k": 1_000,
    "coal_deaths_per_mt": 1_000,
    "disaster_deaths_per_million": 100_000,
    "disaster_affected_per_100k": 2_000_000,
    "disaster_loss_pct_gdp": 1_000,
    "forest_fire_damage_permille": 1_000,
    "enforcement_equipment_compliance_pct": 100,
    "warning_coverage_pct": 100,
    "professional_staff_pct": 100,
    "new_worker_training_pct": 100,
    "relief_time_hours": 720,
}
# GDP per head in 万元 (亿元 / 万人): a unit slip moves it by 10^4.
GDP_PER_HEAD_10K_YUAN = (0.2, 100.0)

# The denominators each indicator needs (fct_denominators columns).
INDICATOR_MEASURES: dict[str, list[str]] = {
    "deaths_per_100m_gdp": ["gdp_100m_yuan"],
    "industrial_deaths_per_100k_workers": ["industrial_workers_10k"],
    "operating_vehicle_deaths_per_10k": ["operating_vehicles"],
    "coal_deaths_per_mt": ["coal_output_10k_tonnes"],
    "disaster_deaths_per_million": ["population_10k"],
    "disaster_affected_per_100k": ["population_10k"],
    "disaster_loss_pct_gdp": ["gdp_100m_yuan"],
    "forest_fire_damage_permille": ["forest_area_ha"],
}
# The denominators a region-year with events of a source must have (critical). Forest fires are
# left out on purpose: grassland and plain counties have fires but file no forest area, and the
# forest-fire rate is then 数据不足; where a plan targets it, the plan check requires the area.
EVENT_MEASURES: dict[str, list[str]] = {
    "accidents": ["gdp_100m_yuan"],
    "disasters": ["population_10k", "gdp_100m_yuan"],
}
