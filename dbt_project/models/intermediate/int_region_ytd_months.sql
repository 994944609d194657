-- The months a year to date compares, per roll-up region and year (docs/spec/plans.md, the
-- monitoring month; docs/spec/monthly.md): January..through_month, the last month up to which
-- every county-level unit of the region has filed every register the region keeps, in this year
-- and, so that the same months can be compared, in the year before (int_region_months_covered).
-- Null when no month is complete in both years, never a month with gaps. The plan's monitoring
-- month, fct_ytd_comparison and the current-year breakdowns all use this month.
with

covered as (

    select distinct
        region_code,
        source,
        year,
        complete_through_month
    from {{ ref('int_region_months_covered') }}

),

years as (

    select * from {{ ref('int_calendar_years') }}
    where months_due > 0

),

windows as (

    select
        c.region_code,
        c.year,
        y.months_due,
        min(least(c.complete_through_month, coalesce(p.complete_through_month, 0))) as compared_through
    from covered as c
    inner join years as y
        on c.year = y.year
    left join covered as p
        on {{ keys_match('c', 'p', ['region_code', 'source']) }}
        and c.year - 1 = p.year
    group by c.region_code, c.year, y.months_due

),

final as (

    select
        region_code,
        year,
        months_due as due_through_month,
        nullif(compared_through, 0) as through_month,
        compared_through = months_due as is_full_window
    from windows

)

select * from final
