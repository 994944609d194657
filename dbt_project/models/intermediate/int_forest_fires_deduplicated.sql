-- Latest revision per 火灾编号 (as for accidents: macros/revisions.sql), with its statistical year
-- and month (by 发生时间) and prefecture.
with

fires as (

    select * from {{ ref('stg_forest_fires__forest_fires') }}

),

regions as (

    select * from {{ ref('int_regions_resolved') }}

),

latest as (

    {{ latest_revisions('fires', 'fire_id') }}

),

final as (

    select
        f.*,
        {{ event_calendar_columns('f.occurred_at', 'occurred_month') }},
        g.prefecture_code
    from latest as f
    left join regions as g
        on f.region_code = g.region_code

)

select * from final
