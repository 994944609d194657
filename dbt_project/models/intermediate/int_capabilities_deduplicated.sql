-- Latest capability value per region × year × indicator (latest 填报日期, then later load).
with

reports as (

    select * from {{ ref('stg_capabilities__indicator_reports') }}

),

ranked as (

    select
        *,
        {{ revision_ranking('region_code, year, indicator_code') }}
    from reports

),

final as (

    select * exclude (revision_rank)
    from ranked
    where revision_rank = 1

)

select * from final
