with

source as (

    select * from {{ source('statistics', 'statistics') }}

),

renamed as (

    select
        trim(region_code) as region_code,
        region_name,
        is_region_from_name,
        year,
        trim(measure) as measure,
        value,
        data_status,
        vintage_rank,
        reported_date,
        {{ lineage_columns() }}
    from source

)

select * from renamed
