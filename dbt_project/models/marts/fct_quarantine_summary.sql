-- Rows in quarantine (raw.quarantine: rejected by the loaders, kept with their cells) per
-- source, region, reason and column: what each bureau has to correct, with the deaths those
-- rows carry. A row's region is the code in its own 行政区划代码 cell when that is a known code;
-- otherwise the region of the rows its file loaded (the county when they are all one county, the
-- prefecture when they are all one prefecture's); otherwise unknown (null).
with

quarantine as (

    select * from {{ ref('stg_ingest__quarantine') }}

),

regions as (

    select * from {{ ref('int_regions_resolved') }}

),

filed as (

    {% for source, staging in [
        ('accidents', 'stg_accidents__accidents'),
        ('disasters', 'stg_disasters__disaster_reports'),
        ('forest_fires', 'stg_forest_fires__forest_fires'),
        ('statistics', 'stg_statistics__measures'),
        ('capabilities', 'stg_capabilities__indicator_reports'),
        ('plans', 'stg_plans__targets'),
        ('quotas', 'stg_quotas__quotas')] %}
        select '{{ source }}' as source, source_file, region_code
        from {{ ref(staging) }}
        union all
    {% endfor %}
    select source, source_file, region_code
    from {{ ref('stg_ingest__zero_reports') }}

),

file_regions as (

    select
        f.source,
        f.source_file,
        case
            when count(distinct f.region_code) = 1 then min(f.region_code)
            when count(distinct r.prefecture_code) = 1 and count(r.prefecture_code) = count(*)
                then min(r.prefecture_code)
        end as region_code
    from filed as f
    left join regions as r
        on f.region_code = r.region_code
    group by f.source, f.source_file

),

row_regions as (

    select
        q.*,
        -- the cell under the file's region-code header, whichever alias it used
        {{ quarantined_region_code('q.raw_record') }} as region_code_as_filed
    from quarantine as q

),

located as (

    select
        q.*,
        coalesce(r.region_code, f.region_code) as region_code,
        case
            when r.region_code is not null then 'row'
            when f.region_code is not null then 'file'
        end as region_located_by
    from row_regions as q
    left join regions as r
        on q.region_code_as_filed = r.region_code
    left join file_regions as f
        on q.source = f.source
        and q.file_name = f.source_file

),

final as (

    select
        l.source,
        l.region_code,
        g.prefecture_code,
        l.region_located_by,
        l.reason_code,
        l.column_name,
        count(*) as rows_quarantined,
        cast(sum(l.deaths_in_row) as bigint) as deaths_in_rows,
        count(*) filter (where l.deaths_in_row is null) as rows_deaths_unreadable,
        count(distinct l.file_name) as files,
        arg_min(l.reason_zh, (l.file_name, l.source_row_number)) as example_reason_zh,
        arg_min(l.reason_en, (l.file_name, l.source_row_number)) as example_reason_en,
        -- where the statistician finds the rows: the first 20 as 文件名 第N行
        array_to_string(
            list(
                l.file_name || coalesce(' 第' || l.source_row_number || '行', '')
                order by l.file_name, l.source_row_number
            )[1:20],
            '；'
        ) as file_rows_zh
    from located as l
    left join regions as g
        on l.region_code = g.region_code
    group by l.source, l.region_code, g.prefecture_code, l.region_located_by, l.reason_code, l.column_name

)

select * from final
