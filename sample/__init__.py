"""Deterministic synthetic raw data: the bundled sample (示例数据, ``data_raw/``) and
national-scale benchmarks. Development tooling, outside the production package ``pipelines``:
``python -m pipelines generate-sample`` runs it; it reads the project's facts (the enumeration
seeds, the sample marker) from ``pipelines``, never the other way round."""

from .generate import generate_sample
from .summary import SCALES, GenerationSummary

__all__ = ["SCALES", "GenerationSummary", "generate_sample"]
