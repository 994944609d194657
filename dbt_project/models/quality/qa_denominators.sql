-- fct_denominators with what its GX suite checks besides the values themselves: a known region,
-- GDP per head (a unit slip moves it by 10^4), and the year against the as-of date and the first
-- covered year.
with

denominators as (

    select * from {{ ref('fct_denominators') }}

),

regions as (

    select * from {{ ref('dim_region') }}

),

final as (

    select
        d.*,
        r.region_code is not null as is_region_known,
        d.gdp_100m_yuan / nullif(d.population_10k, 0) as gdp_per_head_10k_yuan,
        {{ year_bounds('d.year') }}
    from denominators as d
    left join regions as r
        on d.region_code = r.region_code

)

select * from final
