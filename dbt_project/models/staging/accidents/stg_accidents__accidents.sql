with

source as (

    select * from {{ source('accidents', 'accidents') }}

),

renamed as (

    select
        trim(accident_id) as accident_id,
        occurred_at,
        cast(occurred_at as date) as occurred_date,
        {{ region_columns() }},
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
        {{ lineage_columns() }}
    from source

)

select * from renamed
