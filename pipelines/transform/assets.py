"""The dbt models as Dagster assets; dbt tests stream in as asset checks (error ones block)."""


import json
import os
from collections.abc import Mapping
from functools import cached_property
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets
from packaging import version

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


PLAN_TARGETS_FILE = "plan_targets.csv"  # optional, at the top of the data folder

translator = WarehouseTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(manifest=ensure_manifest(), project=em_dbt_project, dagster_dbt_translator=translator,
            name="warehouse_dbt_models")
def warehouse_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, settings: PipelineSettings):
    # dbt reads the file path from the environment (profiles.yml); the run holds the writer lock.
    os.environ["EM_BUILD_DB"] = str(settings.build_path)
    dbt_vars = {"as_of": settings.as_of_date.isoformat()}
    # A data folder may bring its own plan targets (the national scale data does): then every
    # model reads them through int_plan_targets instead of the seed.
    plan_targets = settings.data_path / PLAN_TARGETS_FILE
    if plan_targets.is_file():
        dbt_vars["plan_targets_csv"] = str(plan_targets)
    context.log.info(f"dbt build --vars {json.dumps(dbt_vars)}")
    yield from dbt.cli(["build", "--vars", json.dumps(dbt_vars)], context=context).stream()


class WarehouseDbtCli(DbtCliResource):
    """``DbtCliResource`` without two start-up costs of every ``dbt.cli`` call that this project
    does not use (about 5 s of a run):

    - ``dbt --version`` in a subprocess: the dbt executable is the one of this interpreter's
      environment (``dbt_executable()``), so its version is the in-process dbt-core's;
    - a dbt adapter built in-process (macros loaded) only for ``fetch_row_counts()`` /
      ``fetch_column_metadata()``, which the asset does not call (dagster-dbt runs without one
      when it cannot be built).
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        from dbt.version import __version__

        return version.parse(__version__)

    def _initialize_dbt_core_adapter(self, args):  # noqa: ARG002 - signature of the parent
        return None


dbt_resource = WarehouseDbtCli(project_dir=em_dbt_project, dbt_executable=dbt_executable())
