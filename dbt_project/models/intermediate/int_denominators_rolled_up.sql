-- Denominators per roll-up region × year × measure: the latest vintage of each county-level
-- unit, summed over the region's county-level units; null (never 0) when any unit lacks it.
-- Statistics filed for the prefecture itself are not added (they would double-count).
with

vintages as (

    select * from {{ ref('int_denominator_vintages_ranked') }}
    where is_latest

),

bridge as (

    select * from {{ ref('int_region_rollup_bridged') }}
    where is_county_level_member

),

data_statuses as (

    select * from {{ ref('data_statuses') }}

),

unit_counts as (

    select rollup_region_code, count(*) as units_required
    from bridge
    group by rollup_region_code

),

summed as (

    select
        b.rollup_region_code,
        v.year,
        v.measure,
        sum(v.value) as value,
        count(*) as units_reporting,
        min(v.vintage_rank) as min_vintage_rank
    from bridge as b
    inner join vintages as v
        on b.county_region_code = v.region_code
    group by b.rollup_region_code, v.year, v.measure

),

final as (

    select
        s.rollup_region_code as region_code,
        s.year,
        s.measure,
        case when s.units_reporting = u.units_required then s.value end as value,
        s.units_reporting,
        u.units_required,
        -- a sum is only as final as its least final part: the lowest vintage among the units
        d.data_status
    from summed as s
    inner join unit_counts as u
        on s.rollup_region_code = u.rollup_region_code
    left join data_statuses as d
        on s.min_vintage_rank = d.vintage_rank

)

select * from final
