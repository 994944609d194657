-- Every vintage of every statistic, the latest flagged: 数据状态 rank (初步核算 < 年报 < 最终核实 <
-- 普查修订), then 填报日期, then the file loaded later. Empty cells are not rows, so an empty cell
-- never overwrites an earlier value.
with

measures as (

    select * from {{ ref('stg_statistics__measures') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by region_code, year, measure
            order by vintage_rank desc, {{ latest_filing_first() }}
        ) as vintage_order
    from measures

),

final as (

    select
        * exclude (vintage_order),
        vintage_order = 1 as is_latest
    from ranked

)

select * from final
