-- Every outcome indicator for every roll-up region × year whose source is complete, plus the
-- reported capability values. Numerators and denominators are summed over the region's units
-- (a quiet unit adds 0 because its months are covered); a rate needs its denominator for every
-- county-level unit (otherwise the rolled-up denominator is null and no value is produced).
-- Built incrementally by statistical year (macros/incremental_years.sql): a year's values read
-- that year's completeness, measures, denominators and capability values only, so a run rebuilds
-- the years whose fingerprint (int_indicator_values_year_inputs) changed; a full refresh builds
-- every year, the same SQL with no filter.
{%- set inputs = ref('int_indicator_values_year_inputs') %}
{{ incremental_years_config('int_indicator_values_year_inputs', 'fingerprint') }}
with

indicators as (

    select * from {{ ref('int_indicators_defined') }}

),

bridge as (

    select * from {{ ref('int_region_rollup_bridged') }}

),

completeness as (

    select * from {{ ref('int_sources_completeness_by_region_year') }}
    where {{ in_years_to_build('year', this, inputs, 'fingerprint') }}

),

measures as (

    select * from {{ ref('int_event_measures_by_month') }}
    where {{ in_years_to_build('year', this, inputs, 'fingerprint') }}

),

denominators as (

    select * from {{ ref('int_denominators_rolled_up') }}
    where {{ in_years_to_build('year', this, inputs, 'fingerprint') }}

),

capabilities as (

    select * from {{ ref('int_capabilities_deduplicated') }}
    where {{ in_years_to_build('year', this, inputs, 'fingerprint') }}

),

complete_region_years as (

    select region_code, source, year, months_due, is_current_year
    from completeness
    where is_complete

),

numerators as (

    {{ summed_to_rollup_regions('measures', 'bridge', ['year', 'measure']) }}

),

event_inputs as (

    select
        r.region_code,
        r.year,
        i.indicator_code,
        i.kind,
        i.multiplier,
        i.is_count_based,
        coalesce(n.value, 0) as numerator,
        d.value * i.denominator_scale_mult / i.denominator_scale_div as denominator,
        d.basis as denominator_basis,
        coalesce(bl.value, 0) as blocking_value,
        r.months_due as months_covered,
        r.is_current_year
    from complete_region_years as r
    inner join indicators as i
        on r.source = i.source
        and i.kind in ('count', 'rate')
    left join numerators as n
        on {{ keys_match('r', 'n', ['region_code', 'year']) }}
        and i.numerator_measure = n.measure
    left join denominators as d
        on {{ keys_match('r', 'd', ['region_code', 'year']) }}
        and i.denominator_measure = d.measure
    left join numerators as bl
        on {{ keys_match('r', 'bl', ['region_code', 'year']) }}
        and i.blocking_measure = bl.measure

),

event_values as (

    select
        region_code,
        year,
        indicator_code,
        kind,
        multiplier,
        is_count_based,
        numerator,
        case when kind = 'rate' then denominator end as denominator,
        case when kind = 'rate' then denominator_basis end as denominator_basis,
        case
            when kind = 'count' then numerator
            else numerator * multiplier / denominator
        end as value,
        months_covered,
        is_current_year
    from event_inputs
    where blocking_value = 0
        and (kind = 'count' or (denominator is not null and denominator > 0))

),

capability_values as (

    select
        c.region_code,
        c.year,
        c.indicator_code,
        i.kind,
        i.multiplier,
        i.is_count_based,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        cast(null as varchar) as denominator_basis,
        c.value,
        cast(null as integer) as months_covered,
        c.year = {{ as_of_year() }} as is_current_year
    from capabilities as c
    inner join indicators as i
        on c.indicator_code = i.indicator_code
        and i.kind = 'capability'
    where c.year <= {{ as_of_year() }}

),

final as (

    select * from event_values
    union all
    select * from capability_values

)

select * from final
