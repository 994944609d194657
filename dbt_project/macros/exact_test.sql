{#- The exact test of docs/spec/indicators.md ("changes ... with an uncertainty statement"):
    is the change from count x1 (exposure e1) to count x2 (exposure e2) more than chance?
    Conditional binomial test: given n = x1 + x2, x2 ~ Binomial(n, e2 / (e1 + e2)) under "no
    change in the underlying rate"; the two-sided p-value sums the probabilities not above that
    of the observed x2 (with a relative tolerance of 1e-7 for ties). Exposures are the
    denominators for rates, 1 for counts (or the number of years for period totals).

    `inputs`: a CTE with the key columns, x1, x2 (whole numbers), e1, e2.
    Writes four CTEs; the last, `<inputs>_p_values`, has the keys, x1, x2, p_value (1.0 when
    x1 + x2 = 0: nothing happened in either period, no change to detect) and is_significant
    (p < 0.05).
    Use: `with ..., {{ exact_test_ctes('sig_inputs', ['plan_id', 'region_code', 'seq']) }}, ...` -#}
{% macro exact_test_ctes(inputs, keys) -%}
{#- The p-value depends on x1, x2, e1 and e2 only: it is computed once per distinct four (a few
    thousand on the national data) and joined back to the keys (millions of series-months). -#}
{%- set four = ['x1', 'x2', 'e1', 'e2'] -%}
{{ inputs }}_distinct as (

    select distinct x1, x2, e1, e2
    from {{ inputs }}
    where x1 + x2 > 0
        and e1 > 0
        and e2 > 0

),

{{ inputs }}_terms as (

    select
        x1,
        x2,
        e1,
        e2,
        x1 + x2 as n,
        e2 / (e1 + e2) as p0,
        unnest(range(0, x1 + x2 + 1)) as k
    from {{ inputs }}_distinct

),

{{ inputs }}_pmf as (

    select
        x1,
        x2,
        e1,
        e2,
        k,
        exp(lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1) + k * ln(p0) + (n - k) * ln(1 - p0)) as pmf
    from {{ inputs }}_terms

),

{{ inputs }}_sums as (

    select
        t.x1,
        t.x2,
        t.e1,
        t.e2,
        least(1.0, sum(case when t.pmf <= o.pmf * (1 + 1e-7) then t.pmf else 0 end)) as p_value
    from {{ inputs }}_pmf as t
    inner join {{ inputs }}_pmf as o
        on o.k = o.x2
        and {{ keys_match('o', 't', four) }}
    group by t.x1, t.x2, t.e1, t.e2

),

{{ inputs }}_p_values as (

    select
        i.{{ keys | join(', i.') }},
        i.x1,
        i.x2,
        case when i.x1 + i.x2 = 0 then 1.0 else s.p_value end as p_value,
        i.x1 + i.x2 > 0 and s.p_value < 0.05 as is_significant
    from {{ inputs }} as i
    left join {{ inputs }}_sums as s
        on {{ keys_match('i', 's', four) }}
    where i.e1 > 0
        and i.e2 > 0

)
{%- endmacro %}
