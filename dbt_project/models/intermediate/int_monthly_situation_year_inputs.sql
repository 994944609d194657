-- What fct_monthly_situation reads, as one fingerprint per statistical year: the year's months
-- due, its measures per filing unit and month, its coverage per roll-up region and month, and what
-- every year reads (the roll-up bridge, the situation measures). A fingerprint is a row count and
-- the sum of the rows' hashes (every column, macros/fingerprints.sql): any row added, removed or
-- changed changes it.
-- The monthly situation's rows of a year read these inputs for that year and the year before only
-- (同比; January's 环比 reads the December before; a breakdown counts when it occurred in the
-- year or the year before), so its incremental build rebuilds a year when the fingerprint of the
-- year or of the year before differs from the one it was built from (fct_monthly_situation keeps
-- them, macros/incremental_years.sql). Every year of any input has a row (a year without rows
-- in one input has that input's empty fingerprint).
with

calendar as (

    {{ row_fingerprint(ref('int_calendar_years'), by='year') }}

),

measures as (

    {{ row_fingerprint(ref('int_situation_measures_by_month'), by='year') }}

),

coverage as (

    {{ row_fingerprint(ref('int_region_months_covered'), by='year') }}

),

bridge as (

    {{ row_fingerprint(ref('int_region_rollup_bridged')) }}

),

measure_list as (

    {{ row_fingerprint(ref('situation_measures')) }}

),

every_year as (

    -- read by every year: a change rebuilds them all
    select {{ fingerprints_text(['b', 's']) }} as fingerprint
    from bridge as b
    cross join measure_list as s

),

years as (

    select year from calendar
    union
    select year from measures
    union
    select year from coverage

),

final as (

    select
        y.year,
        concat_ws('/', {{ fingerprints_text(['cal', 'm', 'cov']) }}, e.fingerprint) as fingerprint
    from years as y
    left join calendar as cal
        on y.year = cal.year
    left join measures as m
        on y.year = m.year
    left join coverage as cov
        on y.year = cov.year
    cross join every_year as e

)

select * from final
