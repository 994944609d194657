-- What the per-unit filing models read, as one fingerprint per statistical year and model (a
-- fingerprint is a row count and the sum of the rows' hashes: macros/fingerprints.sql): any row
-- added, removed or changed in a year changes that year's. int_submissions_covered,
-- int_situation_measures_by_month and int_event_measures_by_month are built incrementally by year
-- (macros/incremental_years.sql, `append` after deleting the years to build): a year's rows read
-- that year's records only (the month of the record or 零报告) and the year's months due (the
-- as-of date), so a year is rebuilt when its fingerprint differs from the one its rows were built
-- from. Every year of any input has a row; a row's year is the models' (filing_year,
-- macros/filing_years.sql).
--   submissions_fingerprint: the latest revisions of the three registers (written-off records
--     included: the unit did file), the 零报告, the year's months due;
--   event_measures_fingerprint (the two measures-by-month models): the classified accidents
--     (written-off ones included: the flag is a column), the disasters and the forest fires,
--     the year's months due.
-- Left out of the fingerprints: the rows' lineage (file, row, load) and revision_count (how many
-- filings a record has), which none of the three models reads: reloading a file with the same
-- rows rebuilds nothing.
{%- set unread = ['revision_count'] %}
with

calendar as (

    {{ row_fingerprint(ref('int_calendar_years'), by='year') }}

),

accidents as (

    {{ filing_fingerprint('int_accidents_deduplicated', leave_out=unread) }}

),

accidents_classified as (

    {{ filing_fingerprint('int_accidents_classified', leave_out=unread) }}

),

disasters as (

    {{ filing_fingerprint('int_disasters_deduplicated', leave_out=unread) }}

),

fires as (

    {{ filing_fingerprint('int_forest_fires_deduplicated', leave_out=unread) }}

),

zero_reports as (

    {{ filing_fingerprint('stg_ingest__zero_reports') }}

),

years as (

    select year from calendar
    union
    select year from accidents
    union
    select year from accidents_classified
    union
    select year from disasters
    union
    select year from fires
    union
    select year from zero_reports

),

final as (

    select
        y.year,
        {{ fingerprints_text(['a', 'd', 'f', 'z', 'cal']) }} as submissions_fingerprint,
        {{ fingerprints_text(['ac', 'd', 'f', 'cal']) }} as event_measures_fingerprint
    from years as y
    left join calendar as cal
        on y.year = cal.year
    left join accidents as a
        on y.year = a.year
    left join accidents_classified as ac
        on y.year = ac.year
    left join disasters as d
        on y.year = d.year
    left join fires as f
        on y.year = f.year
    left join zero_reports as z
        on y.year = z.year
    where y.year is not null

)

select * from final
