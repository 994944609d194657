-- Month-by-month filing status of county-level units per event source, from the first month in
-- which the source has any filing in the warehouse (never before first_year-01) to the through
-- month: a warehouse started in 2016 is not chased for 2015. Units in scope for a source: every
-- county-level unit that has ever filed it (record or 零报告), and every county-level unit of a
-- plan jurisdiction in which any unit files it (so a unit that never filed is still chased).
-- Built incrementally by statistical year (macros/incremental_years.sql): a year's rows read that
-- year's filings and months only, and, as every year, the units in scope and each register's first
-- month, so a run rebuilds the years whose fingerprint
-- (int_region_months_year_inputs.submission_coverage_fingerprint) changed; a full refresh builds
-- every year.
{%- set inputs = ref('int_region_months_year_inputs') %}
{%- set fingerprint = 'submission_coverage_fingerprint' %}
{{ incremental_years_config(
    'int_region_months_year_inputs', 'submission_coverage_fingerprint', on_schema_change='fail'
) }}
with

regions as (

    select * from {{ ref('int_regions_resolved') }}

),

bridge as (

    select * from {{ ref('int_region_rollup_bridged') }}

),

every_year_covered as (

    select * from {{ ref('int_submissions_covered') }}

),

covered as (

    select * from every_year_covered
    where {{ in_years_to_build('year', this, inputs, fingerprint) }}

),

every_month as (

    select cast(t.m as date) as month
    from range(
            cast('{{ var("first_year") }}-01-01' as timestamp),
            cast({{ through_month() }} as timestamp) + interval 1 month,
            interval 1 month
        ) as t (m)

),

months as (

    select month from every_month
    where {{ in_years_to_build('extract(year from month)', this, inputs, fingerprint) }}

),

ever_filed as (

    select distinct c.source, c.region_code
    from every_year_covered as c
    inner join regions as r
        on c.region_code = r.region_code
    where r.is_county_level

),

plan_units as (

    select distinct e.source, m.county_region_code as region_code
    from bridge as m
    inner join regions as j
        on m.rollup_region_code = j.region_code
        and j.is_plan_jurisdiction
    inner join bridge as f
        on m.rollup_region_code = f.rollup_region_code
    inner join ever_filed as e
        on f.county_region_code = e.region_code
    where m.is_county_level_member

),

scope as (

    select source, region_code from ever_filed
    union
    select source, region_code from plan_units

),

source_start as (

    select source, min(month) as first_month
    from every_year_covered
    group by source

),

final as (

    select
        s.region_code,
        s.source,
        m.month,
        cast(extract(year from m.month) as integer) as year,
        c.region_code is not null as is_covered,
        coalesce(c.records, 0) as records,
        coalesce(c.zero_reports, 0) as zero_reports
    from scope as s
    inner join source_start as st
        on s.source = st.source
    inner join months as m
        on st.first_month <= m.month
    left join covered as c
        on {{ keys_match('s', 'c', ['source', 'region_code']) }}
        and m.month = c.month

)

select * from final
