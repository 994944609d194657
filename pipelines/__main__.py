"""Command line: `python -m pipelines run | generate-sample | status | export-pdf | screenshots | monthly`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.errors import PipelineError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pipelines",
        description="应急管理规划指标数据仓库 — emergency-management plan indicators warehouse",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="加载、计算、检查并发布 / load, compute, check and publish")
    run.add_argument("--data-dir", type=Path, help="原始文件目录 raw files folder (default data_raw/)")
    run.add_argument("--warehouse", type=Path, help="已发布的 DuckDB 文件 the published DuckDB file")
    run.add_argument("--reports-dir", type=Path, help="报告目录 reports folder")
    run.add_argument("--as-of", help="截至日期 YYYY-MM-DD (default today, Asia/Shanghai)")
    run.add_argument("--strict", action="store_true", help="隔离行也阻断发布 quarantined rows block too")
    run.add_argument(
        "--rebuild",
        action="store_true",
        help="从原始文件完全重建 rebuild from the raw files, ignoring the published warehouse",
    )
    run.add_argument("--pdf", action="store_true", help="同时导出 PDF also export PDFs of the reports")
    run.add_argument("--quiet", action="store_true", help="不显示进度 no progress lines")

    gen = sub.add_parser("generate-sample", help="生成示例数据 write the synthetic sample data")
    gen.add_argument("--out", type=Path, required=True)
    gen.add_argument("--seed", type=int, default=None)
    gen.add_argument("--scale", default="sample", help="sample | national | national-2x | … | national-16x")

    status = sub.add_parser("status", help="最近的加载与发布情况 last loads, gate verdict, what is published")
    status.add_argument("--warehouse", type=Path)
    status.add_argument("--limit", type=int, default=5)

    pdf = sub.add_parser("export-pdf", help="把报告导出为 PDF export the reports as A4 PDFs")
    pdf.add_argument("--reports-dir", type=Path)
    pdf.add_argument("--out", type=Path, help="PDF folder (default <reports-dir>/pdf)")
    shots = sub.add_parser("screenshots", help="页面截图 first screen of every page kind")
    shots.add_argument("--reports-dir", type=Path, help="published reports (default reports/published)")
    shots.add_argument("--out", type=Path, help="PNG folder (default docs/screenshots)")
    monthly = sub.add_parser(
        "monthly",
        help="生成某月安全生产形势分析 write an earlier month's situation analysis (from the published data)",
    )
    monthly.add_argument("--month", required=True, help="月份 YYYY-MM，如 2026-06")
    monthly.add_argument("--warehouse", type=Path, help="已发布的 DuckDB 文件 the published DuckDB file")
    monthly.add_argument("--reports-dir", type=Path, help="报告目录 reports folder")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "run":
            from pipelines.runner import RunOptions, run_pipeline

            outcome = run_pipeline(
                RunOptions(
                    data_dir=args.data_dir,
                    warehouse=args.warehouse,
                    reports_dir=args.reports_dir,
                    as_of=args.as_of,
                    strict=args.strict,
                    rebuild=args.rebuild,
                    quiet=args.quiet,
                )
            )
            if outcome.exit_code == 0 and args.pdf:
                _export_pdf(args.reports_dir, None)
            return outcome.exit_code
        if args.command == "generate-sample":
            from sample import generate_sample  # development tooling, outside the production package

            kwargs = {"scale": args.scale} | ({"seed": args.seed} if args.seed is not None else {})
            summary = generate_sample(args.out, **kwargs)
            print(summary)
            return 0
        if args.command == "status":
            from pipelines.status import print_status

            return print_status(args.warehouse, limit=args.limit)
        if args.command == "monthly":
            from pipelines.reports.monthly.command import produce_month

            for path in produce_month(args.month, warehouse=args.warehouse, reports_dir=args.reports_dir):
                print(path)
            return 0
        if args.command == "export-pdf":
            _export_pdf(args.reports_dir, args.out)
            return 0
        if args.command == "screenshots":
            from pipelines.reports.screenshots import take_screenshots
            from pipelines.settings import PROJECT_DIR, PipelineSettings

            reports = args.reports_dir or PipelineSettings().reports_path
            for path in take_screenshots(reports, args.out or PROJECT_DIR / "docs" / "screenshots"):
                print(path)
            return 0
    except PipelineError as exc:
        from pipelines.visible import printable_lines

        print(f"错误：{printable_lines(exc.message_zh)}\nError: {printable_lines(exc.message_en)}",
              file=sys.stderr)
        return 1
    return 1


def _export_pdf(reports_dir: Path | None, out: Path | None) -> None:
    from pipelines.reports import export_pdf
    from pipelines.settings import PipelineSettings

    reports = Path(reports_dir) if reports_dir else PipelineSettings().reports_path
    for path in export_pdf(reports, out or reports / "pdf"):
        print(path)


def exit_now(code: int) -> None:
    """End the process without tearing the interpreter down (~1.5 s of freeing the modules of
    Dagster, dbt, GX and pandas one object at a time, after everything is done): the exit
    handlers run (logging's flush, temporary folders, worker threads joined) and the output is
    flushed, then the process exits. Every file and connection of a run is closed by then (each
    is opened in a ``with`` block); the writer lock is released with the process as ever."""
    import atexit
    import os

    if sys.getprofile() or sys.gettrace():  # under cProfile or coverage: their reports come at exit
        sys.exit(code)
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    exit_now(main())
