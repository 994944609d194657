-- Severity class by the 493号令 rule, 工矿商贸 flag, statistical year and month.
with

accidents as (

    select * from {{ ref('int_accidents_deduplicated') }}

),

regions as (

    select * from {{ ref('int_regions_resolved') }}

),

classified as (

    select
        a.*,
        cast(extract(year from a.occurred_at) as integer) as year,
        cast(extract(month from a.occurred_at) as integer) as month,
        cast(date_trunc('month', a.occurred_at) as date) as occurred_month,
        r.prefecture_code,
        a.sector in (
            '煤矿', '金属非金属矿山', '化工（危险化学品）', '烟花爆竹', '工贸', '建筑业', '其他工矿商贸'
        ) as is_industrial,
        {{ severity_class('a.deaths_incl_missing', 'a.serious_injuries', 'a.direct_loss_10k_yuan') }}
            as severity_class,
        {{ severity_code_from_zh('a.reported_severity') }} as reported_severity_class
    from accidents as a
    left join regions as r
        on a.region_code = r.region_code

),

final as (

    select
        *,
        {{ severity_class_zh('severity_class') }} as severity_class_zh,
        reported_severity_class is not null
            and reported_severity_class <> severity_class as is_severity_mismatch
    from classified

)

select * from final
