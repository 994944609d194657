with

indicators as (

    select * from {{ ref('int_indicators_defined') }}

),

final as (

    select
        indicator_code,
        indicator_name_zh,
        indicator_name_en,
        unit_zh,
        unit_en,
        multiplier,
        kind,
        source,
        numerator_measure,
        denominator_measure,
        denominator_scale_mult,
        denominator_scale_div,
        denominator_unit_zh,
        denominator_unit_en,
        is_count_based,
        sort_order,
        blocking_measure,
        is_denominator_required,
        plausible_max,
        numerator_unit_zh,
        numerator_unit_en
    from indicators

)

select * from final
