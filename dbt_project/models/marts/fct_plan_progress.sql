-- One row per target of a plan in force (int_plan_targets), evaluated per docs/spec/indicators.md
-- and docs/spec/plans.md under its own plan's years (start, end, base; previous period = the
-- five years ending at the base year).
--
-- evaluated value: end_vs_base (and curb) — the end-year value once the plan is over (nothing
--   else: a missing end year is 数据不足, never an earlier year), else the latest complete plan
--   year after the base year (interim pace statuses). period_mean — the mean of the annual values
--   over the plan years (after the plan every plan year is required), the ratio-of-sums variant
--   in evaluated_value_ratio_of_sums. latest — the end year's reported value once the plan is
--   over, else the latest reported value after the base year. Only complete years count: the
--   current (partial) year of an outcome indicator never does.
-- change: end_vs_base / latest — the evaluated value against the base-year value
--   (change_basis base_year); period_mean — the plan period's mean against the previous
--   period's mean, every year of both periods required (change_basis previous_period_mean).
--   For an indicator in % or ‰ the change is the difference in percentage points (change_pp),
--   never a relative change; where no change can be shown, change_note_* says why.
-- The threshold is v_base × (100 − d) / 100 (exact for whole-number baselines: 20 × 67 / 100 =
-- 13.4, whereas 20 × (1 − 0.33) = 13.399999999999999), and comparisons use values rounded to 9
-- decimals, so that binary floating point never turns an exact hit into a miss.
-- is_change_significant: the exact test of macros/exact_test.sql on the base-year count against
--   the evaluated-year count (exposures: denominators for rates, 1 for counts). Null for
--   indicators that are not count-based, and for period-mean and latest evaluations.
{%- set target_keys = ['plan_id', 'region_code', 'seq'] %}
with

targets_in_force as (

    select * from {{ ref('int_plan_targets') }}

),

plans as (

    select * from {{ ref('dim_plan') }}

),

indicator_values as (

    select * from {{ ref('fct_indicator_values') }}

),

indicators as (

    select * from {{ ref('dim_indicator') }}

),

denominators as (

    select * from {{ ref('int_denominators_rolled_up') }}

),

targets as (

    select
        t.*,
        t.end_year - t.start_year + 1 as plan_year_count,
        p.is_over,
        i.kind,
        i.multiplier,
        i.denominator_measure,
        coalesce(i.is_count_based, false) as is_count_based,
        -- a percentage or a share changes in percentage points: factor from the unit to points
        case i.unit_en when '%' then 1.0 when 'per mille' then 0.1 end as points_per_unit
    from targets_in_force as t
    inner join plans as p
        on {{ keys_match('t', 'p', ['plan_id', 'region_code']) }}
    left join indicators as i
        on t.indicator_code = i.indicator_code

),

complete_values as (

    -- the years a target may use: complete years (an outcome indicator's current year is partial)
    select
        t.plan_id,
        t.region_code,
        t.seq,
        v.year,
        v.value,
        v.numerator,
        v.denominator,
        v.value_ci_low,
        v.value_ci_high
    from targets as t
    inner join indicator_values as v
        on {{ keys_match('t', 'v', ['region_code', 'indicator_code']) }}
    where not coalesce(v.is_current_year, false) or t.kind = 'capability'

),

baseline as (

    select
        t.plan_id,
        t.region_code,
        t.seq,
        v.value as baseline_value,
        v.numerator as baseline_numerator,
        v.denominator as baseline_denominator,
        v.value_ci_low as baseline_value_ci_low,
        v.value_ci_high as baseline_value_ci_high,
        d.data_status as baseline_denominator_status
    from targets as t
    inner join complete_values as v
        on {{ keys_match('t', 'v', target_keys) }}
        and t.baseline_year = v.year
    left join denominators as d
        on t.region_code = d.region_code
        and t.baseline_year = d.year
        and t.denominator_measure = d.measure

),

period_stats as (

    -- the plan years (start..end) and the previous period (the five years ending at the base year)
    select
        t.plan_id,
        t.region_code,
        t.seq,
        count(*) filter (where v.year between t.start_year and t.end_year) as years_complete,
        string_agg(cast(v.year as varchar), ',' order by v.year) filter (
            where v.year between t.start_year and t.end_year
        ) as complete_years,
        max(v.year) filter (where v.year between t.start_year and t.end_year) as latest_complete_year,
        {{ exact_mean('v.value', 'v.year between t.start_year and t.end_year') }} as mean_value,
        {{ exact_sum('v.numerator', 'v.year between t.start_year and t.end_year') }} as sum_numerator,
        {{ exact_sum('v.denominator', 'v.year between t.start_year and t.end_year') }} as sum_denominator,
        count(*) filter (where v.year between t.previous_first_year and t.previous_last_year)
            as previous_years_complete,
        {{ exact_mean('v.value', 'v.year between t.previous_first_year and t.previous_last_year') }}
            as previous_mean_value
    from targets as t
    inner join complete_values as v
        on {{ keys_match('t', 'v', target_keys) }}
    group by t.plan_id, t.region_code, t.seq

),

after_base as (

    -- the latest complete year after the base year, up to the end year (interim evaluations)
    select
        t.plan_id,
        t.region_code,
        t.seq,
        max(v.year) as latest_year
    from targets as t
    inner join complete_values as v
        on {{ keys_match('t', 'v', target_keys) }}
        and t.baseline_year < v.year
        and t.end_year >= v.year
    group by t.plan_id, t.region_code, t.seq

),

evaluated as (

    select
        t.*,
        b.baseline_value,
        b.baseline_numerator,
        b.baseline_denominator,
        b.baseline_value_ci_low,
        b.baseline_value_ci_high,
        b.baseline_denominator_status,
        coalesce(s.years_complete, 0) as years_complete,
        s.complete_years,
        coalesce(s.years_complete, 0) = t.plan_year_count as has_every_plan_year,
        coalesce(s.previous_years_complete, 0) = 5 as has_every_previous_year,
        case when s.previous_years_complete = 5 then s.previous_mean_value end as previous_period_mean,
        case
            when t.evaluation = 'period_mean'
                then
                    case
                        when t.is_over and coalesce(s.years_complete, 0) = t.plan_year_count then t.end_year
                        when not t.is_over then s.latest_complete_year
                    end
            -- after the plan the end year and nothing else
            when t.is_over then case when a.latest_year = t.end_year then t.end_year end
            else a.latest_year
        end as evaluated_year,
        case
            when t.evaluation = 'period_mean'
                and (not t.is_over or coalesce(s.years_complete, 0) = t.plan_year_count)
                then s.mean_value
        end as period_mean_value,
        case
            when t.evaluation = 'period_mean'
                and (not t.is_over or coalesce(s.years_complete, 0) = t.plan_year_count)
                then case
                        when t.kind = 'count' then s.sum_numerator / s.years_complete
                        when t.kind = 'rate' and s.sum_denominator > 0
                            then s.sum_numerator * t.multiplier / s.sum_denominator
                    end
        end as evaluated_value_ratio_of_sums
    from targets as t
    left join baseline as b
        on {{ keys_match('t', 'b', target_keys) }}
    left join period_stats as s
        on {{ keys_match('t', 's', target_keys) }}
    left join after_base as a
        on {{ keys_match('t', 'a', target_keys) }}

),

with_values as (

    select
        e.*,
        case when e.evaluation = 'period_mean' then e.period_mean_value else v.value end as evaluated_value,
        case when e.evaluation <> 'period_mean' then v.numerator end as evaluated_numerator,
        case when e.evaluation <> 'period_mean' then v.denominator end as evaluated_denominator,
        case
            when e.target_kind = 'decline_pct' and e.baseline_value is not null
                then e.baseline_value * (100 - e.target_value) / 100.0
            when e.target_kind in ('upper_bound', 'lower_bound') then e.target_value
        end as target_threshold
    from evaluated as e
    left join complete_values as v
        on {{ keys_match('e', 'v', target_keys) }}
        and e.evaluated_year = v.year

),

paced as (

    select
        w.*,
        case
            when w.target_kind = 'decline_pct' and w.target_value < 100
                then {{ required_yearly_change('w.target_value', 'w.end_year - w.baseline_year') }}
        end as required_yearly_change,
        case
            when w.target_kind = 'decline_pct' and w.baseline_value > 0 and w.evaluated_value > 0
                and w.evaluated_year > w.baseline_year
                then power(
                        w.evaluated_value / w.baseline_value,
                        1.0 / (w.evaluated_year - w.baseline_year)
                    ) - 1
        end as achieved_yearly_change,
        round(w.evaluated_value, 9) as v,
        round(w.target_threshold, 9) as thr
    from with_values as w

),

statused as (

    select
        p.*,
        case
            when p.required_yearly_change < 0 and p.achieved_yearly_change is not null
                then p.achieved_yearly_change / p.required_yearly_change
        end as pace_ratio,
        case
            when p.target_kind = 'curb' then 'no_verdict'
            when p.kind is null then 'insufficient_data'
            when p.evaluated_value is null then 'insufficient_data'
            when p.target_kind = 'decline_pct'
                then
                    case
                        when p.baseline_value is null or p.evaluated_year is null then 'insufficient_data'
                        when p.baseline_value = 0
                            then
                                case when p.v <= 0 then 'achieved' else 'worsening' end
                        -- "下降15%以上" (>=) is met at the threshold; a strict ">" is not
                        when (p.comparator = '>' and p.v < p.thr)
                            or (coalesce(p.comparator, '>=') <> '>' and p.v <= p.thr)
                            then 'achieved'
                        when p.is_over then 'not_achieved'
                        when p.achieved_yearly_change is null then 'insufficient_data'
                        else {{ pace_status('p.achieved_yearly_change', 'p.required_yearly_change') }}
                    end
            when p.target_kind in ('upper_bound', 'lower_bound')
                then
                    case
                        when (p.comparator = '<' and p.v < p.thr)
                            or (p.comparator = '<=' and p.v <= p.thr)
                            or (p.comparator = '>' and p.v > p.thr)
                            or (p.comparator = '>=' and p.v >= p.thr)
                            then 'achieved'
                        when p.comparator in ('<', '<=', '>', '>=') then 'not_achieved'
                        else 'insufficient_data'
                    end
            else 'insufficient_data'
        end as status
    from paced as p

),

changed as (

    -- the change shown beside the verdict, its basis, and why none is shown
    select
        s.*,
        case when s.evaluation = 'period_mean' then 'previous_period_mean' else 'base_year' end
            as change_basis,
        case when s.evaluation = 'period_mean' then s.previous_period_mean else s.baseline_value end
            as change_from,
        case
            when s.evaluation = 'period_mean' and s.has_every_plan_year then s.evaluated_value
            when s.evaluation <> 'period_mean' then s.evaluated_value
        end as change_to
    from statused as s

),

noted as (

    -- why no change is shown (null when one is), decided once for the Chinese and English notes
    select
        c.*,
        case
            when c.change_to is not null and c.change_from is not null
                and (c.points_per_unit is not null or c.change_from <> 0) then null
            when c.evaluation = 'period_mean' and not c.has_every_previous_year
                then 'previous_period_incomplete'
            when c.evaluation = 'period_mean' and not c.has_every_plan_year then 'plan_period_incomplete'
            when c.change_from is null then 'baseline_incomplete'
            when c.change_from = 0 and c.change_to is not null and c.evaluation = 'period_mean'
                then 'previous_period_mean_zero'
            when c.change_from = 0 and c.change_to is not null then 'baseline_zero'
            when c.change_to is null then 'nothing_to_evaluate'
        end as no_change_reason
    from changed as c

),

sig_inputs as (

    select
        plan_id,
        region_code,
        seq,
        cast(round(baseline_numerator) as bigint) as x1,
        cast(round(evaluated_numerator) as bigint) as x2,
        case when kind = 'rate' then baseline_denominator else 1.0 end as e1,
        case when kind = 'rate' then evaluated_denominator else 1.0 end as e2
    from changed
    where is_count_based
        and evaluation not in ('period_mean', 'latest')
        and target_kind in ('decline_pct', 'curb')
        and baseline_numerator is not null
        and evaluated_numerator is not null
        and evaluated_year <> baseline_year

),

{{ exact_test_ctes('sig_inputs', target_keys) }},

final as (

    select
        c.plan_id,
        c.region_code,
        c.seq,
        c.indicator_code,
        c.indicator_name_as_printed,
        c.target_kind,
        c.comparator,
        c.target_value,
        c.unit,
        c.baseline_year,
        c.baseline_value,
        c.baseline_value_printed_number as baseline_value_printed,
        case
            when c.baseline_value is null or c.baseline_value_printed_number is null then null
            else abs(c.baseline_value - c.baseline_value_printed_number)
                > 0.5 * power(10, -coalesce(c.baseline_printed_decimals, 0)) + 1e-12
        end as is_baseline_different,
        c.target_threshold,
        c.evaluated_year,
        c.evaluated_value,
        case
            when c.points_per_unit is null and c.change_from <> 0 and c.change_to is not null
                then {{ change_pct('c.change_to', 'c.change_from') }}
        end as change_pct,
        c.status,
        {{ status_zh('c.status') }} as status_zh,
        case
            when c.evaluated_value is null or c.target_threshold is null then null
            when c.target_kind = 'lower_bound' then c.target_threshold - c.evaluated_value
            else c.evaluated_value - c.target_threshold
        end as gap_to_target,
        sig.is_significant as is_change_significant,
        c.years_complete,
        c.note,
        -- the plan's years
        c.plan_name,
        c.start_year,
        c.end_year,
        c.previous_first_year,
        c.previous_last_year,
        c.is_over as is_plan_over,
        -- the change shown and its basis
        case
            when c.points_per_unit is not null and c.change_to is not null and c.change_from is not null
                then (c.change_to - c.change_from) * c.points_per_unit
        end as change_pp,
        c.change_basis,
        c.previous_period_mean,
        case c.no_change_reason
            when 'previous_period_incomplete'
                then '上一规划期（' || c.previous_first_year || '—' || c.previous_last_year
                    || '年）有年份数据不完整，不计算变化'
            when 'plan_period_incomplete'
                then '规划期（' || c.start_year || '—' || c.end_year || '年）尚有年份无完整数据，不计算变化'
            when 'baseline_incomplete' then '基期（' || c.baseline_year || '年）数据不完整，不计算变化'
            when 'previous_period_mean_zero' then '上一规划期年均值为0，不计算变化率'
            when 'baseline_zero' then '基期值为0，不计算变化率'
            when 'nothing_to_evaluate' then '无可评估的数据，不计算变化'
        end as change_note_zh,
        case c.no_change_reason
            when 'previous_period_incomplete'
                then 'the previous period (' || c.previous_first_year || '–' || c.previous_last_year
                    || ') has incomplete years: no change'
            when 'plan_period_incomplete'
                then 'the plan period (' || c.start_year || '–' || c.end_year
                    || ') has years without complete data: no change'
            when 'baseline_incomplete'
                then 'the base year (' || c.baseline_year || ') is incomplete: no change'
            when 'previous_period_mean_zero' then 'the previous period''s mean is 0: no relative change'
            when 'baseline_zero' then 'the baseline is 0: no relative change'
            when 'nothing_to_evaluate' then 'nothing to evaluate: no change'
        end as change_note_en,
        -- how firm the baseline is: its interval (counts) and its denominator's vintage
        c.baseline_value_ci_low,
        c.baseline_value_ci_high,
        c.baseline_denominator_status,
        c.attribute,
        c.evaluation,
        c.kind as indicator_kind,
        c.is_count_based,
        c.complete_years,
        c.evaluated_value_ratio_of_sums,
        c.required_yearly_change * 100 as required_yearly_change_pct,
        c.achieved_yearly_change * 100 as achieved_yearly_change_pct,
        c.pace_ratio,
        case when c.target_kind = 'curb' then c.previous_period_mean end as curb_reference_mean,
        c.baseline_numerator,
        c.evaluated_numerator,
        sig.p_value as change_p_value
    from noted as c
    left join sig_inputs_p_values as sig
        on {{ keys_match('c', 'sig', target_keys) }}

)

select * from final
