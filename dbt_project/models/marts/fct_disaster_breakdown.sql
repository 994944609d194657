-- Disaster events and losses by hazard, per roll-up region and year (latest stage; an event
-- spanning several units counts once as an event, its losses summed over the units).
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

aggregated as (

    select
        b.rollup_region_code as region_code,
        d.year,
        d.hazard,
        count(distinct d.event_id) as events,
        cast(sum(d.dead_missing) as bigint) as dead_missing,
        cast(sum(d.affected_person_times) as bigint) as affected_person_times,
        sum(d.direct_loss_100m_yuan) as direct_loss_100m_yuan
    from disasters as d
    inner join bridge as b
        on d.region_code = b.county_region_code
    group by b.rollup_region_code, d.year, d.hazard

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
        coalesce(c.is_complete, false) as is_year_complete
    from aggregated as g
    left join completeness as c
        on g.region_code = c.region_code
        and g.year = c.year

)

select * from final
