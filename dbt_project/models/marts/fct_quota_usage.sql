-- The use of the control quotas (年度安全生产控制指标, docs/spec/monthly.md): for each quota (unit,
-- year, count indicator) and each due month m of its year, the count January..m (actual),
-- usage = actual / quota x 100, time progress = m / 12 x 100, and the status: exceeded (超控) when
-- actual > quota, otherwise warning (预警) when usage > time progress, otherwise normal (正常); a
-- quota of 0 is normal at 0 and exceeded above (usage empty). The quota of month m is the one in
-- force at the month's end: the latest issue dated on or before it (before the first issue, the
-- first one: the year's quota covers the whole year), so a mid-year adjustment applies from its
-- month on; a month whose quota is in conflict (int_quota_issues: no number) has no row.
-- actual, usage and status are null while the unit (a prefecture: every county-level unit under
-- it, and its own filings) has not filed the register for every month 1..m (int_region_months_covered):
-- an assessment never counts a partial year to date. is_final: month 12, complete (年度考核);
-- before, provisional. has_larger_accident: a 较大及以上 accident (by the rule's class) in months
-- 1..m, as filed (information; the local rule decides what it means). rank_in_parent: counties
-- within their prefecture, by deaths usage at the month (1 = highest; a quota of 0 exceeded ranks
-- above every usage), the same rank on each of the county's rows; null for a prefecture and for a
-- county without a complete deaths figure.
with

issues as (

    select * from {{ ref('int_quota_issues') }}

),

indicators as (

    select * from {{ ref('int_indicators_defined') }}
    where kind = 'count'

),

years as (

    select * from {{ ref('int_calendar_years') }}
    where months_due > 0

),

regions as (

    select * from {{ ref('int_regions_resolved') }}

),

bridge as (

    select * from {{ ref('int_region_rollup_bridged') }}

),

coverage as (

    select * from {{ ref('int_region_months_covered') }}

),

measures as (

    select * from {{ ref('int_event_measures_by_month') }}

),

due_months as (

    {{ due_months('years') }}

),

key_months as (

    select
        i.year,
        i.region_code,
        i.indicator_code,
        m.month_number,
        last_day(m.month) as month_end,
        min(i.issued_on) as first_issued_on
    from issues as i
    inner join due_months as m
        on i.year = m.year
    group by i.year, i.region_code, i.indicator_code, m.month_number, m.month

),

in_force as (

    select
        k.year,
        k.region_code,
        k.indicator_code,
        k.month_number,
        arg_max(i.quota, i.issued_on) as quota,
        max(i.issued_on) as quota_issued_on
    from key_months as k
    inner join issues as i
        on {{ keys_match('k', 'i', ['year', 'region_code', 'indicator_code']) }}
        and i.issued_on <= greatest(k.month_end, k.first_issued_on)
    group by k.year, k.region_code, k.indicator_code, k.month_number

),

-- Only what `counted` can read: the roll-up regions and years that have a quota, and the
-- measures the count indicators and the larger-accident flag count (every measure of every unit
-- and year otherwise: most of the work of a run in which few units, or none, have a quota).
quota_bridge as (

    select b.* from bridge as b
    where b.rollup_region_code in (select q.region_code from issues as q)

),

quota_measures as (

    select m.* from measures as m
    where m.year in (select q.year from issues as q)
        and m.measure in (
            select c.numerator_measure from indicators as c
            union all
            select 'larger_and_above_accidents'
        )

),

monthly_counts as (

    -- the unit's count per month: its own filings, or a prefecture's roll-up
    {{ summed_to_rollup_regions('quota_measures', 'quota_bridge', ['measure', 'year', 'month_number']) }}

),

counted as (

    select
        f.year,
        f.region_code,
        f.indicator_code,
        f.month_number,
        f.quota,
        f.quota_issued_on,
        i.source,
        coalesce({{ exact_sum('c.value', 'c.measure = i.numerator_measure') }}, 0) as count_to_date,
        coalesce({{ exact_sum('c.value', "c.measure = 'larger_and_above_accidents'") }}, 0)
            as larger_accidents_to_date
    from in_force as f
    inner join indicators as i
        on f.indicator_code = i.indicator_code
    left join monthly_counts as c
        on {{ keys_match('f', 'c', ['region_code', 'year']) }}
        and f.month_number >= c.month_number
        and c.measure in (i.numerator_measure, 'larger_and_above_accidents')
    where f.quota is not null
    group by
        f.year, f.region_code, f.indicator_code, f.month_number, f.quota, f.quota_issued_on, i.source

),

judged as (

    select
        c.*,
        coalesce(cov.is_complete_through, false) as is_complete,
        case when coalesce(cov.is_complete_through, false) then c.count_to_date end as actual,
        c.month_number * 100.0 / 12 as time_progress_pct
    from counted as c
    left join coverage as cov
        on {{ keys_match('c', 'cov', ['region_code', 'source', 'year', 'month_number']) }}

),

statused as (

    select
        j.*,
        case when j.actual is not null and j.quota > 0 then j.actual * 100.0 / j.quota end as usage_pct,
        case
            when j.actual is null then null
            when j.actual > j.quota then 'exceeded'
            -- usage > time progress, in whole numbers: actual / quota > m / 12
            when j.quota > 0 and j.actual * 12 > j.quota * j.month_number then 'warning'
            else 'normal'
        end as status
    from judged as j

),

death_ranks as (

    select
        s.region_code,
        s.year,
        s.month_number,
        rank() over (
            partition by r.prefecture_code, s.year, s.month_number
            order by
                case
                    when s.quota > 0 then s.usage_pct
                    when s.actual > 0 then cast('infinity' as double)
                    else 0
                end desc
        ) as rank_in_parent
    from statused as s
    inner join regions as r
        on s.region_code = r.region_code
    where s.indicator_code = 'safety_deaths'
        and r.level = 'county'
        and r.prefecture_code is not null
        and s.actual is not null

),

final as (

    select
        s.region_code,
        s.year,
        s.indicator_code,
        s.quota,
        s.quota_issued_on,
        s.month_number as through_month,
        s.actual,
        s.usage_pct,
        s.time_progress_pct,
        s.status,
        s.month_number = 12 and s.is_complete as is_final,
        s.larger_accidents_to_date > 0 as has_larger_accident,
        d.rank_in_parent
    from statused as s
    left join death_ranks as d
        on {{ keys_match('s', 'd', ['region_code', 'year', 'month_number']) }}

)

select * from final
