"""The Dagster code location: every asset, check, job, schedule and sensor of the warehouse."""

from __future__ import annotations

import dagster as dg

from pipelines.automation.jobs import jobs
from pipelines.automation.schedules import schedules
from pipelines.automation.sensors import sensors
from pipelines.ingest import ingest_assets
from pipelines.ingest.shared_tables import shared_raw_table_specs
from pipelines.publish.assets import publication_steps, warehouse_workspace
from pipelines.publish.docs_beside_run import docs_generation_resource
from pipelines.quality import quality_checks
from pipelines.reports.assets import leadership_reports
from pipelines.settings import PipelineSettings
from pipelines.transform.assets import dbt_resource, warehouse_dbt_models
from pipelines.writer_lock import writer_lock_resource

defs = dg.Definitions(
    assets=[
        warehouse_workspace,
        *ingest_assets,
        *shared_raw_table_specs,
        warehouse_dbt_models,
        leadership_reports,
        *publication_steps,
    ],
    asset_checks=quality_checks,
    jobs=jobs,
    schedules=schedules,
    sensors=sensors,
    resources={"settings": PipelineSettings(), "dbt": dbt_resource, "writer_lock": writer_lock_resource,
               "docs_generation": docs_generation_resource},
    # One process per run: DuckDB allows one writer per file.
    executor=dg.in_process_executor,
)
