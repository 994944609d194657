"""An offending-rows check whose suite only expects no rows is decided by the frame's row count,
without GX (importing GX costs ~3 s of a run): GX gives the same verdicts, and a suite given any
other expectation goes back to GX."""

from __future__ import annotations

import json
import shutil

import pandas as pd

from pipelines.quality.checks import CHECK_DEFS
from pipelines.quality.gx_project import expects_no_rows, run_checkpoint

OFFENDER_CHECKS = [d for d in CHECK_DEFS if d.is_offender_frame]
ROW_LEVEL_CHECKS = [d for d in CHECK_DEFS if not d.is_offender_frame]


def test_every_offending_rows_check_expects_no_rows_and_no_row_level_suite_does(gx_root):
    assert len(OFFENDER_CHECKS) >= 10
    assert all(expects_no_rows(d.name, gx_root) for d in OFFENDER_CHECKS)
    assert not any(expects_no_rows(d.name, gx_root) for d in ROW_LEVEL_CHECKS)
    assert not expects_no_rows("no_such_suite", gx_root)


def test_gx_gives_the_row_count_verdict_on_an_empty_and_a_non_empty_frame(gx_root):
    empty = pd.DataFrame({"file_name": pd.Series([], dtype="object"),
                          "row_number": pd.Series([], dtype="int64")})
    one = pd.DataFrame({"file_name": ["2026-10_乐平市.csv"], "row_number": [3]})
    two = pd.DataFrame({"file_name": ["a.csv", "b.csv"], "row_number": [3, 4]})
    for d in OFFENDER_CHECKS:
        for frame in (empty, one, two):
            result = run_checkpoint(d.name, frame, run_name="row-count", root=gx_root)
            assert bool(result.success) == (len(frame) == 0), (d.name, len(frame))


def test_a_suite_with_another_expectation_is_validated_by_gx_again(gx_root, tmp_path):
    root = tmp_path / "expectations"
    shutil.copytree(gx_root, root)
    path = root / "expectations" / "raw_accidents_quarantine.json"
    assert expects_no_rows("raw_accidents_quarantine", root)
    suite = json.loads(path.read_text(encoding="utf-8"))
    suite["expectations"][0]["kwargs"] = {"value": 1}  # one row expected: not "no rows"
    path.write_text(json.dumps(suite), encoding="utf-8")
    assert not expects_no_rows("raw_accidents_quarantine", root)
    suite["expectations"][0]["kwargs"] = {"value": 0}
    suite["expectations"].append({"type": "expect_column_values_to_not_be_null",
                                  "kwargs": {"column": "file_name"}})
    path.write_text(json.dumps(suite), encoding="utf-8")
    assert not expects_no_rows("raw_accidents_quarantine", root)
