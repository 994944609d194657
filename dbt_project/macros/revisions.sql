{#- Which filing of a record wins (data-contracts.md): the latest 填报日期, then the file loaded
    later, then the later row of that file (for determinism). One rule for every source; a source
    may rank something first (the report stage of a disaster, the 数据状态 of a statistic). -#}
{% macro latest_filing_first(prefix='') -%}
    {{ prefix }}reported_date desc nulls last, {{ prefix }}load_seq desc, {{ prefix }}source_row_number desc
{%- endmacro %}

{#- The latest revision of every record: the filing that wins by latest_filing_first (after
    `first_by`, a column of `relation` ranked first, when given), with revision_count, how many
    filings the record has. The one body of the int_<source>_deduplicated models; `relation` is
    the staging CTE, `key` the record key (data-contracts.md). Older filings stay in raw. -#}
{% macro latest_revisions(relation, key, first_by=none) -%}
    select
        *,
        count(*) over (partition by {{ key }}) as revision_count
    from {{ relation }}
    qualify row_number() over (
        partition by {{ key }}
        order by {% if first_by %}{{ first_by }} desc nulls last, {% endif %}{{ latest_filing_first() }}
    ) = 1
{%- endmacro %}
