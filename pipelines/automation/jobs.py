"""The jobs every trigger runs: the whole graph, from files to published reports.

Loaders skip files they have already loaded (same name, same SHA-256), replace changed files and
remove the rows of files gone from the folder, so a run after one new file costs that file plus
the dbt build, checks and reports. There are no partitions: see docs/operations.md ("Why no
partitions").

- ``full_run``: what the schedules, the sensor and ``python -m pipelines run`` execute.
- ``rebuild_from_raw``: the same graph starting from an empty build file (= ``run --rebuild``):
  the recovery and "backfill" job of the UI, one click, nothing to type.
"""

from __future__ import annotations

import dagster as dg

FULL_RUN_JOB = "full_run"
REBUILD_JOB = "rebuild_from_raw"

full_run_job = dg.define_asset_job(
    FULL_RUN_JOB,
    selection=dg.AssetSelection.all(),
    description="加载 → 计算 → 检查 → 报告 → 发布 load, compute, check, report, publish",
    tags={"em/writes": "warehouse"},
)

rebuild_job = dg.define_asset_job(
    REBUILD_JOB,
    selection=dg.AssetSelection.all(),
    description="从原始文件完全重建后发布（同 `run --rebuild`）：用于数据仓库损坏、补录历史年份后的全量重算。"
    " Rebuild everything from the raw files, then publish (= `run --rebuild`).",
    config={"ops": {"warehouse_workspace": {"config": {"rebuild": True}}}},
    tags={"em/writes": "warehouse", "em/trigger": "rebuild"},
)

jobs = [full_run_job, rebuild_job]
