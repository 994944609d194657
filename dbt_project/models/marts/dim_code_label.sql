-- Every code the marts store, with its Chinese and English label: join on (code_kind, code).
with

labels as (

    select * from {{ ref('code_labels') }}

),

final as (

    select
        code_kind,
        code,
        sort_order,
        label_zh,
        label_en
    from labels

)

select * from final
