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

severities as (

    select * from {{ ref('severities') }}

),

-- the months each region-year counts: 12, or the current year's year-to-date month
counted as (

    {{ events_in_year_windows(
        'accidents', 'accidents',
        ['occurred_month', 'sector', 'is_industrial', 'severity_class', 'deaths_incl_missing']
    ) }}

),

aggregated as (

    select
        region_code,
        year,
        sector,
        is_industrial,
        severity_class,
        through_month,
        is_year_complete,
        count(*) as accidents,
        cast(sum(deaths_incl_missing) as bigint) as deaths
    from counted
    where extract(month from occurred_month) <= through_month
    group by region_code, year, sector, is_industrial, severity_class, through_month, is_year_complete

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
        g.is_year_complete,
        g.through_month
    from aggregated as g
    left join severities as s
        on g.severity_class = s.severity_class

)

select * from final
