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
    where v.region_code in (
            select pb.rollup_region_code from bridge as pb
            where pb.rollup_level = 'prefecture'
        )

),

county_sums as (

    select
        b.rollup_region_code as region_code, v.year, v.indicator_code, sum(v.value) as value,
        count(*) as units
    from values_ as v
    inner join bridge as b
        on v.region_code = b.county_region_code
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
        on p.region_code = c.region_code and p.year = c.year and p.indicator_code = c.indicator_code
    left join own_filings as o
        on p.region_code = o.region_code and p.year = o.year and p.indicator_code = o.indicator_code
    where exists (
            select 1 from bridge as m
            where m.rollup_region_code = p.region_code and m.is_county_level_member
                and m.county_region_code <> p.region_code
        )
        and abs(p.value - coalesce(c.value, 0) - coalesce(o.value, 0)) > 1e-9

)

select * from final
