-- One row per version of a plan: a plan is (plan_id, region_code), a version is the file that
-- defines it (docs/spec/plans.md). Two files defining the same plan: the one with the later
-- 版本日期 wins and the other stays queryable as superseded; equal or missing dates are a
-- conflict and both are rejected, with a reason naming both files. A version that a later one
-- supersedes stays superseded even when that later one is rejected: a plan never falls back to
-- an older text silently (it is then absent, and the quality gate says so).
-- Plan-level cells are equal on every row of a file's plan (the loader rejects the plan
-- otherwise), so any row of a version gives them.
with

targets as (

    select * from {{ ref('stg_plans__targets') }}

),

versions as (

    select
        plan_id,
        region_code,
        source_file,
        min(plan_name) as plan_name,
        min(start_year) as start_year,
        min(end_year) as end_year,
        min(baseline_year) as baseline_year,
        min(version_date) as version_date,
        count(*) as target_count,
        min(load_seq) as load_seq
    from targets
    group by plan_id, region_code, source_file

),

compared as (

    -- every other version of the same plan, and how its date compares
    select
        v.plan_id,
        v.region_code,
        v.source_file,
        count(o.source_file) filter (where o.version_date > v.version_date) as later_versions,
        string_agg(o.source_file, '、' order by o.source_file) filter (
            where o.version_date > v.version_date
        ) as superseded_by,
        string_agg(o.source_file, '、' order by o.source_file) filter (
            where o.version_date = v.version_date or o.version_date is null or v.version_date is null
        ) as conflicting_files
    from versions as v
    left join versions as o
        on {{ keys_match('v', 'o', ['plan_id', 'region_code']) }}
        and v.source_file <> o.source_file
    group by v.plan_id, v.region_code, v.source_file

),

final as (

    select
        v.plan_id,
        v.region_code,
        v.source_file,
        v.plan_name,
        v.start_year,
        v.end_year,
        v.baseline_year,
        -- the previous period: the five years that end at the base year
        v.baseline_year - 4 as previous_first_year,
        v.baseline_year as previous_last_year,
        v.version_date,
        v.target_count,
        v.load_seq,
        case
            when c.later_versions > 0 then 'superseded'
            when c.conflicting_files is not null then 'rejected'
            else 'current'
        end as version_status,
        c.superseded_by,
        case
            when c.later_versions > 0
                then
                    '规划“' || v.plan_id || '”（' || v.region_code || '）已有更新的版本（' || c.superseded_by
                    || '），本版本（' || v.source_file || '）作为历史版本保留'
            when c.conflicting_files is not null then
                '规划“' || v.plan_id || '”（' || v.region_code || '）由多个文件定义（' || v.source_file || '、'
                || c.conflicting_files || '），版本日期相同或缺失，无法判断哪个版本有效，均不采用'
        end as status_reason_zh,
        case
            when c.later_versions > 0
                then
                    'plan '''
                    || v.plan_id
                    || ''' ('
                    || v.region_code
                    || ') has a later version ('
                    || c.superseded_by
                    || '); this version (' || v.source_file || ') is kept as superseded'
            when c.conflicting_files is not null then
                'plan ''' || v.plan_id || ''' (' || v.region_code || ') is defined by several files ('
                || v.source_file || ', ' || replace(c.conflicting_files, '、', ', ')
                || ') with equal or missing version dates: which one is in force cannot be told, none is used'
        end as status_reason_en
    from versions as v
    inner join compared as c
        on {{ keys_match('v', 'c', ['plan_id', 'region_code', 'source_file']) }}

)

select * from final
