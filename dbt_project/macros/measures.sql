{#- The measures of the statistics source, in the order of seeds/measures.csv: the columns of
    fct_denominators. Jinja cannot read a seed when it compiles, so the list is written here once
    and tests/singular/assert_measures_are_denominator_columns.sql checks it against the seed and
    the mart. -#}
{% macro denominator_measures() -%}
    {{ return([
        'gdp_100m_yuan', 'population_10k', 'industrial_workers_10k', 'operating_vehicles',
        'coal_output_10k_tonnes', 'forest_area_ha',
    ]) }}
{%- endmacro %}

{#- The sum of a floating-point column, the same to the last bit whatever the order of the rows:
    summed as an exact decimal (12 decimal places, far below any unit a register files or a rate is
    read at) and turned back into a double. DuckDB sums doubles in parallel, in the order the rows
    arrive, so two builds of the same rows (or an increment and a rebuild) may differ in the last
    bit, and a 环比 of 0 may come out as 2e-14 %. Every sum or mean of a floating-point measure goes
    through here: the roll-ups (summed_to_rollup_regions, int_denominators_rolled_up), the per-month
    measures, the plan and period statistics. `where`: the aggregate's filter, as in
    `sum(x) filter (where …)`. Integers need no such care: DuckDB sums them exactly. -#}
{% macro exact_sum(column, where=none) -%}
    cast(sum(cast({{ column }} as decimal(38, 12))){{ aggregate_filter(where) }} as double)
{%- endmacro %}

{#- The mean of a floating-point column over its non-null values, exact_sum's sum over their count. -#}
{% macro exact_mean(column, where=none) -%}
    ({{ exact_sum(column, where) }} / count({{ column }}){{ aggregate_filter(where) }})
{%- endmacro %}

{% macro aggregate_filter(where) -%}
    {%- if where %} filter (where {{ where }}){% endif -%}
{%- endmacro %}
