-- How many county-level units each roll-up region needs a figure or a filing from (the
-- county-level members of int_region_rollup_bridged): a county-level unit 1, its own; a
-- prefecture every county-level unit under it. Completeness, the denominators' sums and
-- dim_region's county count all read it here.
with

members as (

    select * from {{ ref('int_region_rollup_bridged') }}
    where is_county_level_member

),

final as (

    select
        rollup_region_code as region_code,
        count(*) as units_required
    from members
    group by rollup_region_code

)

select * from final
