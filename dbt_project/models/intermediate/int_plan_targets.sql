-- The targets of the plans in force (the current version of each plan, int_plan_versions), one
-- row per target, with its plan's years: a target is evaluated under its own plan's start, end
-- and base year, and its previous period is the five years that end at the base year
-- (docs/spec/plans.md). Nothing about a plan's years is a global setting.
with

targets as (

    select * from {{ ref('stg_plans__targets') }}

),

versions as (

    select * from {{ ref('int_plan_versions') }}
    where version_status = 'current'

),

final as (

    select
        t.plan_id,
        t.region_code,
        t.seq,
        t.indicator_code,
        t.indicator_name_as_printed,
        t.target_kind,
        t.comparator,
        t.target_value,
        t.unit,
        t.baseline_value_printed,
        t.baseline_value_printed_number,
        t.baseline_printed_decimals,
        coalesce(t.attribute, 'unspecified') as attribute,
        t.evaluation,
        t.note,
        v.plan_name,
        v.start_year,
        v.end_year,
        v.baseline_year,
        v.previous_first_year,
        v.previous_last_year,
        v.version_date,
        v.source_file,
        t.source_row_number
    from targets as t
    inner join versions as v
        on {{ keys_match('t', 'v', ['plan_id', 'region_code', 'source_file']) }}

)

select * from final
