-- Months whose accident count is 0 or jumps against its trailing average, per prefecture (a
-- county's count is too small for a volume rule; a county-level unit directly under a province
-- counts with its province, a prefecture's own filings with the prefecture). Counted on
-- fct_accidents (the latest revision of each accident), written-off accidents left out, from
-- each group's first month with an accident to the month before the as-of month (the as-of
-- month is not over yet). Only the last volume_lookback_months months are judged, against the
-- volume_trailing_months before each of them. Thresholds: dbt_project.yml vars.
{%- set n = var('volume_trailing_months') %}
with

accidents as (

    select * from {{ ref('fct_accidents') }}
    where not is_written_off

),

regions as (

    select * from {{ ref('dim_region') }}

),

grouped as (

    select
        a.accident_id,
        cast(date_trunc('month', a.occurred_at) as date) as month,
        case
            when r.level = 'county' and r.parent_code is not null then r.parent_code
            else a.region_code
        end as group_code
    from accidents as a
    left join regions as r
        on a.region_code = r.region_code

),

bounds as (

    select
        group_code,
        min(month) as first_month,
        cast(date_trunc('month', {{ as_of_date() }}) - interval 1 month as date) as last_month
    from grouped
    group by group_code

),

calendar as (

    select
        b.group_code,
        cast(m.month as date) as month
    from bounds as b,
        lateral (
            select unnest(generate_series(b.first_month, b.last_month, interval 1 month)) as month
        ) as m

),

counts as (

    select
        c.group_code,
        c.month,
        count(g.accident_id) as accidents
    from calendar as c
    left join grouped as g
        on {{ keys_match('c', 'g', ['group_code', 'month']) }}
    group by c.group_code, c.month

),

windowed as (

    select
        *,
        avg(accidents) over trailing_window as trailing_average,
        count(*) over trailing_window as trailing_months
    from counts
    window trailing_window as (
        partition by group_code order by month rows between {{ n }} preceding and 1 preceding
    )

),

final as (

    select
        group_code as region_code,
        strftime(month, '%Y-%m') as month,
        accidents,
        round(trailing_average, 2) as trailing_average,
        case when accidents = 0 then 'zero' else 'jump' end as anomaly
    from windowed
    where trailing_months = {{ n }}
        and month > cast(
            date_trunc('month', {{ as_of_date() }})
            - interval {{ var('volume_lookback_months') + 1 }} month as date
        )
        and (
            (accidents = 0 and trailing_average >= {{ var('volume_zero_min_average') }})
            or (
                accidents >= {{ var('volume_jump_min_count') }}
                and accidents > {{ var('volume_jump_factor') }} * trailing_average
            )
        )

)

select * from final
order by region_code, month
