-- What int_indicator_values_computed reads, as one fingerprint per statistical year (a row count
-- and the sum of the rows' hashes of each input: macros/fingerprints.sql); fct_indicator_values
-- reads that model's rows of the year and the Poisson limits of their numerators (the same for
-- the same count in every build), so it is built from the same fingerprint. Both are built
-- incrementally by year (macros/incremental_years.sql): a year is rebuilt when its fingerprint
-- differs from the one its rows were built from. Every year of any input has a row.
-- Per year: the completeness of each region and source (months due, current year, complete),
-- the year's event measures (their inputs' fingerprint, int_filings_year_inputs:
-- int_event_measures_by_month's rows of a year are built from those only), the rolled-up
-- denominators, the columns read of the capability values, and where the year stands against
-- the as-of year (a capability value counts up to it; the as-of year is the current one). Read by
-- every year: the indicator catalogue and the roll-up bridge (a change rebuilds every year).
with

completeness as (

    {{ row_fingerprint(ref('int_sources_completeness_by_region_year'), by='year') }}

),

measures as (

    select year, event_measures_fingerprint
    from {{ ref('int_filings_year_inputs') }}

),

denominators_read as (

    select region_code, year, measure, value, basis
    from {{ ref('int_denominators_rolled_up') }}

),

denominators as (

    {{ row_fingerprint('denominators_read', by='year') }}

),

capabilities_read as (

    select region_code, year, indicator_code, value
    from {{ ref('int_capabilities_deduplicated') }}

),

capabilities as (

    {{ row_fingerprint('capabilities_read', by='year') }}

),

indicators as (

    {{ row_fingerprint(ref('int_indicators_defined')) }}

),

bridge as (

    {{ row_fingerprint(ref('int_region_rollup_bridged')) }}

),

every_year as (

    -- read by every year: a change rebuilds them all
    select {{ fingerprints_text(['i', 'b']) }} as fingerprint
    from indicators as i
    cross join bridge as b

),

years as (

    select year from completeness
    union
    select year from measures
    union
    select year from denominators
    union
    select year from capabilities

),

final as (

    select
        y.year,
        concat_ws(
            '/',
            {{ fingerprints_text(['c', 'd', 'cap']) }},
            coalesce(m.event_measures_fingerprint, '-'),
            case
                when y.year = {{ as_of_year() }} then 'current'
                when y.year < {{ as_of_year() }} then 'past'
                else 'later'
            end,
            e.fingerprint
        ) as fingerprint
    from years as y
    left join completeness as c
        on y.year = c.year
    left join measures as m
        on y.year = m.year
    left join denominators as d
        on y.year = d.year
    left join capabilities as cap
        on y.year = cap.year
    cross join every_year as e
    where y.year is not null

)

select * from final
