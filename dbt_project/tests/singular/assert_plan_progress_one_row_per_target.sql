-- fct_plan_progress has exactly one row per plan target (int_plan_targets). Returns the difference.
{# Dagster shows this test as a check of the model it is about (it reads several). #}
{{ config(meta={'dagster': {'ref': {'name': 'fct_plan_progress'}}}) }}

with

targets as (

    select count(*) as n from {{ ref('int_plan_targets') }}

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
