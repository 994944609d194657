-- fct_denominators in long form: one row per region, year and measure that has a value (the
-- completeness checks look measures up by name). The measure columns: macros/measures.sql.
{%- set measures = denominator_measures() %}
with

denominators as (

    select * from {{ ref('fct_denominators') }}

),

wide as (

    select
        region_code,
        year,
    {%- for m in measures %}
        cast({{ m }} as double) as {{ m }}{{ "," if not loop.last }}
    {%- endfor %}
    from denominators

),

final as (

    unpivot wide
    on {{ measures | join(', ') }}
    into name measure value value

)

select * from final
