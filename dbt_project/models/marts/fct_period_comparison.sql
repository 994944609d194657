-- The final evaluation of an ended plan (总结评估, docs/spec/plans.md): for each jurisdiction of a
-- plan that is over, and each of its county-level units, every outcome indicator it has data for
-- (targeted or not), the previous period (the five years ending at the plan's base year) against
-- the plan period: the total over each period for count indicators (e.g. 十四五 cumulative
-- deaths), the mean of the annual values for every indicator, and the change — relative, or in
-- percentage points for an indicator in % or ‰. Every year of both periods must be complete,
-- otherwise missing_years lists the years without a complete value and no change is shown.
-- is_change_significant: the exact test (macros/exact_test.sql) on the period totals of a
-- count-based indicator (exposures: the summed denominators for rates, the years for counts).
with

plans as (

    select * from {{ ref('dim_plan') }}
    where is_over

),

bridge as (

    select * from {{ ref('int_region_rollup_bridged') }}
    where is_county_level_member

),

indicator_values as (

    select * from {{ ref('fct_indicator_values') }}
    where not is_current_year

),

indicators as (

    select * from {{ ref('dim_indicator') }}
    where kind in ('count', 'rate')

),

jurisdiction_members as (

    -- a jurisdiction itself and its county-level units
    select
        rollup_region_code as jurisdiction_code,
        rollup_region_code as region_code
    from bridge
    union
    select
        rollup_region_code as jurisdiction_code,
        county_region_code as region_code
    from bridge

),

periods as (

    -- the jurisdiction itself and its county-level units, under each ended plan's periods
    select distinct
        r.region_code,
        p.previous_first_year,
        p.previous_last_year,
        p.start_year as first_year,
        p.end_year as last_year
    from plans as p
    inner join jurisdiction_members as r
        on p.region_code = r.jurisdiction_code

),

period_values as (

    select
        p.*,
        v.indicator_code,
        v.year,
        v.value,
        v.numerator,
        v.denominator,
        v.year <= p.previous_last_year as is_previous
    from periods as p
    inner join indicator_values as v
        on p.region_code = v.region_code
        and (
            v.year between p.previous_first_year and p.previous_last_year
            or v.year between p.first_year and p.last_year
        )
    inner join indicators as i
        on v.indicator_code = i.indicator_code

),

stats as (

    select
        region_code,
        indicator_code,
        previous_first_year,
        previous_last_year,
        first_year,
        last_year,
        count(*) filter (where is_previous) as previous_years_complete,
        count(*) filter (where not is_previous) as years_complete,
        {{ exact_mean('value', 'is_previous') }} as previous_mean_all,
        {{ exact_mean('value', 'not is_previous') }} as mean_all,
        {{ exact_sum('numerator', 'is_previous') }} as previous_numerator_sum,
        {{ exact_sum('numerator', 'not is_previous') }} as numerator_sum,
        {{ exact_sum('denominator', 'is_previous') }} as previous_denominator_sum,
        {{ exact_sum('denominator', 'not is_previous') }} as denominator_sum,
        list(year) as complete_years
    from period_values
    group by region_code, indicator_code, previous_first_year, previous_last_year, first_year, last_year

),

judged as (

    select
        s.*,
        i.kind,
        coalesce(i.is_count_based, false) as is_count_based,
        case i.unit_en when '%' then 1.0 when 'per mille' then 0.1 end as points_per_unit,
        s.previous_years_complete = s.previous_last_year - s.previous_first_year + 1 as is_previous_complete,
        s.years_complete = s.last_year - s.first_year + 1 as is_plan_complete,
        list_filter(
            range(s.previous_first_year, s.previous_last_year + 1) || range(s.first_year, s.last_year + 1),
            lambda y: not list_contains(s.complete_years, y)  -- noqa: RF02
        ) as missing_year_list
    from stats as s
    inner join indicators as i
        on s.indicator_code = i.indicator_code

),

sig_inputs as (

    select
        region_code,
        indicator_code,
        first_year,
        last_year,
        cast(round(previous_numerator_sum) as bigint) as x1,
        cast(round(numerator_sum) as bigint) as x2,
        case when kind = 'rate' then previous_denominator_sum else previous_years_complete end as e1,
        case when kind = 'rate' then denominator_sum else years_complete end as e2
    from judged
    where is_count_based
        and is_previous_complete
        and is_plan_complete

),

{{ exact_test_ctes('sig_inputs', ['region_code', 'indicator_code', 'first_year', 'last_year']) }},

final as (

    select
        j.region_code,
        j.indicator_code,
        j.previous_first_year,
        j.previous_last_year,
        j.first_year,
        j.last_year,
        case when j.kind = 'count' and j.is_previous_complete then j.previous_numerator_sum end
            as previous_total,
        case when j.kind = 'count' and j.is_plan_complete then j.numerator_sum end as total,
        case when j.is_previous_complete then j.previous_mean_all end as previous_mean,
        case when j.is_plan_complete then j.mean_all end as mean,
        case
            when j.is_previous_complete and j.is_plan_complete and j.points_per_unit is null
                and j.previous_mean_all <> 0
                then (j.mean_all - j.previous_mean_all) * 100.0 / j.previous_mean_all
        end as change_pct,
        case
            when j.is_previous_complete and j.is_plan_complete and j.points_per_unit is not null
                then (j.mean_all - j.previous_mean_all) * j.points_per_unit
        end as change_pp,
        case when len(j.missing_year_list) > 0 then array_to_string(j.missing_year_list, ',') end
            as missing_years,
        j.previous_years_complete,
        j.years_complete,
        case when j.is_previous_complete then j.previous_numerator_sum end as previous_numerator_total,
        case when j.is_plan_complete then j.numerator_sum end as numerator_total,
        sig.is_significant as is_change_significant,
        sig.p_value as change_p_value
    from judged as j
    left join sig_inputs_p_values as sig
        on {{ keys_match('j', 'sig', ['region_code', 'indicator_code', 'first_year', 'last_year']) }}

)

select * from final
