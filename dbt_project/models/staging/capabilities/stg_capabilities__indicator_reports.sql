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
        source_file,
        file_sha256,
        sheet_name,
        row_number as source_row_number,
        load_seq,
        loaded_at
    from source

),

final as (

    select * from renamed

)

select * from final
