with

source as (

    select * from {{ source('capabilities', 'capabilities') }}

),

renamed as (

    select
        trim(region_code) as region_code,
        region_name,
        is_region_from_name,
        year,
        trim(indicator_code) as indicator_code,
        value,
        reported_date,
        {{ lineage_columns() }}
    from source

)

select * from renamed
