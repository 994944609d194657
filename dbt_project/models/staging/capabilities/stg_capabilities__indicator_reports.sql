with

source as (

    select * from {{ source('capabilities', 'capabilities') }}

),

renamed as (

    select
        {{ region_columns() }},
        year,
        trim(indicator_code) as indicator_code,
        value,
        reported_date,
        {{ lineage_columns() }}
    from source

)

select * from renamed
