{#- The as-of date and the last month whose registers are due ("through month").
    The date is YYYY-MM-DD; a malformed value fails the run. The pipeline gives it in the
    environment (EM_DBT_AS_OF), read only when the SQL is compiled for execution: given as a
    --vars it would change dbt's parse state every run and force a full re-parse (~7 s), and an
    env_var read while parsing would be tracked by dbt and re-parse the models using it. Ad-hoc
    runs and the unit tests give var('as_of') (default in dbt_project.yml). Models read the date
    through these macros only (tests/pipeline/test_dbt_partial_parse.py). -#}
{% macro as_of_date() -%}
    {%- set v = ((env_var('EM_DBT_AS_OF', '') if execute else '') or var('as_of')) | string -%}
    {%- if not modules.re.match('^\d{4}-\d{2}-\d{2}$', v) -%}
        {{ exceptions.raise_compiler_error("var as_of must be YYYY-MM-DD, got: " ~ v) }}
    {%- endif -%}
    cast('{{ v }}' as date)
{%- endmacro %}

{#- First day of the last month that is due at the as-of date. By default a month is due once
    it has ended (the as-of date is its last day or later); with include_as_of_month the as-of
    month itself is due. -#}
{% macro through_month() -%}
    {%- if var('include_as_of_month', false) -%}
    cast(date_trunc('month', {{ as_of_date() }}) as date)
    {%- else -%}
    cast(date_trunc('month', {{ as_of_date() }} + interval 1 day) - interval 1 month as date)
    {%- endif -%}
{%- endmacro %}

{% macro as_of_year() -%}
    cast(extract(year from {{ as_of_date() }}) as integer)
{%- endmacro %}

{#- The months due of the statistical years, one row each: `years` is int_calendar_years (or a
    relation of its shape); year, month_number 1..months_due and month (its first day). -#}
{% macro due_months(years) -%}
    select
        y.year,
        cast(t.m as integer) as month_number,
        make_date(y.year, cast(t.m as integer), 1) as month
    from {{ years }} as y
    cross join range(1, 13) as t (m)
    where t.m <= y.months_due
{%- endmacro %}

{#- The statistical year and month of an event, by its date (an accident's or a forest fire's
    发生时间, a disaster's 开始日期), and the first day of that month as `month_column`. -#}
{% macro event_calendar_columns(date_column, month_column) -%}
    cast(extract(year from {{ date_column }}) as integer) as year,
    cast(extract(month from {{ date_column }}) as integer) as month,
    cast(date_trunc('month', {{ date_column }}) as date) as {{ month_column }}
{%- endmacro %}
