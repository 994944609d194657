-- Every filing of every record, per source: when and where it was filed, what it changed against
-- the previous filing of the same record, and whether it is the one the marts count (is_current,
-- from the intermediate models that choose it: latest 填报日期 wins; for disasters the latest
-- report stage first; for statistics the most final vintage first).
{%- set accident_values = [
    'occurred_at', 'region_code', 'sector', 'industry_code', 'accident_type', 'deaths', 'missing',
    'serious_injuries', 'minor_injuries', 'direct_loss_10k_yuan', 'reported_severity',
    'involves_operating_vehicle', 'record_status', 'unit_name', 'summary'] %}
{%- set disaster_values = [
    'hazard', 'start_date', 'end_date', 'affected_person_times', 'deaths', 'missing',
    'relocated_person_times', 'needing_relief_person_times', 'crop_affected_ha', 'crop_failed_ha',
    'houses_collapsed', 'houses_severely_damaged', 'houses_generally_damaged', 'direct_loss_10k_yuan',
    'report_stage'] %}
{%- set fire_values = [
    'occurred_at', 'region_code', 'burned_area_ha', 'damaged_forest_ha', 'fire_grade', 'deaths',
    'injuries'] %}
{%- set statistic_values = ['value', 'data_status'] %}
{%- set capability_values = ['value'] %}
{%- set common = [
    'source', 'record_key', 'region_code', 'year', 'filing_seq', 'filing_count', 'filing_stage',
    'reported_date', 'source_file', 'sheet_name', 'source_row_number', 'load_seq', 'loaded_at',
    'filed_values', 'is_current'] %}

with

accidents as (

    select * from {{ ref('stg_accidents__accidents') }}

),

current_accidents as (

    select * from {{ ref('int_accidents_deduplicated') }}

),

disasters as (

    select * from {{ ref('stg_disasters__disaster_reports') }}

),

current_disasters as (

    select * from {{ ref('int_disasters_deduplicated') }}

),

fires as (

    select * from {{ ref('stg_forest_fires__forest_fires') }}

),

current_fires as (

    select * from {{ ref('int_forest_fires_deduplicated') }}

),

statistics as (

    select * from {{ ref('int_denominator_vintages_ranked') }}

),

capabilities as (

    select * from {{ ref('stg_capabilities__indicator_reports') }}

),

current_capabilities as (

    select * from {{ ref('int_capabilities_deduplicated') }}

),

-- A filing is a raw row: (load_seq, sheet_name, source_row_number) identifies it.
accidents_marked as (

    select a.*, c.accident_id is not null as is_current
    from accidents as a
    left join current_accidents as c
        on a.accident_id = c.accident_id
        and a.load_seq = c.load_seq
        and a.sheet_name is not distinct from c.sheet_name
        and a.source_row_number = c.source_row_number

),

disasters_marked as (

    select d.*, c.event_id is not null as is_current
    from disasters as d
    left join current_disasters as c
        on d.event_id = c.event_id
        and d.region_code = c.region_code
        and d.load_seq = c.load_seq
        and d.sheet_name is not distinct from c.sheet_name
        and d.source_row_number = c.source_row_number

),

fires_marked as (

    select f.*, c.fire_id is not null as is_current
    from fires as f
    left join current_fires as c
        on f.fire_id = c.fire_id
        and f.load_seq = c.load_seq
        and f.sheet_name is not distinct from c.sheet_name
        and f.source_row_number = c.source_row_number

),

statistics_marked as (

    select *, is_latest as is_current
    from statistics

),

capabilities_marked as (

    select p.*, c.indicator_code is not null as is_current
    from capabilities as p
    left join current_capabilities as c
        on p.region_code = c.region_code
        and p.year = c.year
        and p.indicator_code = c.indicator_code
        and p.load_seq = c.load_seq
        and p.sheet_name is not distinct from c.sheet_name
        and p.source_row_number = c.source_row_number

),

accident_filings as (
    {{ record_filings('accidents', 'accidents_marked', 'f.accident_id', 'extract(year from f.occurred_at)',
                      'null::varchar', accident_values) }}
),

disaster_filings as (
    {{ record_filings('disasters', 'disasters_marked', "f.event_id || ' / ' || f.region_code",
                      'extract(year from f.start_date)', 'f.report_stage', disaster_values) }}
),

fire_filings as (
    {{ record_filings('forest_fires', 'fires_marked', 'f.fire_id', 'extract(year from f.occurred_at)',
                      'null::varchar', fire_values) }}
),

statistic_filings as (
    {{ record_filings('statistics', 'statistics_marked',
                      "f.region_code || ' / ' || cast(f.year as varchar) || ' / ' || f.measure",
                      'f.year', 'f.data_status', statistic_values) }}
),

capability_filings as (
    {{ record_filings('capabilities', 'capabilities_marked',
                      "f.region_code || ' / ' || cast(f.year as varchar) || ' / ' || f.indicator_code",
                      'f.year', 'null::varchar', capability_values) }}
),

final as (

    {% for filings, values in [
        ('accident_filings', accident_values), ('disaster_filings', disaster_values),
        ('fire_filings', fire_values), ('statistic_filings', statistic_values),
        ('capability_filings', capability_values)] %}
        select
            {{ common[:-2] | join(', ') }},
            {{ filing_changes(values) }},
            filed_values,
            is_current
        from {{ filings }}
        {{ "union all" if not loop.last }}
    {% endfor %}

)

select * from final
