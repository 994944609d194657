"""Row-level suites validated a bounded chunk at a time: GX's pandas frame never holds a table.

A row-level check hands GX the rows it must validate (``increment.py``); on a fresh warehouse or
``--rebuild`` that is every row of the table (at 4× national, 1.2 M accidents: 2.5 GB in one
pandas frame and GX's work on it). The rows are instead validated ``CHUNK_ROWS`` at a time and the
chunks' results merged into the result a validation of all of them at once gives:

- **Only suites about single rows are chunked** (``increment.may_chunk``: the values of one row,
  or uniqueness of exactly the index columns). Any other suite (a row count, a share of rows, the
  order of rows) sees all its rows in one frame, as before.
- **A key is never split.** The rows are numbered in the order of the index columns (the order
  the whole frame had) and cut after every ``CHUNK_ROWS`` keys, so the duplicates a uniqueness
  expectation looks for meet in one chunk (a chunk exceeds ``CHUNK_ROWS`` rows only by the
  duplicates of its keys).
- **A chunk is a slice of the whole frame**: the same columns, the same dtypes (an integer or
  boolean column with a null anywhere is nullable in every chunk, as it is in the whole frame)
  and the whole frame's row index.
- **The merged result** (:func:`merge_results`): an expectation succeeds when it succeeds on every
  chunk; its counts (elements, missing, unexpected) are the chunks' sums and its percentages are
  computed from the sums as GX computes them; its lists of unexpected values and rows are the
  chunks' in order, cut at GX's partial count (so the first offending rows of the whole frame);
  an exception raised on a chunk is the expectation's result.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipelines.sql import sql_identifier

CHUNK_ROWS = 200_000  # keys (rows) of a row-level check handed to GX at once
CHUNKS = "em_frame_chunks"  # the temp table of the rows to validate, numbered and cut in chunks
ROW_NO, CHUNK_NO = "em_row_no", "em_chunk_no"
SUMMED = ("element_count", "missing_count", "unexpected_count")
LISTED = ("partial_unexpected_list", "partial_unexpected_index_list")
NULLABLE = {"b": "boolean", "i": "Int", "u": "UInt"}  # numpy kind -> pandas' nullable dtype


@dataclass
class RowChunks:
    """The rows a check validates, in a temp table of ``con``, numbered in the index columns' order
    and cut in chunks (one chunk when the suite must see every row at once)."""

    con: object
    rows: int
    chunks: int
    nullable: tuple[str, ...]  # integer and boolean columns with a null somewhere

    @classmethod
    def create(cls, con, rows_sql: str, key: tuple[str, ...], chunk_rows: int | None) -> RowChunks:
        """``rows_sql``: the rows to validate (any order); ``chunk_rows`` None: one chunk."""
        order = ", ".join(sql_identifier(k) for k in key)
        # a chunk: chunk_rows keys in a row (every row of each), numbered in the keys' order
        chunk = "0" if chunk_rows is None else f"(dense_rank() over keys - 1) // {int(chunk_rows)}"
        con.execute(
            f"""
            create or replace temp table {CHUNKS} as
            select r.*, row_number() over keys as {ROW_NO}, {chunk} as {CHUNK_NO}
            from ({rows_sql}) r
            window keys as (order by {order})
            order by {ROW_NO}
            """
        )
        columns = con.execute(f"select * exclude ({ROW_NO}, {CHUNK_NO}) from {CHUNKS} limit 0").description
        nulls = ", ".join(f"count(*) - count({sql_identifier(c[0])})" for c in columns)
        counts = con.execute(
            f"select count(*), coalesce(max({CHUNK_NO}) + 1, 0), {nulls} from {CHUNKS}").fetchone()
        nullable = tuple(c[0] for c, n in zip(columns, counts[2:], strict=True) if n)
        return cls(con, int(counts[0]), int(counts[1]), nullable)

    def frames(self) -> Iterator[pd.DataFrame]:
        """Each chunk as the slice of the whole frame it is; one empty frame when there are no rows."""
        for n in range(max(self.chunks, 1)):
            frame = self.con.execute(
                f"select * exclude ({CHUNK_NO}) from {CHUNKS} where {CHUNK_NO} = ? order by {ROW_NO}", [n]
            ).df()
            start = int(frame[ROW_NO].iloc[0]) - 1 if len(frame) else 0  # a chunk's rows are consecutive
            frame = frame.drop(columns=ROW_NO)
            frame.index = pd.RangeIndex(start, start + len(frame))
            for column in self.nullable:
                dtype = frame[column].dtype
                if isinstance(dtype, np.dtype) and dtype.kind in NULLABLE:
                    bits = "" if dtype.kind == "b" else str(dtype.itemsize * 8)
                    frame[column] = frame[column].astype(NULLABLE[dtype.kind] + bits)
            yield frame

    def drop(self) -> None:
        self.con.execute(f"drop table if exists temp.{CHUNKS}")


# --- the chunks' GX results as one ------------------------------------------------------------


def _percentages(result: dict) -> None:
    """GX's percentages (``_format_map_output``) from the summed counts."""
    element, unexpected = result.get("element_count") or 0, result.get("unexpected_count")
    total = unexpected / element * 100 if unexpected is not None and element > 0 else None
    if "missing_count" not in result:
        result["unexpected_percent"] = total
        return
    missing = result["missing_count"]
    nonnull = element - missing
    nonmissing = unexpected / nonnull * 100 if total is not None and nonnull > 0 else None
    result.update(unexpected_percent=nonmissing, unexpected_percent_nonmissing=nonmissing,
                  unexpected_percent_total=total,
                  missing_percent=missing / element * 100 if total is not None else None)


def _counts(values: list, limit: int) -> list[dict] | None:
    """GX's ``partial_unexpected_counts`` of the partial list of unexpected values."""
    hashable = [tuple(v.values()) if isinstance(v, dict) else v for v in values]
    try:
        common = Counter(hashable).most_common(limit)
        return [{"value": k, "count": n} for k, n in sorted(common, key=lambda x: (-x[1], x[0]))]
    except TypeError:
        return None  # GX leaves the field out then


def _merge_one(results: list, limit: int):
    raised = next((r for r in results if (r.exception_info or {}).get("raised_exception")), None)
    if raised is not None:
        return copy.deepcopy(raised)
    merged = copy.deepcopy(results[0])
    merged.success = all(r.success for r in results)
    out = merged.result
    if out is None or "element_count" not in out:  # not a map expectation: nothing to sum
        return merged
    for name in SUMMED:
        if name in out:
            out[name] = sum((r.result or {}).get(name) or 0 for r in results)
    for name in LISTED:
        if name in out:
            out[name] = [v for r in results for v in (r.result or {}).get(name) or []][:limit]
    if "partial_unexpected_counts" in out:
        counts = _counts(out.get("partial_unexpected_list") or [], limit)
        if counts is None:
            out.pop("partial_unexpected_counts")
        else:
            out["partial_unexpected_counts"] = counts
    _percentages(out)
    return merged


def merge_results(results: list, limit: int):
    """The chunks' validation results of one suite as one (``limit``: GX's partial count)."""
    if len(results) == 1:
        return results[0]
    merged = copy.deepcopy(results[0])
    kinds = [[r.expectation_config.type for r in vr.results] for vr in results]
    if any(k != kinds[0] for k in kinds):
        raise ValueError("the chunks were validated against different expectations")
    merged.results = [_merge_one([vr.results[i] for vr in results], limit) for i in range(len(kinds[0]))]
    merged.success = all(r.success for r in merged.results)
    evaluated = len(merged.results)
    successful = sum(1 for r in merged.results if r.success)
    merged.statistics.update(
        evaluated_expectations=evaluated, successful_expectations=successful,
        unsuccessful_expectations=evaluated - successful,
        success_percent=successful / evaluated * 100 if evaluated else None,
    )
    return merged


def validate(check_name: str, chunks: RowChunks, run_name: str):
    """Validate every chunk with the check's saved checkpoint; the merged result."""
    from pipelines.quality import config
    from pipelines.quality.gx_project import run_checkpoint

    results = [run_checkpoint(check_name, frame, run_name=run_name) for frame in chunks.frames()]
    return merge_results(results, config.SAMPLE_ROWS)
