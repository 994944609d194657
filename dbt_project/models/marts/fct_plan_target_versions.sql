-- The targets of every version of every plan (current, superseded or rejected), as the plan
-- files give them: a superseded version stays queryable (docs/spec/plans.md).
with

targets as (

    select * from {{ ref('stg_plans__targets') }}

),

versions as (

    select * from {{ ref('int_plan_versions') }}

),

final as (

    select
        t.plan_id,
        t.region_code,
        t.source_file,
        t.seq,
        t.indicator_code,
        t.indicator_name_as_printed,
        t.target_kind,
        t.comparator,
        t.target_value,
        t.unit,
        t.baseline_value_printed,
        coalesce(t.attribute, 'unspecified') as attribute,
        t.evaluation,
        t.note,
        v.version_date,
        v.version_status,
        t.source_row_number
    from targets as t
    inner join versions as v
        on {{ keys_match('t', 'v', ['plan_id', 'region_code', 'source_file']) }}

)

select * from final
