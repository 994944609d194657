-- Every filing of every control quota (docs/spec/monthly.md), with whether it is in force:
-- current, superseded by a later 下达日期 (an adjustment; kept queryable), or rejected (the same key
-- and date with different numbers). int_quota_versions decides.
with

versions as (

    select * from {{ ref('int_quota_versions') }}

),

final as (

    select
        region_code,
        year,
        indicator_code,
        indicator_name_as_printed,
        quota,
        issued_on,
        version_status,
        superseded_by_issued_on,
        status_reason_zh,
        status_reason_en,
        source_file,
        sheet_name,
        source_row_number,
        load_seq
    from versions

)

select * from final
