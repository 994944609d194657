-- Completeness per roll-up region × monthly register × year, as data-contracts.md defines it: a
-- region-year is complete when every county-level unit of the region covered every month due
-- (a record or a 零报告). Reports and analysts read it instead of guessing from which rows exist.
-- (The yearly statistics have no such rule: a denominator is null in fct_denominators when a
-- unit of the region lacks it.)
with

completeness as (

    select * from {{ ref('int_sources_completeness_by_region_year') }}

),

final as (

    select
        region_code,
        source,
        year,
        months_due,
        is_current_year,
        cast(units_required as integer) as units_required,
        cast(units_complete as integer) as units_complete,
        cast(min_months_covered as integer) as min_months_covered,
        is_complete
    from completeness

)

select * from final
