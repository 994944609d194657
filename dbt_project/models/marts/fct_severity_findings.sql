-- Data-quality findings: the reported 事故等级 differs from the class the 493号令 rule gives
-- (written-off accidents and accidents without a reported class excluded).
with

accidents as (

    select * from {{ ref('int_accidents_classified') }}

),

final as (

    select
        accident_id,
        region_code,
        occurred_date,
        reported_severity,
        severity_class,
        severity_class_zh,
        deaths_incl_missing,
        serious_injuries,
        direct_loss_10k_yuan,
        source_file
    from accidents
    where is_severity_mismatch
        and not is_written_off

)

select * from final
