-- The issues of the control quotas (docs/spec/monthly.md): one row per key (year, region,
-- indicator) and 下达日期, however many files filed it. The same number filed again (a batch sent
-- twice) is one issue; different numbers for the same key and date are a conflict: the issue has
-- no quota (none of them is used, and it does not fall back to an earlier issue). A later
-- 下达日期 of the key supersedes the issue (a mid-year adjustment). int_quota_versions gives each
-- filing its status from here; fct_quota_usage finds the quota in force from here.
with

quotas as (

    select * from {{ ref('stg_quotas__quotas') }}

),

issues as (

    select
        year,
        region_code,
        indicator_code,
        issued_on,
        case when count(distinct quota) = 1 then min(quota) end as quota,
        count(distinct quota) > 1 as is_conflicting,
        string_agg(distinct source_file, '、' order by source_file) as source_files
    from quotas
    group by year, region_code, indicator_code, issued_on

),

final as (

    select
        year,
        region_code,
        indicator_code,
        issued_on,
        quota,
        is_conflicting,
        source_files,
        lead(issued_on) over (
            partition by year, region_code, indicator_code order by issued_on
        ) as superseded_by_issued_on
    from issues

)

select * from final
