"""``python -m pipelines monthly --month YYYY-MM``: an earlier month's analysis, from what is published.

It reads the published warehouse (read-only, as an analyst does) with the as-of date, run and
sample flag of the run that published it (quality.runs), and writes every jurisdiction's analysis
of that month into the published reports' ``monthly/`` folder, beside the others; the folder's
index lists it at once, and later runs carry it over. It holds the warehouse's single-writer lock
while it writes, so that no run swaps the reports folder under it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.errors import PipelineError
from pipelines.settings import PipelineSettings
from pipelines.writer_lock import writer_lock

from ..reads import fetch
from .build import build_monthly_analyses, parse_month


def produce_month(
    month: str, *, warehouse: Path | None = None, reports_dir: Path | None = None
) -> list[Path]:
    """Write the analyses of ``month`` (YYYY-MM); returns their paths."""
    try:
        year_month = parse_month(month)
    except ValueError as exc:
        zh, _, en = str(exc).partition(" / ")
        raise PipelineError(zh, en) from None
    settings = PipelineSettings(warehouse=str(warehouse or ""), reports_dir=str(reports_dir or ""))
    published = settings.warehouse_path
    if not published.exists():
        raise PipelineError(
            f"数据仓库 {published} 尚未发布：请先运行 python -m pipelines run。",
            f"The warehouse {published} has not been published yet: run python -m pipelines run first.",
        )
    with writer_lock(published):
        con = duckdb.connect(str(published), read_only=True)
        try:
            runs = fetch(
                con,
                "select run_id, as_of, is_sample_data from quality.runs"
                " order by finished_at desc nulls last limit 1",
            )
            if not runs:
                raise PipelineError(
                    f"数据仓库 {published} 没有已发布的运行记录（quality.runs）。",
                    f"The warehouse {published} records no published run (quality.runs).",
                )
            run = runs[0]
            folder = settings.reports_path / "monthly"
            try:
                entries = build_monthly_analyses(
                    con,
                    folder,
                    as_of=run["as_of"],
                    is_sample_data=bool(run["is_sample_data"]),
                    run_id=run["run_id"],
                    month=year_month,
                    carry_over=folder,
                )
            except ValueError as exc:
                zh, _, en = str(exc).partition(" / ")
                raise PipelineError(zh, en) from None
        finally:
            con.close()
    return [folder / e["file"] for e in entries if (e["year"], e["month"]) == year_month]
