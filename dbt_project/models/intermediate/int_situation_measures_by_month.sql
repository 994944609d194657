-- The monthly situation's measures per filing unit and month (docs/spec/monthly.md), long form:
-- one row per unit, month, register, measure, breakdown kind and value. Month of occurrence
-- (accidents: 发生时间; disasters: 开始日期; forest fires: 发生时间), latest revision, written-off
-- (核销) accidents excluded, deaths counting the missing. Each event is counted under the total
-- ('all'), and, for accidents, under its sector, its class by the 493号令 rule and, in a 工矿商贸
-- sector, the industrial subtotal; for disasters, under its hazard. Only due months. Sums of
-- floating-point measures are exact (exact_sum): the same rows give the same values in every build.
-- Built incrementally by statistical year on int_filings_year_inputs.event_measures_fingerprint,
-- reading the counted events of the years it builds (macros/filing_years.sql).
{{ filing_years_config('event_measures_fingerprint') }}
with

{{ counted_events(this) }},

accident_breakdowns as (

    select
        region_code,
        occurred_month as month,
        'total' as breakdown_kind,
        'all' as breakdown_value,
        deaths_incl_missing
    from accidents
    union all
    select
        region_code,
        occurred_month as month,
        'sector' as breakdown_kind,
        sector as breakdown_value,
        deaths_incl_missing
    from accidents
    union all
    select
        region_code,
        occurred_month as month,
        'class' as breakdown_kind,
        severity_class as breakdown_value,
        deaths_incl_missing
    from accidents
    union all
    select
        region_code,
        occurred_month as month,
        'industrial' as breakdown_kind,
        '工矿商贸' as breakdown_value,
        deaths_incl_missing
    from accidents
    where is_industrial

),

accident_measures as (

    select
        region_code,
        month,
        breakdown_kind,
        breakdown_value,
        cast(count(*) as double) as accidents,
        cast(sum(deaths_incl_missing) as double) as deaths
    from accident_breakdowns
    group by region_code, month, breakdown_kind, breakdown_value

),

disaster_breakdowns as (

    select
        region_code,
        start_month as month,
        'total' as breakdown_kind,
        'all' as breakdown_value,
        affected_person_times,
        dead_missing,
        relocated_person_times,
        direct_loss_100m_yuan
    from disasters
    union all
    select
        region_code,
        start_month as month,
        'hazard' as breakdown_kind,
        hazard as breakdown_value,
        affected_person_times,
        dead_missing,
        relocated_person_times,
        direct_loss_100m_yuan
    from disasters

),

disaster_measures as (

    select
        region_code,
        month,
        breakdown_kind,
        breakdown_value,
        cast(sum(affected_person_times) as double) as affected_person_times,
        cast(sum(dead_missing) as double) as dead_missing,
        cast(sum(relocated_person_times) as double) as relocated_person_times,
        {{ exact_sum('direct_loss_100m_yuan') }} as direct_loss_100m_yuan
    from disaster_breakdowns
    group by region_code, month, breakdown_kind, breakdown_value

),

fire_measures as (

    select
        region_code,
        occurred_month as month,
        'total' as breakdown_kind,
        'all' as breakdown_value,
        cast(count(*) as double) as fires,
        {{ exact_sum('damaged_forest_ha') }} as damaged_forest_ha
    from fires
    group by region_code, occurred_month

),

accidents_long as (

    unpivot accident_measures
    on accidents, deaths
    into name measure value value

),

disasters_long as (

    unpivot disaster_measures
    on affected_person_times, dead_missing, relocated_person_times, direct_loss_100m_yuan
    into name measure value value

),

fires_long as (

    unpivot fire_measures
    on fires, damaged_forest_ha
    into name measure value value

),

unioned as (

    select 'accidents' as source, region_code, month, breakdown_kind, breakdown_value, measure, value
    from accidents_long
    union all
    select 'disasters' as source, region_code, month, breakdown_kind, breakdown_value, measure, value
    from disasters_long
    union all
    select 'forest_fires' as source, region_code, month, breakdown_kind, breakdown_value, measure, value
    from fires_long

),

final as (

    select
        region_code,
        source,
        measure,
        breakdown_kind,
        breakdown_value,
        month,
        cast(extract(year from month) as integer) as year,
        cast(extract(month from month) as integer) as month_number,
        value
    from unioned
    where month <= {{ through_month() }}

)

select * from final
