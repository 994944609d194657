-- Event measures per filing unit × month, long form (source, measure, value). Written-off
-- (核销) accidents count nowhere. Only months that are due (≤ through month) are kept, so a
-- partial current year sums exactly the months its completeness covers.
with

accidents as (

    select * from {{ ref('int_accidents_classified') }}
    where not is_written_off

),

disasters as (

    select * from {{ ref('int_disasters_deduplicated') }}

),

fires as (

    select * from {{ ref('int_forest_fires_deduplicated') }}

),

accident_measures as (

    select
        region_code,
        occurred_month as month,
        sum(deaths_incl_missing) as safety_deaths,
        count(*) as safety_accidents,
        sum(case when severity_class = 'larger' then 1 else 0 end) as larger_accidents,
        sum(case when is_larger_and_above then 1 else 0 end) as larger_and_above_accidents,
        sum(case when is_major_and_above then 1 else 0 end) as major_and_above_accidents,
        sum(case when is_industrial then deaths_incl_missing else 0 end) as industrial_deaths,
        sum(case when sector = '道路运输' and involves_operating_vehicle then deaths_incl_missing
            else 0 end) as operating_vehicle_deaths,
        sum(case when sector = '煤矿' then deaths_incl_missing else 0 end) as coal_deaths,
        -- deaths in road-transport accidents whose 涉及营运车辆 is not given: while any exist the
        -- operating-vehicle rate is unknown (counting them as 否 would be a silent undercount)
        sum(case when sector = '道路运输' and involves_operating_vehicle is null then deaths_incl_missing
            else 0 end) as operating_vehicle_unknown_deaths
    from accidents
    group by region_code, occurred_month

),

disaster_measures as (

    select
        region_code,
        start_month as month,
        sum(dead_missing) as disaster_dead_missing,
        sum(affected_person_times) as disaster_affected_person_times,
        sum(direct_loss_100m_yuan) as disaster_direct_loss_100m_yuan
    from disasters
    group by region_code, start_month

),

fire_measures as (

    select
        region_code,
        occurred_month as month,
        sum(damaged_forest_ha) as forest_damaged_ha
    from fires
    group by region_code, occurred_month

),

unpivoted as (

    select region_code, month, 'accidents' as source, 'safety_deaths' as measure,
        cast(safety_deaths as double) as value from accident_measures
    union all
    select region_code, month, 'accidents', 'safety_accidents', safety_accidents from accident_measures
    union all
    select region_code, month, 'accidents', 'larger_accidents', larger_accidents from accident_measures
    union all
    select region_code, month, 'accidents', 'larger_and_above_accidents', larger_and_above_accidents
    from accident_measures
    union all
    select region_code, month, 'accidents', 'major_and_above_accidents', major_and_above_accidents
    from accident_measures
    union all
    select region_code, month, 'accidents', 'industrial_deaths', industrial_deaths from accident_measures
    union all
    select region_code, month, 'accidents', 'operating_vehicle_deaths', operating_vehicle_deaths
    from accident_measures
    union all
    select region_code, month, 'accidents', 'coal_deaths', coal_deaths from accident_measures
    union all
    select region_code, month, 'accidents', 'operating_vehicle_unknown_deaths', operating_vehicle_unknown_deaths
    from accident_measures
    union all
    select region_code, month, 'disasters', 'disaster_dead_missing', disaster_dead_missing
    from disaster_measures
    union all
    select region_code, month, 'disasters', 'disaster_affected_person_times',
        disaster_affected_person_times from disaster_measures
    union all
    select region_code, month, 'disasters', 'disaster_direct_loss_100m_yuan',
        disaster_direct_loss_100m_yuan from disaster_measures
    union all
    select region_code, month, 'forest_fires', 'forest_damaged_ha', forest_damaged_ha from fire_measures

),

final as (

    select
        region_code,
        month,
        cast(extract(year from month) as integer) as year,
        cast(extract(month from month) as integer) as month_number,
        source,
        measure,
        value
    from unpivoted
    where month <= {{ through_month() }}

)

select * from final
