-- The monitoring month of each plan jurisdiction in the as-of year (docs/spec/plans.md): the
-- year-to-date month of int_region_ytd_months (the latest month up to which every county-level
-- unit of the jurisdiction has filed every event register it keeps, this year and last). Null
-- when no month of the year is complete, never a month with gaps. No row before the as-of
-- year's January has ended.
with

jurisdictions as (

    select distinct region_code from {{ ref('int_plan_targets') }}

),

ytd_months as (

    select * from {{ ref('int_region_ytd_months') }}
    where year = {{ as_of_year() }}

),

final as (

    select
        j.region_code,
        m.year,
        m.due_through_month,
        m.through_month as monitoring_month
    from jurisdictions as j
    inner join ytd_months as m
        on j.region_code = m.region_code

)

select * from final
