"""The dbt models as Dagster assets; dbt tests stream in as asset checks (error ones block)."""


import json
import os
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from pipelines.settings import PipelineSettings
from pipelines.transform.project import dbt_executable, em_dbt_project, ensure_manifest


class WarehouseTranslator(DagsterDbtTranslator):
    """Asset keys are <schema>/<name>, as analysts see the tables: marts/fct_plan_progress."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)  # bound to raw/<source> by meta
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return "transform"


translator = WarehouseTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(manifest=ensure_manifest(), project=em_dbt_project, dagster_dbt_translator=translator,
            name="warehouse_dbt_models")
def warehouse_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, settings: PipelineSettings):
    # dbt reads the file path from the environment (profiles.yml); the run holds the writer lock.
    os.environ["EM_BUILD_DB"] = str(settings.build_path)
    dbt_vars = {"as_of": settings.as_of_date.isoformat()}
    context.log.info(f"dbt build --vars {json.dumps(dbt_vars)}")
    yield from dbt.cli(["build", "--vars", json.dumps(dbt_vars)], context=context).stream()


dbt_resource = DbtCliResource(project_dir=em_dbt_project, dbt_executable=dbt_executable())
