-- Zero is zero, a gap is a gap: every outcome value belongs to a region-year whose source is
-- complete (every county-level unit covered every month due). Returns offending rows.
{# Dagster shows this test as a check of the model it is about (it reads several). #}
{{ config(meta={'dagster': {'ref': {'name': 'fct_indicator_values'}}}) }}

with

values_ as (

    select * from {{ ref('fct_indicator_values') }}

),

indicators as (

    select * from {{ ref('dim_indicator') }}

),

completeness as (

    select * from {{ ref('int_sources_completeness_by_region_year') }}

),

final as (

    select v.region_code, v.year, v.indicator_code, c.is_complete
    from values_ as v
    inner join indicators as i
        on v.indicator_code = i.indicator_code
        and i.kind in ('count', 'rate')
    left join completeness as c
        on v.region_code = c.region_code
        and i.source = c.source
        and v.year = c.year
    where c.is_complete is null
        or not c.is_complete
        or v.months_covered <> c.months_due

)

select * from final
