-- "Through month m" for analysts and reports (docs/spec/monthly.md, "Completeness"): per roll-up
-- region, event register it keeps and due month, whether every county-level unit has filed the
-- month (records or 零报告), whether January..the month is complete, and which units have not
-- filed (the 未报齐 units). The rows of int_region_months_covered, the one definition every year
-- to date uses.
with

coverage as (

    select * from {{ ref('int_region_months_covered') }}

),

final as (

    select
        region_code,
        source,
        year,
        month_number as month,
        units_required,
        units_filed,
        missing_unit_codes,
        is_covered,
        is_complete_through,
        complete_through_month
    from coverage

)

select * from final
