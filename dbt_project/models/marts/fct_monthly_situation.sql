-- The monthly situation analysis (月度形势分析, docs/spec/monthly.md): for every roll-up region
-- (county-level unit or prefecture), every due month m of the statistical years and every
-- measure of the registers the region keeps, by total and breakdown: the month's value, the
-- month before (January: the December before), 环比; the year to date 1..m, the same months of the
-- year before, 同比. Percentages are numbers (-12.5 for -12.5%): (new - old) x 100 / old, null when
-- old is 0 (去年同期为0) or when either side is not complete; equal values give 0 (持平).
-- is_complete: every county-level unit of the region filed the register for every month 1..m of
-- the year (int_region_months_covered, the one definition of "through month m"); when it is false
-- the values are what has been filed so far (未报齐), never to be read as complete.
-- Rows: every total of every register the region keeps; a breakdown value (sector, class,
-- 工矿商贸, hazard) for the years in which it occurred in the region or the year before, so that
-- both sides of its 同比 exist (a zero within them is a real zero when is_complete).
-- is_yoy_change_significant: the exact test of macros/exact_test.sql on event counts (the note on
-- small counts: a change that may be chance).
-- How it is computed (14.6 M rows on the national data): each series and each region-register
-- gets one integer, the months are looked up and summed on those integers alone, the p-value is
-- computed once per count pair, and the names are joined back only to the finished rows.
{#- a series: one region's register measure under one breakdown value, month by month -#}
{%- set series_keys = ['region_code', 'source', 'measure', 'breakdown_kind', 'breakdown_value'] %}
with

measures as (

    select * from {{ ref('int_situation_measures_by_month') }}

),

bridge as (

    select * from {{ ref('int_region_rollup_bridged') }}

),

coverage as (

    select * from {{ ref('int_region_months_covered') }}

),

years as (

    select * from {{ ref('int_calendar_years') }}
    where months_due > 0

),

situation_measures as (

    select * from {{ ref('situation_measures') }}

),

rolled as (

    {{ summed_to_rollup_regions(
        'measures', 'bridge',
        ['source', 'measure', 'breakdown_kind', 'breakdown_value', 'year', 'month_number']
    ) }}

),

kept as (

    select distinct region_code, source from coverage

),

series_years as (

    select
        k.region_code,
        s.source,
        s.measure,
        'total' as breakdown_kind,
        'all' as breakdown_value,
        y.year
    from kept as k
    inner join situation_measures as s
        on k.source = s.source
    cross join years as y
    union
    select
        r.region_code,
        r.source,
        r.measure,
        r.breakdown_kind,
        r.breakdown_value,
        y.year
    from rolled as r
    inner join years as y
        on r.year in (y.year, y.year - 1)
    where r.breakdown_kind <> 'total'

),

series as (

    select
        region_code,
        source,
        measure,
        breakdown_kind,
        breakdown_value,
        row_number() over () as series_id
    from (
        select distinct region_code, source, measure, breakdown_kind, breakdown_value
        from series_years
    )

),

region_sources as (

    select
        region_code,
        source,
        row_number() over () as region_source_id
    from (select distinct region_code, source from series)

),

series_ids as (

    select
        s.series_id,
        rs.region_source_id,
        coalesce(m.is_event_count, false) as is_event_count
    from series as s
    inner join region_sources as rs
        on s.region_code = rs.region_code
        and s.source = rs.source
    left join situation_measures as m
        on s.measure = m.measure

),

rolled_ids as (

    select
        s.series_id,
        r.year,
        r.month_number,
        r.value
    from rolled as r
    inner join series as s
        on {{ keys_match('r', 's', series_keys) }}

),

due_months as (

    {{ due_months('years') }}

),

spine as (

    select
        ss.series_id,
        i.region_source_id,
        s.year,
        m.month_number
    from series_years as s
    inner join series as ss
        on {{ keys_match('s', 'ss', series_keys) }}
    inner join series_ids as i
        on ss.series_id = i.series_id
    inner join due_months as m
        on s.year = m.year

),

valued as (

    select
        sp.*,
        coalesce(cur.value, 0) as month_value,
        coalesce(py.value, 0) as prior_year_month_value,
        coalesce(pd.value, 0) as prior_december_value,
        -- the year before is a statistical year of the warehouse (else nothing is known of it)
        sp.year - 1 >= {{ var('first_year') }} as has_prior_year
    from spine as sp
    left join rolled_ids as cur
        on sp.series_id = cur.series_id
        and sp.year = cur.year
        and sp.month_number = cur.month_number
    left join rolled_ids as py
        on sp.series_id = py.series_id
        and sp.year - 1 = py.year
        and sp.month_number = py.month_number
    left join rolled_ids as pd
        on sp.series_id = pd.series_id
        and sp.year - 1 = pd.year
        and sp.month_number = 1
        and pd.month_number = 12

),

windowed as (

    select
        v.*,
        sum(v.month_value) over ytd as ytd_value,
        sum(v.prior_year_month_value) over ytd as prior_year_ytd_value,
        lag(v.month_value) over ytd as previous_month_in_year
    from valued as v
    window ytd as (
        partition by v.series_id, v.year
        order by v.month_number
        rows between unbounded preceding and current row
    )

),

region_source_months as (

    -- the coverage flags each row reads, looked up once per region-register month
    select
        k.region_source_id,
        k.region_code,
        k.source,
        k.year,
        m.month_number
    from (
        select distinct
            rs.region_source_id,
            rs.region_code,
            rs.source,
            s.year
        from series_years as s
        inner join region_sources as rs
            on s.region_code = rs.region_code
            and s.source = rs.source
    ) as k
    inner join due_months as m
        on k.year = m.year

),

coverage_flags as (

    select
        k.region_source_id,
        k.year,
        k.month_number,
        coalesce(cur.is_complete_through, false) as is_complete,
        coalesce(pri.is_complete_through, false) as is_prior_complete,
        coalesce(cur.is_covered, false) as is_month_covered,
        coalesce(case when k.month_number = 1 then pdc.is_covered else prv.is_covered end, false)
            as is_previous_month_covered
    from region_source_months as k
    left join coverage as cur
        on {{ keys_match('k', 'cur', ['region_code', 'source', 'year', 'month_number']) }}
    left join coverage as pri
        on {{ keys_match('k', 'pri', ['region_code', 'source', 'month_number']) }}
        and k.year - 1 = pri.year
    left join coverage as prv
        on {{ keys_match('k', 'prv', ['region_code', 'source', 'year']) }}
        and k.month_number - 1 = prv.month_number
    left join coverage as pdc
        on {{ keys_match('k', 'pdc', ['region_code', 'source']) }}
        and k.year - 1 = pdc.year
        and pdc.month_number = 12

),

completed as (

    select
        w.series_id,
        w.year,
        w.month_number,
        w.month_value,
        w.ytd_value,
        f.is_complete,
        f.is_prior_complete,
        f.is_month_covered,
        f.is_previous_month_covered,
        case
            when w.month_number > 1 then w.previous_month_in_year
            when w.has_prior_year then w.prior_december_value
        end as prior_month_value,
        case when w.has_prior_year then w.prior_year_ytd_value end as prior_ytd_value
    from windowed as w
    inner join coverage_flags as f
        on w.region_source_id = f.region_source_id
        and w.year = f.year
        and w.month_number = f.month_number

),

changes as (

    select
        c.*,
        case
            when c.is_month_covered and c.is_previous_month_covered and c.prior_month_value > 0
                then {{ change_pct('c.month_value', 'c.prior_month_value') }}
        end as mom_change_pct,
        case
            when c.is_complete and c.is_prior_complete and c.prior_ytd_value > 0
                then {{ change_pct('c.ytd_value', 'c.prior_ytd_value') }}
        end as yoy_change_pct,
        -- the exact test's counts, for event counts of complete years to date
        i.is_event_count and c.is_complete and c.is_prior_complete as is_tested,
        cast(round(c.prior_ytd_value) as bigint) as x1,
        cast(round(c.ytd_value) as bigint) as x2
    from completed as c
    inner join series_ids as i
        on c.series_id = i.series_id

),

sig_inputs as (

    -- the p-value depends on the two counts only: one test per distinct pair
    select distinct
        x1 as tested_x1,
        x2 as tested_x2,
        x1,
        x2,
        1.0 as e1,
        1.0 as e2
    from changes
    where is_tested

),

{{ exact_test_ctes('sig_inputs', ['tested_x1', 'tested_x2']) }},

final as (

    select
        s.region_code,
        c.year,
        c.month_number as month,
        s.source,
        s.measure,
        s.breakdown_kind,
        s.breakdown_value,
        c.month_value,
        c.prior_month_value,
        c.mom_change_pct,
        c.ytd_value,
        c.prior_ytd_value,
        c.yoy_change_pct,
        c.is_complete,
        case when c.is_tested then sig.is_significant end as is_yoy_change_significant
    from changes as c
    inner join series as s
        on c.series_id = s.series_id
    left join sig_inputs_p_values as sig
        on c.is_tested
        and c.x1 = sig.tested_x1
        and c.x2 = sig.tested_x2

)

select * from final
