{#- The required (region, year, measure) rows of a completeness rule that fct_denominators lacks:
    `required` is a relation with region_code, year, measure and the `reason` column that says
    who needs it. -#}
{% macro missing_denominators(required, reason) -%}
    select
        r.region_code,
        r.year,
        r.measure,
        r.{{ reason }}
    from {{ required }} as r
    anti join {{ ref('qa_denominators_long') }} as d
        on r.region_code = d.region_code
        and r.year = d.year
        and r.measure = d.measure
{%- endmacro %}

{#- A year set against the as-of year and the first covered year (both must be ≤ 0). -#}
{% macro year_bounds(year) -%}
    {{ year }} - {{ as_of_year() }} as years_after_as_of,
    {{ var('first_year') }} - {{ year }} as years_before_covered_start
{%- endmacro %}
