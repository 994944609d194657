-- value_ci_low/high: exact (Garwood) Poisson 95% limits of the numerator count, scaled by the
-- same factor as the value (multiplier / denominator) for count-based rates. Null for
-- indicators whose numerator is not an event count (person-times, money, area, capabilities).
-- Built incrementally by statistical year like int_indicator_values_computed and from the same
-- fingerprint (int_indicator_values_year_inputs): a year's rows read that model's rows of the
-- year, and the limits of a count are the same in every build; a full refresh builds every year.
{%- set inputs = ref('int_indicator_values_year_inputs') %}
{{ incremental_years_config(
    'int_indicator_values_year_inputs', 'fingerprint', on_schema_change='fail'
) }}
with

computed as (

    select * from {{ ref('int_indicator_values_computed') }}
    where {{ in_years_to_build('year', this, inputs, 'fingerprint') }}

),

limits as (

    select * from {{ ref('int_poisson_limits') }}

),

final as (

    select
        c.region_code,
        c.year,
        c.indicator_code,
        c.numerator,
        c.denominator,
        c.value,
        case
            when not c.is_count_based or l.count_value is null then null
            when c.kind = 'count' then l.ci_low
            else l.ci_low * c.multiplier / c.denominator
        end as value_ci_low,
        case
            when not c.is_count_based or l.count_value is null then null
            when c.kind = 'count' then l.ci_high
            else l.ci_high * c.multiplier / c.denominator
        end as value_ci_high,
        c.is_current_year,
        c.months_covered,
        c.kind,
        c.denominator_basis
    from computed as c
    left join limits as l
        on c.is_count_based
        and c.numerator = cast(l.count_value as double)

)

select * from final
