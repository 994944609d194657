{#- The rows of marts.dim_code_label for the enumeration seeds: one `select` per enumeration, in
    union. `enumerations`: (code kind, relation, code column, sort column, Chinese label, English
    label), the last four SQL expressions over the relation. -#}
{% macro enumeration_label_rows(enumerations) -%}
    {%- for kind, relation, code, sort, label_zh, label_en in enumerations %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select
        '{{ kind }}' as code_kind,
        {{ code }} as code,
        {{ sort }} as sort_order,
        {{ label_zh }} as label_zh,
        {{ label_en }} as label_en
    from {{ relation }}
    {%- endfor %}
{%- endmacro %}
