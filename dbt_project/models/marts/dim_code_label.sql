-- Every code the marts store, with its Chinese and English label: join on (code_kind, code).
-- One home per label: an enumerated code's labels live in its enumeration seed (sources.csv,
-- sectors.csv, …); code_labels.csv holds only the code lists that have no seed of their own
-- (region levels, indicator kinds, plan statuses, plan version statuses, check severities, verdicts).
{#- Each enumeration seed: its code kind, the seed, its code column, its sort column, and its Chinese
    and English label (SQL expressions; a measure's label is its name with its unit). -#}
{%- set measure_zh = "measure_zh || '（' || unit_zh || '）'" %}
{%- set measure_en = "measure_en || ' (' || unit_en || ')'" %}
{%- set enumerations = [
    ('source', 'sources', 'source', 'sort_order', 'source_zh', 'source_en'),
    ('sector', 'sectors', 'sector', 'sort_order', 'sector', 'sector_en'),
    ('accident_type', 'accident_types', 'accident_type', 'sort_order', 'accident_type',
        'accident_type_en'),
    ('hazard', 'hazards', 'hazard', 'sort_order', 'hazard', 'hazard_en'),
    ('severity_class', 'severities', 'severity_class', 'severity_rank', 'severity_class_zh',
        'severity_class_en'),
    ('report_stage', 'report_stages', 'report_stage', 'stage_rank', 'report_stage', 'report_stage_en'),
    ('record_status', 'record_statuses', 'record_status', 'sort_order', 'record_status', 'record_status_en'),
    ('data_status', 'data_statuses', 'data_status', 'vintage_rank', 'data_status', 'data_status_en'),
    ('measure', 'measures', 'measure', 'sort_order', measure_zh, measure_en),
    ('situation_measure', 'situation_measures', 'measure', 'sort_order', measure_zh, measure_en),
    ('file_status', 'file_statuses', 'file_status', 'sort_order', 'file_status_zh', 'file_status_en'),
    ('target_kind', 'target_kinds', 'target_kind', 'sort_order', 'target_kind_zh', 'target_kind_en'),
    ('comparator', 'comparators', 'comparator', 'sort_order', 'comparator_zh', 'comparator_en'),
    ('target_attribute', 'plan_attributes', 'attribute', 'sort_order', 'attribute_zh', 'attribute_en'),
    ('evaluation', 'evaluation_methods', 'evaluation', 'sort_order', 'evaluation_zh', 'evaluation_en'),
] %}
with

sources as (

    select * from {{ ref('sources') }}

),

sectors as (

    select * from {{ ref('sectors') }}

),

accident_types as (

    select * from {{ ref('accident_types') }}

),

hazards as (

    select * from {{ ref('hazards') }}

),

severities as (

    select * from {{ ref('severities') }}

),

report_stages as (

    select * from {{ ref('report_stages') }}

),

record_statuses as (

    select * from {{ ref('record_statuses') }}

),

data_statuses as (

    select * from {{ ref('data_statuses') }}

),

measures as (

    select * from {{ ref('measures') }}

),

file_statuses as (

    select * from {{ ref('file_statuses') }}

),

target_kinds as (

    select * from {{ ref('target_kinds') }}

),

comparators as (

    select * from {{ ref('comparators') }}

),

plan_attributes as (

    select * from {{ ref('plan_attributes') }}

),

evaluation_methods as (

    select * from {{ ref('evaluation_methods') }}

),

situation_measures as (

    select * from {{ ref('situation_measures') }}

),

other_codes as (

    select * from {{ ref('code_labels') }}

),

enumerated as (

    {{ enumeration_label_rows(enumerations) }}

),

final as (

    select * from enumerated
    union all
    select
        code_kind,
        code,
        sort_order,
        label_zh,
        label_en
    from other_codes

)

select * from final
