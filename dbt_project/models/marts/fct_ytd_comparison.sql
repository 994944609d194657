-- Current-year monitoring: January..through month of the as-of year against the same months of
-- the prior year, for the count indicators, at every roll-up region where the source is filed.
-- A side that is not covered by every county-level unit for every one of those months is null.
with

indicators as (

    select * from {{ ref('int_indicators_defined') }}
    where kind = 'count'

),

bridge as (

    select * from {{ ref('int_region_rollup_bridged') }}

),

covered as (

    select * from {{ ref('int_submissions_covered') }}

),

measures as (

    select * from {{ ref('int_event_measures_by_month') }}

),

window_def as (

    select
        {{ as_of_year() }} as year,
        cast(extract(month from {{ through_month() }}) as integer) as through_month
    where extract(year from {{ through_month() }}) = {{ as_of_year() }}

),

county_members as (

    select rollup_region_code, county_region_code
    from bridge
    where is_county_level_member

),

unit_months as (

    -- covered months Jan..through month, per unit, source and year (current and prior)
    select c.region_code, c.source, c.year, count(distinct c.month) as months_covered
    from covered as c
    cross join window_def as w
    where c.year in (w.year, w.year - 1)
        and extract(month from c.month) <= w.through_month
    group by c.region_code, c.source, c.year

),

side_completeness as (

    select
        m.rollup_region_code as region_code,
        s.source,
        y.year,
        sum(case when coalesce(u.months_covered, 0) >= w.through_month then 1 else 0 end) = count(*)
            as is_complete,
        sum(coalesce(u.months_covered, 0)) as months_covered_total
    from county_members as m
    cross join (select distinct source from indicators) as s
    cross join window_def as w
    cross join (select w2.year from window_def as w2 union all select w3.year - 1 from window_def as w3) as y
    left join unit_months as u
        on u.region_code = m.county_region_code
        and u.source = s.source
        and u.year = y.year
    group by m.rollup_region_code, s.source, y.year

),

sums as (

    select
        b.rollup_region_code as region_code,
        m.year,
        m.measure,
        sum(m.value) as value
    from measures as m
    inner join bridge as b
        on m.region_code = b.county_region_code
    cross join window_def as w
    where m.year in (w.year, w.year - 1)
        and m.month_number <= w.through_month
    group by b.rollup_region_code, m.year, m.measure

),

combined as (

    select
        cur.region_code,
        i.indicator_code,
        w.year,
        w.through_month,
        case when cur.is_complete then coalesce(sc.value, 0) end as value_ytd,
        case when pri.is_complete then coalesce(sp.value, 0) end as prior_year_value_same_months,
        cur.is_complete as is_current_complete,
        pri.is_complete as is_prior_complete
    from side_completeness as cur
    cross join window_def as w
    inner join indicators as i
        on i.source = cur.source
    inner join side_completeness as pri
        on pri.region_code = cur.region_code
        and pri.source = cur.source
        and pri.year = w.year - 1
    left join sums as sc
        on sc.region_code = cur.region_code
        and sc.year = w.year
        and sc.measure = i.numerator_measure
    left join sums as sp
        on sp.region_code = cur.region_code
        and sp.year = w.year - 1
        and sp.measure = i.numerator_measure
    where cur.year = w.year
        and (cur.months_covered_total > 0 or pri.months_covered_total > 0)

),

final as (

    select
        region_code,
        indicator_code,
        year,
        through_month,
        value_ytd,
        prior_year_value_same_months,
        case
            when value_ytd is not null and prior_year_value_same_months > 0
                then (value_ytd - prior_year_value_same_months) * 100.0 / prior_year_value_same_months
        end as change_pct,
        is_current_complete and is_prior_complete as is_complete,
        is_current_complete,
        is_prior_complete
    from combined

)

select * from final
