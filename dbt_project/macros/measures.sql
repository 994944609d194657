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

{#- The sum of a floating-point column, the same to the last bit in every build: summed as an
    exact decimal (12 decimal places, far below any unit a register files) and turned back into a
    double. DuckDB sums doubles in parallel, in the order the rows arrive, so two builds of the
    same rows may differ in the last bit; the monthly situation's per-year input fingerprints
    (int_monthly_situation_year_inputs) must not, or every run would rebuild every year. -#}
{% macro exact_sum(column) -%}
    cast(sum(cast({{ column }} as decimal(38, 12))) as double)
{%- endmacro %}
