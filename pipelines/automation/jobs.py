"""The one job every trigger runs: the whole graph, from files to published reports.

Loaders skip files they have already loaded (same name, same SHA-256), so a run after one new
file costs that file plus the dbt build, checks and reports.
"""

from __future__ import annotations

import dagster as dg

FULL_RUN_JOB = "full_run"

full_run_job = dg.define_asset_job(
    FULL_RUN_JOB,
    selection=dg.AssetSelection.all(),
    description="加载 → 计算 → 检查 → 报告 → 发布 load, compute, check, report, publish",
    tags={"em/writes": "warehouse"},
)
