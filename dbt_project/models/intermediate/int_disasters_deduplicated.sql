-- Latest report per 灾害过程编号 × 行政区划代码: latest stage (初报 < 续报 < 核报), then the latest
-- 填报日期, then the file loaded later.
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

ranked as (

    select
        r.*,
        {{ revision_ranking('r.event_id, r.region_code', first_by='s.stage_rank', prefix='r.') }}
    from reports as r
    left join stages as s
        on r.report_stage = s.report_stage

),

final as (

    select
        -- sqlfluff reads the exclude list as a column reference
        r.* exclude (revision_rank),  -- noqa: RF02
        cast(extract(year from r.start_date) as integer) as year,
        cast(extract(month from r.start_date) as integer) as month,
        cast(date_trunc('month', r.start_date) as date) as start_month,
        r.direct_loss_10k_yuan / 10000.0 as direct_loss_100m_yuan,
        g.prefecture_code
    from ranked as r
    left join regions as g
        on r.region_code = g.region_code
    where r.revision_rank = 1

)

select * from final
