"""The first and the last steps of every run, each doing one thing.

- ``warehouse_workspace`` (first): settles an interrupted publication, prepares the private build
  file and an empty reports build folder.
- after the reports, each staging one thing that is published with the warehouse, beside its
  target: ``load_report`` (the load report page), ``quality_docs`` (the data-quality page), ``dbt_docs``
  (the dbt documentation site: reused, or started in the background, ``docs_beside_run.py``),
  ``marts_parquet`` (the marts as Parquet; unchanged ones carried over), ``run_record`` (the run's
  row in ``quality.runs``);
- ``published_warehouse``: swaps the warehouse, the Parquet folder and the reports folder in as
  one unit (``publication.py``), only when no blocking check failed;
- ``dbt_docs_page`` (last): when the docs were started in the background, waits for them and
  replaces the published page; a failure there is a warning, not a failed load.

The run holds the warehouse's single-writer lock from start to end (``pipelines/writer_lock.py``,
the ``writer_lock`` resource these steps require); no step takes or releases it.
"""

import shutil
from datetime import datetime

import dagster as dg

from pipelines.gate_records import record_run, run_verdict
from pipelines.publish import docs_beside_run
from pipelines.publish.analyst_exports import (
    parquet_path,
    parquet_staging_path,
    stage_marts_parquet,
)
from pipelines.publish.publication import publish_together, recover_publication
from pipelines.publish.workspace import prepare_build_file
from pipelines.reports.load_report import write_load_report
from pipelines.reports.quality_page import write_quality_page
from pipelines.run_outcome import GATE_TAG, check_failures, tag_run
from pipelines.settings import TIMEZONE, PipelineSettings, keep_build_file_open
from pipelines.transform.project import dbt_vars
from pipelines.whole_run import is_rebuild, refuse_partial_run

WRITER_LOCK = "writer_lock"  # the resource key of pipelines.writer_lock.writer_lock_resource
DOCS_GENERATION = "docs_generation"  # the resource key of docs_beside_run.docs_generation_resource


def failed_blocking_checks(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    """Names of this run's checks that failed with ERROR severity (dbt tests included)."""
    return check_failures(instance, run_id)[0]


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
    required_resource_keys={"settings", WRITER_LOCK, DOCS_GENERATION},
    description="私有构建文件：本次运行只写这个文件，分析人员持有的已发布文件不受影响。"
    " The private build file this run writes (a copy of the published warehouse, or empty).",
)
def warehouse_workspace(context: dg.AssetExecutionContext, config: WorkspaceConfig) -> dg.MaterializeResult:
    refuse_partial_run(context)
    settings: PipelineSettings = context.resources.settings
    keep_build_file_open(False)  # an earlier run of this process may have held the file
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
    keep_build_file_open(True)  # the steps up to the reports join one open database (settings.py)
    return dg.MaterializeResult(
        metadata={"build_file": str(settings.build_path), "started_from": started_from,
                  "as_of": settings.as_of_date.isoformat(), "data_dir": str(settings.data_path)}
    )


def _staging_step(name: str, description: str, after: tuple[str, ...] = ()):
    """A publication step: after the reports (and the steps named in ``after``), before the swap;
    it writes beside its target only."""
    return dg.asset(name=name, group_name="publish",
                    deps=[dg.AssetKey(k) for k in ("leadership_reports", *after)], description=description)


@_staging_step("load_report", "加载报告：本次运行对每个文件做了什么（载入、修订、拒收及原因）。"
               " The load report page: what this run did with every file, staged with the reports.")
def load_report(context: dg.AssetExecutionContext, settings: PipelineSettings) -> dg.MaterializeResult:
    refuse_partial_run(context)
    with settings.connect() as con:
        html, _ = write_load_report(con, context.run_id, settings.reports_build_path,
                                    as_of=settings.as_of_date, is_sample_data=settings.is_sample_data)
    return dg.MaterializeResult(metadata={"path": str(html), "bytes": html.stat().st_size})


@_staging_step("quality_docs", "数据质量页：每项检查、拒收行（文件与行号）、催报清单、"
               "按地区的报齐情况（中文，离线可看）。"
               " The data-quality page of this run's checks (the project's own page: GX Data Docs render"
               " blank offline), staged with the reports; after run_record, whose verdict it states.",
               after=("run_record",))
def quality_docs(context: dg.AssetExecutionContext, settings: PipelineSettings) -> dg.MaterializeResult:
    refuse_partial_run(context)
    with settings.connect() as con:
        index = write_quality_page(con, settings.reports_build_path, run_id=context.run_id,
                                   as_of=settings.as_of_date, is_sample_data=settings.is_sample_data)
    return dg.MaterializeResult(metadata={"path": str(index)})


@_staging_step("dbt_docs", "dbt 文档站点（离线可看），描述每个模型和字段：未变则沿用，"
               "否则在后台生成，发布后替换（dbt_docs_page）。"
               " The dbt documentation site: the page of this project and catalog staged with the reports,"
               " or generated in the background and published after the reports (dbt_docs_page).")
def dbt_docs(context: dg.AssetExecutionContext, settings: PipelineSettings) -> dg.MaterializeResult:
    refuse_partial_run(context)
    how = docs_beside_run.start(settings.warehouse_path, settings.build_path, settings.reports_build_path,
                                settings.reports_path,
                                dbt_vars(settings.as_of_date.isoformat(), settings.data_path))
    if how == "started":
        context.log.info("dbt 文档已在后台开始生成，报告发布后替换 dbt docs generation started in the "
                         "background; the page is replaced after the reports are published")
    return dg.MaterializeResult(metadata={"dbt_docs": how})


@_staging_step("marts_parquet", "各数据集市表的 Parquet 文件（分析人员用），与数据仓库一同发布。"
               " Every mart as a Parquet file for analysts, staged beside the published folder.")
def marts_parquet(context: dg.AssetExecutionContext, settings: PipelineSettings) -> dg.MaterializeResult:
    refuse_partial_run(context)
    # a mart whose content is unchanged keeps its published file, except on --rebuild
    published = None if is_rebuild(context.run.run_config) else parquet_path(settings)
    staged, files, carried = stage_marts_parquet(settings.build_path, parquet_path(settings),
                                                 settings.duckdb_config, carry_from=published)
    context.log.info(f"Parquet：写入 {len(files) - len(carried)} 个，沿用未变的 {len(carried)} 个 "
                     f"written {len(files) - len(carried)}, carried over unchanged {len(carried)}")
    return dg.MaterializeResult(metadata={
        "parquet_dir": str(parquet_path(settings)), "parquet_files": len(files),
        "parquet_carried": len(carried),
        "parquet_bytes": sum((staged / name).stat().st_size for name in files)})


@_staging_step("run_record", "本次运行的记录（quality.runs）：开始与结束时间、质量关口结论、截至日期、"
               "数据目录。 This run's row in quality.runs: times, the gate's verdict, the as-of date, "
               "the data folder.")
def run_record(context: dg.AssetExecutionContext, settings: PipelineSettings) -> dg.MaterializeResult:
    refuse_partial_run(context)
    started = context.instance.get_run_stats(context.run_id).start_time
    with settings.connect() as con:
        verdict = run_verdict(con, context.run_id)
        record_run(
            con, context.run_id,
            started_at=datetime.fromtimestamp(started, TIMEZONE).replace(tzinfo=None) if started else None,
            finished_at=datetime.now(TIMEZONE).replace(tzinfo=None),
            verdict=verdict, as_of=settings.as_of_date,
            data_dir=str(settings.data_path), is_sample_data=settings.is_sample_data,
        )
    return dg.MaterializeResult(metadata={"verdict": verdict})


@dg.asset(
    key="published_warehouse",
    group_name="publish",
    deps=[dg.AssetKey(k) for k in ("load_report", "quality_docs", "dbt_docs", "marts_parquet", "run_record")],
    required_resource_keys={"settings", WRITER_LOCK},
    description="已发布的数据仓库与报告：仅在质量关口通过后以原子重命名整体替换。"
    " The analysts' warehouse and the reports, replaced whole by atomic rename after the gate passed.",
)
def published_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    refuse_partial_run(context)
    settings: PipelineSettings = context.resources.settings
    blocking = failed_blocking_checks(context.instance, context.run_id)
    if blocking:
        # Graph edges already stop most blocked runs; this guard makes publication depend on
        # every check of the run, whatever the graph says.
        tag_run(context.instance, context.run_id)
        raise dg.Failure(
            description="质量关口未通过，不发布 the quality gate blocked: " + ", ".join(blocking),
            allow_retries=False,
        )
    # warehouse, Parquet and reports: one unit (all old or all new after any crash)
    publish_together(settings.warehouse_path, settings.build_path, [
        ("Parquet", parquet_path(settings), parquet_staging_path(parquet_path(settings))),
        ("报告 reports", settings.reports_path, settings.reports_build_path),
    ], run_id=context.run_id)
    size = settings.warehouse_path.stat().st_size
    context.log.info(f"已发布 published {settings.warehouse_path} ({size / 1e6:.1f} MB) "
                     f"和报告 {settings.reports_path}")
    gate, warned = gate_summary(context)
    return dg.MaterializeResult(
        metadata={"gate": gate, "warnings": dg.MetadataValue.json(warned),
                  "warehouse": str(settings.warehouse_path), "warehouse_bytes": size,
                  "reports_dir": str(settings.reports_path), "parquet_dir": str(parquet_path(settings))}
    )


@dg.asset(
    key="dbt_docs_page",
    group_name="publish",
    deps=[dg.AssetKey("published_warehouse")],
    required_resource_keys={"settings", WRITER_LOCK, DOCS_GENERATION},
    description="发布后等待后台生成的 dbt 文档页并替换已发布的旧页；生成失败只警告，"
    "不影响已发布的数据与报告。"
    " After publication: waits for the dbt docs page generated in the background and renames it into the"
    " published reports folder; a failure is a warning, the published warehouse and reports stand.",
)
def dbt_docs_page(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    refuse_partial_run(context)
    settings: PipelineSettings = context.resources.settings
    outcome, problem = docs_beside_run.finish(settings.warehouse_path, settings.reports_path)
    if outcome == "failed":
        context.log.warning("dbt 文档生成失败，已发布的数据仓库和报告不受影响，仍显示上一版文档页；"
                            "下次运行会重新生成 dbt docs generation failed; the published warehouse and "
                            "reports stand, the previous docs page is still shown; the next run retries "
                            f"it: {problem}")
    return dg.MaterializeResult(metadata={"dbt_docs": outcome,
                                          **({"dbt_docs_error": problem} if problem else {})})


publication_steps = [load_report, quality_docs, dbt_docs, marts_parquet, run_record, published_warehouse,
                     dbt_docs_page]
