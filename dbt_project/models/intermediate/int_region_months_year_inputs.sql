-- What int_region_months_covered reads, as one fingerprint per statistical year (a row count and
-- the sum of the rows' hashes, every column: macros/fingerprints.sql): the year's filings
-- (int_submissions_covered) and months due, and what every year reads: the roll-up bridge and
-- the registers each county-level unit keeps (has ever filed: any change there changes every
-- year). int_region_months_covered is built incrementally by year (macros/incremental_years.sql):
-- a year's rows read that year's filings only, so a year is rebuilt when its fingerprint differs
-- from the one its rows were built from. Every year of any input has a row.
-- submission_coverage_fingerprint: what fct_submission_coverage reads (built the same way): the
-- same, and, read by every year, the units' levels and plan jurisdictions (the units in scope)
-- and each register's first month filed (where its months start).
with

calendar as (

    {{ row_fingerprint(ref('int_calendar_years'), by='year') }}

),

covered as (

    {{ row_fingerprint(ref('int_submissions_covered'), by='year') }}

),

bridge as (

    {{ row_fingerprint(ref('int_region_rollup_bridged')) }}

),

unit_registers as (

    select distinct region_code, source
    from {{ ref('int_submissions_covered') }}

),

kept as (

    {{ row_fingerprint('unit_registers') }}

),

regions_read as (

    select region_code, is_county_level, is_plan_jurisdiction
    from {{ ref('int_regions_resolved') }}

),

regions as (

    {{ row_fingerprint('regions_read') }}

),

register_starts as (

    select source, min(month) as first_month
    from {{ ref('int_submissions_covered') }}
    group by source

),

starts as (

    {{ row_fingerprint('register_starts') }}

),

every_year as (

    -- read by every year: a change rebuilds them all
    select
        {{ fingerprints_text(['b', 'k']) }} as fingerprint,
        {{ fingerprints_text(['r', 's']) }} as coverage_scope
    from bridge as b
    cross join kept as k
    cross join regions as r
    cross join starts as s

),

years as (

    select year from calendar
    union
    select year from covered

),

final as (

    select
        y.year,
        concat_ws('/', {{ fingerprints_text(['cal', 'c']) }}, e.fingerprint) as fingerprint,
        concat_ws(
            '/', {{ fingerprints_text(['cal', 'c']) }}, e.fingerprint, e.coverage_scope
        ) as submission_coverage_fingerprint
    from years as y
    left join calendar as cal
        on y.year = cal.year
    left join covered as c
        on y.year = c.year
    cross join every_year as e
    where y.year is not null

)

select * from final
