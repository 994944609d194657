"""Exact (Garwood) 95% Poisson confidence limits for every count that occurs as a numerator.

lower(x) = chi2.ppf(0.025, 2x) / 2 (0 for x = 0), upper(x) = chi2.ppf(0.975, 2x + 2) / 2: the
same quantiles as those of the gamma distribution, lower(x) = gammaincinv(x, 0.025) and
upper(x) = gammaincinv(x + 1, 0.975) (scipy.stats' chi2.ppf computes 2·gammaincinv(df/2, q)).
DuckDB has no chi-square or gamma quantile, so this one model uses scipy. The counts 0..200 are
always present, so the tests can check known limits (x=0 -> [0, 3.689], x=3 -> [0.619, 8.767]).
Only the distinct numerators of the count-based values are read (a few thousand at national
scale, not every value).
"""

import pyarrow as pa
from scipy.special import gammaincinv


def garwood_limits(x: int, confidence: float = 0.95) -> tuple[float, float]:
    alpha = 1.0 - confidence
    lower = 0.0 if x == 0 else float(gammaincinv(x, alpha / 2))
    upper = float(gammaincinv(x + 1, 1 - alpha / 2))
    return lower, upper


def model(dbt, session):
    dbt.config(materialized="table")
    values = dbt.ref("int_indicator_values_computed")
    numerators = values.filter("is_count_based").project("numerator").distinct()
    # only whole numbers are counts; anything else gets no interval
    counts = {int(n) for (n,) in numerators.fetchall() if n is not None and n == round(n)}
    xs = sorted(set(range(0, 201)) | counts)
    limits = [garwood_limits(x) for x in xs]
    return pa.table({
        "count_value": pa.array(xs, pa.int64()),
        "ci_low": pa.array([low for low, _ in limits], pa.float64()),
        "ci_high": pa.array([high for _, high in limits], pa.float64()),
    })
