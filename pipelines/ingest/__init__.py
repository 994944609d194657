"""Ingest: loaders that land the source files in DuckDB schema ``raw``.

Public API: :func:`load_source`, :class:`SourceLoadReport`, :class:`FileLoadReport`,
:class:`InputError`, and the Dagster assets ``ingest_assets`` (one per source).
"""

from pipelines.ingest.assets import ingest_assets
from pipelines.ingest.errors import InputError
from pipelines.ingest.loader import FileLoadReport, SourceLoadReport, load_source

__all__ = ["FileLoadReport", "InputError", "SourceLoadReport", "ingest_assets", "load_source"]
