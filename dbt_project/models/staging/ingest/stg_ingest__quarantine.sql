with

source as (

    select * from {{ source('ingest', 'quarantine') }}

),

final as (

    select
        source,
        file_name,
        file_sha256,
        sheet_name,
        row_number as source_row_number,
        column_name,
        reason_code,
        reason_zh,
        reason_en,
        raw_record,
        deaths_in_row,
        load_seq,
        loaded_at
    from source

)

select * from final
