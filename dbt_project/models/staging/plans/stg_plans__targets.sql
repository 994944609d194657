with

source as (

    select * from {{ source('plans', 'plans') }}

),

renamed as (

    select
        trim(plan_id) as plan_id,
        trim(plan_name) as plan_name,
        trim(region_code) as region_code,
        start_year,
        end_year,
        baseline_year,
        seq,
        indicator_name_as_printed,
        trim(indicator_code) as indicator_code,
        target_kind,
        comparator,
        target_value,
        unit,
        baseline_value_printed,
        -- the number in the printed baseline ("0.0172", "≤12小时" -> 12), and its decimals
        try_cast(regexp_extract(baseline_value_printed, '[0-9]+(\.[0-9]+)?') as double)
            as baseline_value_printed_number,
        length(regexp_extract(baseline_value_printed, '\.([0-9]+)', 1)) as baseline_printed_decimals,
        attribute,
        evaluation,
        version_date,
        note,
        {{ lineage_columns() }}
    from source

)

select * from renamed
