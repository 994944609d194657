-- Event measures per filing unit × month, long form (source, measure, value). Written-off
-- (核销) accidents count nowhere. Only months that are due (≤ through month) are kept, so a
-- partial current year sums exactly the months its completeness covers.
-- Built incrementally by statistical year on int_filings_year_inputs.event_measures_fingerprint,
-- reading the counted events of the years it builds (macros/filing_years.sql).
{{ filing_years_config('event_measures_fingerprint') }}
with

{{ counted_events(this) }},

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
            else 0
        end) as operating_vehicle_deaths,
        sum(case when sector = '煤矿' then deaths_incl_missing else 0 end) as coal_deaths,
        -- deaths in road-transport accidents whose 涉及营运车辆 is not given: while any exist the
        -- operating-vehicle rate is unknown (counting them as 否 would be a silent undercount)
        sum(case when sector = '道路运输' and involves_operating_vehicle is null then deaths_incl_missing
            else 0
        end) as operating_vehicle_unknown_deaths
    from accidents
    group by region_code, occurred_month

),

disaster_measures as (

    select
        region_code,
        start_month as month,
        sum(dead_missing) as disaster_dead_missing,
        sum(affected_person_times) as disaster_affected_person_times,
        {{ exact_sum('direct_loss_100m_yuan') }} as disaster_direct_loss_100m_yuan
    from disasters
    group by region_code, start_month

),

fire_measures as (

    select
        region_code,
        occurred_month as month,
        {{ exact_sum('damaged_forest_ha') }} as forest_damaged_ha
    from fires
    group by region_code, occurred_month

),

accidents_long as (

    unpivot accident_measures
    on safety_deaths, safety_accidents, larger_accidents, larger_and_above_accidents,
    major_and_above_accidents, industrial_deaths, operating_vehicle_deaths, coal_deaths,
    operating_vehicle_unknown_deaths
    into name measure value value

),

disasters_long as (

    unpivot disaster_measures
    on disaster_dead_missing, disaster_affected_person_times, disaster_direct_loss_100m_yuan
    into name measure value value

),

fires_long as (

    unpivot fire_measures
    on forest_damaged_ha
    into name measure value value

),

unpivoted as (

    select region_code, month, 'accidents' as source, measure, cast(value as double) as value
    from accidents_long
    union all
    select region_code, month, 'disasters' as source, measure, cast(value as double) as value
    from disasters_long
    union all
    select region_code, month, 'forest_fires' as source, measure, cast(value as double) as value
    from fires_long

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
