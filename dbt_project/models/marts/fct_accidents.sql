with

accidents as (

    select * from {{ ref('int_accidents_classified') }}

),

final as (

    select
        accident_id,
        occurred_at,
        occurred_date,
        year,
        month,
        region_code,
        prefecture_code,
        sector,
        is_industrial,
        industry_code,
        accident_type,
        deaths,
        missing,
        deaths_incl_missing,
        serious_injuries,
        minor_injuries,
        direct_loss_10k_yuan,
        reported_severity,
        severity_class,
        severity_class_zh,
        is_larger_and_above,
        is_severity_mismatch,
        involves_operating_vehicle,
        is_written_off,
        revision_count,
        reported_date,
        source_file,
        summary,
        unit_name,
        is_region_from_name,
        load_seq
    from accidents

)

select * from final
