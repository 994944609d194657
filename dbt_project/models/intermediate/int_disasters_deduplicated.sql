-- Latest report per 灾害过程编号 × 行政区划代码: latest stage (初报 < 续报 < 核报), then the latest
-- 填报日期, then the file loaded later (macros/revisions.sql); with its statistical year and month
-- (by 开始日期), the loss in 亿元 and the prefecture.
with

reports as (

    select * from {{ ref('stg_disasters__disaster_reports') }}

),

regions as (

    select * from {{ ref('int_regions_resolved') }}

),

stages as (

    select * from {{ ref('report_stages') }}

),

staged as (

    select
        r.*,
        s.stage_rank
    from reports as r
    left join stages as s
        on r.report_stage = s.report_stage

),

latest as (

    {{ latest_revisions('staged', 'event_id, region_code', first_by='stage_rank') }}

),

final as (

    select
        -- sqlfluff reads the exclude list as a column reference
        r.* exclude (stage_rank),  -- noqa: RF02
        {{ event_calendar_columns('r.start_date', 'start_month') }},
        r.direct_loss_10k_yuan / 10000.0 as direct_loss_100m_yuan,
        g.prefecture_code
    from latest as r
    left join regions as g
        on r.region_code = g.region_code

)

select * from final
