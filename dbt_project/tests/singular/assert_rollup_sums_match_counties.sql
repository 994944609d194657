-- Roll-up integrity: for every complete prefecture-year, each count indicator equals the sum of
-- its county-level units' values plus the events filed at prefecture level itself. Returns
-- mismatches.
{# Dagster shows this test as a check of the model it is about (it reads several). #}
{{ config(meta={'dagster': {'ref': {'name': 'fct_indicator_values'}}}) }}

with

values_ as (

    select * from {{ ref('fct_indicator_values') }}

),

bridge as (

    select * from {{ ref('bridge_region_rollup') }}

),

measures as (

    select * from {{ ref('int_event_measures_by_month') }}

),

indicators as (

    select * from {{ ref('dim_indicator') }}
    where kind = 'count'

),

prefecture_values as (

    select v.region_code, v.year, v.indicator_code, v.value
    from values_ as v
    inner join indicators as i
        on v.indicator_code = i.indicator_code
    where v.region_code in (select rollup_region_code from bridge where rollup_level = 'prefecture')

),

county_sums as (

    select b.rollup_region_code as region_code, v.year, v.indicator_code, sum(v.value) as value,
        count(*) as units
    from values_ as v
    inner join bridge as b
        on b.county_region_code = v.region_code
        and b.is_county_level_member
        and b.rollup_region_code <> b.county_region_code
    group by b.rollup_region_code, v.year, v.indicator_code

),

own_filings as (

    select m.region_code, m.year, i.indicator_code, sum(m.value) as value
    from measures as m
    inner join indicators as i
        on m.measure = i.numerator_measure
    group by m.region_code, m.year, i.indicator_code

),

final as (

    select p.*, c.value as county_sum, o.value as own_value
    from prefecture_values as p
    left join county_sums as c
        on c.region_code = p.region_code and c.year = p.year and c.indicator_code = p.indicator_code
    left join own_filings as o
        on o.region_code = p.region_code and o.year = p.year and o.indicator_code = p.indicator_code
    where exists (select 1 from bridge where rollup_region_code = p.region_code and is_county_level_member
        and county_region_code <> p.region_code)
        and abs(p.value - coalesce(c.value, 0) - coalesce(o.value, 0)) > 1e-9

)

select * from final
