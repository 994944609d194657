-- Latest revision per 火灾编号 (as for accidents).
with

fires as (

    select * from {{ ref('stg_forest_fires__forest_fires') }}

),

regions as (

    select * from {{ ref('int_regions_resolved') }}

),

ranked as (

    select
        *,
        {{ revision_ranking('fire_id') }}
    from fires

),

final as (

    select
        -- sqlfluff reads the exclude list as a column reference
        f.* exclude (revision_rank),  -- noqa: RF02
        cast(extract(year from f.occurred_at) as integer) as year,
        cast(extract(month from f.occurred_at) as integer) as month,
        cast(date_trunc('month', f.occurred_at) as date) as occurred_month,
        g.prefecture_code
    from ranked as f
    left join regions as g
        on f.region_code = g.region_code
    where f.revision_rank = 1

)

select * from final
