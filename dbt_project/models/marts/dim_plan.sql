-- One row per plan in force (its current version, int_plan_versions), with its own years: the
-- previous period is the five years that end at its base year; a plan is over once every month
-- of its end year is due; a running plan is monitored up to its jurisdiction's monitoring month.
with

versions as (

    select * from {{ ref('int_plan_versions') }}
    where version_status = 'current'

),

regions as (

    select * from {{ ref('int_regions_resolved') }}

),

monitoring as (

    select * from {{ ref('int_plan_monitoring_months') }}

),

dated as (

    select
        v.*,
        {{ through_month() }} >= make_date(v.end_year, 12, 1) as is_over,
        {{ as_of_year() }} >= v.start_year as has_started
    from versions as v

),

final as (

    select
        d.plan_id,
        d.region_code,
        r.region_name,
        d.plan_name,
        d.start_year,
        d.end_year,
        d.baseline_year,
        d.previous_first_year,
        d.previous_last_year,
        d.is_over,
        case
            when d.is_over then 'final_evaluation'
            when d.has_started then 'monitoring'
            else 'not_started'
        end as stage,
        case
            when d.is_over then '终期评估'
            when d.has_started then '年度监测'
            else '尚未开始'
        end as stage_zh,
        case when not d.is_over and d.has_started then m.year end as monitoring_year,
        case when not d.is_over and d.has_started then m.monitoring_month end as monitoring_month,
        d.version_date,
        d.source_file,
        d.target_count
    from dated as d
    left join regions as r
        on d.region_code = r.region_code
    left join monitoring as m
        on d.region_code = m.region_code

)

select * from final
