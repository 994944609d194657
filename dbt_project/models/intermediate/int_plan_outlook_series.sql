-- The yearly series the outlook fits (int_plan_outlook_projected): the published values
-- (fct_indicator_values, so that the outlook projects the numbers the reports show) of the
-- complete years only (not the current year), for the region and indicator of each target of
-- int_plan_outlook_targets.
with

targeted as (

    select distinct region_code, indicator_code from {{ ref('int_plan_outlook_targets') }}

),

complete_values as (

    select * from {{ ref('fct_indicator_values') }}
    where not coalesce(is_current_year, false)

),

final as (

    select
        v.region_code,
        v.indicator_code,
        v.year,
        v.numerator,
        v.denominator,
        v.value
    from complete_values as v
    inner join targeted as t
        on {{ keys_match('v', 't', ['region_code', 'indicator_code']) }}

)

select * from final
