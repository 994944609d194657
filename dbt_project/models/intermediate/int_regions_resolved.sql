-- One row per region code. The division list holds three 不设区的地级市 (东莞, 中山, 儋州) twice:
-- once as prefecture and once as their own county-level unit (parent = itself). They keep the
-- prefecture row and are flagged county-level, so every code is unique downstream.
with

regions as (

    select * from {{ ref('regions') }}

),

plan_targets as (

    select * from {{ ref('int_plan_targets') }}

),

ranked as (

    select
        region_code,
        region_name,
        level,
        parent_code,
        note,
        max(case when level = 'county' then 1 else 0 end)
            over (partition by region_code) as has_county_row,
        row_number() over (
            partition by region_code
            order by case level when 'nation' then 1 when 'province' then 2
                when 'prefecture' then 3 else 4
            end
        ) as level_order
    from regions

),

deduplicated as (

    select
        region_code,
        region_name,
        level,
        case when parent_code = region_code then null else parent_code end as parent_code,
        note,
        has_county_row = 1 as is_county_level
    from ranked
    where level_order = 1

),

with_parents as (

    select
        d.region_code,
        d.region_name,
        d.level,
        d.parent_code,
        d.note,
        d.is_county_level,
        case
            when d.level = 'prefecture' then d.region_code
            when d.level = 'county' and p.level = 'prefecture' then p.region_code
        end as prefecture_code,
        case
            when d.level = 'province' then d.region_code
            when d.level = 'prefecture' then d.parent_code
            when d.level = 'county' and p.level = 'prefecture' then p.parent_code
            when d.level = 'county' and p.level = 'province' then p.region_code
        end as province_code
    from deduplicated as d
    left join deduplicated as p
        on d.parent_code = p.region_code

),

final as (

    select
        w.region_code,
        w.region_name,
        w.level,
        w.parent_code,
        w.prefecture_code,
        w.province_code,
        w.is_county_level,
        w.region_code in (select cast(t.region_code as varchar) from plan_targets as t)
            as is_plan_jurisdiction,
        w.note
    from with_parents as w

)

select * from final
