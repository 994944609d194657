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
-- Built incrementally by statistical year (macros/incremental_years.sql; its config
-- macros/incremental_years_config.sql): a year's rows read that year's filings and months due
-- only (and, as every year, the bridge and the registers kept), so a run rebuilds the years whose
-- fingerprint (int_region_months_year_inputs) changed; a full refresh builds every year.
{%- set inputs = ref('int_region_months_year_inputs') %}
{{ incremental_years_config('int_region_months_year_inputs', 'fingerprint') }}
with

bridge as (

    select * from {{ ref('int_region_rollup_bridged') }}
    where is_county_level_member

),

every_year_covered as (

    select * from {{ ref('int_submissions_covered') }}

),

covered as (

    select * from every_year_covered
    where {{ in_years_to_build('year', this, inputs, 'fingerprint') }}

),

years as (

    select * from {{ ref('int_calendar_years') }}
    where {{ in_years_to_build('year', this, inputs, 'fingerprint') }}

),

units as (

    -- the county-level units each roll-up region needs a filing from
    select * from {{ ref('int_rollup_units_counted') }}

),

kept as (

    -- a register is kept when a unit has filed it in any year
    select distinct
        b.rollup_region_code as region_code,
        c.source
    from bridge as b
    inner join every_year_covered as c
        on b.county_region_code = c.region_code

),

due_months as (

    {{ due_months('years') }}

),

units_filed as (

    -- per roll-up region, register and month: how many of its units filed (a unit files a
    -- register at most once a month: int_submissions_covered is unique on those)
    select
        b.rollup_region_code as region_code,
        c.source,
        c.month,
        count(*) as units_filed
    from covered as c
    inner join bridge as b
        on c.region_code = b.county_region_code
    group by b.rollup_region_code, c.source, c.month

),

region_months as (

    select
        k.region_code,
        k.source,
        d.year,
        d.month_number,
        d.month,
        u.units_required,
        coalesce(f.units_filed, 0) as units_filed
    from kept as k
    inner join units as u
        on k.region_code = u.region_code
    cross join due_months as d
    left join units_filed as f
        on {{ keys_match('k', 'f', ['region_code', 'source']) }}
        and d.month = f.month

),

missing_units as (

    -- the units that did not file, listed only for the region-months with a gap
    select
        r.region_code,
        r.source,
        r.month,
        list(b.county_region_code order by b.county_region_code) as missing_unit_codes
    from region_months as r
    inner join bridge as b
        on r.region_code = b.rollup_region_code
    left join covered as c
        on b.county_region_code = c.region_code
        and r.source = c.source
        and r.month = c.month
    where r.units_filed < r.units_required
        and c.region_code is null
    group by r.region_code, r.source, r.month

),

region_years as (

    -- the first month of each year with a gap (none: 13): the year to date is complete through
    -- every month before it (an aggregate joined back: cheaper than a window over the months)
    select
        region_code,
        source,
        year,
        coalesce(min(month_number) filter (where units_filed < units_required), 13) as first_gap_month,
        max(month_number) as last_due_month
    from region_months
    group by region_code, source, year

),

final as (

    select
        r.region_code,
        r.source,
        r.year,
        r.month_number,
        r.month,
        r.units_required,
        r.units_filed,
        coalesce(m.missing_unit_codes, []) as missing_unit_codes,
        r.units_filed = r.units_required as is_covered,
        r.month_number < y.first_gap_month as is_complete_through,
        least(y.first_gap_month - 1, y.last_due_month) as complete_through_month
    from region_months as r
    inner join region_years as y
        on {{ keys_match('r', 'y', ['region_code', 'source', 'year']) }}
    left join missing_units as m
        on {{ keys_match('r', 'm', ['region_code', 'source', 'month']) }}

)

select * from final
