-- The targets of every version of every plan (current, superseded or rejected: int_plan_versions),
-- one row per target and version, with its version's years and status: the one place a target
-- is joined to its version. int_plan_targets keeps the current versions (the plans in force);
-- marts.fct_plan_target_versions shows them all (docs/spec/plans.md).
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
        t.seq,
        t.indicator_code,
        t.indicator_name_as_printed,
        t.target_kind,
        t.comparator,
        t.target_value,
        t.unit,
        t.baseline_value_printed,
        t.baseline_value_printed_number,
        t.baseline_printed_decimals,
        coalesce(t.attribute, 'unspecified') as attribute,
        t.evaluation,
        t.note,
        v.plan_name,
        v.start_year,
        v.end_year,
        v.baseline_year,
        v.previous_first_year,
        v.previous_last_year,
        v.version_date,
        v.version_status,
        v.source_file,
        t.source_row_number
    from targets as t
    inner join versions as v
        on {{ keys_match('t', 'v', ['plan_id', 'region_code', 'source_file']) }}

)

select * from final
