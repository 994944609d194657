-- Denominators per region × year, latest vintage per measure. County-level units carry their
-- own figures; prefectures carry sums over their county-level units (null when any unit lacks
-- the measure).
with

rolled_up as (

    select * from {{ ref('int_denominators_rolled_up') }}

),

final as (

    select
        region_code,
        year,
        max(case when measure = 'gdp_100m_yuan' then value end) as gdp_100m_yuan,
        max(case when measure = 'gdp_100m_yuan' and value is not null then data_status end) as gdp_data_status,
        max(case when measure = 'population_10k' then value end) as population_10k,
        max(case when measure = 'industrial_workers_10k' then value end) as industrial_workers_10k,
        max(case when measure = 'operating_vehicles' then value end) as operating_vehicles,
        max(case when measure = 'coal_output_10k_tonnes' then value end) as coal_output_10k_tonnes,
        max(case when measure = 'forest_area_ha' then value end) as forest_area_ha
    from rolled_up
    group by region_code, year

)

select * from final
