-- GDP vintages that move the previous vintage of the same region-year by more than
-- gdp_revision_warn_share (dbt_project.yml vars). Vintages in the order the warehouse ranks them
-- (数据状态, then 填报日期, then load order; fct_denominator_vintages keeps every one).
with

vintages as (

    select * from {{ ref('fct_denominator_vintages') }}
    where measure = 'gdp_100m_yuan'

),

ordered as (

    select
        *,
        lag(value) over vintage_order as previous_value,
        lag(data_status) over vintage_order as previous_status,
        lag(source_file) over vintage_order as previous_file
    from vintages
    window vintage_order as (
        partition by region_code, year
        order by vintage_rank, reported_date nulls first, load_seq, source_row_number
    )

),

final as (

    select
        region_code,
        year,
        previous_value,
        value,
        previous_status,
        data_status,
        round((value - previous_value) / previous_value, 4) as change_share,
        previous_file,
        source_file,
        source_row_number as row_number,
        vintage_rank
    from ordered
    where previous_value > 0
        and abs(value - previous_value) / previous_value > {{ var('gdp_revision_warn_share') }}

)

select * exclude (vintage_rank) from final
order by region_code, year, vintage_rank
