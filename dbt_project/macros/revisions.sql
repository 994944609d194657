{#- Which filing of a record wins (data-contracts.md): the latest 填报日期, then the file loaded
    later, then the later row of that file (for determinism). One rule for every source; a source
    may rank something first (the report stage of a disaster, the 数据状态 of a statistic). -#}
{% macro latest_filing_first(prefix='') -%}
    {{ prefix }}reported_date desc nulls last, {{ prefix }}load_seq desc, {{ prefix }}source_row_number desc
{%- endmacro %}

{#- revision_rank (1 = the filing that wins) and revision_count per record key. -#}
{% macro revision_ranking(key, first_by=none, prefix='') -%}
    row_number() over (
        partition by {{ key }}
        order by {% if first_by %}{{ first_by }} desc nulls last, {% endif %}{{ latest_filing_first(prefix) }}
    ) as revision_rank,
    count(*) over (partition by {{ key }}) as revision_count
{%- endmacro %}
