-- The running plan, this year to date (年内监测, docs/spec/plans.md): for each target on a count
-- indicator of a plan being monitored — decline_pct (the pace), upper_bound (already above the
-- bound?) and curb (shown, no verdict) — the value January..the monitoring month of the as-of
-- year against the same months of the year before. The required yearly change of a decline d
-- is (1 − d)^(1/n) − 1 with n = end year − base year; the year-to-date change over it gives the
-- pace statuses (符合进度 ≥ 95%, 需加快 60–95%, 进展缓慢 0–60%, 逆向变化 < 0); a previous-year
-- 0 gives 符合进度 when this year is 0 too and 逆向变化 otherwise. Always provisional, never a
-- verdict. is_change_significant: the exact test of macros/exact_test.sql (exposures 1).
{%- set target_keys = ['plan_id', 'region_code', 'seq'] %}
with

targets as (

    select * from {{ ref('int_plan_targets') }}

),

plans as (

    select * from {{ ref('dim_plan') }}
    where stage = 'monitoring'

),

indicators as (

    select * from {{ ref('dim_indicator') }}
    where kind = 'count'

),

ytd_counts as (

    select * from {{ ref('fct_ytd_comparison') }}

),

monitored as (

    select
        t.plan_id,
        t.region_code,
        t.seq,
        t.indicator_code,
        t.target_kind,
        t.comparator,
        t.target_value,
        t.end_year,
        t.baseline_year,
        p.monitoring_year as year,
        p.monitoring_month as through_month
    from targets as t
    inner join plans as p
        on {{ keys_match('t', 'p', ['plan_id', 'region_code']) }}
    inner join indicators as i
        on t.indicator_code = i.indicator_code
    where t.target_kind in ('decline_pct', 'upper_bound', 'curb')

),

valued as (

    select
        m.*,
        -- the jurisdiction's year to date (fct_ytd_comparison: its year-to-date month is the
        -- monitoring month); a register the jurisdiction does not keep has no events: 0; without
        -- a monitoring month there is no value
        case when m.through_month is not null then coalesce(y.value_ytd, 0) end as ytd_value,
        case when m.through_month is not null then coalesce(y.prior_year_value_same_months, 0) end
            as prior_ytd_value,
        case
            when m.target_kind = 'decline_pct'
                then {{ required_yearly_change('m.target_value', 'm.end_year - m.baseline_year') }}
        end as required_yearly_change
    from monitored as m
    left join ytd_counts as y
        on {{ keys_match('m', 'y', ['region_code', 'indicator_code', 'year']) }}

),

statused as (

    select
        v.*,
        case
            when v.prior_ytd_value > 0 then (v.ytd_value - v.prior_ytd_value) / v.prior_ytd_value
        end as ytd_change,
        case
            when v.target_kind = 'upper_bound' and v.ytd_value is not null
                then (v.comparator = '<' and v.ytd_value >= v.target_value)
                    or (v.comparator = '<=' and v.ytd_value > v.target_value)
        end as is_above_bound
    from valued as v

),

judged as (

    select
        s.*,
        case
            when s.ytd_value is null then 'insufficient_data'
            when s.target_kind = 'curb' then 'no_verdict'
            when s.target_kind = 'upper_bound'
                then
                    case when s.is_above_bound then 'bound_exceeded' else 'within_bound' end
            when s.prior_ytd_value = 0 then case when s.ytd_value = 0 then 'on_track' else 'worsening' end
            else {{ pace_status('s.ytd_change', 's.required_yearly_change') }}
        end as status
    from statused as s

),

sig_inputs as (

    select
        plan_id,
        region_code,
        seq,
        cast(round(prior_ytd_value) as bigint) as x1,
        cast(round(ytd_value) as bigint) as x2,
        1.0 as e1,
        1.0 as e2
    from judged
    where ytd_value is not null

),

{{ exact_test_ctes('sig_inputs', target_keys) }},

final as (

    select
        j.plan_id,
        j.region_code,
        j.seq,
        j.indicator_code,
        j.year,
        j.through_month,
        j.ytd_value,
        j.prior_ytd_value,
        j.ytd_change * 100 as ytd_change_pct,
        j.required_yearly_change * 100 as required_yearly_change_pct,
        case when j.required_yearly_change < 0 then j.ytd_change / j.required_yearly_change end as pace_ratio,
        j.status,
        {{ status_zh('j.status') }} as status_zh,
        sig.is_significant as is_change_significant,
        sig.p_value as change_p_value,
        j.is_above_bound,
        j.target_kind,
        j.comparator,
        j.target_value
    from judged as j
    left join sig_inputs_p_values as sig
        on {{ keys_match('j', 'sig', target_keys) }}

)

select * from final
