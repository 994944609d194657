-- The targets the outlook projects (int_plan_outlook_projected, docs/spec/plans.md 目标可达性):
-- the decline and bound targets of the running plans (dim_plan stage monitoring) on an outcome
-- indicator (a count or a rate), evaluated at the end of the plan or as a period mean, with what
-- the fit needs: the target threshold of fct_plan_progress and the indicator's kind and multiplier.
with

progress as (

    select * from {{ ref('fct_plan_progress') }}

),

running as (

    select plan_id, region_code from {{ ref('dim_plan') }}
    where stage = 'monitoring'

),

indicators as (

    select * from {{ ref('dim_indicator') }}

),

final as (

    select
        p.plan_id,
        p.region_code,
        p.seq,
        p.indicator_code,
        p.evaluation,
        p.target_kind,
        p.comparator,
        p.target_threshold,
        p.start_year,
        p.end_year,
        p.is_count_based,
        i.kind,
        i.multiplier
    from progress as p
    inner join running as r
        on {{ keys_match('p', 'r', ['plan_id', 'region_code']) }}
    inner join indicators as i
        on p.indicator_code = i.indicator_code
    where p.target_kind in ('decline_pct', 'upper_bound', 'lower_bound')
        and i.kind in ('count', 'rate')
        and p.evaluation in ('end_vs_base', 'period_mean')

)

select * from final
