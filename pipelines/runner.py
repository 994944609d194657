"""Run the whole asset graph in one process and turn its outcome into an exit code.

0: reports written and published; 2: the quality gate blocked (nothing published);
1: any other failure (nothing published).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import dagster as dg

from pipelines.automation.jobs import FULL_RUN_JOB
from pipelines.errors import PipelineError
from pipelines.run_history_writes import fast_run_history
from pipelines.settings import PROJECT_DIR, TIMEZONE, PipelineSettings, keep_build_file_open
from pipelines.transform.parse_ahead import parse_ahead
from pipelines.visible import printable, printable_lines
from pipelines.writer_lock import check_writable, writer_lock

EXIT_OK, EXIT_FAILED, EXIT_BLOCKED = 0, 1, 2


@dataclass
class RunOptions:
    data_dir: Path | None = None
    warehouse: Path | None = None
    reports_dir: Path | None = None
    as_of: str | None = None
    strict: bool = False
    rebuild: bool = False
    quiet: bool = False


@dataclass
class RunOutcome:
    exit_code: int
    run_id: str | None = None
    failed_checks: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def ensure_dagster_home() -> Path:
    """Run history lives in the project (git-ignored) unless DAGSTER_HOME says otherwise."""
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(PROJECT_DIR / "var" / "dagster_home")))
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(
            "# Run history, schedules' state and sensor cursors persist here.\n"
            "telemetry:\n  enabled: false\n"
            "run_coordinator:\n"
            "  module: dagster.core.run_coordinator\n"
            "  class: QueuedRunCoordinator\n"
            "  config:\n"
            "    max_concurrent_runs: 1  # one writer per warehouse file\n",
            encoding="utf-8",
        )
    return home


def settings_from(options: RunOptions) -> PipelineSettings:
    return PipelineSettings(
        data_dir=str(options.data_dir or ""),
        warehouse=str(options.warehouse or ""),
        reports_dir=str(options.reports_dir or ""),
        as_of=options.as_of or "",
        strict=options.strict,
    )


class _ProgressHandler(logging.Handler):
    """One line per user-facing message: elapsed time, step, text."""

    def __init__(self, stream):
        super().__init__(logging.DEBUG)
        self.stream = stream
        self.start = time.monotonic()

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        step = meta.get("step_key") or ""
        event = meta.get("dagster_event")
        message = meta.get("orig_message") or record.getMessage()
        if event is None and record.levelno < logging.INFO:
            return
        if event is not None:
            kind = event.event_type_value
            if kind == "STEP_START":
                message = "开始 start"
            elif kind == "STEP_SUCCESS":
                message = "完成 done"
            elif kind == "STEP_SKIPPED":
                message = "跳过（上游未通过） skipped (upstream did not pass)"
            elif kind == "STEP_FAILURE":
                message = "失败 failed"
            elif kind == "ASSET_CHECK_EVALUATION":
                data = event.event_specific_data
                if data.passed:
                    return
                sev = "阻断 BLOCKING" if data.severity == dg.AssetCheckSeverity.ERROR else "警告 warning"
                message = f"检查未通过 check failed [{sev}] {data.check_name}"
            else:
                return
        elapsed = time.monotonic() - self.start
        for line in str(message).splitlines() or [""]:  # a multi-line message: each line prefixed
            # names from the data folder may hold ESC or direction marks: shown, never obeyed
            self.stream.write(f"[{elapsed:7.1f}s] {step:32.32s} {printable(line)}\n")
        self.stream.flush()


def run_pipeline(options: RunOptions, stream=sys.stdout) -> RunOutcome:
    """Materialize the whole graph on the given folder; publish only if the gate passed."""
    settings = settings_from(options)
    settings.as_of_date  # noqa: B018 - refuses a malformed --as-of / EM_AS_OF before anything starts
    settings.memory_limit  # noqa: B018 - and a malformed EM_DUCKDB_MEMORY_LIMIT
    if not settings.data_path.is_dir():
        raise PipelineError(
            f"数据目录不存在：{settings.data_path}", f"The data folder does not exist: {settings.data_path}"
        )
    # every folder the run writes, checked before it starts (not a traceback half-way through)
    check_writable(settings.reports_path.parent, "报告文件夹的上级文件夹",
                   "folder that holds the reports folder")
    try:
        home = ensure_dagster_home()
    except OSError as exc:
        raise PipelineError(
            f"无法创建 Dagster 运行记录文件夹（DAGSTER_HOME）：{exc}",
            f"Cannot create the Dagster run-history folder (DAGSTER_HOME): {exc}",
        ) from None
    check_writable(home, "Dagster 运行记录文件夹（DAGSTER_HOME）",
                   "Dagster run-history folder (DAGSTER_HOME)")
    # The lock first: a second run is refused at once, before the slow import of the definitions.
    # Then dbt's parse of a new warehouse, in its own process while the run starts and loads.
    with writer_lock(settings.warehouse_path), parse_ahead(settings):
        from pipelines.definitions import defs  # imported late: it prepares the dbt manifest

        return _execute(defs, settings, options, stream)


def _execute(defs: dg.Definitions, settings: PipelineSettings, options: RunOptions, stream) -> RunOutcome:
    job = defs.resolve_job_def(FULL_RUN_JOB)
    run_config = {
        "resources": {"settings": {"config": {
            "data_dir": str(settings.data_path), "warehouse": str(settings.warehouse_path),
            "reports_dir": str(settings.reports_path), "as_of": settings.as_of_date.isoformat(),
            "strict": settings.is_strict,
        }}},
        "ops": {"warehouse_workspace": {"config": {"rebuild": options.rebuild}}},
    }
    progress = logging.getLogger("em.progress")
    progress.propagate = False
    progress.setLevel(logging.DEBUG)
    # NullHandler when quiet: with no handler at all, Python prints warnings and errors (stack
    # traces included) to stderr through its last-resort handler.
    progress.handlers = [logging.NullHandler()] if options.quiet else [_ProgressHandler(stream)]

    @dg.logger
    def progress_logger(_init_context):
        return progress

    job = job.with_logger_defs({"progress": progress_logger})
    run_config["loggers"] = {"progress": {}}
    stream.write(
        f"数据目录 data: {settings.data_path}\n截至 as of: {settings.as_of_date}{as_of_note(settings)}\n"
        f"数据仓库 warehouse: {settings.warehouse_path}\n报告 reports: {settings.reports_path}\n"
    )
    # GX's import and context, in the background while the first steps wait on files and DuckDB
    from pipelines.quality.gx_project import start_warm_up

    start_warm_up()
    # dagster-dbt echoes dbt's own log to sys.stdout: --quiet silences it too.
    instance = dg.DagsterInstance.get()
    with (contextlib.redirect_stdout(io.StringIO()) if options.quiet else contextlib.nullcontext(),
          fast_run_history(Path(instance.root_directory), instance)):
        try:
            result = job.execute_in_process(
                run_config=run_config, instance=instance, raise_on_error=False, tags={"em/trigger": "cli"},
            )
        finally:
            keep_build_file_open(False)  # a blocked or failed run stops before the reports let go
    return summarize(result, settings, stream)


def as_of_note(settings: PipelineSettings) -> str:
    """Why the run has this as-of date, when it is not the one given."""
    if settings.as_of_origin == "sample":
        return ("（示例数据自带的截至日期，见 SAMPLE_DATA.txt；可用 --as-of 指定）"
                " (the sample's own as-of date, from its SAMPLE_DATA.txt; --as-of overrides it)")
    if settings.as_of_origin == "today":
        return "（今天，北京时间 today, Asia/Shanghai）"
    return ""


def _check_row(evaluation) -> dict:
    meta = {k: _meta_text(v) for k, v in (evaluation.metadata or {}).items()}
    return {
        "check": evaluation.check_name,
        "asset": evaluation.asset_key.to_user_string(),
        "severity": evaluation.severity.value,
        "metadata": meta,
    }


def _meta_text(value) -> str:
    raw = getattr(value, "value", value)
    text = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False, default=str)
    return text if len(text) <= 2000 else text[:2000] + " …"


def summarize(result, settings: PipelineSettings, stream) -> RunOutcome:
    evaluations = result.get_asset_check_evaluations()
    failed = [e for e in evaluations if not e.passed]
    blocking = [_check_row(e) for e in failed if e.severity == dg.AssetCheckSeverity.ERROR]
    warnings = [_check_row(e) for e in failed if e.severity != dg.AssetCheckSeverity.ERROR]
    errors = _step_errors(result)
    outcome = RunOutcome(EXIT_OK, result.run_id, blocking, warnings, errors)
    materialized = {ev.asset_key for ev in result.get_asset_materialization_events()}
    published = dg.AssetKey("published_warehouse") in materialized
    for w in warnings:
        stream.write(printable_lines(
            f"警告 warning: {w['check']} ({w['asset']}) {w['metadata'].get('message_zh', '')}") + "\n")
    if blocking:
        outcome.exit_code = EXIT_BLOCKED
        stream.write("\n质量关口未通过，未发布任何内容。 The quality gate blocked; nothing was published.\n")
        for row in blocking:
            stream.write(f"  ✗ {row['check']} [{row['asset']}]\n")
            for key in ("message_zh", "message_en", "offending_count", "offending_sample"):
                if key in row["metadata"]:
                    stream.write(printable_lines(f"      {key}: {row['metadata'][key]}") + "\n")
    elif errors or not published:
        outcome.exit_code = EXIT_FAILED
        stream.write("\n运行失败，未发布任何内容。 The run failed; nothing was published.\n")
        for text in errors:
            stream.write(printable_lines(f"  ✗ {text}") + "\n")
    else:
        if warnings:
            stream.write(f"\n有 {len(warnings)} 项检查警告（见上；警告不阻断发布）"
                         f" {len(warnings)} check(s) warned (listed above; warnings do not block)\n")
        stream.write(
            f"\n完成 done: 数据仓库 warehouse {settings.warehouse_path}\n"
            f"          报告 reports {settings.reports_path / 'index.html'}\n"
        )
    _append_run_log(settings, outcome)
    return outcome


def _step_errors(result) -> list[str]:
    messages = []
    for event in result.all_events:
        if event.event_type_value != "STEP_FAILURE":
            continue
        error = event.step_failure_data.error
        text = _user_message(error)
        messages.append(f"{event.step_key}: {text}")
    return messages


def _user_message(error) -> str:
    """The bilingual message of an expected error, else the innermost error's message."""
    while error is not None:
        if error.cls_name == "PipelineError" or error.cls_name.endswith("InputError"):
            return error.message.split(":", 1)[-1].strip()
        if error.cause is None:
            return _explain(error.message.strip())
        error = error.cause
    return "unknown error"


def _explain(message: str) -> str:
    """Add the meaning and the way out to the few low-level failures users meet."""
    lowered = message.lower()
    if "no space left on device" in lowered or "errno 28" in lowered:
        return ("磁盘空间已满，本次运行未发布任何内容；请清理磁盘后重试。 The disk is full; nothing was "
                f"published. Free some space and run again. ({message})")
    if "corrupt" in lowered or "checksum" in lowered:
        return ("数据仓库文件已损坏：可用 `python -m pipelines run --rebuild` 从原始文件重建。 The warehouse "
                f"file is corrupt: rebuild it from the raw files with `run --rebuild`. ({message})")
    return message


def _append_run_log(settings: PipelineSettings, outcome: RunOutcome) -> None:
    """A line per run beside the warehouse: `status` reads it."""
    log = settings.warehouse_path.with_name("runs.jsonl")
    log.parent.mkdir(parents=True, exist_ok=True)
    verdict = {EXIT_OK: "published", EXIT_BLOCKED: "blocked", EXIT_FAILED: "failed"}[outcome.exit_code]
    entry = {
        "run_id": outcome.run_id, "finished_at": datetime.now(TIMEZONE).isoformat(timespec="seconds"),
        "verdict": verdict, "data_dir": str(settings.data_path), "as_of": settings.as_of_date.isoformat(),
        "failed_checks": [c["check"] for c in outcome.failed_checks],
        "warnings": [c["check"] for c in outcome.warnings], "errors": outcome.errors,
    }
    with log.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
