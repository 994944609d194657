with

source as (

    select * from {{ source('ingest', 'zero_reports') }}

),

renamed as (

    select
        trim(source) as source,
        trim(region_code) as region_code,
        cast(date_trunc('month', month) as date) as month,
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
