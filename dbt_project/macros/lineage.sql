{#- The lineage columns every raw row carries (pipelines/ingest/raw_tables.py LINEAGE_COLUMNS),
    as the staging models pass them on: the file, its hash and sheet, the row number in the
    sheet (source_row_number), the load order and time. -#}
{#- The names of the lineage columns a staged row carries (lineage_columns), for what must not
    depend on them (the input fingerprints of incremental builds: a file reloaded unchanged gives
    its rows a new lineage, not new data). -#}
{% macro lineage_column_names() -%}
    {{ return(['source_file', 'file_sha256', 'sheet_name', 'source_row_number', 'load_seq', 'loaded_at']) }}
{%- endmacro %}

{% macro lineage_columns() -%}
    source_file,
    file_sha256,
    sheet_name,
    row_number as source_row_number,
    load_seq,
    loaded_at
{%- endmacro %}

{#- The region of a raw row as the loader resolved it (pipelines/ingest/raw_tables.py): the code
    (trimmed), the name as written in the file, and whether the code came from the name. -#}
{% macro region_columns() -%}
    trim(region_code) as region_code,
    region_name,
    is_region_from_name
{%- endmacro %}
