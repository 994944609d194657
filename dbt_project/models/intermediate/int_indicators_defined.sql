-- The indicator catalogue (docs/spec/indicators.md) as data: seeds/indicators.csv, one row per
-- indicator, with for the outcome indicators the numerator measure, the denominator measure and
-- its conversion to the catalogue's denominator unit:
--   denominator = statistic × denominator_scale_mult / denominator_scale_div,
--   value = numerator × multiplier / denominator.
-- blocking_measure: an event measure that must sum to 0 in the region-year for the value to be
-- known. Every model reads the catalogue here (or in marts.dim_indicator), never the seed.
with

catalogue as (

    select * from {{ ref('indicators') }}

),

final as (

    select
        cast(indicator_code as varchar) as indicator_code,
        cast(indicator_name_zh as varchar) as indicator_name_zh,
        cast(indicator_name_en as varchar) as indicator_name_en,
        cast(unit_zh as varchar) as unit_zh,
        cast(unit_en as varchar) as unit_en,
        cast(multiplier as integer) as multiplier,
        cast(kind as varchar) as kind,
        cast(source as varchar) as source,
        cast(numerator_measure as varchar) as numerator_measure,
        cast(denominator_measure as varchar) as denominator_measure,
        cast(denominator_scale_mult as double) as denominator_scale_mult,
        cast(denominator_scale_div as double) as denominator_scale_div,
        cast(denominator_unit_zh as varchar) as denominator_unit_zh,
        cast(denominator_unit_en as varchar) as denominator_unit_en,
        cast(is_count_based as boolean) as is_count_based,
        cast(sort_order as integer) as sort_order,
        cast(blocking_measure as varchar) as blocking_measure,
        cast(is_denominator_required as boolean) as is_denominator_required,
        cast(plausible_max as double) as plausible_max,
        cast(numerator_unit_zh as varchar) as numerator_unit_zh,
        cast(numerator_unit_en as varchar) as numerator_unit_en
    from catalogue

)

select * from final
