with

fires as (

    select * from {{ ref('int_forest_fires_deduplicated') }}

),

final as (

    select
        fire_id,
        occurred_at,
        year,
        month,
        region_code,
        prefecture_code,
        burned_area_ha,
        damaged_forest_ha,
        fire_grade,
        deaths,
        injuries,
        revision_count,
        reported_date,
        source_file
    from fires

)

select * from final
