with

bridge as (

    select * from {{ ref('int_region_rollup_bridged') }}

),

final as (

    select
        rollup_region_code,
        county_region_code,
        is_county_level_member,
        rollup_level
    from bridge

)

select * from final
