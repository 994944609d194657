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
