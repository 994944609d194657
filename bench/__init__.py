"""Benchmarks of the whole pipeline (``python -m bench``); not part of the test suite."""
