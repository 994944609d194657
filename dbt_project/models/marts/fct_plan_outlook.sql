-- Outlook of a running plan's decline and bound targets on outcome indicators (目标可达性,
-- docs/spec/plans.md): the Poisson trend fitted by int_plan_outlook_projected (a Python model: its
-- header gives the method and its limits), typed here under the mart's contract.
with

projected as (

    select * from {{ ref('int_plan_outlook_projected') }}

),

final as (

    select
        cast(plan_id as varchar) as plan_id,
        cast(region_code as varchar) as region_code,
        cast(seq as integer) as seq,
        cast(indicator_code as varchar) as indicator_code,
        cast(evaluation as varchar) as evaluation,
        cast(first_fitted_year as integer) as first_fitted_year,
        cast(last_fitted_year as integer) as last_fitted_year,
        cast(years_fitted as integer) as years_fitted,
        cast(projected_year as integer) as projected_year,
        cast(projected_value as double) as projected_value,
        cast(projected_low as double) as projected_low,
        cast(projected_high as double) as projected_high,
        cast(target_value as double) as target_value,
        cast(comparator as varchar) as comparator,
        cast(outlook as varchar) as outlook,
        cast(outlook_zh as varchar) as outlook_zh,
        cast(method as varchar) as method,
        cast(trend_pct_per_year as double) as trend_pct_per_year,
        cast(dispersion as double) as dispersion
    from projected

)

select * from final
