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
