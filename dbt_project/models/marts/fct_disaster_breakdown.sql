-- Disaster events and losses by hazard, per roll-up region and year (latest stage; an event
-- spanning several units counts once as an event, its losses summed over the units). A past year
-- is the whole year; the current year is January..the region's year-to-date month
-- (int_region_ytd_months), by the events' start date: an event that began later is not in it.
with

disasters as (

    select * from {{ ref('int_disasters_deduplicated') }}
    where start_month <= {{ through_month() }}

),

bridge as (

    select * from {{ ref('int_region_rollup_bridged') }}

),

completeness as (

    select * from {{ ref('int_sources_completeness_by_region_year') }}
    where source = 'disasters'

),

ytd_months as (

    select * from {{ ref('int_region_ytd_months') }}
    where year = {{ as_of_year() }}

),

counted as (

    select
        b.rollup_region_code as region_code,
        d.year,
        d.start_month,
        d.hazard,
        d.event_id,
        d.dead_missing,
        d.affected_person_times,
        d.direct_loss_100m_yuan,
        case when d.year = {{ as_of_year() }} then w.through_month else 12 end as through_month
    from disasters as d
    inner join bridge as b
        on d.region_code = b.county_region_code
    left join ytd_months as w
        on b.rollup_region_code = w.region_code
        and d.year = w.year

),

aggregated as (

    select
        region_code,
        year,
        hazard,
        through_month,
        count(distinct event_id) as events,
        cast(sum(dead_missing) as bigint) as dead_missing,
        cast(sum(affected_person_times) as bigint) as affected_person_times,
        sum(direct_loss_100m_yuan) as direct_loss_100m_yuan
    from counted
    where extract(month from start_month) <= through_month
    group by region_code, year, hazard, through_month

),

final as (

    select
        g.region_code,
        g.year,
        g.hazard,
        g.events,
        g.dead_missing,
        g.affected_person_times,
        g.direct_loss_100m_yuan,
        coalesce(c.is_complete, false) as is_year_complete,
        g.through_month
    from aggregated as g
    left join completeness as c
        on g.region_code = c.region_code
        and g.year = c.year

)

select * from final
