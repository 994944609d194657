-- One row per plan target (seeds/plan_targets.csv), evaluated per docs/spec/indicators.md.
--
-- evaluation end_vs_base: the end-year value when the end year is complete, otherwise the latest
--   complete plan year (interim pace statuses). period_mean: the mean of the annual values over
--   the plan years (after the plan end all of them are required, else 数据不足); the
--   ratio-of-sums variant is in evaluated_value_ratio_of_sums. latest: the latest reported value
--   up to the plan end year.
-- The threshold is v_base × (100 − d) / 100 (exact for whole-number baselines: 20 × 67 / 100 = 13.4,
-- whereas 20 × (1 − 0.33) = 13.399999999999999), and comparisons use values rounded to 9 decimals,
-- so that binary floating point never turns an exact hit into a miss.
-- is_change_significant: exact conditional binomial test of the base-year count x1 against the
--   evaluated-year count x2 with exposures e1, e2 (denominators for rates, 1 for counts): given
--   n = x1 + x2, x2 ~ Binomial(n, e2 / (e1 + e2)) under "no change in the underlying rate";
--   two-sided p-value = sum of the probabilities not above that of the observed x2; significant
--   when p < 0.05. Null for non-count indicators and period-mean/latest evaluations.
with

targets_seed as (

    select * from {{ ref('int_plan_targets') }}

),

indicator_values as (

    select * from {{ ref('fct_indicator_values') }}

),

indicators as (

    select * from {{ ref('dim_indicator') }}

),

calendar as (

    select * from {{ ref('int_calendar_years') }}

),

plan_state as (

    -- the plan is over once every month of its end year is due
    select
        coalesce(max(case when year = {{ var('plan_end_year') }} then months_due end), 0) = 12
            as is_plan_over
    from calendar

),

targets as (

    select
        t.plan_id,
        cast(t.region_code as varchar) as region_code,
        cast(t.seq as integer) as seq,
        t.indicator_code,
        t.indicator_name_as_printed,
        t.target_kind,
        t.comparator,
        cast(t.target_value as double) as target_value,
        t.unit,
        cast(coalesce(t.baseline_year, {{ var('baseline_year') }}) as integer) as baseline_year,
        try_cast(t.baseline_value as double) as baseline_value_printed,
        -- decimals printed, for "differs beyond rounding"
        case
            when strpos(cast(t.baseline_value as varchar), '.') > 0
                then length(cast(t.baseline_value as varchar)) - strpos(cast(t.baseline_value as varchar), '.')
            else 0
        end as baseline_printed_decimals,
        t.attribute,
        t.evaluation,
        t.note,
        i.kind,
        i.multiplier,
        coalesce(i.is_count_based, false) as is_count_based
    from targets_seed as t
    left join indicators as i
        on t.indicator_code = i.indicator_code

),

baseline as (

    select
        t.plan_id,
        t.region_code,
        t.seq,
        v.value as baseline_value,
        v.numerator as baseline_numerator,
        v.denominator as baseline_denominator
    from targets as t
    inner join indicator_values as v
        on v.region_code = t.region_code
        and v.indicator_code = t.indicator_code
        and v.year = t.baseline_year

),

plan_year_values as (

    select
        t.plan_id,
        t.region_code,
        t.seq,
        v.year,
        v.value,
        v.numerator,
        v.denominator
    from targets as t
    inner join indicator_values as v
        on v.region_code = t.region_code
        and v.indicator_code = t.indicator_code
        and v.year between {{ var('plan_start_year') }} and {{ var('plan_end_year') }}

),

plan_year_stats as (

    select
        plan_id,
        region_code,
        seq,
        count(*) as years_complete,
        string_agg(cast(year as varchar), ',' order by year) as complete_years,
        max(year) as latest_complete_year,
        avg(value) as mean_value,
        sum(numerator) as sum_numerator,
        sum(denominator) as sum_denominator
    from plan_year_values
    group by plan_id, region_code, seq

),

latest_reported as (

    -- for `latest` evaluations: the latest year with a value, up to the plan end year
    select plan_id, region_code, seq, year, value
    from (
        select
            t.plan_id,
            t.region_code,
            t.seq,
            v.year,
            v.value,
            row_number() over (partition by t.plan_id, t.region_code, t.seq order by v.year desc) as rn
        from targets as t
        inner join indicator_values as v
            on v.region_code = t.region_code
            and v.indicator_code = t.indicator_code
            and v.year <= {{ var('plan_end_year') }}
    ) as ranked
    where rn = 1

),

curb_reference as (

    -- the 2016–2020 average a curb target is shown against (all five years required)
    select
        t.plan_id,
        t.region_code,
        t.seq,
        case when count(*) = {{ var('baseline_year') }} - {{ var('curb_reference_first_year') }} + 1 then avg(v.value) end
            as reference_mean
    from targets as t
    inner join indicator_values as v
        on v.region_code = t.region_code
        and v.indicator_code = t.indicator_code
        and v.year between {{ var('curb_reference_first_year') }} and {{ var('baseline_year') }}
    group by t.plan_id, t.region_code, t.seq

),

evaluated as (

    select
        t.*,
        b.baseline_value,
        b.baseline_numerator,
        b.baseline_denominator,
        coalesce(s.years_complete, 0) as years_complete,
        s.complete_years,
        c.reference_mean as curb_reference_mean,
        p.is_plan_over,
        case
            when t.evaluation = 'period_mean' then
                case
                    when p.is_plan_over and coalesce(s.years_complete, 0)
                        = {{ var('plan_end_year') }} - {{ var('plan_start_year') }} + 1
                        then {{ var('plan_end_year') }}
                    when not p.is_plan_over then s.latest_complete_year
                end
            when t.evaluation = 'latest' then l.year
            else case when s.latest_complete_year > t.baseline_year then s.latest_complete_year end
        end as evaluated_year,
        case
            when t.evaluation = 'period_mean' then
                case
                    when p.is_plan_over and coalesce(s.years_complete, 0)
                        = {{ var('plan_end_year') }} - {{ var('plan_start_year') }} + 1
                        then s.mean_value
                    when not p.is_plan_over then s.mean_value
                end
            when t.evaluation = 'latest' then l.value
        end as period_or_latest_value,
        case
            when t.evaluation = 'period_mean'
                and (not p.is_plan_over or coalesce(s.years_complete, 0)
                    = {{ var('plan_end_year') }} - {{ var('plan_start_year') }} + 1)
                then case
                    when t.kind = 'count' then s.sum_numerator / s.years_complete
                    when t.kind = 'rate' and s.sum_denominator > 0
                        then s.sum_numerator * t.multiplier / s.sum_denominator
                end
        end as evaluated_value_ratio_of_sums
    from targets as t
    cross join plan_state as p
    left join baseline as b
        on b.plan_id = t.plan_id and b.region_code = t.region_code and b.seq = t.seq
    left join plan_year_stats as s
        on s.plan_id = t.plan_id and s.region_code = t.region_code and s.seq = t.seq
    left join latest_reported as l
        on l.plan_id = t.plan_id and l.region_code = t.region_code and l.seq = t.seq
    left join curb_reference as c
        on c.plan_id = t.plan_id and c.region_code = t.region_code and c.seq = t.seq

),

with_values as (

    select
        e.*,
        coalesce(e.period_or_latest_value, v.value) as evaluated_value,
        v.numerator as evaluated_numerator,
        v.denominator as evaluated_denominator,
        case
            when e.target_kind = 'decline_pct' and e.baseline_value is not null
                then e.baseline_value * (100 - e.target_value) / 100.0
            when e.target_kind in ('upper_bound', 'lower_bound') then e.target_value
        end as target_threshold
    from evaluated as e
    left join indicator_values as v
        on e.evaluation not in ('period_mean', 'latest')
        and v.region_code = e.region_code
        and v.indicator_code = e.indicator_code
        and v.year = e.evaluated_year

),

paced as (

    select
        w.*,
        case
            when w.target_kind = 'decline_pct' and w.target_value < 100
                then power(1 - w.target_value / 100.0,
                    1.0 / ({{ var('plan_end_year') }} - w.baseline_year)) - 1
        end as required_yearly_change,
        case
            when w.target_kind = 'decline_pct' and w.baseline_value > 0 and w.evaluated_value > 0
                and w.evaluated_year > w.baseline_year
                then power(w.evaluated_value / w.baseline_value,
                    1.0 / (w.evaluated_year - w.baseline_year)) - 1
        end as achieved_yearly_change
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
            when p.target_kind = 'decline_pct' then
                case
                    when p.baseline_value is null or p.evaluated_year is null then 'insufficient_data'
                    when p.baseline_value = 0 then
                        case when round(p.evaluated_value, 9) <= 0 then 'achieved' else 'worsening' end
                    when round(p.evaluated_value, 9) <= round(p.target_threshold, 9) then 'achieved'
                    when p.evaluated_year >= {{ var('plan_end_year') }} then 'not_achieved'
                    when p.achieved_yearly_change is null then 'insufficient_data'
                    when p.achieved_yearly_change / p.required_yearly_change >= 0.95 then 'on_track'
                    when p.achieved_yearly_change / p.required_yearly_change >= 0.60 then 'needs_acceleration'
                    when p.achieved_yearly_change / p.required_yearly_change >= 0 then 'limited'
                    else 'worsening'
                end
            when p.target_kind in ('upper_bound', 'lower_bound') then
                case
                    when (p.comparator = '<' and round(p.evaluated_value, 9) < round(p.target_threshold, 9))
                        or (p.comparator = '<=' and round(p.evaluated_value, 9) <= round(p.target_threshold, 9))
                        or (p.comparator = '>' and round(p.evaluated_value, 9) > round(p.target_threshold, 9))
                        or (p.comparator = '>=' and round(p.evaluated_value, 9) >= round(p.target_threshold, 9))
                        then 'achieved'
                    when p.comparator in ('<', '<=', '>', '>=') then 'not_achieved'
                    else 'insufficient_data'
                end
            else 'insufficient_data'
        end as status
    from paced as p

),

significance_inputs as (

    select
        plan_id,
        region_code,
        seq,
        cast(round(baseline_numerator) as bigint) as x1,
        cast(round(evaluated_numerator) as bigint) as x2,
        case when kind = 'rate' then baseline_denominator else 1.0 end as e1,
        case when kind = 'rate' then evaluated_denominator else 1.0 end as e2
    from statused
    where is_count_based
        and evaluation not in ('period_mean', 'latest')
        and target_kind in ('decline_pct', 'curb')
        and baseline_numerator is not null
        and evaluated_numerator is not null
        and evaluated_year <> baseline_year

),

binomial_terms as (

    select
        plan_id,
        region_code,
        seq,
        x1,
        x2,
        x1 + x2 as n,
        e2 / (e1 + e2) as p0,
        unnest(range(0, x1 + x2 + 1)) as k
    from significance_inputs
    where x1 + x2 > 0
        and e1 > 0
        and e2 > 0

),

binomial_pmf as (

    select
        plan_id,
        region_code,
        seq,
        k,
        x2,
        exp(lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1) + k * ln(p0) + (n - k) * ln(1 - p0)) as pmf
    from binomial_terms

),

p_values as (

    select
        t.plan_id,
        t.region_code,
        t.seq,
        least(1.0, sum(case when t.pmf <= o.pmf * (1 + 1e-7) then t.pmf else 0 end)) as p_value
    from binomial_pmf as t
    inner join binomial_pmf as o
        on o.plan_id = t.plan_id
        and o.region_code = t.region_code
        and o.seq = t.seq
        and o.k = o.x2
    group by t.plan_id, t.region_code, t.seq

),

final as (

    select
        s.plan_id,
        s.region_code,
        s.seq,
        s.indicator_code,
        s.indicator_name_as_printed,
        s.target_kind,
        s.comparator,
        s.target_value,
        s.unit,
        s.baseline_year,
        s.baseline_value,
        s.baseline_value_printed,
        case
            when s.baseline_value is null or s.baseline_value_printed is null then null
            else abs(s.baseline_value - s.baseline_value_printed)
                > 0.5 * power(10, -s.baseline_printed_decimals) + 1e-12
        end as is_baseline_different,
        s.target_threshold,
        s.evaluated_year,
        s.evaluated_value,
        case
            when s.baseline_value is not null and s.baseline_value <> 0 and s.evaluated_value is not null
                then (s.evaluated_value - s.baseline_value) * 100.0 / s.baseline_value
        end as change_pct,
        s.status,
        {{ status_zh('s.status') }} as status_zh,
        case
            when s.evaluated_value is null or s.target_threshold is null then null
            when s.target_kind = 'lower_bound' then s.target_threshold - s.evaluated_value
            else s.evaluated_value - s.target_threshold
        end as gap_to_target,
        case
            when sig.x1 is null then null
            when sig.x1 + sig.x2 = 0 then false
            else pv.p_value < 0.05
        end as is_change_significant,
        s.years_complete,
        s.note,
        -- added columns
        s.attribute,
        s.evaluation,
        s.kind as indicator_kind,
        s.complete_years,
        s.is_plan_over,
        s.evaluated_value_ratio_of_sums,
        s.required_yearly_change * 100 as required_yearly_change_pct,
        s.achieved_yearly_change * 100 as achieved_yearly_change_pct,
        s.pace_ratio,
        s.curb_reference_mean,
        s.baseline_numerator,
        s.evaluated_numerator,
        case when sig.x1 + sig.x2 = 0 then 1.0 else pv.p_value end as change_p_value
    from statused as s
    left join significance_inputs as sig
        on sig.plan_id = s.plan_id and sig.region_code = s.region_code and sig.seq = s.seq
    left join p_values as pv
        on pv.plan_id = s.plan_id and pv.region_code = s.region_code and pv.seq = s.seq

)

select * from final
