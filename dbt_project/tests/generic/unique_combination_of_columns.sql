{#- Primary-key test for a compound key: no two rows share the combination of columns.
    Grouping every row by all the key's columns holds them all in one hash table (at 4x national,
    22.7 M rows of fct_monthly_situation, seven of them text: 62 s at the 1GB memory limit); so the
    rows are first grouped by one hash of the combination, and only the rows whose hash is shared
    are grouped by the columns themselves. Equal combinations have equal hashes (nulls included),
    so the offending rows and their counts are those of grouping by the columns: a collision of
    two different combinations is looked at, never reported. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

{%- set columns = combination_of_columns | join(', ') %}

with

shared_hashes as (

    select hash({{ columns }}) as key_hash
    from {{ model }}
    group by key_hash
    having count(*) > 1

),

grouped as (

    select
        {{ columns }},
        count(*) as duplicates
    from {{ model }}
    where hash({{ columns }}) in (select key_hash from shared_hashes)
    group by {{ columns }}
    having count(*) > 1

)

select * from grouped

{% endtest %}
