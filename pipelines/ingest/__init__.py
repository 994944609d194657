"""Ingest: loaders that land the source files in DuckDB schema ``raw``.

Public API: :func:`load_source`, :func:`load_sources`, :class:`SourceLoadReport`,
:class:`FileLoadReport`, :class:`InputError`, and the Dagster assets ``ingest_assets`` (one
multi-asset with the keys ``raw/<source>``).
"""

from pipelines.ingest.assets import ingest_assets
from pipelines.ingest.errors import InputError
from pipelines.ingest.loader import FileLoadReport, SourceLoadReport, load_source, load_sources

__all__ = ["FileLoadReport", "InputError", "SourceLoadReport", "ingest_assets", "load_source", "load_sources"]
