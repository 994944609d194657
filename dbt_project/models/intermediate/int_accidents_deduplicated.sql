-- Latest revision per 事故编号: latest 填报日期 wins, ties go to the file loaded later
-- (then the later row of that file, for determinism). Older versions stay in raw.
with

accidents as (

    select * from {{ ref('stg_accidents__accidents') }}

),

ranked as (

    select
        *,
        {{ revision_ranking('accident_id') }}
    from accidents

),

final as (

    select * exclude (revision_rank)
    from ranked
    where revision_rank = 1

)

select * from final
