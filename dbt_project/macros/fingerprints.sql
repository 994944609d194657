{#- The fingerprint of a relation's rows, for incremental builds that rebuild what changed: a row
    count and the sum of the rows' hashes (every column), per `by` (a column list, e.g. 'year') or
    over the whole relation. Any row added, removed or changed changes it; the order of the rows
    does not (an integer sum). An empty relation's is 0:0. Used as the body of a CTE:
    `inputs as ({{ row_fingerprint(ref('x'), by='year') }})` gives by…, row_count, row_hashes.
    (hash(r) hashes the whole row r: its alias is used, whatever the linter says: noqa AL05.) -#}
{% macro row_fingerprint(relation, by=none) -%}
    select
        {%- if by %}
        {{ by }},
        {%- endif %}
        count(*) as row_count,
        coalesce(sum(hash(r)::hugeint), 0) as row_hashes
    from {{ relation }} as r  -- noqa: AL05
    {%- if by %}
    group by {{ by }}
    {%- endif %}
{%- endmacro %}
