with

source as (

    select * from {{ source('ingest', 'files') }}

),

final as (

    select
        source,
        file_name,
        file_sha256,
        file_size_bytes,
        status as file_status,
        rows_read,
        rows_loaded,
        rows_zero_reports,
        rows_rejected,
        reason_zh,
        reason_en,
        load_seq,
        loaded_at
    from source

)

select * from final
