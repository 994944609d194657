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

due_months as (

    {{ due_months('years') }}

),

spine as (

    select
        s.*,
        m.month_number
    from series_years as s
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
    left join rolled as cur
        on {{ keys_match('sp', 'cur', series_keys + ['year', 'month_number']) }}
    left join rolled as py
        on {{ keys_match('sp', 'py', series_keys + ['month_number']) }}
        and sp.year - 1 = py.year
    left join rolled as pd
        on {{ keys_match('sp', 'pd', series_keys) }}
        and sp.year - 1 = pd.year
        and sp.month_number = 1
        and pd.month_number = 12

),

windowed as (

    select
        v.*,
        sum(v.month_value) over ytd as ytd_value,
        sum(v.prior_year_month_value) over ytd as prior_year_ytd_value,
        lag(v.month_value) over (
            partition by v.{{ series_keys | join(', v.') }}, v.year
            order by v.month_number
        ) as previous_month_in_year
    from valued as v
    window ytd as (
        partition by v.{{ series_keys | join(', v.') }}, v.year
        order by v.month_number
        rows between unbounded preceding and current row
    )

),

completed as (

    select
        w.*,
        coalesce(cur.is_complete_through, false) as is_complete,
        coalesce(pri.is_complete_through, false) as is_prior_complete,
        coalesce(cur.is_covered, false) as is_month_covered,
        coalesce(case when w.month_number = 1 then pdc.is_covered else prv.is_covered end, false)
            as is_previous_month_covered,
        case
            when w.month_number > 1 then w.previous_month_in_year
            when w.has_prior_year then w.prior_december_value
        end as prior_month_value,
        case when w.has_prior_year then w.prior_year_ytd_value end as prior_ytd_value
    from windowed as w
    left join coverage as cur
        on {{ keys_match('w', 'cur', ['region_code', 'source', 'year', 'month_number']) }}
    left join coverage as pri
        on {{ keys_match('w', 'pri', ['region_code', 'source', 'month_number']) }}
        and w.year - 1 = pri.year
    left join coverage as prv
        on {{ keys_match('w', 'prv', ['region_code', 'source', 'year']) }}
        and w.month_number - 1 = prv.month_number
    left join coverage as pdc
        on {{ keys_match('w', 'pdc', ['region_code', 'source']) }}
        and w.year - 1 = pdc.year
        and pdc.month_number = 12

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
        end as yoy_change_pct
    from completed as c

),

sig_inputs as (

    select
        c.{{ (series_keys + ['year', 'month_number']) | join(', c.') }},
        cast(round(c.prior_ytd_value) as bigint) as x1,
        cast(round(c.ytd_value) as bigint) as x2,
        1.0 as e1,
        1.0 as e2
    from changes as c
    inner join situation_measures as s
        on c.measure = s.measure
    where s.is_event_count
        and c.is_complete
        and c.is_prior_complete

),

{{ exact_test_ctes('sig_inputs', series_keys + ['year', 'month_number']) }},

final as (

    select
        c.region_code,
        c.year,
        c.month_number as month,
        c.source,
        c.measure,
        c.breakdown_kind,
        c.breakdown_value,
        c.month_value,
        c.prior_month_value,
        c.mom_change_pct,
        c.ytd_value,
        c.prior_ytd_value,
        c.yoy_change_pct,
        c.is_complete,
        sig.is_significant as is_yoy_change_significant
    from changes as c
    left join sig_inputs_p_values as sig
        on {{ keys_match('c', 'sig', series_keys + ['year', 'month_number']) }}

)

select * from final
