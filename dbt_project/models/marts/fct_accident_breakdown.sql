-- Accidents and deaths (incl. missing) by sector and rule severity class, per roll-up region
-- and year (written-off accidents excluded). A past year is the whole year; the current year is
-- January..the region's year-to-date month (int_region_ytd_months: the months fct_ytd_comparison
-- and the plan's monitoring compare), so that its table agrees with the year to date beside it.
-- Descriptive: only combinations that occurred; is_year_complete says whether zeros elsewhere are
-- real.
with

accidents as (

    select * from {{ ref('int_accidents_classified') }}
    where not is_written_off
        and occurred_month <= {{ through_month() }}

),

bridge as (

    select * from {{ ref('int_region_rollup_bridged') }}

),

severities as (

    select * from {{ ref('severities') }}

),

completeness as (

    select * from {{ ref('int_sources_completeness_by_region_year') }}
    where source = 'accidents'

),

ytd_months as (

    select * from {{ ref('int_region_ytd_months') }}
    where year = {{ as_of_year() }}

),

counted as (

    -- the months each region-year counts: 12, or the current year's year-to-date month
    select
        b.rollup_region_code as region_code,
        a.year,
        a.occurred_month,
        a.sector,
        a.is_industrial,
        a.severity_class,
        a.deaths_incl_missing,
        case when a.year = {{ as_of_year() }} then w.through_month else 12 end as through_month
    from accidents as a
    inner join bridge as b
        on a.region_code = b.county_region_code
    left join ytd_months as w
        on b.rollup_region_code = w.region_code
        and a.year = w.year

),

aggregated as (

    select
        region_code,
        year,
        sector,
        is_industrial,
        severity_class,
        through_month,
        count(*) as accidents,
        cast(sum(deaths_incl_missing) as bigint) as deaths
    from counted
    where extract(month from occurred_month) <= through_month
    group by region_code, year, sector, is_industrial, severity_class, through_month

),

final as (

    select
        g.region_code,
        g.year,
        g.sector,
        g.is_industrial,
        g.severity_class,
        s.severity_class_zh,
        g.accidents,
        g.deaths,
        coalesce(c.is_complete, false) as is_year_complete,
        g.through_month
    from aggregated as g
    left join severities as s
        on g.severity_class = s.severity_class
    left join completeness as c
        on g.region_code = c.region_code
        and g.year = c.year

)

select * from final
