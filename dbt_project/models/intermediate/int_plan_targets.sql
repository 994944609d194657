-- The plan targets every model and check uses: one row per target.
-- By default the seed (seeds/plan_targets.csv: the five real plans). When the var
-- `plan_targets_csv` names a file (the pipeline sets it to <data_dir>/plan_targets.csv when that
-- file exists, e.g. the national scale data), that file is read instead, with the seed's column
-- types. Nothing else may read ref('plan_targets') directly.
-- depends_on: {{ ref('plan_targets') }}
{%- set csv_path = var('plan_targets_csv', '') %}
{%- set columns = [
    ('plan_id', 'varchar'), ('region_code', 'varchar'), ('seq', 'integer'),
    ('indicator_code', 'varchar'), ('indicator_name_as_printed', 'varchar'),
    ('target_kind', 'varchar'), ('comparator', 'varchar'), ('target_value', 'double'),
    ('unit', 'varchar'), ('baseline_year', 'integer'), ('baseline_value', 'varchar'),
    ('attribute', 'varchar'), ('evaluation', 'varchar'), ('source_file', 'varchar'),
    ('note', 'varchar'),
] %}
with

targets as (

{%- if csv_path %}

    select * from read_csv(
        '{{ csv_path | replace("'", "''") }}',
        header = true, all_varchar = true, auto_detect = true
    )

{%- else %}

    select * from {{ ref('plan_targets') }}

{%- endif %}

),

final as (

    select
    {%- for name, type in columns %}
        cast({{ name }} as {{ type }}) as {{ name }}{{ "," if not loop.last }}
    {%- endfor %}
    from targets

)

select * from final
