-- fct_plan_progress against the plan targets it must cover one for one: every progress row and
-- every target, matched on (plan, region, seq). A target without a progress row has
-- is_progress_known false; a progress row without a target has is_target_known false.
with

progress as (

    select * from {{ ref('fct_plan_progress') }}

),

plan_targets as (

    select * from {{ ref('int_plan_targets') }}

),

final as (

    select
        coalesce(p.plan_id, t.plan_id) as plan_id,
        coalesce(p.region_code, t.region_code) as region_code,
        coalesce(p.seq, t.seq) as seq,
        p.status,
        p.status_zh,
        p.evaluated_year,
        t.plan_id is not null as is_target_known,
        p.plan_id is not null as is_progress_known,
        coalesce(p.evaluated_year, 0) - {{ as_of_year() }} as years_after_as_of
    from progress as p
    full outer join plan_targets as t
        on {{ keys_match('p', 't', ['plan_id', 'region_code', 'seq']) }}

)

select * from final
