{#- fct_monthly_situation is built incrementally by statistical year (delete+insert keyed on the
    year): a run rebuilds the years whose inputs changed and the year after each of them, keeping
    beside the table the per-year fingerprints of its inputs (int_monthly_situation_year_inputs)
    that its rows were built from. A full refresh (`dbt --full-refresh`, which the pipeline passes
    whenever it builds everything: a new or --rebuild warehouse, a changed dbt project) builds
    every year and records them again. -#}

{#- Where the fingerprints the model's rows were built from are kept: a table beside the
    fingerprints model (schema intermediate, not one analysts read), named after the model. -#}
{% macro years_built_relation(model, year_inputs) -%}
    {{ return(model.incorporate(path={'database': year_inputs.database, 'schema': year_inputs.schema,
                                      'identifier': model.identifier ~ '_years_built'})) }}
{%- endmacro %}

{#- The due years to build: every due year, or, in an incremental build with fingerprints kept,
    each due year whose fingerprint or the one of the year before differs from the one kept (a
    year present on one side only differs). -#}
{% macro years_to_build(model, year_inputs, calendar) -%}
    {%- set built = years_built_relation(model, year_inputs) if is_incremental() else none -%}
    {%- if built is not none and adapter.get_relation(built.database, built.schema, built.identifier) is not none %}
    select y.year
    from {{ calendar }} as y
    where y.months_due > 0
        and exists (
            select 1
            from {{ year_inputs }} as now
            full join {{ built }} as was
                on now.year = was.year
            where coalesce(now.year, was.year) in (y.year, y.year - 1)
                and now.fingerprint is distinct from was.fingerprint
        )
    {%- else %}
    select year from {{ calendar }} where months_due > 0
    {%- endif %}
{%- endmacro %}

{#- Post-hook, in the build's transaction: the rows of a year no longer due go (an earlier as-of
    date; delete+insert replaces only the years it builds), and the fingerprints the table now
    holds are kept. -#}
{% macro record_years_built(model, year_inputs, calendar) -%}
    {%- set built = years_built_relation(model, year_inputs) -%}
    delete from {{ model }}
    where year not in (select year from {{ calendar }} where months_due > 0);
    create or replace table {{ built }} as
    select year, fingerprint from {{ year_inputs }};
    comment on table {{ built }} is 'The per-year input fingerprints the rows of {{ model }} were built from (int_monthly_situation_year_inputs at its last build): an incremental build rebuilds the years whose fingerprint, or that of the year before, changed. / {{ model.identifier }} 各统计年度行所依据的输入指纹。';
{%- endmacro %}
