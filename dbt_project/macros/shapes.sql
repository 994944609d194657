{#- Shapes of SQL that several models share, written once.

    keys_match: the join condition "each key column of `left` equals the same column of `right`",
    `on {{ keys_match('a', 'b', ['region_code', 'year']) }}` (add other conditions with `and`). -#}
{% macro keys_match(left, right, columns) -%}
    {%- for column in columns -%}
        {{ left }}.{{ column }} = {{ right }}.{{ column }}{{ ' and ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- A filing unit's rows summed to every roll-up region it belongs to (int_region_rollup_bridged,
    alias b): `rows` (alias m) has region_code and `value`; the result has region_code, the
    `columns` and the summed value. A prefecture's sum covers its county-level units and its own
    filings. The sum is exact (exact_sum): the same to the last bit in every build. -#}
{% macro summed_to_rollup_regions(rows, bridge, columns) -%}
    select
        b.rollup_region_code as region_code,
        m.{{ columns | join(', m.') }},
        {{ exact_sum('m.value') }} as value
    from {{ rows }} as m
    inner join {{ bridge }} as b
        on m.region_code = b.county_region_code
    group by b.rollup_region_code, m.{{ columns | join(', m.') }}
{%- endmacro %}

{#- The events of one register (`events`, alias e: region_code, year and the `columns`) at every
    roll-up region, each with the months its region-year counts (through_month: 12 for a past
    year, the region's year-to-date month of int_region_ytd_months for the as-of year, null when
    it has none) and whether the register is complete there that year (is_year_complete,
    int_sources_completeness_by_region_year). The breakdown marts count the events whose month is
    within through_month. -#}
{% macro events_in_year_windows(events, source, columns) -%}
    select
        b.rollup_region_code as region_code,
        e.year,
        e.{{ columns | join(', e.') }},
        case when e.year = {{ as_of_year() }} then w.through_month else 12 end as through_month,
        coalesce(c.is_complete, false) as is_year_complete
    from {{ events }} as e
    inner join {{ ref('int_region_rollup_bridged') }} as b
        on e.region_code = b.county_region_code
    left join {{ ref('int_region_ytd_months') }} as w
        on b.rollup_region_code = w.region_code
        and e.year = w.year
        and w.year = {{ as_of_year() }}
    left join {{ ref('int_sources_completeness_by_region_year') }} as c
        on b.rollup_region_code = c.region_code
        and e.year = c.year
        and c.source = '{{ source }}'
{%- endmacro %}
