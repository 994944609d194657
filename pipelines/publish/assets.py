"""The first and the last asset of every run: prepare the private build file, publish it."""


import shutil
from datetime import datetime

import dagster as dg

from pipelines.automation.whole_run import refuse_partial_run
from pipelines.publish.analyst_exports import parquet_path, stage_marts_parquet, write_dbt_docs
from pipelines.publish.publication import publish_together, recover_publication
from pipelines.publish.workspace import acquire_lock, prepare_build_file, release_lock
from pipelines.quality.results import record_run, run_verdict
from pipelines.quality.run_outcome import GATE_TAG, check_failures, tag_run
from pipelines.reports.load_report import write_load_report
from pipelines.reports.quality_page import write_quality_page
from pipelines.settings import TIMEZONE, PipelineSettings
from pipelines.transform.project import dbt_vars


def failed_blocking_checks(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    """Names of this run's checks that failed with ERROR severity (dbt tests included)."""
    records = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION, limit=100_000
    ).records
    failed = []
    for record in records:
        evaluation = record.event_log_entry.dagster_event.event_specific_data
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR:
            failed.append(f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}")
    return sorted(failed)


def gate_summary(context: dg.AssetExecutionContext) -> tuple[str, list[str]]:
    """Tag the published run with the gate's verdict; say it in the log when checks warned."""
    _, warned = check_failures(context.instance, context.run_id)
    tags = tag_run(context.instance, context.run_id)
    if warned:
        context.log.warning(f"已发布，但有 {len(warned)} 项检查警告 published with {len(warned)} warning(s): "
                            + ", ".join(warned))
    return tags[GATE_TAG], warned


class WorkspaceConfig(dg.Config):
    rebuild: bool = False  # start from an empty file instead of a copy of the published one


@dg.asset(
    key="warehouse_workspace",
    group_name="ingest",  # the first step of every load: the graph's groups read in flow order
    description="私有构建文件：本次运行只写这个文件，分析人员持有的已发布文件不受影响。"
    " The private build file this run writes (a copy of the published warehouse, or empty).",
)
def warehouse_workspace(context: dg.AssetExecutionContext, config: WorkspaceConfig,
                        settings: PipelineSettings) -> dg.MaterializeResult:
    refuse_partial_run(context)
    acquire_lock(settings.warehouse_path)
    recovered = recover_publication(settings.warehouse_path)
    if recovered == "rolled back":
        context.log.warning("上次发布在切换中途被中断，已全部恢复为其之前发布的版本"
                            "（数据仓库、Parquet、报告） the last publication was interrupted while "
                            "swapping: the previous warehouse, Parquet files and reports were all restored")
    elif recovered == "completed":
        context.log.info("上次发布已切换完成，已清理旧副本 the last publication had swapped everything in; "
                         "its old copies were removed")
    started_from = prepare_build_file(settings.warehouse_path, settings.build_path, rebuild=config.rebuild,
                                      log=context.log.warning)
    if settings.reports_build_path.exists():
        shutil.rmtree(settings.reports_build_path)
    settings.reports_build_path.mkdir(parents=True)
    context.log.info(f"构建文件 build file {settings.build_path} ({started_from})")
    return dg.MaterializeResult(
        metadata={"build_file": str(settings.build_path), "started_from": started_from,
                  "as_of": settings.as_of_date.isoformat(), "data_dir": str(settings.data_path)}
    )


@dg.asset(
    key="published_warehouse",
    group_name="publish",
    deps=[dg.AssetKey("leadership_reports")],
    description="已发布的数据仓库与报告：仅在质量关口通过后以原子重命名整体替换。"
    " The analysts' warehouse and the reports, replaced whole by atomic rename after the gate passed.",
)
def published_warehouse(context: dg.AssetExecutionContext,
                        settings: PipelineSettings) -> dg.MaterializeResult:
    refuse_partial_run(context)
    blocking = failed_blocking_checks(context.instance, context.run_id)
    if blocking:
        # Graph edges already stop most blocked runs; this guard makes publication depend on
        # every check of the run, whatever the graph says.
        tag_run(context.instance, context.run_id)
        raise dg.Failure(
            description="质量关口未通过，不发布 the quality gate blocked: " + ", ".join(blocking),
            allow_retries=False,
        )
    # Everything that can fail is written before anything is moved into place.
    with settings.connect() as con:
        write_load_report(con, context.run_id, settings.reports_build_path, as_of=settings.as_of_date,
                          is_sample_data=settings.is_sample_data)
        started = context.instance.get_run_stats(context.run_id).start_time
        record_run(
            con, context.run_id,
            started_at=datetime.fromtimestamp(started, TIMEZONE).replace(tzinfo=None) if started else None,
            finished_at=datetime.now(TIMEZONE).replace(tzinfo=None),
            verdict=run_verdict(con, context.run_id), as_of=settings.as_of_date,
            data_dir=str(settings.data_path), is_sample_data=settings.is_sample_data,
        )
        # the project's own quality page (the GX Data Docs render blank offline: CDN scripts)
        write_quality_page(con, settings.reports_build_path, run_id=context.run_id,
                           as_of=settings.as_of_date, is_sample_data=settings.is_sample_data)
    docs = write_dbt_docs(settings.build_path, settings.reports_build_path,
                          dbt_vars=dbt_vars(settings.as_of_date.isoformat(), settings.data_path),
                          reuse_from=settings.reports_path)
    docs_bytes = docs.stat().st_size  # measured now: the reports folder moves below
    parquet_staged, parquet_files = stage_marts_parquet(settings.build_path, parquet_path(settings))
    parquet_bytes = sum((parquet_staged / name).stat().st_size for name in parquet_files)
    # warehouse, Parquet and reports: one unit (all old or all new after any crash)
    publish_together(settings.warehouse_path, settings.build_path, [
        ("Parquet", parquet_path(settings), parquet_staged),
        ("报告 reports", settings.reports_path, settings.reports_build_path),
    ], run_id=context.run_id)
    size = settings.warehouse_path.stat().st_size
    release_lock(settings.warehouse_path)
    context.log.info(f"已发布 published {settings.warehouse_path} ({size / 1e6:.1f} MB) "
                     f"和报告 {settings.reports_path}")
    gate, warned = gate_summary(context)
    return dg.MaterializeResult(
        metadata={"gate": gate, "warnings": dg.MetadataValue.json(warned),
                  "warehouse": str(settings.warehouse_path), "warehouse_bytes": size,
                  "reports_dir": str(settings.reports_path),
                  "parquet_dir": str(parquet_path(settings)), "parquet_files": len(parquet_files),
                  "parquet_bytes": parquet_bytes,
                  "dbt_docs_bytes": docs_bytes}
    )
