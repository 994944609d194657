"""Exact (Garwood) 95% Poisson confidence limits for every count that occurs as a numerator.

lower(x) = chi2.ppf(0.025, 2x) / 2 (0 for x = 0), upper(x) = chi2.ppf(0.975, 2x + 2) / 2.
DuckDB has no chi-square quantile, so this one model uses scipy. The counts 0..200 are always
present, so the tests can check known limits (x=0 -> [0, 3.689], x=3 -> [0.619, 8.767]).
"""

import pandas as pd
from scipy.stats import chi2


def garwood_limits(x: int, confidence: float = 0.95) -> tuple[float, float]:
    alpha = 1.0 - confidence
    lower = 0.0 if x == 0 else float(chi2.ppf(alpha / 2, 2 * x) / 2)
    upper = float(chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2)
    return lower, upper


def model(dbt, session):
    dbt.config(materialized="table")
    values = dbt.ref("int_indicator_values_computed").df()
    counts = values.loc[values["is_count_based"].fillna(False).astype(bool), "numerator"].dropna()
    # only whole numbers are counts; anything else gets no interval
    counts = counts[counts == counts.round()].astype("int64")
    xs = sorted(set(range(0, 201)) | set(int(x) for x in counts.tolist()))
    rows = [(x, *garwood_limits(x)) for x in xs]
    return pd.DataFrame(rows, columns=["count_value", "ci_low", "ci_high"])
