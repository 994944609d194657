with

source as (

    select * from {{ source('ingest', 'zero_reports') }}

),

renamed as (

    select
        trim(source) as source,
        trim(region_code) as region_code,
        cast(date_trunc('month', month) as date) as month,
        {{ lineage_columns() }}
    from source

)

select * from renamed
