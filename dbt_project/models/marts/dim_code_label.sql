-- Every code the marts store, with its Chinese and English label: join on (code_kind, code).
-- One home per label: an enumerated code's labels live in its enumeration seed (sources.csv,
-- sectors.csv, …); code_labels.csv holds only the code lists that have no seed of their own
-- (region levels, indicator kinds, plan statuses, plan version statuses, check severities, verdicts).
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

    select
        'source' as code_kind,
        source as code,
        sort_order,
        source_zh as label_zh,
        source_en as label_en
    from sources
    union all
    select
        'sector' as code_kind,
        sector as code,
        sort_order,
        sector as label_zh,
        sector_en as label_en
    from sectors
    union all
    select
        'accident_type' as code_kind,
        accident_type as code,
        sort_order,
        accident_type as label_zh,
        accident_type_en as label_en
    from accident_types
    union all
    select
        'hazard' as code_kind,
        hazard as code,
        sort_order,
        hazard as label_zh,
        hazard_en as label_en
    from hazards
    union all
    select
        'severity_class' as code_kind,
        severity_class as code,
        severity_rank as sort_order,
        severity_class_zh as label_zh,
        severity_class_en as label_en
    from severities
    union all
    select
        'report_stage' as code_kind,
        report_stage as code,
        stage_rank as sort_order,
        report_stage as label_zh,
        report_stage_en as label_en
    from report_stages
    union all
    select
        'record_status' as code_kind,
        record_status as code,
        sort_order,
        record_status as label_zh,
        record_status_en as label_en
    from record_statuses
    union all
    select
        'data_status' as code_kind,
        data_status as code,
        vintage_rank as sort_order,
        data_status as label_zh,
        data_status_en as label_en
    from data_statuses
    union all
    select
        'measure' as code_kind,
        measure as code,
        sort_order,
        measure_zh || '（' || unit_zh || '）' as label_zh,
        measure_en || ' (' || unit_en || ')' as label_en
    from measures
    union all
    select
        'situation_measure' as code_kind,
        measure as code,
        sort_order,
        measure_zh || '（' || unit_zh || '）' as label_zh,
        measure_en || ' (' || unit_en || ')' as label_en
    from situation_measures
    union all
    select
        'file_status' as code_kind,
        file_status as code,
        sort_order,
        file_status_zh as label_zh,
        file_status_en as label_en
    from file_statuses
    union all
    select
        'target_kind' as code_kind,
        target_kind as code,
        sort_order,
        target_kind_zh as label_zh,
        target_kind_en as label_en
    from target_kinds
    union all
    select
        'comparator' as code_kind,
        comparator as code,
        sort_order,
        comparator_zh as label_zh,
        comparator_en as label_en
    from comparators
    union all
    select
        'target_attribute' as code_kind,
        attribute as code,
        sort_order,
        attribute_zh as label_zh,
        attribute_en as label_en
    from plan_attributes
    union all
    select
        'evaluation' as code_kind,
        evaluation as code,
        sort_order,
        evaluation_zh as label_zh,
        evaluation_en as label_en
    from evaluation_methods

),

final as (

    select
        code_kind,
        code,
        sort_order,
        label_zh,
        label_en
    from enumerated
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
