-- The targets of the plans in force (the current version of each plan, int_plan_versions), one
-- row per target, with its plan's years: a target is evaluated under its own plan's start, end
-- and base year, and its previous period is the five years that end at the base year
-- (docs/spec/plans.md). Nothing about a plan's years is a global setting.
with

target_versions as (

    select * from {{ ref('int_plan_target_versions') }}
    where version_status = 'current'

),

final as (

    select * exclude (version_status)
    from target_versions

)

select * from final
