-- Region-years with events lacking a denominator their indicators need: the catalogue's
-- is_denominator_required (GDP for accidents; population and GDP for disasters; none for forest
-- fires: grassland counties have fires but file no forest area, the rate is then 数据不足).
-- Years from first_year to the as-of year minus denominator_lag_years (dbt_project.yml vars).
-- Written-off accidents need nothing.
with

accidents as (

    select * from {{ ref('fct_accidents') }}
    where not is_written_off

),

disasters as (

    select * from {{ ref('fct_disaster_losses') }}

),

fires as (

    select * from {{ ref('fct_forest_fires') }}

),

indicators as (

    select * from {{ ref('dim_indicator') }}

),

events as (

    select region_code, year, 'accidents' as source, count(*) as events
    from accidents
    group by region_code, year
    union all
    select region_code, year, 'disasters' as source, count(distinct event_id) as events
    from disasters
    group by region_code, year
    union all
    select region_code, year, 'forest_fires' as source, count(*) as events
    from fires
    group by region_code, year

),

needs as (

    select distinct
        source,
        denominator_measure as measure
    from indicators
    where is_denominator_required

),

required as (

    select
        e.region_code,
        e.year,
        n.measure,
        string_agg(e.source || ':' || e.events, ', ' order by e.source) as events
    from events as e
    inner join needs as n
        on e.source = n.source
    where e.year between {{ var('first_year') }}
        and {{ as_of_year() }} - {{ var('denominator_lag_years') }}
    group by e.region_code, e.year, n.measure

),

final as (

    {{ missing_denominators('required', 'events') }}

)

select * from final
order by region_code, year, measure
