-- Which unit filed what for which month, per event source: a record (latest revision, including
-- written-off ones: the unit did file for that month) or a 零报告. Sparse: covered months only.
-- Built incrementally by statistical year on int_filings_year_inputs.submissions_fingerprint,
-- reading the records and 零报告 of the years it builds (macros/filing_years.sql).
{%- set fingerprint = 'submissions_fingerprint' %}
{{ filing_years_config(fingerprint) }}
with

accidents as (

    {{ filings_in_years_to_build('int_accidents_deduplicated', this, fingerprint) }}

),

disasters as (

    {{ filings_in_years_to_build('int_disasters_deduplicated', this, fingerprint) }}

),

fires as (

    {{ filings_in_years_to_build('int_forest_fires_deduplicated', this, fingerprint) }}

),

zero_reports as (

    {{ filings_in_years_to_build('stg_ingest__zero_reports', this, fingerprint) }}

),

records as (

    select 'accidents' as source, region_code, cast(date_trunc('month', occurred_at) as date) as month
    from accidents
    union all
    select 'disasters' as source, region_code, start_month as month
    from disasters
    union all
    select 'forest_fires' as source, region_code, occurred_month as month
    from fires

),

record_months as (

    select source, region_code, month, count(*) as records
    from records
    group by source, region_code, month

),

zero_months as (

    select source, region_code, month, count(*) as zero_reports
    from zero_reports
    group by source, region_code, month

),

final as (

    select
        coalesce(r.source, z.source) as source,
        coalesce(r.region_code, z.region_code) as region_code,
        coalesce(r.month, z.month) as month,
        cast(extract(year from coalesce(r.month, z.month)) as integer) as year,
        coalesce(r.records, 0) as records,
        coalesce(z.zero_reports, 0) as zero_reports
    from record_months as r
    full outer join zero_months as z
        on {{ keys_match('r', 'z', ['source', 'region_code', 'month']) }}
    where coalesce(r.month, z.month) <= {{ through_month() }}

)

select * from final
