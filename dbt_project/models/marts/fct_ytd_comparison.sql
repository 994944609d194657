-- Current-year monitoring: January..the last month every county-level unit of the region has
-- filed (through_month; the months due are January..due_through_month) against the same months
-- of the prior year, for the count indicators, at every roll-up region where the source is filed.
-- One late county shortens the window (and says so: is_full_window) instead of blanking it; a
-- region with no month complete in both years is null, never 0.
with

indicators as (

    select * from {{ ref('int_indicators_defined') }}
    where kind = 'count'

),

bridge as (

    select * from {{ ref('int_region_rollup_bridged') }}

),

covered as (

    select * from {{ ref('int_submissions_covered') }}

),

measures as (

    select * from {{ ref('int_event_measures_by_month') }}

),

window_def as (

    select
        {{ as_of_year() }} as year,
        cast(extract(month from {{ through_month() }}) as integer) as through_month
    where extract(year from {{ through_month() }}) = {{ as_of_year() }}

),

county_members as (

    select rollup_region_code, county_region_code
    from bridge
    where is_county_level_member

),

window_years as (

    -- the current and the prior year
    select year from window_def
    union all
    select year - 1 as year from window_def

),

indicator_sources as (

    select distinct source from indicators

),

indicator_numerators as (

    select distinct source, numerator_measure from indicators

),

due_months as (

    -- January..through month of the current and the prior year
    select y.year, cast(t.m as integer) as month_number
    from window_years as y
    cross join window_def as w
    cross join range(1, w.through_month + 1) as t (m)

),

unit_first_gap as (

    -- the first month of the window a unit has not filed (null: filed every month)
    select
        m.rollup_region_code,
        m.county_region_code,
        s.source,
        d.year,
        min(d.month_number) filter (where c.region_code is null) as first_gap,
        count(c.region_code) as months_covered
    from county_members as m
    cross join indicator_sources as s
    cross join due_months as d
    left join covered as c
        on m.county_region_code = c.region_code
        and s.source = c.source
        and d.year = c.year
        and cast(extract(month from c.month) as integer) = d.month_number
    group by m.rollup_region_code, m.county_region_code, s.source, d.year

),

region_complete_through as (

    -- the last month up to which every county-level unit of the region filed every month
    select
        g.rollup_region_code as region_code,
        g.source,
        g.year,
        min(coalesce(g.first_gap - 1, w.through_month)) as complete_through_month,
        sum(g.months_covered) as months_covered_total
    from unit_first_gap as g
    cross join window_def as w
    group by g.rollup_region_code, g.source, g.year

),

windows as (

    -- the months compared: January..the last month both years are complete for every unit
    select
        cur.region_code,
        cur.source,
        least(cur.complete_through_month, pri.complete_through_month) as compared_through_month,
        cur.complete_through_month = w.through_month as is_current_complete,
        pri.complete_through_month = w.through_month as is_prior_complete,
        cur.months_covered_total + pri.months_covered_total as months_covered_total
    from region_complete_through as cur
    cross join window_def as w
    inner join region_complete_through as pri
        on cur.region_code = pri.region_code
        and cur.source = pri.source
        and pri.year = w.year - 1
    where cur.year = w.year

),

sums as (

    select
        b.rollup_region_code as region_code,
        m.year,
        m.measure,
        i.source,
        sum(m.value) as value
    from measures as m
    inner join bridge as b
        on m.region_code = b.county_region_code
    inner join indicator_numerators as i
        on m.measure = i.numerator_measure
    inner join windows as win
        on b.rollup_region_code = win.region_code
        and i.source = win.source
    cross join window_def as w
    where m.year in (w.year, w.year - 1)
        and m.month_number <= win.compared_through_month
    group by b.rollup_region_code, m.year, m.measure, i.source

),

combined as (

    select
        win.region_code,
        i.indicator_code,
        w.year,
        win.compared_through_month as through_month,
        w.through_month as due_through_month,
        case when win.compared_through_month > 0 then coalesce(sc.value, 0) end as value_ytd,
        case when win.compared_through_month > 0 then coalesce(sp.value, 0) end
            as prior_year_value_same_months,
        win.is_current_complete,
        win.is_prior_complete,
        win.compared_through_month = w.through_month as is_full_window
    from windows as win
    cross join window_def as w
    inner join indicators as i
        on win.source = i.source
    left join sums as sc
        on win.region_code = sc.region_code
        and w.year = sc.year
        and i.numerator_measure = sc.measure
    left join sums as sp
        on win.region_code = sp.region_code
        and sp.year = w.year - 1
        and i.numerator_measure = sp.measure
    where win.months_covered_total > 0

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
                then (value_ytd - prior_year_value_same_months) * 100.0 / prior_year_value_same_months
        end as change_pct,
        is_full_window as is_complete,
        is_current_complete,
        is_prior_complete,
        due_through_month,
        is_full_window
    from combined

)

select * from final
