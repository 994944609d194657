"""The first and the last asset of every run: prepare the private build file, publish it."""


import shutil

import dagster as dg

from pipelines.publish.publication import publish_reports, publish_warehouse
from pipelines.publish.workspace import acquire_lock, prepare_build_file, release_lock
from pipelines.settings import PipelineSettings


class WorkspaceConfig(dg.Config):
    rebuild: bool = False  # start from an empty file instead of a copy of the published one


@dg.asset(
    key="warehouse_workspace",
    group_name="publish",
    description="私有构建文件：本次运行只写这个文件，分析人员持有的已发布文件不受影响。"
    " The private build file this run writes (a copy of the published warehouse, or empty).",
)
def warehouse_workspace(context: dg.AssetExecutionContext, config: WorkspaceConfig,
                        settings: PipelineSettings) -> dg.MaterializeResult:
    acquire_lock(settings.warehouse_path)
    started_from = prepare_build_file(settings.warehouse_path, settings.build_path, rebuild=config.rebuild)
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
def published_warehouse(context: dg.AssetExecutionContext, settings: PipelineSettings) -> dg.MaterializeResult:
    size = publish_warehouse(settings.build_path, settings.warehouse_path)
    publish_reports(settings.reports_build_path, settings.reports_path)
    release_lock(settings.warehouse_path)
    context.log.info(f"已发布 published {settings.warehouse_path} ({size / 1e6:.1f} MB) 和报告 {settings.reports_path}")
    return dg.MaterializeResult(
        metadata={"warehouse": str(settings.warehouse_path), "warehouse_bytes": size,
                  "reports_dir": str(settings.reports_path)}
    )
