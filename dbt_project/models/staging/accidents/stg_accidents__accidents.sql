with

source as (

    select * from {{ source('accidents', 'accidents') }}

),

renamed as (

    select
        trim(accident_id) as accident_id,
        occurred_at,
        cast(occurred_at as date) as occurred_date,
        trim(region_code) as region_code,
        region_name,
        is_region_from_name,
        unit_name,
        trim(sector) as sector,
        industry_code,
        accident_type,
        deaths,
        missing,
        deaths + missing as deaths_incl_missing,
        serious_injuries,
        minor_injuries,
        direct_loss_10k_yuan,
        nullif(trim(reported_severity), '') as reported_severity,
        involves_operating_vehicle,
        summary,
        coalesce(nullif(trim(status), ''), '正常') as record_status,
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
