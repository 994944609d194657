-- Completeness per roll-up region × event source × year: complete when every county-level unit
-- of the region covered every month due (records or 零报告). Any missing unit-month → incomplete.
with

bridge as (

    select * from {{ ref('int_region_rollup_bridged') }}

),

covered as (

    select * from {{ ref('int_submissions_covered') }}

),

years as (

    select * from {{ ref('int_calendar_years') }}

),

sources as (

    select source from {{ ref('sources') }}
    where is_event_register

),

unit_months as (

    select source, region_code, year, count(distinct month) as months_covered
    from covered
    group by source, region_code, year

),

county_members as (

    select rollup_region_code, county_region_code
    from bridge
    where is_county_level_member

),

member_years as (

    select
        m.rollup_region_code,
        s.source,
        y.year,
        y.months_due,
        y.is_current_year,
        m.county_region_code,
        coalesce(u.months_covered, 0) as months_covered
    from county_members as m
    cross join sources as s
    cross join years as y
    left join unit_months as u
        on m.county_region_code = u.region_code
        and s.source = u.source
        and y.year = u.year

),

final as (

    select
        rollup_region_code as region_code,
        source,
        year,
        months_due,
        is_current_year,
        count(*) as units_required,
        sum(case when months_covered >= months_due then 1 else 0 end) as units_complete,
        min(months_covered) as min_months_covered,
        months_due > 0
        and sum(case when months_covered >= months_due then 1 else 0 end) = count(*) as is_complete
    from member_years
    group by rollup_region_code, source, year, months_due, is_current_year

)

select * from final
