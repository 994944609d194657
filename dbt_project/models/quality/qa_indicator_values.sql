-- fct_indicator_values with what its GX suite checks besides the values themselves: a known
-- region and indicator, the catalogue's plausible maximum, and the year against the as-of date
-- and the first covered year.
with

indicator_values as (

    select * from {{ ref('fct_indicator_values') }}

),

regions as (

    select * from {{ ref('dim_region') }}

),

indicators as (

    select * from {{ ref('dim_indicator') }}

),

final as (

    select
        v.*,
        r.region_code is not null as is_region_known,
        i.indicator_code is not null as is_indicator_known,
        i.plausible_max,
        {{ year_bounds('v.year') }}
    from indicator_values as v
    left join regions as r
        on v.region_code = r.region_code
    left join indicators as i
        on v.indicator_code = i.indicator_code

)

select * from final
