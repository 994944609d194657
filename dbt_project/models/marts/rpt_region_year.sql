-- One row per roll-up region × statistical year, wide: for every indicator of the catalogue its
-- value, numerator and denominator (from fct_indicator_values: null when the region-year is not
-- complete for the indicator's source), the denominators' statistics (fct_denominators) and, for
-- every event source, whether the region-year is complete. The columns follow dim_indicator and
-- the sources of the completeness model: nothing is computed here, only laid out.
-- depends_on: {{ ref('dim_indicator') }}
{%- set indicator_codes = [] %}
{%- set event_sources = [] %}
{%- if execute %}
    {%- set indicator_codes = run_query(
        "select indicator_code from " ~ ref('dim_indicator') ~ " order by sort_order").columns[0].values() %}
    {%- set event_sources = run_query(
        "select distinct source from " ~ ref('int_sources_completeness_by_region_year')
        ~ " order by source").columns[0].values() %}
{%- endif %}

with

completeness as (

    select * from {{ ref('int_sources_completeness_by_region_year') }}

),

regions as (

    select * from {{ ref('dim_region') }}

),

denominators as (

    select * from {{ ref('fct_denominators') }}

),

indicator_values as (

    select * from {{ ref('fct_indicator_values') }}

),

region_years as (

    select
        region_code,
        year,
        max(months_due) as months_due,
        {%- for source in event_sources %}
            bool_or(source = '{{ source }}' and is_complete) as {{ source }}_is_complete,
            cast(max(case when source = '{{ source }}' then units_complete end) as integer)
                as {{ source }}_units_complete,
            cast(max(case when source = '{{ source }}' then units_required end) as integer)
                as {{ source }}_units_required,
        {%- endfor %}
        bool_or(is_current_year) as is_current_year
    from completeness
    group by region_code, year

),

pivoted as (

    select
        region_code,
        {%- for code in indicator_codes %}
            max(case when indicator_code = '{{ code }}' then value end) as {{ code }}_value,
            max(case when indicator_code = '{{ code }}' then numerator end) as {{ code }}_numerator,
            max(case when indicator_code = '{{ code }}' then denominator end) as {{ code }}_denominator,
        {%- endfor %}
        year
    from indicator_values
    group by region_code, year

),

final as (

    select
        y.region_code,
        r.region_name,
        r.level,
        y.year,
        y.is_current_year,
        cast(y.months_due as integer) as months_due,
        {%- for source in event_sources %}
            y.{{ source }}_is_complete,
            y.{{ source }}_units_complete,
            y.{{ source }}_units_required,
        {%- endfor %}
        d.gdp_100m_yuan,
        d.gdp_data_status,
        d.population_10k,
        d.industrial_workers_10k,
        d.operating_vehicles,
        d.coal_output_10k_tonnes,
        d.forest_area_ha{{ "," if indicator_codes }}
    {%- for code in indicator_codes %}
        v.{{ code }}_value,
        v.{{ code }}_numerator,
        v.{{ code }}_denominator{{ "," if not loop.last }}
    {%- endfor %}
    from region_years as y
    inner join regions as r
        on y.region_code = r.region_code
    left join denominators as d
        on {{ keys_match('y', 'd', ['region_code', 'year']) }}
    left join pivoted as v
        on {{ keys_match('y', 'v', ['region_code', 'year']) }}

)

select * from final
