{#- 国务院令第493号 第三条: any one criterion suffices, the highest class reached wins, lower bounds
    inclusive (以上包括本数). Deaths include the missing; the loss is in 万元
    (1亿元 = 10000万元, 5000万元, 1000万元). -#}
{% macro severity_class(deaths_incl_missing, serious_injuries, direct_loss_10k_yuan) -%}
    case
        when {{ deaths_incl_missing }} >= 30 or {{ serious_injuries }} >= 100
            or {{ direct_loss_10k_yuan }} >= 10000 then 'extraordinary'
        when {{ deaths_incl_missing }} >= 10 or {{ serious_injuries }} >= 50
            or {{ direct_loss_10k_yuan }} >= 5000 then 'major'
        when {{ deaths_incl_missing }} >= 3 or {{ serious_injuries }} >= 10
            or {{ direct_loss_10k_yuan }} >= 1000 then 'larger'
        else 'general'
    end
{%- endmacro %}

{#- The Chinese label of a code of code_labels.csv (one home for the words: seeds/code_labels.csv,
    also read by marts.dim_code_label and the reports). -#}
{% macro code_label_zh(code_kind, code) -%}
    (
        select l.label_zh from {{ ref('code_labels') }} as l
        where l.code_kind = '{{ code_kind }}' and l.code = {{ code }}
    )
{%- endmacro %}

{% macro status_zh(code) -%}
    {{ code_label_zh('plan_status', code) }}
{%- endmacro %}
