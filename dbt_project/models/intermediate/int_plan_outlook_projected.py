"""Outlook of a running plan's targets (目标可达性, docs/spec/plans.md): the fit. The mart
``marts.fct_plan_outlook`` publishes these rows under its contract (column names and types).

For each decline_pct or bound target on an outcome indicator of a plan being monitored: a
log-linear Poisson trend, log E[y_t] = a + b·(t − t̄) + log e_t, fitted by maximum likelihood
(IRLS) on the last up-to-ten complete years, y the numerator (deaths, accidents, …) and e the
denominator as exposure for rates (1 for counts). The projected value is the trend's value in
the plan's end year — or, for a period-mean target, the mean over the plan years of the complete
years' values and the trend's values for the years still to come — with a 95% interval from the
fitted parameters' covariance (delta method on the log scale), scaled by the dispersion
φ = Pearson χ² / (n − 2) (quasi-Poisson): for an event count φ is at least 1 — a series more
variable than Poisson gets a wider interval, never a narrower one; for a numerator that is not
an event count (person-times, money, area) the Poisson variance means nothing, and φ alone
carries the year-to-year variation (so the interval does not depend on the unit, 亿元 or 万元).

outlook: `likely` when the whole interval meets the target value, `unlikely` when none of it
does, `uncertain` otherwise. Limits: the interval is that of the trend (the expected level), not
of one year's outcome, which varies around it; a trend says nothing about measures still to come.
Where no trend can be fitted (fewer than MIN_YEARS complete years, every year 0, or a series
whose maximum-likelihood slope runs off to infinity, such as events in the first year only),
the constant rate of the fitted years is projected instead (method `constant_rate`) with its
exact Poisson interval (Garwood) — for all-zero years [0, 3.689 / Σe] — for an event count; for
any other numerator no outlook is given (outlook null).

The targets and their series are chosen in SQL (int_plan_outlook_targets, int_plan_outlook_series:
a few thousand rows at national scale); this model only fits them, one target at a time.
"""

import math
from collections import defaultdict

import numpy as np
import pyarrow as pa
from scipy.special import gammaincinv

MAX_YEARS = 10
MIN_YEARS = 5
Z = 1.959963984540054
MAX_SLOPE = 2.0  # a fitted trend of more than ×7.4 a year has no finite maximum: use the constant rate
TEXT, WHOLE, REAL = pa.string(), pa.int32(), pa.float64()
SCHEMA = pa.schema([
    ("plan_id", TEXT), ("region_code", TEXT), ("seq", WHOLE), ("indicator_code", TEXT), ("evaluation", TEXT),
    ("first_fitted_year", WHOLE), ("last_fitted_year", WHOLE), ("years_fitted", WHOLE),
    ("projected_year", WHOLE),
    ("projected_value", REAL), ("projected_low", REAL), ("projected_high", REAL), ("target_value", REAL),
    ("comparator", TEXT), ("outlook", TEXT), ("outlook_zh", TEXT), ("method", TEXT),
    ("trend_pct_per_year", REAL), ("dispersion", REAL),
])
COLUMNS = SCHEMA.names
OUTLOOK_ZH = {"likely": "可能实现", "uncertain": "不确定", "unlikely": "难以实现"}


def fit_trend(years, y, e, is_count=True):
    """(a, b, covariance, t̄) of the Poisson trend, or None when it has no finite fit."""
    t = np.asarray(years, dtype=float)
    y = np.asarray(y, dtype=float)
    e = np.asarray(e, dtype=float)
    if len(t) < MIN_YEARS or y.sum() <= 0 or np.any(e <= 0):
        return None
    tbar = t.mean()
    x = np.column_stack([np.ones_like(t), t - tbar])
    offset = np.log(e)
    beta = np.array([math.log(y.sum() / e.sum()), 0.0])
    for _ in range(100):
        eta = x @ beta + offset
        mu = np.exp(eta)
        z = eta - offset + (y - mu) / mu
        xtw = x.T * mu
        new = np.linalg.solve(xtw @ x, xtw @ z)
        if not np.all(np.isfinite(new)) or abs(new[1]) > MAX_SLOPE:
            return None
        done = np.max(np.abs(new - beta)) < 1e-10
        beta = new
        if done:
            break
    else:
        return None
    mu = np.exp(x @ beta + offset)
    pearson = float(np.sum((y - mu) ** 2 / mu))
    dispersion = pearson / (len(t) - 2)
    if is_count:
        dispersion = max(1.0, dispersion)
    cov = np.linalg.inv((x.T * mu) @ x) * dispersion
    return beta, cov, tbar, dispersion


def project(fit, scale, future_years, known_values, n_years):
    """(value, low, high) of the mean over n_years of the known values and the trend's values in
    future_years (one future year and no known values: the trend's end-year value)."""
    beta, cov, tbar, _ = fit
    future = np.asarray(future_years, dtype=float)
    rates = np.exp(beta[0] + beta[1] * (future - tbar)) * scale
    total = float(sum(known_values)) + float(rates.sum())
    value = total / n_years
    grad = np.array([rates.sum(), float(np.sum(rates * (future - tbar)))]) / n_years
    if value <= 0:
        return 0.0, 0.0, 0.0
    se_log = math.sqrt(float(grad @ cov @ grad)) / value
    return value, value * math.exp(-Z * se_log), value * math.exp(Z * se_log)


def constant_rate(y, e, scale, future_years, known_values, n_years):
    """The fitted years' constant rate, with its exact (Garwood) interval, in place of a trend."""
    total_y, total_e = float(np.sum(y)), float(np.sum(e))
    if total_e <= 0:
        return None
    count = round(total_y)
    # Garwood: chi2.ppf(0.025, 2x) / 2 and chi2.ppf(0.975, 2x + 2) / 2, as gamma quantiles
    low = 0.0 if count == 0 else float(gammaincinv(count, 0.025))
    high = float(gammaincinv(count + 1, 0.975))
    k = len(future_years)

    def mean(rate):
        return (float(sum(known_values)) + k * rate * scale) / n_years

    return mean(total_y / total_e), mean(low / total_e), mean(high / total_e)


def meets(value, threshold, comparator, target_kind):
    if target_kind == "decline_pct":
        return value < threshold if comparator == ">" else value <= threshold + 1e-12
    if comparator == "<":
        return value < threshold
    if comparator == "<=":
        return value <= threshold + 1e-12
    if comparator == ">":
        return value > threshold
    return value >= threshold - 1e-12


def judge(low, high, threshold, comparator, target_kind):
    """likely / unlikely / uncertain: does the whole interval (or none of it) meet the target?"""
    upper_is_worse = target_kind != "lower_bound"
    worst, best = (high, low) if upper_is_worse else (low, high)
    if meets(worst, threshold, comparator, target_kind):
        return "likely"
    if not meets(best, threshold, comparator, target_kind):
        return "unlikely"
    return "uncertain"


class Series:
    """The complete years of one region's indicator, in year order (numpy arrays)."""

    def __init__(self, years, numerators, denominators, values):
        self.years = np.asarray(years, dtype=np.int64)
        self.numerators = np.asarray(numerators, dtype=float)  # None (null) -> nan
        self.denominators = np.asarray(denominators, dtype=float)
        self.values = np.asarray(values, dtype=float)


EMPTY = Series([], [], [], [])


def outlook_row(target, complete):
    """One output row for a target from its complete years: fitted years, projection, verdict."""
    fitted_years = complete.years[-MAX_YEARS:].tolist()
    kind = target["kind"]
    y = complete.numerators[-MAX_YEARS:]
    e = complete.denominators[-MAX_YEARS:] if kind == "rate" else np.ones(len(fitted_years))
    scale = float(target["multiplier"]) if kind == "rate" else 1.0
    start, end = int(target["start_year"]), int(target["end_year"])
    if target["evaluation"] == "period_mean":
        in_plan = (complete.years >= start) & (complete.years <= end)
        known_years = set(complete.years[in_plan].tolist())
        future = [yr for yr in range(start, end + 1) if yr not in known_years]
        known_values, n_years = complete.values[in_plan].tolist(), end - start + 1
    else:
        future, known_values, n_years = [end], [], 1
    row = dict.fromkeys(COLUMNS) | {
        "plan_id": target["plan_id"], "region_code": target["region_code"], "seq": int(target["seq"]),
        "indicator_code": target["indicator_code"], "evaluation": target["evaluation"],
        "projected_year": end, "target_value": target["target_threshold"], "comparator": target["comparator"],
        "years_fitted": len(fitted_years),
    }
    if fitted_years:
        row.update(first_fitted_year=min(fitted_years), last_fitted_year=max(fitted_years))
    if len(fitted_years) < MIN_YEARS or target["target_threshold"] is None or np.isnan(y).any():
        return row
    fit = fit_trend(fitted_years, y, e, bool(target["is_count_based"]))
    if fit is not None:
        value, low, high = project(fit, scale, future, known_values, n_years)
        trend = (math.exp(fit[0][1]) - 1) * 100
        row.update(method="poisson_trend", trend_pct_per_year=trend, dispersion=fit[3])
    elif not target["is_count_based"] or not np.all(y == np.round(y)):
        return row  # no trend, and no exact interval for a numerator that is not an event count
    else:
        projected = constant_rate(y, e, scale, future, known_values, n_years)
        if projected is None:
            return row
        value, low, high = projected
        row.update(method="constant_rate", trend_pct_per_year=0.0, dispersion=1.0)
    verdict = judge(low, high, float(target["target_threshold"]), target["comparator"], target["target_kind"])
    row.update(projected_value=value, projected_low=low, projected_high=high, outlook=verdict,
               outlook_zh=OUTLOOK_ZH[verdict])
    return row


def records(relation):
    """The rows of a DuckDB relation as dicts (NULL -> None)."""
    names = relation.columns
    return [dict(zip(names, row, strict=True)) for row in relation.fetchall()]


def series_by_key(rows):
    """(region_code, indicator_code) -> its Series, from rows of int_plan_outlook_series."""
    grouped = defaultdict(list)
    for r in rows:
        grouped[(r["region_code"], r["indicator_code"])].append(r)
    out = {}
    for key, group in grouped.items():
        group.sort(key=lambda r: r["year"])
        out[key] = Series([r["year"] for r in group], [r["numerator"] for r in group],
                          [r["denominator"] for r in group], [r["value"] for r in group])
    return out


def without_nan(row):
    """NaN as NULL (as the pandas frame this model used to return was written)."""
    return {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in row.items()}


def model(dbt, session):
    dbt.config(materialized="table")
    targets = records(dbt.ref("int_plan_outlook_targets"))
    series = series_by_key(records(dbt.ref("int_plan_outlook_series")))
    rows = [without_nan(outlook_row(t, series.get((t["region_code"], t["indicator_code"]), EMPTY)))
            for t in targets]
    return pa.Table.from_pylist(rows, schema=SCHEMA)
