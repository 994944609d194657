{#- A confidence interval, where given, brackets the value: low <= value <= high. -#}
{% test ci_brackets_value(model, low_column, high_column, value_column) %}

select *
from {{ model }}
where {{ low_column }} is not null
    and not ({{ low_column }} <= {{ value_column }} + 1e-9 and {{ value_column }} <= {{ high_column }} + 1e-9)

{% endtest %}
