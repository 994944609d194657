{#- The per-unit filing models built incrementally by statistical year (int_submissions_covered,
    int_situation_measures_by_month, int_event_measures_by_month; the machinery is
    macros/incremental_years.sql): which year each row they read belongs to, what they read in the
    years they build, and their config, written once. int_filings_year_inputs fingerprints each input per year with the
    same filing_year: were the two to differ, a changed record would rebuild the wrong year. -#}

{#- The statistical year of a row of a filing input (an expression on its columns): the month the
    record counts in (accidents: 发生时间; disasters: 开始日期; forest fires: 发生时间; 零报告: the
    month reported). -#}
{% macro filing_year(input) -%}
    {%- set month_columns = {
        'int_accidents_deduplicated': 'occurred_at',
        'int_accidents_classified': 'occurred_month',
        'int_disasters_deduplicated': 'start_month',
        'int_forest_fires_deduplicated': 'occurred_month',
        'stg_ingest__zero_reports': 'month',
    } -%}
    {%- if input not in month_columns -%}
        {{ exceptions.raise_compiler_error('filing_year: no statistical year known for ' ~ input) }}
    {%- endif -%}
    extract(year from {{ month_columns[input] }})
{%- endmacro %}

{#- The body of a fingerprint CTE of int_filings_year_inputs: a filing input's yearly_fingerprint
    (macros/fingerprints.sql) under its filing_year. -#}
{% macro filing_fingerprint(input, leave_out=[]) -%}
    {{ yearly_fingerprint(ref(input), filing_year(input), leave_out=leave_out) }}
{%- endmacro %}

{#- The body of an import CTE: the rows of a filing input (a model name) in the years `model` builds
    (those whose `fingerprint`, a column of int_filings_year_inputs, changed; every row in a full
    build), with an optional further condition on them. -#}
{% macro filings_in_years_to_build(input, model, fingerprint, condition=none) -%}
    select * from {{ ref(input) }}
    where {% if condition %}{{ condition }}
        and {% endif %}{{ in_years_to_build(filing_year(input), model, ref('int_filings_year_inputs'), fingerprint) }}
{%- endmacro %}

{#- The config of such a model (macros/incremental_years_config.sql) on int_filings_year_inputs. -#}
{% macro filing_years_config(fingerprint) -%}
    {{ incremental_years_config('int_filings_year_inputs', fingerprint) }}
{%- endmacro %}

{#- The events the monthly measures count (int_event_measures_by_month,
    int_situation_measures_by_month): the latest revision of each record, written-off (核销)
    accidents excluded, in the years `model` builds on event_measures_fingerprint. Three import
    CTEs, accidents (with their class), disasters and fires: `with {{ counted_events(this) }}, …`. -#}
{% macro counted_events(model) -%}
    {%- set fingerprint = 'event_measures_fingerprint' -%}
accidents as (

    {{ filings_in_years_to_build('int_accidents_classified', model, fingerprint, 'not is_written_off') }}

),

disasters as (

    {{ filings_in_years_to_build('int_disasters_deduplicated', model, fingerprint) }}

),

fires as (

    {{ filings_in_years_to_build('int_forest_fires_deduplicated', model, fingerprint) }}

)
{%- endmacro %}

