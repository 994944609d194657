with

source as (

    select * from {{ source('statistics', 'statistics') }}

),

renamed as (

    select
        {{ region_columns() }},
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
