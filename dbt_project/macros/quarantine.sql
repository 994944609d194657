{#- The cell of a quarantined row (stg_ingest__quarantine.raw_record, its cells by header) under
    the first header that matches one of `header_likes` (LIKE patterns: a file may use any alias
    of a header), trimmed; null when no header matches. -#}
{% macro quarantined_cell(raw_record, header_likes) -%}
    trim({{ raw_record }} ->> (
        list_filter(
            json_keys({{ raw_record }}),
            lambda k: {% for pattern in header_likes %}k like '{{ pattern }}'{% if not loop.last %} or {% endif %}{% endfor %}
        )[1]
    ))
{%- endmacro %}

{#- The 行政区划代码 cell of a quarantined row, whichever alias its file used (区划代码, 区划编码). -#}
{% macro quarantined_region_code(raw_record) -%}
    {{ quarantined_cell(raw_record, ['%区划%代码%', '%区划%编码%']) }}
{%- endmacro %}
