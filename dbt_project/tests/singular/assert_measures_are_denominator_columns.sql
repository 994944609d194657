-- One list of measures: the measures seed, the numeric columns of fct_denominators and the
-- denominator_measures() macro (which qa_denominators_long unpivots) hold the same names. A name
-- missing from one of them is returned.
{# Dagster shows this test as a check of the model it is about (it reads a seed and a model). #}
{{ config(meta={'dagster': {'ref': {'name': 'fct_denominators'}}}) }}

with

seed as (

    select measure from {{ ref('measures') }}

),

mart as (

    select column_name as measure
    from information_schema.columns
    where table_schema = '{{ ref("fct_denominators").schema }}'
        and table_name = '{{ ref("fct_denominators").identifier }}'
        and column_name <> 'year'
        and data_type in ('DOUBLE', 'FLOAT', 'BIGINT', 'INTEGER', 'HUGEINT')

),

macro as (

    select unnest([
        {%- for m in denominator_measures() %}
            '{{ m }}'{{ "," if not loop.last }}
        {%- endfor %}
    ]) as measure

),

seed_not_in_mart as (

    select measure from seed
    except
    select measure from mart

),

mart_not_in_seed as (

    select measure from mart
    except
    select measure from seed

),

seed_not_in_macro as (

    select measure from seed
    except
    select measure from macro

),

macro_not_in_seed as (

    select measure from macro
    except
    select measure from seed

),

final as (

    select measure, 'missing from fct_denominators' as problem from seed_not_in_mart
    union all
    select measure, 'missing from the measures seed' as problem from mart_not_in_seed
    union all
    select measure, 'missing from denominator_measures()' as problem from seed_not_in_macro
    union all
    select measure, 'missing from the measures seed' as problem from macro_not_in_seed

)

select * from final
