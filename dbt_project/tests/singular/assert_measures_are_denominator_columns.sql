-- One list of measures: the measures seed, the numeric columns of fct_denominators and the
-- denominator_measures() macro (which qa_denominators_long unpivots) hold the same names. A name
-- missing from one of them is returned.
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

final as (

    (select measure, 'missing from fct_denominators' as problem from seed
        except select measure, 'missing from fct_denominators' from mart)
    union all
    (select measure, 'missing from the measures seed' from mart
        except select measure, 'missing from the measures seed' from seed)
    union all
    (select measure, 'missing from denominator_measures()' from seed
        except select measure, 'missing from denominator_measures()' from macro)
    union all
    (select measure, 'missing from the measures seed' from macro
        except select measure, 'missing from the measures seed' from seed)

)

select * from final
