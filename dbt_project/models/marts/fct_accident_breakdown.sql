-- Accidents and deaths (incl. missing) by sector and rule severity class, per roll-up region
-- and year (written-off accidents excluded; months up to the through month). Descriptive:
-- only combinations that occurred; is_year_complete says whether zeros elsewhere are real.
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

aggregated as (

    select
        b.rollup_region_code as region_code,
        a.year,
        a.sector,
        a.is_industrial,
        a.severity_class,
        count(*) as accidents,
        cast(sum(a.deaths_incl_missing) as bigint) as deaths
    from accidents as a
    inner join bridge as b
        on a.region_code = b.county_region_code
    group by b.rollup_region_code, a.year, a.sector, a.is_industrial, a.severity_class

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
        coalesce(c.is_complete, false) as is_year_complete
    from aggregated as g
    left join severities as s
        on g.severity_class = s.severity_class
    left join completeness as c
        on g.region_code = c.region_code
        and g.year = c.year

)

select * from final
