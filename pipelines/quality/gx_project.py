"""The GX 1.x file project under ``expectations/``: suites, validation definitions, checkpoints.

The suites are written down in code (``suites.py``) and saved as the committed JSON files by
``python -m pipelines.quality`` (run it after changing a suite or a threshold, and commit the
files). At run time the checks load the saved checkpoints and hand them a pandas frame (GX has no
polars or DuckDB-file source that fits a private build file).

One suite, one validation definition, one checkpoint per check, all named like the check (the
gate's results are shown by the project's own quality page, ``reports/quality_page.py``, from
``quality.check_results``; GX's Data Docs are not published: offline they render blank).
Cross-table rules are dbt views of offending rows (``models/quality/``), and the suite expects
that frame to be empty.
"""

from __future__ import annotations

import threading
from datetime import datetime
from functools import cache
from pathlib import Path

import pandas as pd

from pipelines.quality import config
from pipelines.quality.suites import gx_modules, suite_specs

DATASOURCE = "em_quality_frames"
BATCH_DEFINITION = "whole_frame"
DOCS_SITE = "local_site"


# --- the file project -----------------------------------------------------------------------


_context_lock = threading.Lock()


@cache
def _cached_context(root: str):
    gx, _ = gx_modules()
    return gx.get_context(mode="file", context_root_dir=root)


def _context_for(root: str):
    # One thread at a time: GX parses its YAML with a shared, not thread-safe parser (two checks
    # on a threaded executor may ask for the context at once).
    with _context_lock:
        return _cached_context(root)


def get_context(root: Path | None = None):
    """The GX file context rooted at ``root`` (default: the project's ``expectations/``)."""
    _wait_for_warm_up()
    return _context_for(str((root or config.expectations_dir()).resolve()))


# --- GX's import and context, paid while the run waits on something else ---------------------

_warm_up: threading.Thread | None = None


def start_warm_up() -> None:
    """Import GX and open its context in a background thread (once per process).

    Importing GX is ~2-3 s of CPU that the run's first check would otherwise pay before it can
    validate. The run starts this before its steps, so that the import runs while the main
    thread waits (the build file copied, files read and hashed by the loaders, DuckDB queries:
    all outside the GIL); the first check waits for it (``get_context``) and then finds it done.
    A failure here is left to the check, which imports and opens the context again and reports
    its error as its own."""
    global _warm_up
    if _warm_up is None:
        _warm_up = threading.Thread(target=_warm, name="em-gx-warm-up", daemon=True)
        _warm_up.start()


def _warm() -> None:
    try:
        _context_for(str(config.expectations_dir().resolve()))
    except Exception:  # noqa: BLE001 - the first check opens it again and reports the error
        pass


def _wait_for_warm_up() -> None:
    if _warm_up is not None and _warm_up is not threading.current_thread():
        _warm_up.join()


def build_project(root: Path | None = None) -> list[str]:
    """(Re)write every suite, validation definition and checkpoint as files under ``root``."""
    gx, _ = gx_modules()
    root = (root or config.expectations_dir()).resolve()
    root.mkdir(parents=True, exist_ok=True)
    ctx = get_context(root)
    ctx.variables.progress_bars = {"globally": False, "metric_calculations": False}
    ctx.variables.analytics_enabled = False
    ctx.variables.save()
    ds = ctx.data_sources.add_or_update_pandas(DATASOURCE)
    names = []
    for spec in suite_specs():
        try:
            asset = ds.get_asset(spec.name)
        except LookupError:
            asset = ds.add_dataframe_asset(spec.name)
        try:
            batch = asset.get_batch_definition(BATCH_DEFINITION)
        except (KeyError, LookupError):
            batch = asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION)
        suite = ctx.suites.add_or_update(gx.ExpectationSuite(name=spec.name, expectations=spec.expectations))
        vd = ctx.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=spec.name, data=batch, suite=suite)
        )
        ctx.checkpoints.add_or_update(
            gx.Checkpoint(
                name=spec.name,
                validation_definitions=[vd],
                result_format={
                    "result_format": "SUMMARY",  # partial lists: a bad load must not store every row
                    "unexpected_index_column_names": spec.index_columns,
                    "partial_unexpected_count": config.SAMPLE_ROWS,
                },
            )
        )
        names.append(spec.name)
    return names


def run_checkpoint(
    name: str,
    frame: pd.DataFrame,
    run_name: str,
    root: Path | None = None,
):
    """Validate ``frame`` with the saved checkpoint ``name`` and return its result (GX also keeps it
    under ``expectations/uncommitted/validations/``: the last KEPT_RESULTS runs of each check)."""
    ctx = get_context(root)  # waits for the warm-up thread; GX imported (suites.gx_modules)
    from great_expectations.core.run_identifier import RunIdentifier

    checkpoint = ctx.checkpoints.get(name)
    result = checkpoint.run(
        batch_parameters={"dataframe": frame},
        run_id=RunIdentifier(run_name=run_name, run_time=datetime.now().astimezone()),
    )
    prune_validation_results(name, root)
    return next(iter(result.run_results.values()))


KEPT_RESULTS = 20  # runs of each check whose GX validation result stays on disk


def prune_validation_results(name: str, root: Path | None = None, keep: int = KEPT_RESULTS) -> int:
    """Remove all but the ``keep`` newest runs' results of check ``name``; returns how many went.

    GX writes one JSON file per check and run (``validations/<check>/<run>/<time>/``) and never
    removes any: a daily load would fill the disk. The gate's record is
    ``quality.check_results`` in the warehouse; these files are only for looking into GX itself.
    """
    import shutil

    folder = (root or config.expectations_dir()) / "uncommitted" / "validations" / name
    if not folder.is_dir():
        return 0
    runs = sorted((p for p in folder.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in runs[keep:]:
        shutil.rmtree(old, ignore_errors=True)
    return len(runs[keep:])
