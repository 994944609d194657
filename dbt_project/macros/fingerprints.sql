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

{#- row_fingerprint per year of a staged or deduplicated register (a relation without a year
    column, with the lineage columns): `year_of` is the expression giving a row's statistical year
    (columns of the relation, alias r). The lineage columns (file, row, load) are left out, and
    any other column named in `leave_out` (e.g. revision_count, how many filings a record has): a
    file reloaded with the same rows, or another file filing them again, changes no fingerprint.
    Only for models that never read the columns left out. -#}
{% macro yearly_fingerprint(relation, year_of, leave_out=[]) -%}
    {%- set left_out = lineage_column_names() + leave_out %}
    select
        cast({{ year_of }} as integer) as year,
        count(*) as row_count,
        coalesce(sum(hash(*columns(r.* exclude ({{ left_out | join(', ') }})))::hugeint), 0) as row_hashes
    from {{ relation }} as r  -- noqa: AL05
    group by 1
{%- endmacro %}

{#- Fingerprints of row_fingerprint CTEs (their aliases) as one text, `row_count:row_hashes` of
    each joined by '/' in the order given: what a *_year_inputs model compares. An input with no
    row there (a year without rows in it, a left join's miss) counts as 0:0, as an empty relation
    does. -#}
{% macro fingerprints_text(aliases) -%}
    concat_ws(
        '/',
        {%- for alias in aliases %}
        coalesce({{ alias }}.row_count, 0) || ':' || coalesce({{ alias }}.row_hashes, 0)
        {{- ',' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}
