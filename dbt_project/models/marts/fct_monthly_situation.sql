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
-- How it is computed (14.6 M rows on the national data, within DuckDB's memory limit): each
-- series and each region-register gets one integer; a series-year holds its twelve month values,
-- those of the year before and its coverage flags as lists (index: the month), and its due months
-- are unnested from them (no window or join over the month rows); the p-value is computed once
-- per count pair; the names are joined back only to the finished rows.
-- Built incrementally by statistical year (macros/incremental_years.sql): a year's rows read the
-- inputs of that year and the year before only, so a run rebuilds (delete+insert by year) the due
-- years whose inputs changed and the year after each; it reads only those years and the years
-- before them. A full refresh builds every year, the same SQL with no year left out.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='year',
    on_schema_change='fail',
    post_hook="{{ record_years_built(this, ref('int_monthly_situation_year_inputs'), ref('int_calendar_years')) }}"
) }}
{#- a series: one region's register measure under one breakdown value, month by month -#}
{%- set series_keys = ['region_code', 'source', 'measure', 'breakdown_kind', 'breakdown_value'] %}
{%- set zero_months = '[' ~ (['0.0'] * 12) | join(', ') ~ ']::double[]' %}
with

years_to_build as (

    {{ years_to_build(this, ref('int_monthly_situation_year_inputs'), ref('int_calendar_years')) }}

),

measures as (

    -- the years built and the years before them
    select m.* from {{ ref('int_situation_measures_by_month') }} as m
    where m.year in (select b.year from years_to_build as b)
        or m.year + 1 in (select b.year from years_to_build as b)

),

bridge as (

    select * from {{ ref('int_region_rollup_bridged') }}

),

coverage as (

    select c.* from {{ ref('int_region_months_covered') }} as c
    where c.year in (select b.year from years_to_build as b)
        or c.year + 1 in (select b.year from years_to_build as b)

),

years as (

    select y.* from {{ ref('int_calendar_years') }} as y
    where y.year in (select b.year from years_to_build as b)

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

    -- the registers each region keeps: those any of its units ever filed (every year)
    select distinct region_code, source from {{ ref('int_region_months_covered') }}

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
    ) as distinct_series

),

region_sources as (

    select
        region_code,
        source,
        row_number() over () as region_source_id
    from (select distinct region_code, source from series) as distinct_region_sources

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

coverage_year_flags as (

    -- the same, as twelve-month lists per region-register year (index: the month)
    select
        region_source_id,
        year,
        list(is_complete order by month_number) as is_complete,
        list(is_prior_complete order by month_number) as is_prior_complete,
        list(is_month_covered order by month_number) as is_month_covered,
        list(is_previous_month_covered order by month_number) as is_previous_month_covered
    from coverage_flags
    group by region_source_id, year

),

month_values as (

    -- a series-year's twelve month values, 0 where nothing occurred
    select
        series_id,
        year,
        [
            {%- for m in range(1, 13) %}
                coalesce(max(value) filter (where month_number = {{ m }}), 0){{ ',' if not loop.last }}
            {%- endfor %}
        ] as month_values
    from rolled_ids
    group by series_id, year

),

series_year_values as (

    select
        ss.series_id,
        i.region_source_id,
        s.year,
        y.months_due,
        coalesce(cur.month_values, {{ zero_months }}) as month_values,
        coalesce(pri.month_values, {{ zero_months }}) as prior_year_month_values,
        f.is_complete,
        f.is_prior_complete,
        f.is_month_covered,
        f.is_previous_month_covered
    from series_years as s
    inner join series as ss
        on {{ keys_match('s', 'ss', series_keys) }}
    inner join series_ids as i
        on ss.series_id = i.series_id
    inner join years as y
        on s.year = y.year
    left join month_values as cur
        on ss.series_id = cur.series_id
        and s.year = cur.year
    left join month_values as pri
        on ss.series_id = pri.series_id
        and s.year - 1 = pri.year
    inner join coverage_year_flags as f
        on i.region_source_id = f.region_source_id
        and s.year = f.year

),

windowed as (

    -- one row per due month of the series-year: the month, the month before in the year, the
    -- year to date and the same months of the year before
    select
        v.series_id,
        v.region_source_id,
        v.year,
        t.month_number,
        v.month_values[t.month_number] as month_value,
        v.prior_year_month_values[12] as prior_december_value,
        -- the year before is a statistical year of the warehouse (else nothing is known of it)
        v.year - 1 >= {{ var('first_year') }} as has_prior_year,
        case when t.month_number > 1 then v.month_values[t.month_number - 1] end as previous_month_in_year,
        list_sum(v.month_values[1:t.month_number]) as ytd_value,
        list_sum(v.prior_year_month_values[1:t.month_number]) as prior_year_ytd_value,
        v.is_complete[t.month_number] as is_complete,
        v.is_prior_complete[t.month_number] as is_prior_complete,
        v.is_month_covered[t.month_number] as is_month_covered,
        v.is_previous_month_covered[t.month_number] as is_previous_month_covered
    from series_year_values as v
    cross join lateral (
        select cast(m as integer) as month_number
        from unnest(range(1, v.months_due + 1)) as r (m)
    ) as t

),

completed as (

    select
        w.series_id,
        w.year,
        w.month_number,
        w.month_value,
        w.ytd_value,
        w.is_complete,
        w.is_prior_complete,
        w.is_month_covered,
        w.is_previous_month_covered,
        case
            when w.month_number > 1 then w.previous_month_in_year
            when w.has_prior_year then w.prior_december_value
        end as prior_month_value,
        case when w.has_prior_year then w.prior_year_ytd_value end as prior_ytd_value
    from windowed as w

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
