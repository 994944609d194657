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
