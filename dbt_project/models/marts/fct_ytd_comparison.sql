-- Current-year monitoring: January..through_month of the as-of year against the same months of
-- the year before, for the count indicators, at every roll-up region that keeps their register.
-- through_month is the region's year-to-date month (int_region_ytd_months: every county-level
-- unit filed every register the region keeps, both years), the same month as the plan's
-- monitoring month, the current-year breakdowns and fct_monthly_situation's row for that month;
-- due_through_month is the last month due. One late county shortens the window (and says so:
-- is_full_window) instead of blanking it; a region with no month complete in both years is null,
-- never 0.
with

indicators as (

    select * from {{ ref('int_indicators_defined') }}
    where kind = 'count'

),

bridge as (

    select * from {{ ref('int_region_rollup_bridged') }}

),

coverage as (

    select * from {{ ref('int_region_months_covered') }}

),

ytd_months as (

    select * from {{ ref('int_region_ytd_months') }}
    where year = {{ as_of_year() }}

),

measures as (

    select * from {{ ref('int_event_measures_by_month') }}

),

windows as (

    -- the registers each region keeps, with the region's months and whether each year is
    -- complete through the last month due (int_region_months_covered's is_complete_through)
    select
        w.region_code,
        cur.source,
        w.year,
        w.through_month,
        w.due_through_month,
        w.is_full_window,
        cur.is_complete_through as is_current_complete,
        coalesce(pri.is_complete_through, false) as is_prior_complete
    from ytd_months as w
    inner join coverage as cur
        on {{ keys_match('w', 'cur', ['region_code', 'year']) }}
        and w.due_through_month = cur.month_number
    left join coverage as pri
        on w.region_code = pri.region_code
        and cur.source = pri.source
        and w.year - 1 = pri.year
        and w.due_through_month = pri.month_number

),

sums as (

    select
        b.rollup_region_code as region_code,
        m.year,
        m.measure,
        {{ exact_sum('m.value') }} as value
    from measures as m
    inner join bridge as b
        on m.region_code = b.county_region_code
    inner join ytd_months as w
        on b.rollup_region_code = w.region_code
    where m.year in (w.year, w.year - 1)
        and m.month_number <= w.through_month
    group by b.rollup_region_code, m.year, m.measure

),

combined as (

    select
        win.region_code,
        i.indicator_code,
        win.year,
        win.through_month,
        win.due_through_month,
        case when win.through_month is not null then coalesce(sc.value, 0) end as value_ytd,
        case when win.through_month is not null then coalesce(sp.value, 0) end
            as prior_year_value_same_months,
        win.is_current_complete,
        win.is_prior_complete,
        coalesce(win.is_full_window, false) as is_full_window
    from windows as win
    inner join indicators as i
        on win.source = i.source
    left join sums as sc
        on {{ keys_match('win', 'sc', ['region_code', 'year']) }}
        and i.numerator_measure = sc.measure
    left join sums as sp
        on win.region_code = sp.region_code
        and win.year - 1 = sp.year
        and i.numerator_measure = sp.measure

),

final as (

    select
        region_code,
        indicator_code,
        year,
        through_month,
        value_ytd,
        prior_year_value_same_months,
        case
            when value_ytd is not null and prior_year_value_same_months > 0
                then {{ change_pct('value_ytd', 'prior_year_value_same_months') }}
        end as change_pct,
        is_full_window as is_complete,
        is_current_complete,
        is_prior_complete,
        due_through_month,
        is_full_window
    from combined

)

select * from final
