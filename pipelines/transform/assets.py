"""The dbt models as Dagster assets; dbt tests stream in as asset checks (error ones block)."""


import os
from collections import Counter
from collections.abc import Mapping
from functools import cached_property
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)
from dagster_dbt.asset_utils import get_asset_check_key_for_test, get_manifest_and_translator_from_dbt_assets
from packaging import version

from pipelines.gate_records import CheckOutcome, write_check_results
from pipelines.run_outcome import tag_run
from pipelines.settings import DBT_PROJECT_DIR, PipelineSettings, keep_build_file_open
from pipelines.transform.check_descriptions import describe_test
from pipelines.transform.parse_ahead import wait_for_parse_ahead
from pipelines.transform.project import (
    as_of_in_environment,
    dbt_executable,
    ensure_manifest,
    profile_environment,
    warehouse_target_dir,
)
from pipelines.transform.selective import (
    BuildPlan,
    exclusion_args,
    in_build_order,
    last_test_results,
    plan_build,
    record_fingerprints,
)
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

em_dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
CARRIED_FROM = "em/carried_from_run"  # metadata of a test result carried over, not run again
translator = WarehouseTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(manifest=ensure_manifest(), project=em_dbt_project, dagster_dbt_translator=translator,
            name="warehouse_dbt_models")
def warehouse_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, settings: PipelineSettings):
    refuse_partial_run(context)
    # dbt reads the build file's path and DuckDB's memory limit from the environment
    # (profiles.yml; spilling beside the build file); the run holds the writer lock.
    os.environ.update(profile_environment(settings))
    manifest, _, _ = get_manifest_and_translator_from_dbt_assets([context.assets_def])
    as_of = settings.as_of_date.isoformat()
    with settings.connect() as con:
        plan = plan_build(con, manifest, as_of, last_test_results(con, _test_checks(manifest)))
    test_results: list[dg.AssetCheckResult] = []
    try:
        # Unit tests check the models' code on fixed inputs, not the data: they run in the test
        # suite (tests/dbt: plain `dbt build`) and CI, not in every load (dbt's own advice).
        command = ["build", "--exclude-resource-type", "unit_test"]
        context.log.info(_plan_summary(plan, manifest))
        # Unchanged tables first: nothing dbt rebuilds is upstream of them (Dagster wants a
        # multi-asset's outputs in dependency order).
        yield from _unchanged_outputs(context, manifest, plan)
        if plan.full or plan.to_run(manifest):
            # Building everything is a full refresh: the incremental models (by statistical year)
            # are rebuilt from nothing, not merged into what the file holds.
            command += ["--full-refresh"] if plan.full else exclusion_args(manifest, plan.skipped)
            context.log.info(f"dbt {' '.join(command[:3])} (EM_DBT_AS_OF={as_of})")
            # One target folder per warehouse: dbt reuses its last parse when nothing changed.
            target = warehouse_target_dir(settings.warehouse_path)
            wait_for_parse_ahead(settings, context.log)  # a new warehouse's parse, made meanwhile
            keep_build_file_open(False)  # dbt's process writes the file now
            with as_of_in_environment(as_of):
                invocation = dbt.cli(command, context=context, target_path=target)
            for event in invocation.stream():
                if isinstance(event, dg.AssetCheckResult):
                    test_results.append(event)
                yield event
            keep_build_file_open(True)
        for event in _carried_results(manifest, plan):
            test_results.append(event)
            yield event
        with settings.connect() as con:
            record_fingerprints(con, plan.fingerprints, context.run_id)
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


def _test_checks(manifest) -> dict[str, tuple[str, str]]:
    """dbt test id -> (asset key as schema.table, check name): how its results are recorded."""
    checks = {}
    for uid in manifest["nodes"]:
        key = get_asset_check_key_for_test(manifest, translator, uid, em_dbt_project)
        if key is not None:
            checks[uid] = (".".join(key.asset_key.path), key.name)
    return checks


def _plan_summary(plan: BuildPlan, manifest) -> str:
    if plan.full:
        return f"dbt: 全部重建 building everything ({plan.reason})"
    kinds = Counter(manifest["nodes"][u]["resource_type"] for u in plan.to_run(manifest))
    total = Counter(n["resource_type"] for n in manifest["nodes"].values())
    return (f"dbt: 仅重建输入已变化的部分 building only what reads a changed input ({plan.reason}): "
            f"models {kinds['model']}/{total['model']}, seeds {kinds['seed']}/{total['seed']}, "
            f"tests {kinds['test']}/{total['test']}; {len(plan.carried)} 项测试沿用上次结果 "
            "test results carried over (inputs unchanged)")


def _unchanged_outputs(context: dg.AssetExecutionContext, manifest, plan: BuildPlan):
    """The skipped models and seeds as materialized (their tables, built from the same inputs,
    are in the file), so the steps reading them run."""
    for uid in in_build_order(manifest, plan.skipped):
        if manifest["nodes"][uid]["resource_type"] not in ("model", "seed"):
            continue
        key = translator.get_asset_spec(manifest, uid, em_dbt_project).key
        if key in context.selected_asset_keys:
            yield dg.Output(None, output_name=context.assets_def.get_output_name_for_asset_key(key),
                            metadata={"unchanged": True, "reason": "inputs unchanged since last build"})


def _carried_results(manifest, plan: BuildPlan):
    """The skipped tests' last results, marked as carried over."""
    checks = _test_checks(manifest)
    for uid, last in sorted(plan.carried.items()):
        asset, name = checks[uid]
        yield dg.AssetCheckResult(
            asset_key=dg.AssetKey(asset.split(".")), check_name=name, passed=bool(last["passed"]),
            severity=dg.AssetCheckSeverity(last["severity"]),
            metadata={"dagster_dbt/failed_row_count": int(last["failed_rows"] or 0),
                      CARRIED_FROM: last["run_id"]},
        )


def record_dbt_tests(con, run_id: str, results: list[dg.AssetCheckResult]) -> None:
    """One row per dbt test in quality.check_results (dbt tests are Dagster asset checks)."""
    outcomes = []
    for result in results:
        failed_rows = result.metadata.get("dagster_dbt/failed_row_count") if result.metadata else None
        failed_rows = int(getattr(failed_rows, "value", failed_rows) or 0)
        verdict_zh, verdict_en = ("通过", "passed") if result.passed else ("未通过", "failed")
        carried = result.metadata.get(CARRIED_FROM) if result.metadata else None
        carried = getattr(carried, "value", carried)
        note_zh = f"；输入未变，沿用运行 {carried} 的结果" if carried else ""
        note_en = f"; inputs unchanged, result of run {carried}" if carried else ""
        outcomes.append(CheckOutcome(
            result.check_name, ".".join(result.asset_key.path), result.severity.value, result.passed,
            offending_count=failed_rows, observed_value=failed_rows, offending_sample=None,
            message_zh=f"dbt 测试 {result.check_name}{verdict_zh}（不符合 {failed_rows} 行{note_zh}）",
            message_en=f"dbt test {result.check_name} {verdict_en} ({failed_rows} failing rows{note_en})",
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
