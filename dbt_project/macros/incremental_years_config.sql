{#- The config of a model built incrementally by statistical year with the `append` strategy
    (macros/incremental_years.sql: int_submissions_covered, int_situation_measures_by_month,
    int_event_measures_by_month, int_region_months_covered): its pre-hook deletes the years to
    build, those whose `fingerprint` (a column of the model `year_inputs`) differs from the one
    kept; its post-hook keeps the fingerprints its rows now hold. The model filters its inputs
    with in_years_to_build on the same year_inputs and fingerprint. Built this way too:
    int_indicator_values_computed and fct_indicator_values (int_indicator_values_year_inputs). The
    marts built this way (fct_region_month_coverage, fct_submission_coverage, fct_indicator_values)
    pass on_schema_change='fail'. -#}
{% macro incremental_years_config(year_inputs, fingerprint, on_schema_change='ignore') -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change=on_schema_change,
        pre_hook="{{ delete_years_to_build(this, ref('" ~ year_inputs ~ "'), '" ~ fingerprint ~ "') }}",
        post_hook="{{ record_years_rebuilt(this, ref('" ~ year_inputs ~ "'), '" ~ fingerprint ~ "') }}"
    ) }}
{%- endmacro %}
