{#- The data tests of a model built incrementally test the rows its last build rebuilt, not the
    whole table: the other rows were tested when they were built, from the same inputs. A test
    says so with `config: {where: __years_rebuilt__}`; the placeholder becomes the years the
    model's last build rebuilt, as recorded beside it by its post-hook (record_years_built:
    every due year in a full build, so --rebuild and every full build test every row). A key
    that the rebuilt rows cannot share with the others is required: the tests scoped so are
    those of one row (not null, accepted values, relationships) or of a key holding the year.
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
