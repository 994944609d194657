-- Plan jurisdictions lacking a denominator one of their targets needs (the catalogue's
-- denominator_measure), per year: each plan's own years (int_plan_targets) up to the last year
-- whose statistics are due (as-of year minus denominator_lag_years) and, for decline targets, its
-- base year. (A previous period without its denominators only leaves a period mean's change
-- unshown, with the reason: not a blocker.) Only jurisdictions this warehouse holds filings for
-- (records or 零报告): one without any filing is out of this load's scope, its targets show 数据不足.
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
        t.start_year,
        t.end_year,
        t.baseline_year
    from plan_targets as t
    inner join reporting as r
        on t.region_code = r.region_code

),

due_years as (

    -- every year from the earliest base year to the last year whose statistics are due
    select
        cast(
            unnest(range(min(baseline_year), {{ as_of_year() }} - {{ var('denominator_lag_years') }} + 1))
            as integer
        ) as year
    from targets

),

target_years as (

    select
        t.region_code,
        t.indicator_code,
        y.year
    from targets as t
    inner join due_years as y
        on t.start_year <= y.year
        and t.end_year >= y.year
    union
    select
        t.region_code,
        t.indicator_code,
        t.baseline_year as year
    from targets as t
    inner join due_years as y
        on t.baseline_year = y.year
    where t.target_kind = 'decline_pct'

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
