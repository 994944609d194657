from __future__ import annotations

from pathlib import Path

import pytest

from sample import generate_sample


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "data_raw"
    generate_sample(out)
    return out


@pytest.fixture(scope="session")
def sample_summary(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample2") / "data_raw"
    return generate_sample(out)
