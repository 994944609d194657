-- 催报清单 rows of months already over: fct_missing_submissions without the as-of month (still
-- open even when include_as_of_month makes it due), month as YYYY-MM.
with

missing as (

    select * from {{ ref('fct_missing_submissions') }}

),

final as (

    select
        region_code,
        region_name,
        prefecture_code,
        source,
        strftime(month, '%Y-%m') as month
    from missing
    where month < cast(date_trunc('month', {{ as_of_date() }}) as date)

)

select * from final
order by source, region_code, month
