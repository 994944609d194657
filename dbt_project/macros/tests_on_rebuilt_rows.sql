{#- The key tests of a model built incrementally by year read the rows its last build rebuilt,
    not the whole table: the other rows were tested when they were built, from the same inputs,
    and a key holding the year (or a month) cannot be shared by a rebuilt row and a kept one. A
    test says so with `config: {where: __years_rebuilt__}`; the placeholder becomes the years the
    model's last build rebuilt, as recorded beside it by its post-hook (record_years_built,
    record_years_rebuilt: every year in a full build, so --rebuild and every full build test every
    row). Only the uniqueness tests are scoped (a hash aggregate over the rows: 14.7 M nationally
    for fct_monthly_situation); the one-row tests (not null, accepted values, relationships) are
    scans DuckDB often answers from its column statistics, which a filter would defeat.
    Any other `where` is applied as dbt's own macro does. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where == '__years_rebuilt__' -%}
        {%- set built = years_built_relation(relation) -%}
        {#- a row without a year is tested whatever the build (not_null of year finds it) -#}
        {%- set where = 'coalesce(year in (select b.year from ' ~ built ~ ' as b where b.rebuilt), true)' -%}
    {%- endif -%}
    {%- if where -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
