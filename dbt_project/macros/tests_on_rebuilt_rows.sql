{#- The key tests of a model built incrementally by year read the rows its last build rebuilt,
    not the whole table: the other rows were tested when they were built, from the same inputs,
    and a key holding the year (or a month) cannot be shared by a rebuilt row and a kept one. A
    test says so with `config: {where: __years_rebuilt__}`; the placeholder becomes the years the
    model's last build rebuilt, as recorded beside it by its post-hook (record_years_built,
    record_years_rebuilt: every year in a full build, so --rebuild and every full build test every
    row). Only the uniqueness tests are scoped (a hash aggregate over the rows: 14.6 M nationally
    for fct_monthly_situation); the one-row tests (not null, accepted values, relationships) are
    scans DuckDB often answers from its column statistics, which a filter would defeat.
    The years are read when the test is compiled (dbt compiles a node when it runs it, after its
    model was built) and written into the test as literals: `year in (2026)` is a filter DuckDB
    pushes into the table scan, skipping the row groups of other years by their min/max (a
    subquery of the recorded years, or a coalesce around the comparison, made it scan and join
    every row; `or year is null` costs nothing: DuckDB drops it when the column's statistics hold
    no null). When every recorded year was rebuilt (a full build), or nothing is recorded
    (compiling without a build), the test reads the whole table; a row without a year is read
    whatever the build. Any other `where` is applied as dbt's own macro does. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where == '__years_rebuilt__' -%}
        {%- do return(rows_of_years_rebuilt(relation)) -%}
    {%- endif -%}
    {%- if where -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{% macro rows_of_years_rebuilt(relation) -%}
    {%- set built = years_built_relation(relation) -%}
    {%- if not execute or adapter.get_relation(built.database, built.schema, built.identifier) is none -%}
        {%- do return(relation) -%}
    {%- endif -%}
    {%- set recorded = run_query(
        'select string_agg(cast(year as varchar), \', \' order by year) filter (where rebuilt) as rebuilt,'
        ~ ' count(*) filter (where not rebuilt) as kept from ' ~ built) -%}
    {%- set rebuilt, kept = recorded.rows[0][0], recorded.rows[0][1] -%}
    {%- if kept == 0 -%}
        {%- do return(relation) -%}
    {%- endif -%}
    {%- do return('(select * from ' ~ relation ~ ' where year in (' ~ (rebuilt or 'null') ~ ') or year is null)'
        ~ ' dbt_subquery') -%}
{%- endmacro %}
