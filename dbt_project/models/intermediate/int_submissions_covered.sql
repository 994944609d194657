-- Which unit filed what for which month, per event source: a record (latest revision, including
-- written-off ones: the unit did file for that month) or a 零报告. Sparse: covered months only.
-- Built incrementally by statistical year (macros/incremental_years.sql): a year's rows read that
-- year's records and 零报告 only, so a run rebuilds the years whose fingerprint
-- (int_filings_year_inputs.submissions_fingerprint) changed; a full refresh builds every year.
{%- set inputs = ref('int_filings_year_inputs') %}
{%- set fingerprint = 'submissions_fingerprint' %}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ delete_years_to_build(this, ref('int_filings_year_inputs'), 'submissions_fingerprint') }}",
    post_hook="{{ record_years_rebuilt(this, ref('int_filings_year_inputs'), 'submissions_fingerprint') }}"
) }}
with

accidents as (

    select * from {{ ref('int_accidents_deduplicated') }}
    where {{ in_years_to_build('extract(year from occurred_at)', this, inputs, fingerprint) }}

),

disasters as (

    select * from {{ ref('int_disasters_deduplicated') }}
    where {{ in_years_to_build('extract(year from start_month)', this, inputs, fingerprint) }}

),

fires as (

    select * from {{ ref('int_forest_fires_deduplicated') }}
    where {{ in_years_to_build('extract(year from occurred_month)', this, inputs, fingerprint) }}

),

zero_reports as (

    select * from {{ ref('stg_ingest__zero_reports') }}
    where {{ in_years_to_build('extract(year from month)', this, inputs, fingerprint) }}

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
