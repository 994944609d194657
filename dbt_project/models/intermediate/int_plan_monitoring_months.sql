-- The monitoring month of each plan jurisdiction in the as-of year (docs/spec/plans.md): the
-- latest month up to which every county-level unit of the jurisdiction has filed every event
-- register it keeps (accidents, disasters, forest fires: records or 零报告), in the as-of year
-- and, so that the same months can be compared, in the year before. A register the
-- jurisdiction has never filed (no forest, no forest-fire register) does not hold it back; one
-- it has filed before does. Null when no month of the year is complete, never a month with gaps.
with

jurisdictions as (

    select distinct region_code from {{ ref('int_plan_targets') }}

),

bridge as (

    select * from {{ ref('int_region_rollup_bridged') }}
    where is_county_level_member

),

covered as (

    select * from {{ ref('int_submissions_covered') }}

),

window_def as (

    -- the months due in the as-of year (none before its January has ended)
    select
        {{ as_of_year() }} as year,
        cast(extract(month from {{ through_month() }}) as integer) as due_through_month
    where extract(year from {{ through_month() }}) = {{ as_of_year() }}

),

registers_in_use as (

    -- the event registers each jurisdiction's units have filed, in any month
    select distinct j.region_code, c.source
    from jurisdictions as j
    inner join bridge as b
        on j.region_code = b.rollup_region_code
    inner join covered as c
        on b.county_region_code = c.region_code

),

due as (

    select w.year - y.back as year, cast(m.m as integer) as month_number
    from window_def as w
    cross join (values (0), (1)) as y (back)
    cross join range(1, w.due_through_month + 1) as m (m)

),

unit_gaps as (

    -- per unit, source and year: the first month of the window it has not filed
    select
        j.region_code,
        b.county_region_code,
        s.source,
        d.year,
        min(d.month_number) filter (where c.region_code is null) as first_gap
    from jurisdictions as j
    inner join bridge as b
        on j.region_code = b.rollup_region_code
    inner join registers_in_use as s
        on j.region_code = s.region_code
    cross join due as d
    left join covered as c
        on b.county_region_code = c.region_code
        and s.source = c.source
        and d.year = c.year
        and cast(extract(month from c.month) as integer) = d.month_number
    group by j.region_code, b.county_region_code, s.source, d.year

),

final as (

    select
        g.region_code,
        w.year,
        w.due_through_month,
        nullif(min(coalesce(g.first_gap - 1, w.due_through_month)), 0) as monitoring_month
    from unit_gaps as g
    cross join window_def as w
    group by g.region_code, w.year, w.due_through_month

)

select * from final
