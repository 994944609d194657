{#- fct_monthly_situation is built incrementally by statistical year (delete+insert keyed on the
    year): a run rebuilds the years whose inputs changed and the year after each of them, keeping
    beside the table the per-year fingerprints of its inputs (int_monthly_situation_year_inputs)
    that its rows were built from. A full refresh (`dbt --full-refresh`, which the pipeline passes
    whenever it builds everything: a new or --rebuild warehouse, a changed dbt project) builds
    every year and records them again. -#}

{#- Where the fingerprints the model's rows were built from are kept: a table in the schema
    intermediate (beside the fingerprints model; not a schema analysts read), named after the
    model. -#}
{% macro years_built_relation(model) -%}
    {{ return(model.incorporate(path={'schema': generate_schema_name('intermediate', none) | trim,
                                      'identifier': model.identifier ~ '_years_built'})) }}
{%- endmacro %}

{#- The due years to build: every due year, or, in an incremental build with fingerprints kept,
    each due year whose fingerprint or the one of the year before differs from the one kept (a
    year present on one side only differs). -#}
{% macro years_to_build(model, year_inputs, calendar) -%}
    {%- set built = years_built_relation(model) if is_incremental() else none -%}
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
    holds are kept, with the years this build rebuilt (the same selection as the model's, made
    before the fingerprints are replaced): the model's data tests read those years only
    (macros/tests_on_rebuilt_rows.sql). -#}
{% macro record_years_built(model, year_inputs, calendar) -%}
    {%- set built = years_built_relation(model) -%}
    delete from {{ model }}
    where year not in (select year from {{ calendar }} where months_due > 0);
    create or replace table {{ built }} as
    select
        i.year,
        i.fingerprint,
        i.year in ({{ years_to_build(model, year_inputs, calendar) }}) as rebuilt
    from {{ year_inputs }} as i;
    comment on table {{ built }} is 'The per-year input fingerprints the rows of {{ model }} were built from (int_monthly_situation_year_inputs at its last build), and which years that build rebuilt (rebuilt; every due year in a full build): an incremental build rebuilds the years whose fingerprint, or that of the year before, changed, and its data tests read the rebuilt years only. / {{ model.identifier }} 各统计年度行所依据的输入指纹，及上次构建重建的年度。';
{%- endmacro %}

{#- Models whose rows of a year read that year's inputs only (no year before, no 同比):
    int_submissions_covered, int_situation_measures_by_month, int_region_months_covered. They are
    incremental with the `append` strategy: a pre-hook deletes the rows of the years whose
    fingerprint (a column of `year_inputs`) differs from the one kept, the model builds those
    years only (`in_years_to_build` filters its inputs), and a post-hook keeps the fingerprints
    with the years rebuilt. A year on one side only differs (a year whose rows are all gone is
    deleted and builds nothing). A full refresh, or no fingerprints kept, builds every year from
    every row, the same SQL with no filter: the rows of any year, due or not, are those of a
    table build. -#}
{% macro builds_every_year(model) -%}
    {%- if not is_incremental() -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set built = years_built_relation(model) -%}
    {{ return(adapter.get_relation(built.database, built.schema, built.identifier) is none) }}
{%- endmacro %}

{% macro changed_years(model, year_inputs, fingerprint) -%}
    select coalesce(now.year, was.year) as year
    from {{ year_inputs }} as now
    full join {{ years_built_relation(model) }} as was
        on now.year = was.year
    where now.{{ fingerprint }} is distinct from was.fingerprint
{%- endmacro %}

{#- A condition on an input row's year (an expression): true in a full build. -#}
{% macro in_years_to_build(year_expression, model, year_inputs, fingerprint) -%}
    {%- if builds_every_year(model) -%}
        true
    {%- else -%}
        {{ year_expression }} in ({{ changed_years(model, year_inputs, fingerprint) }})
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook: the rows of the years to build go (nothing in a full build). -#}
{% macro delete_years_to_build(model, year_inputs, fingerprint) -%}
    {%- if builds_every_year(model) -%}
        select 'every year is built' as years_to_build
    {%- else -%}
        delete from {{ model }}
        where year in ({{ changed_years(model, year_inputs, fingerprint) }})
    {%- endif -%}
{%- endmacro %}

{#- Post-hook: the fingerprints the rows now hold, with the years this build rebuilt (every year
    in a full build), which the model's data tests read (macros/tests_on_rebuilt_rows.sql). The
    same selection as the pre-hook's: the kept fingerprints are replaced only here. -#}
{% macro record_years_rebuilt(model, year_inputs, fingerprint) -%}
    {%- set built = years_built_relation(model) -%}
    {%- set every_year = builds_every_year(model) -%}
    create or replace table {{ built }} as
    select
        i.year,
        i.{{ fingerprint }} as fingerprint,
        {% if every_year -%}
        true
        {%- else -%}
        i.year in ({{ changed_years(model, year_inputs, fingerprint) }})
        {%- endif %} as rebuilt
    from {{ year_inputs }} as i;
    comment on table {{ built }} is 'The per-year input fingerprints the rows of {{ model }} were built from ({{ year_inputs.identifier }}.{{ fingerprint }} at its last build), and which years that build rebuilt (rebuilt; every year in a full build): an incremental build rebuilds the years whose fingerprint changed, and its data tests read the rebuilt years only. / {{ model.identifier }} 各统计年度行所依据的输入指纹，及上次构建重建的年度。';
{%- endmacro %}
