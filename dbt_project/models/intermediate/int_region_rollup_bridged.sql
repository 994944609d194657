-- Which filing units roll up into which region. A county-level unit maps to itself; a
-- prefecture maps to each of its county-level units and to itself (items filed at prefecture
-- level). Denominators and completeness use only the county-level members.
with

regions as (

    select * from {{ ref('int_regions_resolved') }}

),

county_self as (

    select
        region_code as rollup_region_code,
        region_code as county_region_code,
        true as is_county_level_member
    from regions
    where is_county_level

),

prefecture_counties as (

    select
        c.prefecture_code as rollup_region_code,
        c.region_code as county_region_code,
        true as is_county_level_member
    from regions as c
    where c.level = 'county'
        and c.prefecture_code is not null

),

prefecture_self as (

    -- the prefecture's own filings; skipped where the prefecture is itself county-level
    select
        region_code as rollup_region_code,
        region_code as county_region_code,
        false as is_county_level_member
    from regions
    where level = 'prefecture'
        and not is_county_level

),

unioned as (

    select * from county_self
    union all
    select * from prefecture_counties
    union all
    select * from prefecture_self

),

final as (

    select
        u.rollup_region_code,
        u.county_region_code,
        u.is_county_level_member,
        r.level as rollup_level
    from unioned as u
    inner join regions as r
        on u.rollup_region_code = r.region_code

)

select * from final
