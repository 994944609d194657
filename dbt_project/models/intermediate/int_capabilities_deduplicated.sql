-- Latest capability value per region × year × indicator (latest 填报日期, then later load).
with

reports as (

    select * from {{ ref('stg_capabilities__indicator_reports') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by region_code, year, indicator_code
            order by reported_date desc nulls last, load_seq desc, source_row_number desc
        ) as revision_rank,
        count(*) over (partition by region_code, year, indicator_code) as revision_count
    from reports

),

final as (

    select * exclude (revision_rank)
    from ranked
    where revision_rank = 1

)

select * from final
