-- Statistical years from first_year to the as-of year, with the months due in each: 12 for a
-- past year, January..through month for the current year (0 when none is due yet).
with

years as (

    select cast(t.y as integer) as year
    from range({{ var('first_year') }}, {{ as_of_year() }} + 1) as t (y)

),

final as (

    select
        year,
        case
            when year < extract(year from {{ through_month() }}) then 12
            when year = extract(year from {{ through_month() }})
                then cast(extract(month from {{ through_month() }}) as integer)
            else 0
        end as months_due,
        year = {{ as_of_year() }} as is_current_year
    from years

)

select * from final
