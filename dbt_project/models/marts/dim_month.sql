-- One row per calendar month of the statistical years first_year..as-of year, with whether its
-- filings are due at the as-of date (the rule of the submission coverage and the 催报 list:
-- int_calendar_years.months_due).
with

years as (

    select * from {{ ref('int_calendar_years') }}

),

months_of_year as (

    select cast(t.m as integer) as month_of_year
    from range(1, 13) as t (m)

),

months as (

    select
        y.year,
        m.month_of_year,
        make_date(y.year, m.month_of_year, 1) as month,
        y.months_due,
        y.is_current_year
    from years as y
    cross join months_of_year as m

),

final as (

    select
        month,
        cast(last_day(month) as date) as month_end_date,
        year,
        month_of_year,
        cast((month_of_year + 2) // 3 as integer) as quarter,
        strftime(month, '%Y-%m') as year_month,
        cast(year as varchar) || '年' || cast(month_of_year as varchar) || '月' as month_name_zh,
        cast(extract(day from last_day(month)) as integer) as days_in_month,
        month_of_year <= months_due as is_due,
        is_current_year,
        month = cast(date_trunc('month', {{ as_of_date() }}) as date) as is_as_of_month
    from months

)

select * from final
