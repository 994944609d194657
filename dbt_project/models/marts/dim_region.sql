with

regions as (

    select * from {{ ref('int_regions_resolved') }}

),

bridge as (

    select * from {{ ref('int_region_rollup_bridged') }}

),

county_counts as (

    select rollup_region_code, count(*) as county_count
    from bridge
    where is_county_level_member
    group by rollup_region_code

),

province_counts as (

    select province_code, count(*) as county_count
    from regions
    where is_county_level
    group by province_code

),

final as (

    select
        r.region_code,
        r.region_name,
        r.level,
        r.parent_code,
        r.prefecture_code,
        r.province_code,
        r.is_plan_jurisdiction,
        case
            when r.level = 'province' then coalesce(p.county_count, 0)
            when r.level = 'nation'
                then (
                    select count(*) from regions as n
                    where n.is_county_level
                )
            else coalesce(c.county_count, 0)
        end as county_count,
        r.is_county_level,
        r.note
    from regions as r
    left join county_counts as c
        on r.region_code = c.rollup_region_code
    left join province_counts as p
        on r.region_code = p.province_code

)

select * from final
