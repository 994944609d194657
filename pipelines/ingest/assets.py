"""Dagster assets ``raw/<source>``: the five sources' folders loaded into ``raw``, all in one step.

One multi-asset materializes the five asset keys: the sources load at once (each in its own
transaction, see :func:`load_sources`), so one source's commit overlaps another's reading.
"""

import dataclasses
import html
from datetime import datetime

import dagster as dg

from pipelines.enumerations import FILE_STATUS_ZH
from pipelines.ingest.contracts import SPECS
from pipelines.ingest.load_log import create_load_log, record_source_load, rejection_summary
from pipelines.ingest.loader import SourceLoadReport, load_sources
from pipelines.ingest.normalise import printable
from pipelines.ingest.raw_tables import SOURCES, create_raw_tables
from pipelines.settings import TIMEZONE, PipelineSettings
from pipelines.whole_run import refuse_partial_run

STATUS_ZH = FILE_STATUS_ZH


def _cell(text) -> str:
    """Markdown table cell: data (file names, reasons) is escaped, never rendered as markup, and its
    invisible and control characters are shown, never obeyed."""
    return html.escape(printable(str(text or ""))).replace("|", "\\|")


def report_markdown(report: SourceLoadReport, revised: dict[str, int] | None = None) -> str:
    revised = revised or {}
    lines = [
        "| 文件 file | 状态 status | 读取 read | 入库 loaded | 零报告 zero reports | 修订 revised "
        "| 拒收 rejected | 原因 reason |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for f in report.files:
        reason = _cell("；".join(t for t in (f.reason_zh, f.note_zh) if t))
        lines.append(
            f"| {_cell(f.file_name)} | {STATUS_ZH.get(f.status, f.status)} {f.status} | {f.rows_read} "
            f"| {f.rows_loaded} "
            f"| {f.rows_zero_reports} | {revised.get(f.file_name, 0)} | {f.rows_rejected} | {reason} |"
        )
    return "\n".join(lines)


def rejections_markdown(rejections: list[dict]) -> str:
    lines = ["| 文件 file | 列 column | 原因 reason | 行数 rows | 行号 first rows |",
             "|---|---|---|---:|---|"]
    for r in rejections:
        reason = _cell(r["reason_zh"])
        rows = ", ".join(str(n) for n in r["first_rows"])
        lines.append(
            f"| {_cell(r['file_name'])} | {_cell(r['column_name'])} | {reason} | {r['rows']} | {rows} |"
        )
    return "\n".join(lines)


def report_metadata(report: SourceLoadReport, revised: dict[str, int] | None = None,
                    rejections: list[dict] | None = None) -> dict:
    revised = revised or {}
    metadata = {
        "rows_read": dg.MetadataValue.int(report.rows_read),
        "rows_loaded": dg.MetadataValue.int(report.rows_loaded),
        "rows_zero_reports": dg.MetadataValue.int(report.rows_zero_reports),
        "rows_revised": dg.MetadataValue.int(sum(revised.values())),
        "rows_rejected": dg.MetadataValue.int(report.rows_rejected),
        "files_loaded": dg.MetadataValue.int(report.count("loaded") + report.count("replaced")),
        "files_skipped": dg.MetadataValue.int(report.count("skipped")),
        "files_removed": dg.MetadataValue.int(report.count("removed")),
        "files_rejected": dg.MetadataValue.int(report.files_rejected),
        "files_revalidated": dg.MetadataValue.int(report.count("revalidated")),
        "files_ignored": dg.MetadataValue.int(report.count("ignored")),
        "files": dg.MetadataValue.md(report_markdown(report, revised)),
    }
    if rejections:
        metadata["rejections"] = dg.MetadataValue.md(rejections_markdown(rejections))
    return metadata


def _description(source: str) -> str:
    return (
        f"原始层：{SPECS[source].title_zh}（数据文件夹 {source}/ 下的 .xlsx/.csv），"
        f"逐文件增量载入 raw.{source}、raw.zero_reports、raw.quarantine、raw.files。 "
        f"Raw layer: the {source} files of the data folder, loaded file by file "
        "(unchanged files skipped, changed files replaced)."
    )


def _log_source(context: dg.AssetExecutionContext, source: str, report: SourceLoadReport,
                revised: dict[str, int]) -> None:
    # One log event for all the files' lines: Dagster stores each event (~3 ms apiece).
    lines = []
    for f in report.files:
        revised_here = revised.get(f.file_name, 0)
        f = dataclasses.replace(f, file_name=printable(f.file_name))  # shown in the UI: nothing hidden
        if f.status == "rejected":
            context.log.warning(
                f"{source}/{f.file_name}: 整体拒收 rejected — {f.reason_zh} / {f.reason_en}"
            )
        elif f.status == "skipped":
            continue  # counted in one line below
        elif f.status == "removed":
            lines.append(f"{source}/{f.file_name}: 文件已不在文件夹中，已删除其数据 gone, rows removed")
        elif f.status == "ignored":
            lines.append(f"{source}/{f.file_name}: 未读取 not read — {f.reason_zh} / {f.reason_en}")
        else:
            lines.append(
                f"{source}/{f.file_name}: {STATUS_ZH[f.status]} {f.status} — 读取 read {f.rows_read}, "
                f"入库 loaded {f.rows_loaded}, 零报告 zero reports {f.rows_zero_reports}, "
                f"修订 revised {revised_here}, 拒收 rejected {f.rows_rejected}"
            )
        if f.note_zh and f.status != "skipped":
            lines.append(f"    {f.note_zh} / {f.note_en}")
    if lines:
        context.log.info("\n".join(lines))
    if skipped := report.count("skipped"):
        context.log.info(
            f"{source}: {skipped} 个文件未变化，跳过 {skipped} files unchanged, skipped"
            " (逐个文件见加载报告 each file is listed in the load report)"
        )
    context.log.info(
        f"{source}: 读取 read {report.rows_read}, 入库 loaded {report.rows_loaded}, "
        f"零报告 zero reports {report.rows_zero_reports}, 拒收 rejected {report.rows_rejected}"
    )


@dg.multi_asset(
    name="raw_sources",
    specs=[
        dg.AssetSpec(
            dg.AssetKey(["raw", source]), group_name="ingest", deps=[dg.AssetKey("warehouse_workspace")],
            description=_description(source), skippable=True,
        )
        for source in SOURCES
    ],
    can_subset=True,
)
def raw_sources(context: dg.AssetExecutionContext, settings: PipelineSettings):
    """Load the selected sources at once; yield each one's materialization as it finishes.

    A source that fails is rolled back alone (its tables stay as they were) and the step fails
    after the others finished, so nothing downstream runs on a partial load."""
    refuse_partial_run(context)
    selected = [s for s in SOURCES if dg.AssetKey(["raw", s]) in context.selected_asset_keys]
    loaded_at = datetime.now(TIMEZONE).replace(tzinfo=None, microsecond=0)
    run_id = context.run.run_id

    def record(cur, report: SourceLoadReport) -> tuple[dict[str, int], list[dict]]:
        revised = record_source_load(cur, run_id, report, loaded_at)
        changed = [f.file_name for f in report.files
                   if f.status in ("loaded", "replaced", "revalidated", "rejected")]
        return revised, rejection_summary(cur, report.source, changed)

    failures = []
    with settings.connect() as con:
        create_raw_tables(con)  # before the sources' connections write to them at once
        create_load_log(con)
        outcomes = load_sources(con, selected, settings.data_path, settings.as_of_date, loaded_at, record)
        for outcome in outcomes:
            source = outcome.source
            if outcome.error is not None:
                if outcome.report is None:
                    what = "载入失败，该来源已回滚、保持原样 load failed, rolled back: as it was"
                else:
                    what = "数据已载入，加载日志未写入 rows loaded, the load log not written"
                context.log.error(f"{source}: {what} — {outcome.error}")
                failures.append(outcome.error)
                continue
            revised, rejections = outcome.after
            _log_source(context, source, outcome.report, revised)
            yield dg.MaterializeResult(
                asset_key=dg.AssetKey(["raw", source]),
                metadata=report_metadata(outcome.report, revised, rejections),
            )
    if failures:
        raise failures[0]


ingest_assets: list[dg.AssetsDefinition] = [raw_sources]
