{#- The column holds only codes of an enumeration seed (seeds/*.csv), optionally only of the seed
    rows matching `where_seed` (e.g. the event sources). Nulls pass: pair with not_null. The
    built-in `relationships` test cannot filter the seed side. -#}
{% test in_enumeration(model, column_name, to, field, where_seed='true') %}

with

enumeration as (

    select {{ field }} as code
    from {{ to }}
    where {{ where_seed }}

)

-- the model unaliased: it may be a filtered subquery with its alias (a test's `where` config)
select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null
    and {{ column_name }} not in (select e.code from enumeration as e)

{% endtest %}
