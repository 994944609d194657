-- Severity class by the 493号令 rule, 工矿商贸 flag, written-off flag, statistical year and month.
-- The sector, severity and status lists with their flags and Chinese names are seeds.
with

accidents as (

    select * from {{ ref('int_accidents_deduplicated') }}

),

regions as (

    select * from {{ ref('int_regions_resolved') }}

),

sectors as (

    select * from {{ ref('sectors') }}

),

severities as (

    select * from {{ ref('severities') }}

),

record_statuses as (

    select * from {{ ref('record_statuses') }}

),

classified as (

    select
        a.*,
        {{ event_calendar_columns('a.occurred_at', 'occurred_month') }},
        r.prefecture_code,
        coalesce(s.is_industrial, false) as is_industrial,
        coalesce(st.is_written_off, false) as is_written_off,
        {{ severity_class('a.deaths_incl_missing', 'a.serious_injuries', 'a.direct_loss_10k_yuan') }}
            as severity_class,
        -- 事故等级 as reported, with or without the 事故 suffix; anything else is not compared
        reported.severity_class as reported_severity_class
    from accidents as a
    left join regions as r
        on a.region_code = r.region_code
    left join sectors as s
        on a.sector = s.sector
    left join record_statuses as st
        on a.record_status = st.record_status
    left join severities as reported
        on replace(trim(a.reported_severity), '事故', '') = reported.severity_class_zh

),

final as (

    select
        c.*,
        sev.severity_class_zh,
        sev.severity_rank,
        sev.is_larger_and_above,
        sev.is_major_and_above,
        c.reported_severity_class is not null
        and c.reported_severity_class <> c.severity_class as is_severity_mismatch
    from classified as c
    left join severities as sev
        on c.severity_class = sev.severity_class

)

select * from final
