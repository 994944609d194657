# ruff: noqa: E501  (each column carries its English / 中文 comment on its line: the DuckDB comment)
"""The raw layer's tables: the contract between the loaders and dbt's staging models.

Every loader lands its rows here, in DuckDB schema ``raw``, with the lineage columns below.
Names are English; units are in the names; values are already converted to the unit the name
states (万元 for money, 公顷 for areas, 亿元 for GDP, 万人 for people in statistics).
Raw keeps every version of a record (revisions are resolved in dbt's intermediate layer).

Each table is defined once, as data (``pipelines/tables.py``): its DDL, the column types the
loaders write and the comments analysts read are derived from that definition.
"""

from __future__ import annotations

from pipelines.enumerations import SOURCES as ENUMERATED_SOURCES
from pipelines.tables import Column, Table

SOURCES: tuple[str, ...] = ENUMERATED_SOURCES  # the source folders, in load order (seeds/sources.csv)

# Lineage carried by every loaded row.
SOURCE_FILE = Column("source_file", "varchar", "File name relative to the source folder, e.g. 2024-03.xlsx. / 来源文件名（相对于来源文件夹）。")
FILE_SHA256 = Column("file_sha256", "varchar", "SHA-256 of the file's bytes (hex text). / 文件内容的 SHA-256 摘要（十六进制文本）。")
SHEET_NAME = Column("sheet_name", "varchar", "Sheet of the workbook (null for CSV). / 工作表名（CSV为空）。", nullable=True)
ROW_NUMBER = Column("row_number", "integer", "Row of the sheet or CSV as a spreadsheet shows it (1-based, integer). / 表格行号（从1起，与表格软件显示一致）。")
LOAD_SEQ = Column("load_seq", "bigint", "Load order of the file (integer; the later load wins ties). / 文件加载顺序（整数，同日报送时后载入者优先）。")
LOADED_AT = Column("loaded_at", "timestamp", "When the file was loaded (Asia/Shanghai wall-clock time). / 载入时间（北京时间）。")
LINEAGE = (SOURCE_FILE, FILE_SHA256, SHEET_NAME, ROW_NUMBER, LOAD_SEQ, LOADED_AT)

# Columns several raw tables share, defined once.
REGION_CODE_AS_FILED = Column("region_code", "varchar", "6-digit region code (text; resolved from the name when the code cell was empty). / 6位行政区划代码（文本；代码为空时由名称解析）。")
REGION_NAME_AS_FILED = Column("region_name", "varchar", "Region name as written in the file. / 文件中填写的行政区划名称。", nullable=True)
IS_REGION_FROM_NAME = Column("is_region_from_name", "boolean", "The region code was empty and was resolved from the name. / 区划代码由名称解析得到。")
REGION_AS_FILED = (REGION_CODE_AS_FILED, REGION_NAME_AS_FILED, IS_REGION_FROM_NAME)
EXTRA_COLUMNS = Column("extra_columns", "json", "Columns of the file the contract does not know, kept as given (JSON: header -> text). / 合同外的额外列（JSON，原样保留）。", nullable=True)
DEATHS = Column("deaths", "integer", "Deaths, persons. / 死亡人数（人）。")
MISSING = Column("missing", "integer", "Missing persons, persons. / 失踪人数（人）。")
LATEST_FILING_DATE = Column("reported_date", "date", "Filing date (填报日期, DATE); the latest filing of a record counts. / 填报日期（最新报送计入统计）。")
OCCURRED_AT = Column("occurred_at", "timestamp", "Time of occurrence (timestamp, local time as filed). / 发生时间。")
DIRECT_LOSS = Column("direct_loss_10k_yuan", "double", "Direct economic loss, 10,000 yuan (万元). / 直接经济损失（万元）。")
STATISTICAL_YEAR = Column("year", "integer", "Statistical year (calendar year, integer). / 统计年度（整数）。")
FILE_NAME = Column("file_name", "varchar", "File name relative to the source folder. / 文件名（相对于来源文件夹）。")
ROWS_LOADED = Column("rows_loaded", "integer", "Rows stored in raw.<source>, rows. / 入库行数（行）。")
ROWS_ZERO_REPORTS = Column("rows_zero_reports", "integer", "Zero-report rows (零报告), rows. / 零报告行数（行）。")
ROWS_REJECTED = Column("rows_rejected", "integer", "Rows rejected to raw.quarantine, rows. / 拒收行数（行）。")
NOTE_EN = Column("note_en", "varchar", "The same note in English. / 说明（英文）。", nullable=True)


def _raw(name: str, comment: str, columns: tuple[Column, ...], added: tuple[str, ...] = ()) -> Table:
    return Table("raw", name, comment, columns, added)


RAW_TABLES: dict[str, Table] = {
    # One row per accident record (every revision kept).
    "accidents": _raw(
        "accidents",
        "Production-safety accident register as loaded: one row per filing of an accident (every version of every file kept; dbt keeps the latest). / 生产安全事故台账原始记录：每次报送一行（保留全部版本）。",
        (
            Column("accident_id", "varchar", "Accident number (事故编号), the record key. / 事故编号。"),
            OCCURRED_AT,
            *REGION_AS_FILED,
            Column("unit_name", "varchar", "Name of the enterprise (personal/enterprise data, never shown in reports). / 单位名称（不在报告中展示）。", nullable=True),
            Column("sector", "varchar", "Sector, canonical name (e.g. 化工（危险化学品）; English labels in marts.dim_code_label). / 行业领域（规范名称）。"),
            Column("industry_code", "varchar", "GB/T 4754-2017 industry code (text). / 国民经济行业代码（文本）。", nullable=True),
            Column("accident_type", "varchar", "Accident type per GB 6441 (text). / 事故类别（GB 6441）。", nullable=True),
            DEATHS,
            MISSING,
            Column("serious_injuries", "integer", "Serious injuries incl. acute industrial poisoning, persons. / 重伤人数（含急性工业中毒，人）。"),
            Column("minor_injuries", "integer", "Minor injuries, persons (null when the column is absent from the file). / 轻伤人数（人；文件无此列时为空）。", nullable=True),
            DIRECT_LOSS,
            Column("reported_severity", "varchar", "Severity class as reported: 一般 / 较大 / 重大 / 特别重大 (text). / 上报事故等级。", nullable=True),
            Column("involves_operating_vehicle", "boolean", "A road accident involving an operating vehicle (是/否; null when not given). / 是否涉及营运车辆（未填为空）。", nullable=True),
            Column("summary", "varchar", "Accident summary, free text as filed (may hold markup; never rendered). / 事故简况（原文）。", nullable=True),
            Column("status", "varchar", "Record status as filed: 正常 (valid) / 核销 (written off). / 记录状态：正常或核销。"),
            LATEST_FILING_DATE,
            EXTRA_COLUMNS,
            *LINEAGE,
        ),
    ),
    # One row per disaster event × region × report (every stage kept).
    "disasters": _raw(
        "disasters",
        "Natural-disaster loss reports as loaded: one row per event x region x report (初报/续报/核报 all kept). / 自然灾害灾情原始记录：每过程×地区×报告一行（保留各阶段）。",
        (
            Column("event_id", "varchar", "Disaster event number (灾害过程编号; the record key with region_code). / 灾害过程编号。"),
            Column("hazard", "varchar", "Main hazard (灾种, text). / 灾种。"),
            Column("start_date", "date", "Start date of the event (DATE; its year is the statistical year). / 开始日期。"),
            Column("end_date", "date", "End date of the event (DATE; null while it goes on). / 结束日期。", nullable=True),
            *REGION_AS_FILED,
            Column("affected_person_times", "bigint", "Person-times affected (受灾人次). / 受灾人次。"),
            DEATHS,
            MISSING,
            Column("relocated_person_times", "bigint", "Person-times urgently relocated. / 紧急转移安置人次。"),
            Column("needing_relief_person_times", "bigint", "Person-times needing emergency relief. / 需紧急生活救助人次。"),
            Column("crop_affected_ha", "double", "Crop area affected, hectares. / 农作物受灾面积（公顷）。"),
            Column("crop_failed_ha", "double", "Crop area failed, hectares. / 农作物绝收面积（公顷）。"),
            Column("houses_collapsed", "integer", "Houses collapsed, rooms. / 倒塌房屋（间）。"),
            Column("houses_severely_damaged", "integer", "Houses severely damaged, rooms. / 严重损坏房屋（间）。"),
            Column("houses_generally_damaged", "integer", "Houses generally damaged, rooms. / 一般损坏房屋（间）。"),
            DIRECT_LOSS,
            Column("report_stage", "varchar", "Report stage: 初报 (initial) / 续报 (follow-up) / 核报 (verified); the latest stage counts. / 报告阶段：初报、续报、核报。"),
            LATEST_FILING_DATE,
            EXTRA_COLUMNS,
            *LINEAGE,
        ),
    ),
    # One row per forest-fire record (every revision kept).
    "forest_fires": _raw(
        "forest_fires",
        "Forest-fire register as loaded: one row per filing of a fire (every version kept). / 森林火灾原始记录：每次报送一行（保留全部版本）。",
        (
            Column("fire_id", "varchar", "Forest-fire number (火灾编号), the record key. / 火灾编号。"),
            OCCURRED_AT,
            *REGION_AS_FILED,
            Column("burned_area_ha", "double", "Burned area, hectares (过火面积). / 过火面积（公顷）。"),
            Column("damaged_forest_ha", "double", "Forest area damaged, hectares (受害森林面积). / 受害森林面积（公顷）。"),
            Column("fire_grade", "varchar", "Fire grade as reported: 一般 / 较大 / 重大 / 特别重大 (text). / 火灾等级。", nullable=True),
            DEATHS,
            Column("injuries", "integer", "Injured persons, persons. / 受伤人数（人）。"),
            LATEST_FILING_DATE,
            EXTRA_COLUMNS,
            *LINEAGE,
        ),
    ),
    # Long form of the wide statistics files: one row per region × year × measure × file row.
    # Empty cells are not rows (an empty cell never overwrites an earlier value).
    # measure is one of: gdp_100m_yuan, population_10k, industrial_workers_10k,
    # operating_vehicles, coal_output_10k_tonnes, forest_area_ha
    "statistics": _raw(
        "statistics",
        "Socio-economic statistics as loaded, long form: one row per region x year x measure x file row (every vintage kept; empty cells are not rows). / 社会经济统计原始记录（长表）：每地区×年份×指标×文件行一行（保留全部版本）。",
        (
            *REGION_AS_FILED,
            STATISTICAL_YEAR,
            Column("measure", "varchar", "Measure code: gdp_100m_yuan, population_10k, industrial_workers_10k, operating_vehicles, coal_output_10k_tonnes, forest_area_ha (labels in marts.dim_code_label). / 统计指标代码。"),
            Column("value", "double", "Value, in the unit of the measure's name (gdp_100m_yuan: 100 million yuan; population_10k and industrial_workers_10k: 10,000 persons; operating_vehicles: vehicles; coal_output_10k_tonnes: 10,000 tonnes; forest_area_ha: hectares). / 数值（单位见指标名：亿元、万人、辆、万吨、公顷）。"),
            Column("data_status", "varchar", "Statistical vintage: 初步核算 / 年报 / 最终核实 / 普查修订 (年报 when empty). / 数据状态（空白视为年报）。"),
            Column("vintage_rank", "integer", "Vintage order (integer): 1 初步核算 < 2 年报 < 3 最终核实 < 4 普查修订; the highest counts. / 数据版本序号（整数，越大越终）。"),
            Column("reported_date", "date", "Filing date (填报日期, DATE; may be empty in yearly files). / 填报日期（年报文件可为空）。", nullable=True),
            *LINEAGE,
        ),
    ),
    # One row per region × year × capability indicator × file row.
    "capabilities": _raw(
        "capabilities",
        "Capability indicators as loaded: one row per region x year x indicator x file row (every filing kept). / 能力建设指标原始记录：每地区×年份×指标×文件行一行。",
        (
            *REGION_AS_FILED,
            STATISTICAL_YEAR,
            Column("indicator_code", "varchar", "Capability indicator code, e.g. warning_coverage_pct (names and units in marts.dim_indicator). / 能力建设指标代码。"),
            Column("value", "double", "Reported value of the capability indicator, in its unit (% or hours; see marts.dim_indicator.unit_en). / 能力建设指标报送值（%或小时）。"),
            Column("reported_date", "date", "Filing date (填报日期, DATE; may be empty). / 填报日期（可为空）。", nullable=True),
            *LINEAGE,
        ),
    ),
    # One row per plan target as the plan table gives it (docs/spec/plans.md): every version of
    # every plan is kept (a file is one version); which version is in force is decided in dbt.
    "plans": _raw(
        "plans",
        "Plan tables (规划主要指标表) as loaded: one row per target of every version of every plan (a file is one version; dbt decides which is in force). / 规划主要指标表原始记录：每个版本的每个目标一行（由 dbt 判定现行版本）。",
        (
            Column("plan_id", "varchar", "Plan code (规划编号, text), e.g. 14fyp, 15fyp; with region_code it names a plan. / 规划编号（与行政区划代码共同确定一个规划）。"),
            Column("plan_name", "varchar", "Plan title as printed (规划名称). / 规划名称（原文）。"),
            Column("region_code", "varchar", "The plan's jurisdiction, 6-digit code (text). / 规划辖区代码（6位文本）。"),
            REGION_NAME_AS_FILED,
            IS_REGION_FROM_NAME,
            Column("start_year", "integer", "First plan year (规划期起始年), calendar year. / 规划期起始年（年份）。"),
            Column("end_year", "integer", "Last plan year (规划期终止年), calendar year. / 规划期终止年（年份）。"),
            Column("baseline_year", "integer", "Base year (基期年), calendar year. / 基期年（年份）。"),
            Column("seq", "integer", "The target's number in the plan's table (序号, integer). / 目标序号（整数）。"),
            Column("indicator_name_as_printed", "varchar", "Indicator name as printed (指标名称). / 指标名称（原文）。", nullable=True),
            Column("indicator_code", "varchar", "Indicator code of the catalogue (seeds/indicators.csv). / 指标代码（指标目录）。"),
            Column("target_kind", "varchar", "Target kind: decline_pct / upper_bound / lower_bound / curb (seeds/target_kinds.csv). / 目标类型。"),
            Column("comparator", "varchar", "Comparator < <= > >= (>= for a decline given without one; null for a curb). / 比较符。", nullable=True),
            Column("target_value", "double", "Target number: % for decline_pct, else the bound in the indicator's unit (null for a curb). / 目标值：下降类为百分比，其余为指标单位的界限值。", nullable=True),
            Column("unit", "varchar", "Unit as printed (单位). / 单位（原文）。", nullable=True),
            Column("baseline_value_printed", "varchar", "Baseline as printed (基期值, text: its decimals matter). / 规划文本基期值（原文）。", nullable=True),
            Column("attribute", "varchar", "Attribute: binding / expected (null: the plan does not say). / 指标属性：约束性/预期性（未注明为空）。", nullable=True),
            Column("evaluation", "varchar", "Evaluation method: end_vs_base / period_mean / latest. / 评价方式。"),
            Column("version_date", "date", "Version date of the plan text (版本日期 / 印发日期, DATE); the later version wins. / 版本日期（较晚者为现行版本）。", nullable=True),
            Column("note", "varchar", "Note (备注), free text. / 备注。", nullable=True),
            EXTRA_COLUMNS,
            *LINEAGE,
        ),
    ),
    # One row per control quota as the 下达表 gives it (docs/spec/monthly.md): every filing kept; a
    # later 下达日期 of the same key is an adjustment, decided in dbt (int_quota_versions).
    "quotas": _raw(
        "quotas",
        "Control quotas (年度安全生产控制指标) as loaded: one row per unit x year x indicator x issue (every filing kept; dbt decides which is in force). / 年度控制指标下达表原始记录：每单位×年度×指标×下达一行（由 dbt 判定现行控制数）。",
        (
            Column("year", "integer", "The year the quota is for (年度, calendar year, integer). / 控制指标所属年度（整数）。"),
            Column("region_code", "varchar", "The unit the quota is handed to, 6-digit code (text; county-level unit or prefecture). / 下达对象的6位行政区划代码（县级单位或地市）。"),
            REGION_NAME_AS_FILED,
            IS_REGION_FROM_NAME,
            Column("indicator_code", "varchar", "The count indicator the quota caps (seeds/indicators.csv, kind count), e.g. safety_deaths. / 控制的计数类指标代码。"),
            Column("indicator_name_as_printed", "varchar", "Indicator name as printed (指标名称 / 控制指标). / 指标名称（原文）。", nullable=True),
            Column("quota", "integer", "The quota (控制数): the most the unit may count in the year, in the indicator's unit (persons or accidents, integer). / 控制数（人或起，整数）。"),
            Column("issued_date", "date", "Date the quota was issued (下达日期, DATE); a later date for the same unit, year and indicator is an adjustment that replaces it. / 下达日期（同一单位、年度、指标的较晚下达为调整，取代此前的控制数）。"),
            EXTRA_COLUMNS,
            *LINEAGE,
        ),
    ),
    # 零报告: a unit's statement that it had nothing to report for a month, per source.
    "zero_reports": _raw(
        "zero_reports",
        "Zero reports (零报告): a unit's statement that it had nothing to report for a month and source; counts as filed. / 零报告：某单位某月某来源无事项可报（视为已报送）。",
        (
            Column("source", "varchar", "Source the zero report is for: accidents / disasters / forest_fires. / 零报告所属来源。"),
            Column("region_code", "varchar", "6-digit code (text) of the unit that filed the zero report. / 报送零报告的单位代码（6位文本）。"),
            Column("month", "date", "Month covered, as the date of its first day (DATE). / 所报月份（该月第一天，日期型）。"),
            *LINEAGE,
        ),
    ),
    # Rejected rows, never lost. column_name is null when the whole row or file is at fault.
    "quarantine": _raw(
        "quarantine",
        "Quarantine: every rejected row or file with its reason and original cells; counts in no indicator until corrected. / 隔离区：被拒收的行或文件及原因、原始单元格；更正前不计入任何指标。",
        (
            Column("source", "varchar", "Data source code of the file: accidents / disasters / forest_fires / statistics / capabilities. / 数据来源代码。"),
            FILE_NAME,
            Column("file_sha256", "varchar", "SHA-256 of the file's bytes (hex text; null when unreadable). / 文件内容摘要（无法读取时为空）。", nullable=True),
            SHEET_NAME,
            Column("row_number", "integer", "Row of the sheet or CSV as a spreadsheet shows it (1-based, integer; null when the whole file was rejected). / 表格行号（从1起；整个文件被拒收时为空）。", nullable=True),
            Column("column_name", "varchar", "Column at fault, as headed in the file (null when the whole row or file is at fault). / 出错的列（整行或整个文件出错时为空）。", nullable=True),
            Column("reason_code", "varchar", "Stable machine code of the reason, e.g. not_a_number, unknown_region_code (text). / 原因代码（稳定的机器代码）。"),
            Column("reason_zh", "varchar", "Reason in Chinese, naming the file, row and column. / 原因（中文，含文件、行、列）。"),
            Column("reason_en", "varchar", "Reason in English, naming the file, row and column. / 原因（英文，含文件、行、列）。"),
            Column("raw_record", "json", "The original cells of the row (JSON: header -> text, as read). / 该行原始单元格（JSON：表头 -> 文本）。", nullable=True),
            Column("deaths_in_row", "integer", "Deaths including the missing that the rejected row carries, persons (null when unreadable). / 被拒收行所载死亡（含失踪）人数（人；无法读取时为空）。", nullable=True),
            LOAD_SEQ,
            Column("loaded_at", "timestamp", "When the row was rejected (Asia/Shanghai wall-clock time). / 拒收时间（北京时间）。"),
        ),
    ),
    # One row per file seen in the data folder: what happened to it in its latest load.
    "files": _raw(
        "files",
        "One row per file seen in the data folder: what its latest load did (loaded or rejected whole) and its row counts. / 数据目录中每个文件一行：最近一次加载结果与行数。",
        (
            Column("source", "varchar", "Data source code of the file's folder: accidents / disasters / forest_fires / statistics / capabilities. / 数据来源代码。"),
            FILE_NAME,
            FILE_SHA256,
            Column("file_size_bytes", "bigint", "File size, bytes. / 文件大小（字节）。"),
            Column("status", "varchar", "What the latest load did with the file: loaded / rejected (whole; labels in marts.dim_code_label, file_status). / 最近一次加载结果：载入或整体拒收。"),
            Column("rows_read", "integer", "Data rows read from the file, rows (footer and blank rows not counted). / 读取的数据行数（行）。"),
            ROWS_LOADED,
            ROWS_ZERO_REPORTS,
            ROWS_REJECTED,
            Column("reason_zh", "varchar", "Why the file was rejected whole, in Chinese (null when loaded). / 整体拒收原因（中文）。", nullable=True),
            Column("reason_en", "varchar", "Why the file was rejected whole, in English (null when loaded). / 整体拒收原因（英文）。", nullable=True),
            LOAD_SEQ,
            Column("loaded_at", "timestamp", "When the file was last loaded, rejected or judged again (Asia/Shanghai wall-clock time). / 最近一次加载或重新判定时间（北京时间）。"),
            Column("judged_against", "varchar", "What the file's rows were judged against (text holding a JSON object: the as-of date and the fingerprints of the rules and the region list); a change judges the unchanged file again. / 判定依据（JSON文本：截止日期及规则、区划表的指纹）；依据变化时未变文件重新判定。", nullable=True),
            Column("latest_date", "date", "Latest date in the file that a rule compares with the as-of date (DATE; null when none). / 文件中与截止日期比较的最晚日期（日期型；无则为空）。", nullable=True),
            Column("note_zh", "varchar", "A note on the file in Chinese, e.g. hidden sheets not read. / 说明（中文），如未读取的隐藏工作表。", nullable=True),
            NOTE_EN,
        ),
        added=("judged_against", "latest_date", "note_zh", "note_en"),
    ),
    # One row per run and file: what each run did with each file (the load report reads it;
    # pipelines/ingest/load_log.py writes it).
    "load_log": _raw(
        "load_log",
        "One row per run x file: what each run did with each file since the last rebuild. / 每次运行每个文件一行：加载记录（自上次重建起）。",
        (
            Column("run_id", "varchar", "Dagster run id. / 运行编号。"),
            Column("source", "varchar", "Data source code: accidents / disasters / forest_fires / statistics / capabilities / plans. / 数据来源代码。"),
            Column("file_name", "varchar", "File name relative to the source folder. / 文件名。"),
            Column("file_sha256", "varchar", "SHA-256 of the file's bytes (hex text; null for a removed file). / 文件内容摘要。", nullable=True),
            Column("status", "varchar", "loaded / replaced / revalidated / skipped / ignored / removed / rejected (labels in marts.dim_code_label, file_status). / 处理结果。"),
            Column("rows_read", "integer", "Data rows read from the file, rows. / 读取行数（行）。"),
            ROWS_LOADED,
            ROWS_ZERO_REPORTS,
            ROWS_REJECTED,
            Column("rows_revised", "integer", "Record keys an earlier-loaded file already held, rows (revisions: see marts.fct_record_revisions). / 修订的记录数（行）。"),
            Column("reason_zh", "varchar", "Why the file was rejected whole (or not read), in Chinese. / 整体拒收原因（中文）。", nullable=True),
            Column("reason_en", "varchar", "Why the file was rejected whole, in English. / 整体拒收原因（英文）。", nullable=True),
            Column("logged_at", "timestamp", "When the run logged the file (Asia/Shanghai wall-clock time). / 记录时间（北京时间）。"),
            Column("note_zh", "varchar", "A note on the file in Chinese, e.g. hidden sheets not read; why it was judged again. / 说明（中文），如未读取的隐藏工作表、重新判定的原因。", nullable=True),
            NOTE_EN,
        ),
        added=("note_zh", "note_en"),
    ),
}


def column_types(table: str) -> dict[str, str]:
    """Column name → DuckDB type (lower case) of a raw table, in table order."""
    return RAW_TABLES[table].column_types()


def create_raw_tables(con) -> None:
    """Create schema ``raw`` and every raw table if missing, and add the columns added since
    (idempotent: a warehouse published by an earlier version is brought up to date)."""
    for table in RAW_TABLES.values():
        table.create(con)
