-- Denominators per roll-up region × year × measure, latest vintage (docs/spec/indicators.md,
-- "Roll-up"): a county-level unit's own figure; for a prefecture, its own filed figure when its
-- statistics bureau filed one (a prefecture's GDP is accounted by its own bureau and need not
-- equal the sum of its counties'), otherwise the sum over all its county-level units — null
-- (never 0) when any unit lacks the measure. `basis` says which: filed / sum_of_counties.
with

vintages as (

    select * from {{ ref('int_denominator_vintages_ranked') }}
    where is_latest

),

bridge as (

    select * from {{ ref('int_region_rollup_bridged') }}

),

data_statuses as (

    select * from {{ ref('data_statuses') }}

),

unit_counts as (

    select * from {{ ref('int_rollup_units_counted') }}

),

members as (

    select * from bridge
    where is_county_level_member

),

summed as (

    select
        m.rollup_region_code,
        v.year,
        v.measure,
        {{ exact_sum('v.value') }} as value,
        count(*) as units_reporting,
        min(v.vintage_rank) as min_vintage_rank
    from members as m
    inner join vintages as v
        on m.county_region_code = v.region_code
    group by m.rollup_region_code, v.year, v.measure

),

sums as (

    select
        s.rollup_region_code as region_code,
        s.year,
        s.measure,
        case when s.units_reporting = u.units_required then s.value end as value,
        s.units_reporting,
        u.units_required,
        -- a sum is only as final as its least final part: the lowest vintage among the units
        s.min_vintage_rank as vintage_rank,
        -- a county-level unit's "sum" is its own figure
        case when own.county_region_code is not null then 'filed' else 'sum_of_counties' end as basis
    from summed as s
    inner join unit_counts as u
        on s.rollup_region_code = u.region_code
    left join members as own
        on s.rollup_region_code = own.rollup_region_code
        and s.rollup_region_code = own.county_region_code

),

filed_by_prefecture as (

    -- a prefecture's own filing (the bridge's prefecture-self row: not a county-level member)
    select
        b.rollup_region_code as region_code,
        v.year,
        v.measure,
        v.value,
        cast(null as bigint) as units_reporting,
        u.units_required,
        v.vintage_rank,
        'filed' as basis
    from bridge as b
    inner join vintages as v
        on b.county_region_code = v.region_code
    left join unit_counts as u
        on b.rollup_region_code = u.region_code
    where not b.is_county_level_member

),

chosen as (

    select * from filed_by_prefecture
    union all
    select s.* from sums as s
    anti join filed_by_prefecture as f
        on {{ keys_match('s', 'f', ['region_code', 'year', 'measure']) }}

),

final as (

    select
        c.region_code,
        c.year,
        c.measure,
        c.value,
        c.units_reporting,
        c.units_required,
        d.data_status,
        c.basis
    from chosen as c
    left join data_statuses as d
        on c.vintage_rank = d.vintage_rank

)

select * from final
