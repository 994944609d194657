-- One definition of "through month m": the plan reports' year to date (fct_ytd_comparison and
-- fct_plan_ytd, at the region's year-to-date month) equals fct_monthly_situation's row for the
-- same region, year and month: year to date, the same months of the year before and 同比.
-- Returns the disagreements.
{# Dagster shows this test as a check of the model it is about (it reads several). #}
{{ config(meta={'dagster': {'ref': {'name': 'fct_monthly_situation'}}}) }}

with

-- the year to date of both plan models, at the region's year-to-date month
plan_models as (

    select
        'fct_ytd_comparison' as plan_model, region_code, indicator_code, year, through_month,
        value_ytd as plan_value, prior_year_value_same_months as plan_prior
    from {{ ref('fct_ytd_comparison') }}
    union all
    select
        'fct_plan_ytd' as plan_model, region_code, indicator_code, year, through_month,
        ytd_value as plan_value, prior_ytd_value as plan_prior
    from {{ ref('fct_plan_ytd') }}

),

-- those of the count indicators the situation holds
plan_rows as (

    select * from plan_models
    where through_month is not null
        and indicator_code in (
            'safety_deaths', 'safety_accidents', 'larger_accidents', 'major_and_above_accidents'
        )

),

plan_months as (

    select distinct region_code, year, through_month as month from plan_rows

),

-- the situation's accident rows of those region-months only (not its millions of other rows)
situation as (

    select s.*
    from {{ ref('fct_monthly_situation') }} as s
    inner join plan_months as m
        on {{ keys_match('s', 'm', ['region_code', 'year', 'month']) }}
    where s.source = 'accidents'

),

-- the count indicators as the situation's measures: a total, or one class summed
indicator_rows as (

    select
        s.region_code,
        s.year,
        s.month,
        i.indicator_code,
        sum(s.ytd_value) as ytd_value,
        sum(s.prior_ytd_value) as prior_ytd_value
    from situation as s
    inner join (
        values
        ('safety_deaths', 'deaths', 'total', 'all'),
        ('safety_accidents', 'accidents', 'total', 'all'),
        ('larger_accidents', 'accidents', 'class', 'larger'),
        ('major_and_above_accidents', 'accidents', 'class', 'major'),
        ('major_and_above_accidents', 'accidents', 'class', 'extraordinary')
    ) as i (indicator_code, measure, breakdown_kind, breakdown_value)
        on {{ keys_match('s', 'i', ['measure', 'breakdown_kind', 'breakdown_value']) }}
    group by s.region_code, s.year, s.month, i.indicator_code

),

-- a region-month the situation holds (its accident totals), where a class without a row is 0
months_held as (

    select distinct region_code, year, month from situation
    where breakdown_kind = 'total'

),

compared as (

    select
        p.*,
        coalesce(r.ytd_value, 0) as situation_value,
        coalesce(r.prior_ytd_value, 0) as situation_prior,
        h.region_code is not null as is_held
    from plan_rows as p
    left join months_held as h
        on {{ keys_match('p', 'h', ['region_code', 'year']) }}
        and p.through_month = h.month
    left join indicator_rows as r
        on {{ keys_match('p', 'r', ['region_code', 'year']) }}
        and p.through_month = r.month
        and p.indicator_code = r.indicator_code

),

final as (

    select * from compared
    where not is_held
        or plan_value is distinct from situation_value
        or plan_prior is distinct from situation_prior

)

select * from final
