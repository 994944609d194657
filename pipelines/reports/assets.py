"""Dagster asset: the leadership reports, written into the reports build folder."""

import json
import os
import shutil

import dagster as dg

from ..settings import PipelineSettings
from ..whole_run import is_rebuild
from .build import build_reports
from .carry import MANIFEST
from .monthly import build_monthly_analyses, latest_month
from .render import PLOTLY_JS

# The dbt marts the reports read (dbt asset keys are ["marts", "<model>"]).
MARTS_READ = [
    "dim_region",
    "dim_indicator",
    "bridge_region_rollup",
    "fct_plan_progress",
    "fct_indicator_values",
    "fct_ytd_comparison",
    "fct_accidents",
    "fct_accident_breakdown",
    "fct_disaster_breakdown",
    "fct_missing_submissions",
    "fct_severity_findings",
    "dim_plan",
    "fct_period_comparison",
    "fct_plan_ytd",
    "fct_plan_outlook",
    # the monthly situation analysis (pipelines/reports/monthly/)
    "dim_month",
    "dim_code_label",
    "fct_monthly_situation",
    "fct_region_month_coverage",
    "fct_quota_usage",
]

# The quality gate is a set of blocking asset checks on the raw and mart assets (pipelines/quality),
# not an asset: depending on the marts is what keeps a blocked run from reaching the reports.
# TODO(lead): non-blocking (WARN) checks may still be running when this asset starts; if the
# report must list every check of the run, order them before it (e.g. an explicit gate asset).


@dg.asset(
    group_name="reports",
    deps=[dg.AssetKey(["marts", m]) for m in MARTS_READ],
    description="领导用报告：每个规划、每个规划地区一份 HTML（离线可看、可打印 A4）及目录页；"
    "各地区最近一个月的安全生产形势分析（monthly/）。",
    kinds={"html", "plotly"},
)
def leadership_reports(context: dg.AssetExecutionContext, settings: PipelineSettings) -> dg.MaterializeResult:
    out_dir = settings.reports_build_path
    # unchanged reports are carried over from the published folder, except on --rebuild
    rebuild = is_rebuild(context.run.run_config)
    published = None if rebuild else settings.reports_path
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    # Read-only: the reports only read, and the worker processes open the same file read-only
    # too (DuckDB allows many read-only processes, or one read-write).
    with settings.connect(read_only=True) as con:
        # the latest month due; the published folder's earlier months are carried over
        monthly = build_monthly_analyses(
            con, out_dir / "monthly", as_of=settings.as_of_date, is_sample_data=settings.is_sample_data,
            run_id=context.run.run_id, carry_over=settings.reports_path / "monthly",
            reuse_unchanged=not rebuild,
        )
        paths = build_reports(
            con,
            out_dir,
            as_of=settings.as_of_date,
            is_sample_data=settings.is_sample_data,
            run_id=context.run.run_id,
            database=settings.build_path,
            workers=min(2, os.cpu_count() or 1),
            monthly=latest_month(monthly),
            published=published,
        )
    reports = [p for p in paths if p.suffix == ".html" and p.name != "index.html"]
    carried = [r["file"] for r in json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))["reports"]
               if r["run_id"] != context.run.run_id]
    carried_monthly = [e for e in latest_month(monthly) if e["run_id"] != context.run.run_id]
    context.log.info(
        f"规划报告 {len(reports)} 份：重新生成 {len(reports) - len(carried)}，未变沿用 {len(carried)}；"
        f"本月形势分析 {len(latest_month(monthly))} 份：未变沿用 {len(carried_monthly)} "
        f"/ plan reports rendered {len(reports) - len(carried)}, carried over {len(carried)}; "
        f"monthly analyses of the month carried over {len(carried_monthly)}"
        + (" (--rebuild: all rendered)" if rebuild else "")
    )
    sizes = {p.name: p.stat().st_size for p in paths}
    return dg.MaterializeResult(
        metadata={
            "folder": dg.MetadataValue.path(str(out_dir)),
            "reports": len(reports),
            "reports_carried_over": len(carried),
            "monthly_carried_over": len(carried_monthly),
            "monthly_analyses": len(monthly),
            "files": dg.MetadataValue.json(sorted(sizes)),
            "sizes_bytes": dg.MetadataValue.json(sizes),
            "largest_report_kb": round(max((sizes[p.name] for p in reports), default=0) / 1024, 1),
            "plotly_js_kb": round(sizes.get(PLOTLY_JS, 0) / 1024, 1),
            "is_sample_data": settings.is_sample_data,
            "as_of": settings.as_of_date.isoformat(),
        }
    )
