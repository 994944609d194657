"""GX's first import (in the warm-up thread) leaves the modules no suite uses (scipy.stats)
unexecuted, and the checks still validate.

Run in a fresh interpreter: the test process may have imported scipy.stats already.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from pipelines.quality import config

CHILD = r"""
import json, sys
import pandas as pd
from pipelines.quality import gx_project
from pipelines.quality.gx_project import run_checkpoint

gx_project.start_warm_up()  # as the run does: GX imported and its context opened in a thread
failing = run_checkpoint("raw_accidents_files_readable", pd.DataFrame({"x": [1, 2]}), run_name="t1")
passing = run_checkpoint("raw_accidents_files_readable", pd.DataFrame({"x": []}), run_name="t2")
executed_before = "scipy.stats._stats_py" in sys.modules
import scipy.stats
p = float(scipy.stats.norm.cdf(0.0))  # the lazy module loads on first use, whole
print(json.dumps({
    "failing": [failing.success, failing.results[0].result.get("observed_value")],
    "passing": [passing.success, passing.results[0].result.get("observed_value")],
    "scipy_stats_executed_by_the_checks": executed_before,
    "norm_cdf_0": p,
    "warm_up_done": not gx_project._warm_up.is_alive(),
    "warm_up_thread": gx_project._warm_up.name,
}))
"""


def test_checks_run_without_executing_scipy_stats(tmp_path: Path):
    root = tmp_path / "expectations"
    shutil.copytree(config.expectations_dir(), root, ignore=shutil.ignore_patterns("uncommitted"))
    proc = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, check=False,
        env={**__import__("os").environ, "EM_EXPECTATIONS_DIR": str(root)},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    # the suite expects no rows (files unreadable): two rows fail it, none pass it
    assert out["failing"] == [False, 2]
    assert out["passing"] == [True, 0]
    assert out["scipy_stats_executed_by_the_checks"] is False
    assert out["norm_cdf_0"] == 0.5
    assert out["warm_up_done"] and out["warm_up_thread"] == "em-gx-warm-up"
    assert list((root / "uncommitted" / "validations" / "raw_accidents_files_readable").iterdir())
