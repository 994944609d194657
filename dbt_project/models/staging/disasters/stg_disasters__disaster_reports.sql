with

source as (

    select * from {{ source('disasters', 'disasters') }}

),

renamed as (

    select
        trim(event_id) as event_id,
        trim(hazard) as hazard,
        start_date,
        end_date,
        {{ region_columns() }},
        affected_person_times,
        deaths,
        missing,
        deaths + missing as dead_missing,
        relocated_person_times,
        needing_relief_person_times,
        crop_affected_ha,
        crop_failed_ha,
        houses_collapsed,
        houses_severely_damaged,
        houses_generally_damaged,
        direct_loss_10k_yuan,
        trim(report_stage) as report_stage,
        reported_date,
        {{ lineage_columns() }}
    from source

)

select * from renamed
