{#- Every filing of every record of one source, in the shape of fct_record_revisions.

    filings: a relation (alias f) with one row per filing (staging keeps every loaded version), the
      lineage columns source_file, sheet_name, source_row_number, load_seq, loaded_at,
      reported_date, region_code, and is_current: true for the filing the marts count (decided
      by the source's intermediate model, never here).
    record_key, year, filing_stage: SQL expressions over it.
    value_columns: the columns whose change between two filings is reported.
    only_records: a relation of record keys (column record_key): only those records' filings.
    Filings are numbered in the order they were filed: 填报日期, then load order, then position in
    the file; the changes are against the previous filing of the same record. -#}
{% macro record_filings(source_name, filings, record_key, year, filing_stage, value_columns, only_records=none) %}

    select
        '{{ source_name }}' as source,
        {{ record_key }} as record_key,
        f.region_code,
        cast({{ year }} as integer) as year,
        {{ filing_stage }} as filing_stage,
        f.reported_date,
        f.source_file,
        f.sheet_name,
        f.source_row_number,
        f.load_seq,
        f.loaded_at,
        {% for column in value_columns %}
        f.{{ column }} as value__{{ column }},
        lag(f.{{ column }}) over filing_order as previous__{{ column }},
        {% endfor %}
        cast(row_number() over filing_order as integer) as filing_seq,
        cast(count(*) over (partition by {{ record_key }}) as integer) as filing_count,
        to_json(struct_pack(
            {% for column in value_columns %}
            {{ column }} := f.{{ column }}{{ "," if not loop.last }}
            {% endfor %}
        )) as filed_values,
        coalesce(f.is_current, false) as is_current
    from {{ filings }} as f
    {%- if only_records %}
    where {{ record_key }} in (select c.record_key from {{ only_records }} as c)
    {%- endif %}
    window filing_order as (
        partition by {{ record_key }}
        order by f.reported_date nulls first, f.load_seq, f.sheet_name nulls first, f.source_row_number
    )

{% endmacro %}


{#- changed_columns and changes of record_filings' rows: the value columns that differ from the
    previous filing, as "deaths, missing" and "deaths: 1 -> 2; missing: 0 -> 1" (— for empty). -#}
{% macro filing_changes(value_columns) %}
    {%- set changed -%}
        list_filter([
            {% for column in value_columns %}
            case
                when filing_seq > 1 and previous__{{ column }} is distinct from value__{{ column }}
                    then '{{ column }}: '
                        || coalesce(cast(previous__{{ column }} as varchar), '—') || ' -> '
                        || coalesce(cast(value__{{ column }} as varchar), '—')
            end{{ "," if not loop.last }}
            {% endfor %}
        ], lambda change: change is not null)
    {%- endset -%}
    nullif(array_to_string(list_transform({{ changed }}, lambda change: split_part(change, ':', 1)), ', '), '')
        as changed_columns,
    nullif(array_to_string({{ changed }}, '; '), '') as changes
{% endmacro %}


{#- The filings of one source (alias f) with is_current: true for the filing the source's
    intermediate model kept (current, alias c). A filing is a raw row, identified by its record
    key (record_keys, the first one never null) and (load_seq, sheet_name, source_row_number). -#}
{% macro filings_marked_current(filings, current, record_keys) %}
    select f.*, c.{{ record_keys[0] }} is not null as is_current
    from {{ filings }} as f
    left join {{ current }} as c
        on {% for key in record_keys %}f.{{ key }} = c.{{ key }}
        and {% endfor %}f.load_seq = c.load_seq
        and f.sheet_name is not distinct from c.sheet_name
        and f.source_row_number = c.source_row_number
{% endmacro %}


{#- fct_record_revisions is built incrementally by record (delete+insert keyed on source and
    record_key): a record's rows read its own filings only (numbered and compared in filing order,
    and marked current by its source's intermediate model, which picks among the record's own
    filings), so a run rebuilds the records whose filings are not those the table holds — a filing
    added (a new or corrected file, a row accepted when its file is judged again), gone (a file
    reloaded without it, a row now rejected) or no longer the counted one — and keeps the rest.
    changed_records: the keys of those records of one source (filings: alias f, as for
    record_filings), by the identity of each filing (the raw row: file, sheet, row, load_seq,
    loaded_at) and its is_current, on either side only. -#}
{% macro changed_records(source_name, filings, record_key) %}
    {%- set identity = 'record_key, source_file, sheet_name, source_row_number, load_seq, loaded_at, is_current' %}
    {%- set filed -%}
        select
            {{ record_key }} as record_key,
            f.source_file,
            f.sheet_name,
            f.source_row_number,
            f.load_seq,
            f.loaded_at,
            coalesce(f.is_current, false) as is_current
        from {{ filings }} as f
    {%- endset %}
    {%- set kept -%}
        select {{ identity }} from {{ this }} where source = '{{ source_name }}'
    {%- endset %}
    select record_key from ({{ filed }} except {{ kept }}) as added
    union
    select record_key from ({{ kept }} except {{ filed }}) as gone
{% endmacro %}
