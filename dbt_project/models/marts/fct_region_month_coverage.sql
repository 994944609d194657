-- "Through month m" for analysts and reports (docs/spec/monthly.md, "Completeness"): per roll-up
-- region, event register it keeps and due month, whether every county-level unit has filed the
-- month (records or 零报告), whether January..the month is complete, and which units have not
-- filed (the 未报齐 units). The rows of int_region_months_covered, the one definition every year
-- to date uses.
-- Built incrementally by statistical year, as int_region_months_covered is and from the same
-- fingerprint (macros/incremental_years.sql): a year's rows are that model's rows of the year, so
-- a run rebuilds the years whose fingerprint (int_region_months_year_inputs) changed since this
-- table's rows were built; a full refresh copies every year.
{%- set inputs = ref('int_region_months_year_inputs') %}
{{ incremental_years_config('int_region_months_year_inputs', 'fingerprint', on_schema_change='fail') }}
with

coverage as (

    select * from {{ ref('int_region_months_covered') }}
    where {{ in_years_to_build('year', this, inputs, 'fingerprint') }}

),

final as (

    select
        region_code,
        source,
        year,
        month_number as month,
        units_required,
        units_filed,
        missing_unit_codes,
        is_covered,
        is_complete_through,
        complete_through_month
    from coverage

)

select * from final
