{#- Change rates and plan pace, one formula each (docs/spec/monthly.md, docs/spec/plans.md).

    change_pct: the relative change in percent, (new - old) x 100 / old (-12.5 for -12.5%); the
    caller decides when it is shown (old > 0, both sides complete). -#}
{% macro change_pct(new, old) -%}
    ({{ new }} - {{ old }}) * 100.0 / {{ old }}
{%- endmacro %}

{#- The yearly change a decline of `decline_pct` % over `years` years requires:
    (1 - d)^(1/n) - 1 (negative for a decline). -#}
{% macro required_yearly_change(decline_pct, years) -%}
    power(1 - {{ decline_pct }} / 100.0, 1.0 / ({{ years }})) - 1
{%- endmacro %}

{#- The pace status of an achieved yearly change against the required one (both negative for a
    decline on track): 符合进度 ≥ 95%, 需加快 60–95%, 进展缓慢 0–60%, 逆向变化 < 0. -#}
{% macro pace_status(achieved, required) -%}
    case
        when {{ achieved }} / {{ required }} >= 0.95 then 'on_track'
        when {{ achieved }} / {{ required }} >= 0.60 then 'needs_acceleration'
        when {{ achieved }} / {{ required }} >= 0 then 'limited'
        else 'worsening'
    end
{%- endmacro %}
