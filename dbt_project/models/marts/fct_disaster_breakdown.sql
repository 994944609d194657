-- Disaster events and losses by hazard, per roll-up region and year (latest stage; an event
-- spanning several units counts once as an event, its losses summed over the units). A past year
-- is the whole year; the current year is January..the region's year-to-date month
-- (int_region_ytd_months), by the events' start date: an event that began later is not in it.
with

disasters as (

    select * from {{ ref('int_disasters_deduplicated') }}
    where start_month <= {{ through_month() }}

),

counted as (

    {{ events_in_year_windows(
        'disasters', 'disasters',
        ['start_month', 'hazard', 'event_id', 'dead_missing', 'affected_person_times', 'direct_loss_100m_yuan']
    ) }}

),

aggregated as (

    select
        region_code,
        year,
        hazard,
        through_month,
        is_year_complete,
        count(distinct event_id) as events,
        cast(sum(dead_missing) as bigint) as dead_missing,
        cast(sum(affected_person_times) as bigint) as affected_person_times,
        {{ exact_sum('direct_loss_100m_yuan') }} as direct_loss_100m_yuan
    from counted
    where extract(month from start_month) <= through_month
    group by region_code, year, hazard, through_month, is_year_complete

),

final as (

    select
        region_code,
        year,
        hazard,
        events,
        dead_missing,
        affected_person_times,
        direct_loss_100m_yuan,
        is_year_complete,
        through_month
    from aggregated

)

select * from final
