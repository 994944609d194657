-- The targets of every version of every plan (current, superseded or rejected), as the plan
-- files give them: a superseded version stays queryable (docs/spec/plans.md).
with

target_versions as (

    select * from {{ ref('int_plan_target_versions') }}

),

final as (

    select
        plan_id,
        region_code,
        source_file,
        seq,
        indicator_code,
        indicator_name_as_printed,
        target_kind,
        comparator,
        target_value,
        unit,
        baseline_value_printed,
        attribute,
        evaluation,
        note,
        version_date,
        version_status,
        source_row_number
    from target_versions

)

select * from final
