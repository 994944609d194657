-- Denominators per region × year, latest vintage per measure. County-level units carry their
-- own figures; a prefecture its own filed figure where its statistics bureau filed one, else the
-- sum over its county-level units (null when any unit lacks the measure). The *_basis columns
-- say which: filed / sum_of_counties.
with

rolled_up as (

    select * from {{ ref('int_denominators_rolled_up') }}

),

final as (

    select
        region_code,
        year,
        max(case when measure = 'gdp_100m_yuan' then value end) as gdp_100m_yuan,
        max(case when measure = 'gdp_100m_yuan' and value is not null then data_status end)
            as gdp_data_status,
        max(case when measure = 'population_10k' then value end) as population_10k,
        max(case when measure = 'industrial_workers_10k' then value end) as industrial_workers_10k,
        max(case when measure = 'operating_vehicles' then value end) as operating_vehicles,
        max(case when measure = 'coal_output_10k_tonnes' then value end) as coal_output_10k_tonnes,
        max(case when measure = 'forest_area_ha' then value end) as forest_area_ha,
        max(case when measure = 'gdp_100m_yuan' and value is not null then basis end) as gdp_basis,
        max(case when measure = 'population_10k' and value is not null then basis end) as population_basis,
        max(case when measure = 'industrial_workers_10k' and value is not null then basis end)
            as industrial_workers_basis,
        max(case when measure = 'operating_vehicles' and value is not null then basis end)
            as operating_vehicles_basis,
        max(case when measure = 'coal_output_10k_tonnes' and value is not null then basis end)
            as coal_output_basis,
        max(case when measure = 'forest_area_ha' and value is not null then basis end) as forest_area_basis
    from rolled_up
    group by region_code, year

)

select * from final
