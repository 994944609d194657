{#- The lineage columns every raw row carries (pipelines/ingest/raw_tables.py LINEAGE_COLUMNS),
    as the staging models pass them on: the file, its hash and sheet, the row number in the
    sheet (source_row_number), the load order and time. -#}
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
