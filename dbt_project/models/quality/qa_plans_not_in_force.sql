-- Plans the plan files name that are not in force, so that no report shows them (check
-- marts_dim_plan_every_plan_in_force): every version rejected (equal or missing 版本日期,
-- dim_plan_version), or every row quarantined. A quarantined row's plan is read from its own
-- cells: the 规划编号 (规划代号) and 行政区划代码 (区划代码) headers, as fct_quarantine_summary reads
-- the region-code cell. One row per plan: the files and the first reason (by file name).
with

plans as (

    select * from {{ ref('dim_plan') }}

),

versions as (

    select * from {{ ref('dim_plan_version') }}

),

quarantine as (

    select * from {{ ref('stg_ingest__quarantine') }}
    where source = 'plans'
        and raw_record is not null

),

rejected_versions as (

    select
        v.plan_id,
        v.region_code,
        string_agg(distinct v.source_file, '、' order by v.source_file) as file_name,
        arg_min(v.status_reason_zh, v.source_file) as reason_zh,
        arg_min(v.status_reason_en, v.source_file) as reason_en
    from versions as v
    anti join plans as p
        on {{ keys_match('v', 'p', ['plan_id', 'region_code']) }}
    where v.version_status = 'rejected'
    group by v.plan_id, v.region_code

),

quarantined_cells as (

    select
        q.file_name,
        q.source_row_number,
        q.reason_zh,
        q.reason_en,
        -- the cells under the file's plan-code / region-code headers, whichever alias it used
        nullif({{ quarantined_cell('q.raw_record', ['%规划%编号%', '%规划%代号%']) }}, '') as plan_id,
        nullif({{ quarantined_region_code('q.raw_record') }}, '') as region_code
    from quarantine as q

),

quarantined_plans as (

    select
        c.plan_id,
        c.region_code,
        arg_min(c.file_name, (c.file_name, c.source_row_number)) as file_name,
        arg_min(c.reason_zh, (c.file_name, c.source_row_number)) as reason_zh,
        arg_min(c.reason_en, (c.file_name, c.source_row_number)) as reason_en
    from quarantined_cells as c
    anti join plans as p
        on {{ keys_match('c', 'p', ['plan_id', 'region_code']) }}
    anti join rejected_versions as r
        on {{ keys_match('c', 'r', ['plan_id', 'region_code']) }}
    where c.plan_id is not null
        and c.region_code is not null
    group by c.plan_id, c.region_code

),

final as (

    select * from rejected_versions
    union all by name
    select * from quarantined_plans

)

select * from final
order by plan_id, region_code
