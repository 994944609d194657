"""A report worker process (spawned by ``build.py``) imports the report modules, not Dagster.

A spawned worker imports the parent's main module (``pipelines.__main__``) and the module of its
initializer (``pipelines.reports.build``); Dagster in that chain cost each worker ~1 s of CPU at
its start (docs/performance.md, round 7). Checked in a fresh interpreter.
"""

from __future__ import annotations

import json
import subprocess
import sys

CHILD = """
import json, sys
import pipelines.__main__, pipelines.reports.build
from pipelines.reports.formats import now_local
print(json.dumps({"dagster": sorted(m for m in sys.modules if m.split(".")[0] == "dagster")[:5],
                  "tz": str(now_local().tzinfo)}))
"""


def test_a_report_worker_does_not_import_dagster():
    proc = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["dagster"] == []
    assert out["tz"] == "Asia/Shanghai"  # the reports' time zone, now from pipelines.paths
