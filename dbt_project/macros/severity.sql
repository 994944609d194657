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

{% macro status_zh(code) -%}
    case {{ code }}
        when 'achieved' then '已完成'
        when 'not_achieved' then '未完成'
        when 'on_track' then '符合进度'
        when 'needs_acceleration' then '需加快'
        when 'limited' then '进展缓慢'
        when 'worsening' then '逆向变化'
        when 'no_verdict' then '不作判定'
        when 'insufficient_data' then '数据不足'
    end
{%- endmacro %}
