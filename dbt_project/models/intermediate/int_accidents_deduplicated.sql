-- Latest revision per 事故编号 (macros/revisions.sql: latest 填报日期 wins, ties go to the file
-- loaded later, then the later row of that file). Older versions stay in raw; a 核销 filing that
-- wins is kept (int_accidents_classified flags it, and it counts nowhere).
with

accidents as (

    select * from {{ ref('stg_accidents__accidents') }}

),

final as (

    {{ latest_revisions('accidents', 'accident_id') }}

)

select * from final
