with

disasters as (

    select * from {{ ref('int_disasters_deduplicated') }}

),

final as (

    select
        event_id,
        region_code,
        prefecture_code,
        hazard,
        start_date,
        end_date,
        year,
        month,
        affected_person_times,
        deaths,
        missing,
        dead_missing,
        relocated_person_times,
        needing_relief_person_times,
        crop_affected_ha,
        crop_failed_ha,
        houses_collapsed,
        houses_severely_damaged,
        houses_generally_damaged,
        direct_loss_10k_yuan,
        direct_loss_100m_yuan,
        report_stage,
        revision_count,
        reported_date,
        source_file
    from disasters

)

select * from final
