-- Garwood exact 95% limits: x=0 -> [0, 3.689], x=3 -> [0.619, 8.767], x=10 -> [4.795, 18.390]
-- (published tables). Returns the rows that disagree.
with

limits as (

    select * from {{ ref('int_poisson_limits') }}

),

expected as (

    select t.count_value, t.ci_low, t.ci_high
    from (
        values
        (0, 0.0, 3.689),
        (3, 0.619, 8.767),
        (10, 4.795, 18.390)
    ) as t (count_value, ci_low, ci_high)

),

final as (

    select e.count_value, e.ci_low, e.ci_high, l.ci_low as got_low, l.ci_high as got_high
    from expected as e
    left join limits as l
        on e.count_value = l.count_value
    where l.count_value is null
        or abs(l.ci_low - e.ci_low) > 0.0005
        or abs(l.ci_high - e.ci_high) > 0.0005

)

select * from final
