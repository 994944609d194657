-- "Through month m", defined once (docs/spec/monthly.md, "Completeness"): for every roll-up
-- region (county-level unit or prefecture), event register it keeps and due month of the
-- statistical years, how many of its county-level units filed for the month (a record or a
-- 零报告), whether all of them did (is_covered), and whether all of them did for every month from
-- January to this one (is_complete_through: the year to date 1..m is complete). Everything that
-- speaks of a year to date — the monthly situation, the quotas, the plan's monitoring month, the
-- current-year comparison and breakdowns — reads its months from here.
-- A register is kept by a region when any of its county-level units has ever filed it: a register
-- nobody there keeps (no forest, no forest-fire register) is no gap; one that is kept needs every
-- unit every month.
with

bridge as (

    select * from {{ ref('int_region_rollup_bridged') }}
    where is_county_level_member

),

covered as (

    select * from {{ ref('int_submissions_covered') }}

),

years as (

    select * from {{ ref('int_calendar_years') }}

),

kept as (

    select distinct
        b.rollup_region_code as region_code,
        c.source
    from bridge as b
    inner join covered as c
        on b.county_region_code = c.region_code

),

due_months as (

    {{ due_months('years') }}

),

unit_months as (

    select
        k.region_code,
        k.source,
        d.year,
        d.month_number,
        d.month,
        b.county_region_code,
        c.region_code is not null as is_filed
    from kept as k
    inner join bridge as b
        on k.region_code = b.rollup_region_code
    cross join due_months as d
    left join covered as c
        on b.county_region_code = c.region_code
        and k.source = c.source
        and d.month = c.month

),

region_months as (

    select
        region_code,
        source,
        year,
        month_number,
        month,
        count(*) as units_required,
        count(*) filter (where is_filed) as units_filed,
        coalesce(
            list(county_region_code order by county_region_code) filter (where not is_filed), []
        ) as missing_unit_codes
    from unit_months
    group by region_code, source, year, month_number, month

),

through as (

    select
        *,
        units_filed = units_required as is_covered,
        bool_and(units_filed = units_required) over (
            partition by region_code, source, year
            order by month_number
            rows between unbounded preceding and current row
        ) as is_complete_through
    from region_months

),

final as (

    select
        region_code,
        source,
        year,
        month_number,
        month,
        units_required,
        units_filed,
        missing_unit_codes,
        is_covered,
        is_complete_through,
        coalesce(
            max(case when is_complete_through then month_number end)
                over (partition by region_code, source, year),
            0
        ) as complete_through_month
    from through

)

select * from final
