-- Which control quota is in force (docs/spec/monthly.md): one row per filing of a quota, keyed
-- (year, region, indicator) and dated by its 下达日期. A later 下达日期 replaces an earlier quota (a
-- mid-year adjustment); the earlier one stays, superseded. The same key and date with different
-- numbers is a conflict (within one file the loader already rejects both rows; here across files):
-- every filing of that key and date is rejected, with a reason naming the files, and the quota
-- does not fall back to an earlier issue. The same number filed again for the same key and date (a
-- batch sent twice) is one issue, not a conflict. The issues, their conflicts and adjustments are
-- int_quota_issues'; this model gives each filing its status and reason.
with

quotas as (

    select * from {{ ref('stg_quotas__quotas') }}

),

issues as (

    select * from {{ ref('int_quota_issues') }}

),

final as (

    select
        q.year,
        q.region_code,
        q.indicator_code,
        q.indicator_name_as_printed,
        q.quota,
        q.issued_on,
        case
            when i.is_conflicting then 'rejected'
            when i.superseded_by_issued_on is not null then 'superseded'
            else 'current'
        end as version_status,
        i.superseded_by_issued_on,
        case
            when i.is_conflicting
                then
                    cast(q.year as varchar) || '年' || q.region_code || '的控制指标' || q.indicator_code
                    || '在同一下达日期（' || strftime(q.issued_on, '%Y-%m-%d') || '）有不同的控制数（'
                    || i.source_files || '），无法判断哪一个有效，均不采用'
            when i.superseded_by_issued_on is not null
                then
                    cast(q.year as varchar) || '年' || q.region_code || '的控制指标' || q.indicator_code
                    || '已于' || strftime(i.superseded_by_issued_on, '%Y-%m-%d')
                    || '调整，本次下达（' || strftime(q.issued_on, '%Y-%m-%d') || '）作为历史记录保留'
        end as status_reason_zh,
        case
            when i.is_conflicting
                then
                    'the ' || cast(q.year as varchar) || ' quota ' || q.indicator_code
                    || ' of ' || q.region_code
                    || ' has different numbers for the same issue date (' || strftime(q.issued_on, '%Y-%m-%d')
                    || ') in ' || replace(i.source_files, '、', ', ')
                    || ': which one holds cannot be told, none is used'
            when i.superseded_by_issued_on is not null
                then
                    'the ' || cast(q.year as varchar) || ' quota ' || q.indicator_code
                    || ' of ' || q.region_code
                    || ' was adjusted on ' || strftime(i.superseded_by_issued_on, '%Y-%m-%d')
                    || '; this issue (' || strftime(q.issued_on, '%Y-%m-%d') || ') is kept as history'
        end as status_reason_en,
        q.source_file,
        q.sheet_name,
        q.source_row_number,
        q.load_seq
    from quotas as q
    inner join issues as i
        on {{ keys_match('q', 'i', ['year', 'region_code', 'indicator_code', 'issued_on']) }}

)

select * from final
