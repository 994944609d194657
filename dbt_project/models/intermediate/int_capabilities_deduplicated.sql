-- Latest capability value per region × year × indicator (macros/revisions.sql: latest 填报日期,
-- then later load).
with

reports as (

    select * from {{ ref('stg_capabilities__indicator_reports') }}

),

final as (

    {{ latest_revisions('reports', 'region_code, year, indicator_code') }}

)

select * from final
