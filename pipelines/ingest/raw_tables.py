"""The raw layer's tables: the contract between the loaders and dbt's staging models.

Every loader lands its rows here, in DuckDB schema ``raw``, with the lineage columns below.
Names are English; units are in the names; values are already converted to the unit the name
states (万元 for money, 公顷 for areas, 亿元 for GDP, 万人 for people in statistics).
Raw keeps every version of a record (revisions are resolved in dbt's intermediate layer).
"""

from __future__ import annotations

from pipelines.enumerations import SOURCES as ENUMERATED_SOURCES

# Lineage carried by every loaded row.
LINEAGE_COLUMNS = """
    source_file      varchar   not null,  -- file name relative to the source folder, e.g. 2024-03.xlsx
    file_sha256      varchar   not null,
    sheet_name       varchar,             -- null for CSV
    row_number       integer   not null,  -- 1-based row in the sheet/CSV as a spreadsheet shows it
    load_seq         bigint    not null,  -- order in which files were loaded (later wins ties)
    loaded_at        timestamp not null
"""

RAW_TABLES: dict[str, str] = {
    # One row per accident record (every revision kept).
    "accidents": f"""
        accident_id                 varchar not null,  -- 事故编号
        occurred_at                 timestamp not null, -- 发生时间
        region_code                 varchar not null,  -- 6-digit code (resolved from name if needed)
        region_name                 varchar,           -- 行政区划名称 as written
        is_region_from_name         boolean not null,  -- code was empty, resolved from the name
        unit_name                   varchar,           -- 单位名称 (never shown in reports)
        sector                      varchar not null,  -- canonical 行业领域, e.g. 化工（危险化学品）
        industry_code               varchar,           -- 国民经济行业代码
        accident_type               varchar,           -- 事故类别
        deaths                      integer not null,
        missing                     integer not null,
        serious_injuries            integer not null,
        minor_injuries              integer,           -- optional column: null when absent
        direct_loss_10k_yuan        double not null,   -- 直接经济损失（万元）
        reported_severity           varchar,           -- 一般/较大/重大/特别重大 as reported
        involves_operating_vehicle  boolean,           -- 是/否; null when not given
        summary                     varchar,           -- 事故简况 (free text, may hold markup)
        status                      varchar not null,  -- 正常 / 核销
        reported_date               date not null,     -- 填报日期
        extra_columns               json,              -- unknown extra columns, kept as given
        {LINEAGE_COLUMNS}
    """,
    # One row per disaster event × region × report (every stage kept).
    "disasters": f"""
        event_id                      varchar not null,  -- 灾害过程编号
        hazard                        varchar not null,  -- 灾种
        start_date                    date not null,
        end_date                      date,
        region_code                   varchar not null,
        region_name                   varchar,
        is_region_from_name           boolean not null,
        affected_person_times         bigint not null,
        deaths                        integer not null,
        missing                       integer not null,
        relocated_person_times        bigint not null,
        needing_relief_person_times   bigint not null,
        crop_affected_ha              double not null,
        crop_failed_ha                double not null,
        houses_collapsed              integer not null,
        houses_severely_damaged       integer not null,
        houses_generally_damaged      integer not null,
        direct_loss_10k_yuan          double not null,
        report_stage                  varchar not null,  -- 初报 / 续报 / 核报
        reported_date                 date not null,
        extra_columns                 json,
        {LINEAGE_COLUMNS}
    """,
    # One row per forest-fire record (every revision kept).
    "forest_fires": f"""
        fire_id               varchar not null,  -- 火灾编号
        occurred_at           timestamp not null,
        region_code           varchar not null,
        region_name           varchar,
        is_region_from_name   boolean not null,
        burned_area_ha        double not null,   -- 过火面积（公顷）
        damaged_forest_ha     double not null,   -- 受害森林面积（公顷）
        fire_grade            varchar,           -- 一般/较大/重大/特别重大
        deaths                integer not null,
        injuries              integer not null,
        reported_date         date not null,
        extra_columns         json,
        {LINEAGE_COLUMNS}
    """,
    # Long form of the wide statistics files: one row per region × year × measure × file row.
    # Empty cells are not rows (an empty cell never overwrites an earlier value).
    # measure is one of: gdp_100m_yuan, population_10k, industrial_workers_10k,
    # operating_vehicles, coal_output_10k_tonnes, forest_area_ha
    "statistics": f"""
        region_code           varchar not null,
        region_name           varchar,
        is_region_from_name   boolean not null,
        year                  integer not null,
        measure               varchar not null,
        value                 double not null,
        data_status           varchar not null,  -- 初步核算 / 年报 / 最终核实 / 普查修订 (年报 when empty)
        vintage_rank          integer not null,  -- 1 初步核算 < 2 年报 < 3 最终核实 < 4 普查修订
        reported_date         date,
        {LINEAGE_COLUMNS}
    """,
    # One row per region × year × capability indicator × file row.
    "capabilities": f"""
        region_code           varchar not null,
        region_name           varchar,
        is_region_from_name   boolean not null,
        year                  integer not null,
        indicator_code        varchar not null,  -- e.g. warning_coverage_pct
        value                 double not null,
        reported_date         date,
        {LINEAGE_COLUMNS}
    """,
    # One row per plan target as the plan table gives it (docs/spec/plans.md): every version of
    # every plan is kept (a file is one version); which version is in force is decided in dbt.
    "plans": f"""
        plan_id                   varchar not null,  -- 规划编号, e.g. 14fyp, 15fyp
        plan_name                 varchar not null,  -- 规划名称 as printed
        region_code               varchar not null,  -- the plan's jurisdiction
        region_name               varchar,
        is_region_from_name       boolean not null,
        start_year                integer not null,  -- 规划期起始年
        end_year                  integer not null,  -- 规划期终止年
        baseline_year             integer not null,  -- 基期年
        seq                       integer not null,  -- 序号
        indicator_name_as_printed varchar,           -- 指标名称 as printed
        indicator_code            varchar not null,  -- a code of indicators.md
        target_kind               varchar not null,  -- decline_pct / upper_bound / lower_bound / curb
        comparator                varchar,           -- < <= > >= (>= for a decline given without one)
        target_value              double,            -- % for decline_pct; the bound in the indicator's unit
        unit                      varchar,           -- 单位 as printed
        baseline_value_printed    varchar,           -- 基期值 as printed (text: its decimals matter)
        attribute                 varchar,           -- binding / expected (null: the plan does not say)
        evaluation                varchar not null,  -- end_vs_base / period_mean / latest
        version_date              date,              -- 版本日期 / 印发日期
        note                      varchar,           -- 备注
        extra_columns             json,
        {LINEAGE_COLUMNS}
    """,
    # 零报告: a unit's statement that it had nothing to report for a month, per source.
    "zero_reports": f"""
        source                varchar not null,  -- accidents / disasters / forest_fires
        region_code           varchar not null,
        month                 date not null,     -- first day of the month covered
        {LINEAGE_COLUMNS}
    """,
    # Rejected rows, never lost. column_name is null when the whole row or file is at fault.
    "quarantine": """
        source                varchar not null,
        file_name             varchar not null,
        file_sha256           varchar,
        sheet_name            varchar,
        row_number            integer,           -- null when the whole file was rejected
        column_name           varchar,
        reason_code           varchar not null,  -- stable machine code, e.g. not_a_number
        reason_zh             varchar not null,
        reason_en             varchar not null,
        raw_record            json,              -- the original cells, header -> text
        deaths_in_row         integer,           -- deaths (+missing) the row carries, when readable
        load_seq              bigint not null,
        loaded_at             timestamp not null
    """,
    # One row per file seen in the data folder: what happened to it in its latest load.
    "files": """
        source                varchar not null,
        file_name             varchar not null,
        file_sha256           varchar not null,
        file_size_bytes       bigint not null,
        status                varchar not null,  -- loaded / rejected
        rows_read             integer not null,
        rows_loaded           integer not null,
        rows_zero_reports     integer not null,
        rows_rejected         integer not null,
        reason_zh             varchar,           -- why the file was rejected whole
        reason_en             varchar,
        load_seq              bigint not null,
        loaded_at             timestamp not null,
        judged_against        varchar,           -- JSON: as-of date and reference inputs' fingerprints
        latest_date           date,              -- latest date compared with the as-of date (null: none)
        note_zh               varchar,           -- e.g. hidden sheets not read
        note_en               varchar
    """,
}

# Columns added after the first release: created on existing warehouses by create_raw_tables.
_ADDED_COLUMNS = {
    "files": ("judged_against", "latest_date", "note_zh", "note_en"),
}

SOURCES: tuple[str, ...] = ENUMERATED_SOURCES  # the source folders, in load order (seeds/sources.csv)


def column_types(table: str) -> dict[str, str]:
    """Column name → DuckDB type (lower case) of a raw table, in table order, from its definition."""
    out: dict[str, str] = {}
    for line in RAW_TABLES[table].splitlines():
        line = line.split("--", 1)[0].strip()
        if line and not line.startswith("{"):
            name, kind = line.split()[:2]
            out[name] = kind.rstrip(",").lower()
    return out


def create_raw_tables(con) -> None:
    """Create schema ``raw`` and every raw table if missing, and add the columns added since
    (idempotent: a warehouse published by an earlier version is brought up to date)."""
    con.execute("create schema if not exists raw")
    for name, columns in RAW_TABLES.items():
        con.execute(f"create table if not exists raw.{name} ({columns})")
    for name, added in _ADDED_COLUMNS.items():
        types = column_types(name)
        for column in added:
            con.execute(f"alter table raw.{name} add column if not exists {column} {types[column]}")
