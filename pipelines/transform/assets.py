"""The dbt models as Dagster assets; dbt tests stream in as asset checks (error ones block)."""


import json
import os
from collections.abc import Mapping
from functools import cached_property
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets
from packaging import version

from pipelines.gate_records import CheckOutcome, write_check_results
from pipelines.run_outcome import tag_run
from pipelines.settings import PipelineSettings
from pipelines.transform.check_descriptions import describe_test
from pipelines.transform.project import dbt_executable, em_dbt_project, ensure_manifest
from pipelines.transform.project import dbt_vars as run_dbt_vars
from pipelines.transform.table_comments import apply_table_comments
from pipelines.whole_run import refuse_partial_run


class WarehouseTranslator(DagsterDbtTranslator):
    """Asset keys are <schema>/<name>, as analysts see the tables: marts/fct_plan_progress."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)  # bound to raw/<source> by meta
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return "transform"

    def get_asset_check_spec(self, asset_spec: dg.AssetSpec, manifest: Mapping[str, Any], unique_id: str,
                             project) -> dg.AssetCheckSpec | None:
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None:
            return None
        return spec._replace(description=describe_test(manifest["nodes"][unique_id]))

translator = WarehouseTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(manifest=ensure_manifest(), project=em_dbt_project, dagster_dbt_translator=translator,
            name="warehouse_dbt_models")
def warehouse_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, settings: PipelineSettings):
    refuse_partial_run(context)
    # dbt reads the file path from the environment (profiles.yml); the run holds the writer lock.
    os.environ["EM_BUILD_DB"] = str(settings.build_path)
    dbt_vars = run_dbt_vars(settings.as_of_date.isoformat(), settings.data_path)
    test_results: list[dg.AssetCheckResult] = []
    try:
        # Unit tests check the models' code on fixed inputs, not the data: they run in the test
        # suite (tests/dbt: plain `dbt build`) and CI, not in every load (dbt's own advice).
        command = ["build", "--vars", json.dumps(dbt_vars), "--exclude-resource-type", "unit_test"]
        context.log.info("dbt " + " ".join(command))
        for event in dbt.cli(command, context=context).stream():
            if isinstance(event, dg.AssetCheckResult):
                test_results.append(event)
            yield event
    finally:
        # Stored beside the GX results, so reports and analysts see every check of the run.
        with settings.connect() as con:
            record_dbt_tests(con, context.run_id, test_results)
            # The raw and quality tables (Python DDL) get their comments here, as the marts get
            # theirs from dbt: analysts read them all in duckdb_columns().
            apply_table_comments(con)
        if any(not r.passed for r in test_results):
            tag_run(context.instance, context.run_id,
                    [(f"{r.asset_key.to_user_string()}:{r.check_name}", r.passed, r.severity)
                     for r in test_results])


def record_dbt_tests(con, run_id: str, results: list[dg.AssetCheckResult]) -> None:
    """One row per dbt test in quality.check_results (dbt tests are Dagster asset checks)."""
    outcomes = []
    for result in results:
        failed_rows = result.metadata.get("dagster_dbt/failed_row_count") if result.metadata else None
        failed_rows = int(getattr(failed_rows, "value", failed_rows) or 0)
        verdict_zh, verdict_en = ("通过", "passed") if result.passed else ("未通过", "failed")
        outcomes.append(CheckOutcome(
            result.check_name, ".".join(result.asset_key.path), result.severity.value, result.passed,
            offending_count=failed_rows, observed_value=failed_rows, offending_sample=None,
            message_zh=f"dbt 测试 {result.check_name}{verdict_zh}（不符合 {failed_rows} 行）",
            message_en=f"dbt test {result.check_name} {verdict_en} ({failed_rows} failing rows)",
        ))
    write_check_results(con, run_id, outcomes)


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
