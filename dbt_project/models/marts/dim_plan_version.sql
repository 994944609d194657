-- Every version of every plan the plan files define, in force or not: the current one, the
-- superseded ones (a later 版本日期 won) and the rejected ones (equal or missing dates), with
-- the reason. The targets of any version: marts.fct_plan_target_versions.
with

versions as (

    select * from {{ ref('int_plan_versions') }}

),

final as (

    select
        plan_id,
        region_code,
        source_file,
        plan_name,
        start_year,
        end_year,
        baseline_year,
        version_date,
        target_count,
        version_status,
        {{ code_label_zh('plan_version_status', 'version_status') }} as version_status_zh,
        superseded_by,
        status_reason_zh,
        status_reason_en
    from versions

)

select * from final
