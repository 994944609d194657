with

vintages as (

    select * from {{ ref('int_denominator_vintages_ranked') }}

),

final as (

    select
        region_code,
        year,
        measure,
        value,
        data_status,
        vintage_rank,
        reported_date,
        source_file,
        source_row_number,
        load_seq,
        is_latest
    from vintages

)

select * from final
