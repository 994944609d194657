-- Every filing of every record, per source: when and where it was filed, what it changed against
-- the previous filing of the same record, and whether it is the one the marts count (is_current,
-- from the intermediate models that choose it: latest 填报日期 wins; for disasters the latest
-- report stage first; for statistics the most final vintage first).
-- Built incrementally by record (macros/record_filings.sql, changed_records): a run rebuilds the
-- records whose filings changed (delete+insert on source and record_key) and keeps the others;
-- a full refresh builds every record, the same SQL with no record left out.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['source', 'record_key'],
    on_schema_change='fail',
    post_hook="delete from {{ this }} where filing_seq is null"
) }}
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
    {{ filings_marked_current('accidents', 'current_accidents', ['accident_id']) }}
),

disasters_marked as (
    {{ filings_marked_current('disasters', 'current_disasters', ['event_id', 'region_code']) }}
),

fires_marked as (
    {{ filings_marked_current('fires', 'current_fires', ['fire_id']) }}
),

statistics_marked as (

    select *, is_latest as is_current
    from statistics

),

capabilities_marked as (
    {{ filings_marked_current(
        'capabilities', 'current_capabilities', ['indicator_code', 'region_code', 'year']
    ) }}
),

{%- set incremental = is_incremental() %}
-- (the linter cannot place the indents of CTEs written by a loop: noqa LT02 to the filings)
-- noqa: disable=LT02
{%- if incremental %}
{%- for source_name, marked, record_key in [
    ('accidents', 'accidents_marked', 'f.accident_id'),
    ('disasters', 'disasters_marked', "f.event_id || ' / ' || f.region_code"),
    ('forest_fires', 'fires_marked', 'f.fire_id'),
    ('statistics', 'statistics_marked', "f.region_code || ' / ' || cast(f.year as varchar) || ' / ' || f.measure"),
    ('capabilities', 'capabilities_marked',
     "f.region_code || ' / ' || cast(f.year as varchar) || ' / ' || f.indicator_code")] %}

{{ source_name }}_changed as (
    {{ changed_records(source_name, marked, record_key) }}
),
{%- endfor %}
{%- endif %}
-- noqa: enable=LT02

accident_filings as (
    {{ record_filings('accidents', 'accidents_marked', 'f.accident_id', 'extract(year from f.occurred_at)',
                      'null::varchar', accident_values, 'accidents_changed' if incremental else none) }}
),

disaster_filings as (
    {{ record_filings('disasters', 'disasters_marked', "f.event_id || ' / ' || f.region_code",
                      'extract(year from f.start_date)', 'f.report_stage', disaster_values,
                      'disasters_changed' if incremental else none) }}
),

fire_filings as (
    {{ record_filings('forest_fires', 'fires_marked', 'f.fire_id', 'extract(year from f.occurred_at)',
                      'null::varchar', fire_values, 'forest_fires_changed' if incremental else none) }}
),

statistic_filings as (
    {{ record_filings('statistics', 'statistics_marked',
                      "f.region_code || ' / ' || cast(f.year as varchar) || ' / ' || f.measure",
                      'f.year', 'f.data_status', statistic_values,
                      'statistics_changed' if incremental else none) }}
),

capability_filings as (
    {{ record_filings('capabilities', 'capabilities_marked',
                      "f.region_code || ' / ' || cast(f.year as varchar) || ' / ' || f.indicator_code",
                      'f.year', 'null::varchar', capability_values,
                      'capabilities_changed' if incremental else none) }}
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
    -- noqa: disable=LT02
    {%- if incremental %}
        {%- for source_name in ['accidents', 'disasters', 'forest_fires', 'statistics', 'capabilities'] %}
        -- a tombstone per rebuilt record (filing_seq null), so that delete+insert deletes the
        -- rows of a record whose filings are all gone too; the post-hook deletes the tombstones
        union all
        select
            '{{ source_name }}' as source,
            record_key,
            {%- for column in common[2:-2] + ['changed_columns', 'changes', 'filed_values'] %}
            null as {{ column }},
            {%- endfor %}
            null as is_current
        from {{ source_name }}_changed
        {%- endfor %}
    {%- endif %}
    -- noqa: enable=LT02

)

select * from final
