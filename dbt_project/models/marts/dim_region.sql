with

regions as (

    select * from {{ ref('int_regions_resolved') }}

),

units as (

    select * from {{ ref('int_rollup_units_counted') }}

),

labels as (

    select code, label_zh
    from {{ ref('code_labels') }}
    where code_kind = 'region_level'

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
        lv.label_zh as level_zh,
        r.parent_code,
        parent.region_name as parent_name,
        r.prefecture_code,
        prefecture.region_name as prefecture_name,
        r.province_code,
        province.region_name as province_name,
        r.is_plan_jurisdiction,
        case
            when r.level = 'province' then coalesce(p.county_count, 0)
            when r.level = 'nation'
                then (
                    select count(*) from regions as n
                    where n.is_county_level
                )
            else coalesce(u.units_required, 0)
        end as county_count,
        r.is_county_level,
        -- the division list's note, without the project's internal plan-file names
        nullif(trim(regexp_replace(r.note, '\s*\([0-9]{3}_[0-9a-f]+\.txt\)', '', 'g')), '') as note
    from regions as r
    left join units as u
        on r.region_code = u.region_code
    left join province_counts as p
        on r.region_code = p.province_code
    left join regions as parent
        on r.parent_code = parent.region_code
    left join regions as prefecture
        on r.prefecture_code = prefecture.region_code
    left join regions as province
        on r.province_code = province.region_code
    left join labels as lv
        on r.level = lv.code

)

select * from final
