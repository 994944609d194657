"""Deterministic synthetic raw data: the bundled sample (示例数据) and national-scale benchmarks."""

from .generate import SCALES, GenerationSummary, generate_sample

__all__ = ["SCALES", "GenerationSummary", "generate_sample"]
