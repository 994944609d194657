-- 催报清单: county-level unit × source × month with neither a record nor a 零报告.
with

coverage as (

    select * from {{ ref('fct_submission_coverage') }}

),

regions as (

    select * from {{ ref('int_regions_resolved') }}

),

final as (

    select
        c.region_code,
        r.region_name,
        r.prefecture_code,
        c.source,
        c.month,
        c.year,
        c.year = {{ as_of_year() }} as is_current_year
    from coverage as c
    inner join regions as r
        on c.region_code = r.region_code
    where not c.is_covered

)

select * from final
