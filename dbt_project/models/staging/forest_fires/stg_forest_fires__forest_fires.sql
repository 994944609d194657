with

source as (

    select * from {{ source('forest_fires', 'forest_fires') }}

),

renamed as (

    select
        trim(fire_id) as fire_id,
        occurred_at,
        cast(occurred_at as date) as occurred_date,
        {{ region_columns() }},
        burned_area_ha,
        damaged_forest_ha,
        nullif(trim(fire_grade), '') as fire_grade,
        deaths,
        injuries,
        reported_date,
        {{ lineage_columns() }}
    from source

)

select * from renamed
