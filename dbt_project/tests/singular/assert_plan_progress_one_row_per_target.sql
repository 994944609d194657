-- fct_plan_progress has exactly one row per row of plan_targets.csv. Returns the difference.
with

targets as (

    select count(*) as n from {{ ref('plan_targets') }}

),

progress as (

    select count(*) as n from {{ ref('fct_plan_progress') }}

),

final as (

    select t.n as targets, p.n as progress_rows
    from targets as t
    cross join progress as p
    where t.n <> p.n

)

select * from final
