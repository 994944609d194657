with

source as (

    select * from {{ source('quotas', 'quotas') }}

),

renamed as (

    select
        year,
        trim(region_code) as region_code,
        trim(indicator_code) as indicator_code,
        indicator_name_as_printed,
        quota,
        issued_date as issued_on,
        {{ lineage_columns() }}
    from source

)

select * from renamed
