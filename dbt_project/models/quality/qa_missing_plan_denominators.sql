-- Plan jurisdictions lacking a denominator one of their targets needs (the catalogue's
-- denominator_measure), per year: the plan years up to the last year whose statistics are due
-- (as-of year minus denominator_lag_years) and, for decline targets, the base year. Only
-- jurisdictions this warehouse holds filings for (records or 零报告): one without any filing is
-- out of this load's scope, its targets show 数据不足.
with

bridge as (

    select * from {{ ref('bridge_region_rollup') }}

),

coverage as (

    select * from {{ ref('fct_submission_coverage') }}

),

plan_targets as (

    select * from {{ ref('int_plan_targets') }}

),

indicators as (

    select * from {{ ref('dim_indicator') }}

),

reporting as (

    select distinct b.rollup_region_code as region_code
    from bridge as b
    inner join coverage as c
        on b.county_region_code = c.region_code
    where c.is_covered

),

targets as (

    select
        t.region_code,
        t.indicator_code,
        t.target_kind,
        t.baseline_year
    from plan_targets as t
    inner join reporting as r
        on t.region_code = r.region_code

),

plan_years as (

    select cast(t.y as integer) as year
    from range(
            {{ var('plan_start_year') }},
            least({{ var('plan_end_year') }}, {{ as_of_year() }} - {{ var('denominator_lag_years') }}) + 1
        ) as t (y)

),

target_years as (

    select
        t.region_code,
        t.indicator_code,
        y.year
    from targets as t
    cross join plan_years as y
    union
    select
        region_code,
        indicator_code,
        baseline_year as year
    from targets
    where target_kind = 'decline_pct'
        and baseline_year is not null

),

required as (

    select
        y.region_code,
        y.year,
        i.denominator_measure as measure,
        string_agg(distinct y.indicator_code, ', ' order by y.indicator_code) as indicators
    from target_years as y
    inner join indicators as i
        on y.indicator_code = i.indicator_code
    where i.denominator_measure is not null
    group by y.region_code, y.year, i.denominator_measure

),

final as (

    {{ missing_denominators('required', 'indicators') }}

)

select * from final
order by region_code, year, measure
