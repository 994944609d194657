"""The exact (Garwood) Poisson limits used for value_ci_low/high, checked against published
table values. The function lives in the dbt Python model, so it is loaded from that file."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

MODEL = (
    Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "intermediate" / "int_poisson_limits.py"
)


def load_model():
    spec = importlib.util.spec_from_file_location("int_poisson_limits", MODEL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("x", "low", "high"),
    [(0, 0.0, 3.689), (1, 0.0253, 5.572), (3, 0.619, 8.767), (10, 4.795, 18.390), (100, 81.364, 121.627)],
)
def test_garwood_limits(x, low, high):
    got_low, got_high = load_model().garwood_limits(x)
    assert got_low == pytest.approx(low, abs=5e-4)
    assert got_high == pytest.approx(high, abs=5e-4)


def test_gamma_quantiles_are_the_chi_square_ones_to_the_last_bit():
    """The model computes the limits as gamma quantiles (scipy.special, a light import); they are
    the textbook chi-square ones, chi2.ppf(α/2, 2x) / 2 and chi2.ppf(1 - α/2, 2x + 2) / 2, exactly
    (α = 1 - 0.95, as the model computes it)."""
    from scipy.stats import chi2

    limits = load_model().garwood_limits
    alpha = 1.0 - 0.95
    for x in [*range(0, 300), 1000, 12345, 10**6]:
        low = 0.0 if x == 0 else float(chi2.ppf(alpha / 2, 2 * x) / 2)
        high = float(chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2)
        assert limits(x) == (low, high), x
