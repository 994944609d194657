"""`python -m pipelines status`: the last loads, the gate's verdict, and what is published.

Reads, never writes: ``runs.jsonl`` beside the warehouse (one line per CLI run), the Dagster run
history (``$DAGSTER_HOME``, runs started from the UI, the schedules and the sensor), the lock
file (is a load running now?), and the published warehouse opened read-only.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from pipelines.publish.publication import publication_state, wal_path
from pipelines.run_outcome import GATE_TAG
from pipelines.settings import PROJECT_DIR, TIMEZONE, PipelineSettings
from pipelines.whole_run import REFUSED_TAG
from pipelines.writer_lock import lock_path


def lock_holder(warehouse: Path) -> int | None:
    """The pid holding the single-writer lock, from /proc/locks (no lock taken), else None."""
    path = lock_path(warehouse)
    try:
        inode = path.stat().st_ino
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        parts = line.split()
        # "1: FLOCK  ADVISORY  WRITE 4242 08:01:1234567 0 EOF"
        if "FLOCK" in parts and len(parts) >= 6:
            i = parts.index("FLOCK")
            pid, dev_inode = parts[i + 3], parts[i + 4]
            if dev_inode.rsplit(":", 1)[-1] == str(inode) and pid.isdigit():
                return int(pid)
    return None


def _run_log(published: Path, limit: int) -> list[str]:
    log = published.with_name("runs.jsonl")
    if not log.exists():
        return ["尚无命令行运行记录 no command-line run recorded yet"]
    lines = log.read_text(encoding="utf-8").splitlines()[-limit:]
    out = [f"最近 {len(lines)} 次命令行运行 last command-line runs ({log}):"]
    for line in lines:
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        detail = ", ".join(entry.get("failed_checks") or entry.get("errors") or [])
        if entry["verdict"] == "published" and entry.get("warnings"):
            detail = f"{len(entry['warnings'])} 项警告 warning(s): " + ", ".join(entry["warnings"])
        out.append(f"  {entry['finished_at']}  {entry['verdict']:9s}  as-of {entry['as_of']}  "
                   f"{entry['data_dir']}" + (f"  [{detail}]" if detail else ""))
    return out


@dataclass(frozen=True)
class FinishedRun:
    run_id: str
    ended_at: float  # POSIX time
    verdict: str  # published / blocked / failed / refused / canceled


# Dagster's run status and our tags → the verdict a statistician reads.
def _dagster_verdict(status: str, tags: dict) -> str:
    if tags.get(REFUSED_TAG):
        return "refused"
    if status == "SUCCESS":
        return "published"
    if status == "CANCELED":
        return "canceled"
    return "blocked" if tags.get(GATE_TAG) == "blocked" else "failed"


def _run_warehouse(run) -> Path:
    config = ((run.run_config or {}).get("resources", {}).get("settings", {}) or {}).get("config", {}) or {}
    return PipelineSettings(warehouse=str(config.get("warehouse") or "")).warehouse_path


def finished_runs(published: Path, limit: int = 50) -> list[FinishedRun]:
    """Runs that ended and wrote (or would have written) this warehouse: from runs.jsonl (command
    line) and the Dagster history (UI, schedules, sensor, command line), newest first."""
    runs: dict[str, FinishedRun] = {}
    log = published.with_name("runs.jsonl")
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines()[-limit:]:
            try:
                entry = json.loads(line)
                ended = datetime.fromisoformat(entry["finished_at"]).timestamp()
            except (json.JSONDecodeError, KeyError, ValueError):
                continue
            runs[entry.get("run_id") or f"cli-{ended}"] = FinishedRun(entry.get("run_id") or "", ended,
                                                                     entry.get("verdict", "failed"))
    for record in _dagster_records(limit):
        run = record.dagster_run
        if record.end_time is None or run.run_id in runs or _run_warehouse(run) != published:
            continue
        runs[run.run_id] = FinishedRun(run.run_id, record.end_time,
                                       _dagster_verdict(run.status.value, dict(run.tags)))
    return sorted(runs.values(), key=lambda r: r.ended_at, reverse=True)


def leftover_line(build: Path, runs: list[FinishedRun], slack_seconds: float = 5.0) -> str:
    """What the private build file beside the warehouse is: the file of a run that ended without
    publishing (blocked, failed), or of a run that was interrupted (killed). Either way the next
    run discards it, and the published files were not touched."""
    written = build.stat().st_mtime
    last = runs[0] if runs else None
    if last is not None and last.verdict != "published" and last.ended_at >= written - slack_seconds:
        what = {"blocked": "被质量关口阻断 was blocked by the quality gate",
                "refused": "被拒绝（只选择了部分资产） was refused (a partial selection)",
                "canceled": "被取消 was canceled"}.get(last.verdict, "失败 failed")
        return (f"上次运行 {what} (run {last.run_id}); 未发布任何内容 nothing was published; "
                f"其私有构建文件 {build} 保留供查看，下次运行时丢弃 its private build file is kept for "
                "inspection and discarded by the next run")
    return ("上次运行被中断（进程被终止），其私有构建文件将由下次运行丢弃 "
            f"an interrupted run (its process was stopped) left {build}; "
            "the next run discards it (the published files were not touched)")


def _dagster_records(limit: int) -> list:
    home = Path(os.environ.get("DAGSTER_HOME") or PROJECT_DIR / "var" / "dagster_home")
    if not (home / "history").exists():
        return []
    try:
        import dagster as dg

        os.environ.setdefault("DAGSTER_HOME", str(home))
        with dg.DagsterInstance.from_config(str(home)) as instance:
            return list(instance.get_run_records(limit=limit))
    except Exception:  # history is informative only; never fail `status` for it
        return []


def _dagster_runs(limit: int) -> list[str]:
    """Runs in the Dagster instance (UI, schedules, sensor and CLI alike), newest first."""
    home = Path(os.environ.get("DAGSTER_HOME") or PROJECT_DIR / "var" / "dagster_home")
    if not (home / "history").exists():
        return [f"Dagster 运行历史为空 no Dagster run history in {home}"]
    try:
        import dagster as dg

        os.environ.setdefault("DAGSTER_HOME", str(home))
        with dg.DagsterInstance.from_config(str(home)) as instance:
            records = instance.get_run_records(limit=limit)
    except Exception as exc:  # history is informative only; never fail `status` for it
        return [f"无法读取 Dagster 运行历史 cannot read the Dagster run history in {home}: {exc}"]
    out = [f"Dagster 最近 {len(records)} 次运行 last Dagster runs ({home}):"]
    for record in records:
        run = record.dagster_run
        started = (datetime.fromtimestamp(record.start_time, TIMEZONE).isoformat(timespec="seconds")
                   if record.start_time else "-")
        trigger = run.tags.get("em/trigger") or run.tags.get("dagster/schedule_name") or \
            run.tags.get("dagster/sensor_name") or "ui"
        verdict = run.tags.get(REFUSED_TAG) and "refused" or run.tags.get(GATE_TAG, "")
        out.append(f"  {started}  {run.status.value:9s}  {run.job_name:17s} {trigger:8s} {run.run_id}"
                   + (f"  {verdict}" if verdict else ""))
    return out


def _published(con) -> list[str]:
    out = []
    try:
        rows = con.execute(
            "select source, count(*), count(*) filter (where status = 'rejected'), sum(rows_loaded), "
            "sum(rows_rejected), max(loaded_at) from raw.files group by source order by source"
        ).fetchall()
    except duckdb.CatalogException:
        return ["  尚未加载任何文件 no file loaded yet"]
    out.append("  已加载文件 loaded files "
               "(source, files, rejected whole, rows loaded, rows rejected, last load):")
    for source, files, rejected_files, loaded, rejected, last in rows:
        out.append(f"    {source:13s} {files:5d} {rejected_files:4d} {loaded or 0:9d} {rejected or 0:7d}"
                   f"  {last}")
    try:
        last = con.execute(
            "select run_id, max(logged_at), "
            "count(*) filter (where status in ('loaded', 'replaced')), "
            "count(*) filter (where status = 'rejected'), "
            "count(*) filter (where status = 'removed'), "
            "coalesce(sum(rows_loaded) filter (where status in ('loaded', 'replaced')), 0), "
            "coalesce(sum(rows_revised), 0), "
            "coalesce(sum(rows_rejected) filter (where status in ('loaded', 'replaced', 'rejected')), 0) "
            "from raw.load_log group by run_id order by 2 desc limit 1"
        ).fetchall()
    except duckdb.CatalogException:
        last = []
    for run_id, at, files, rejected_files, removed, loaded, revised, rejected in last:
        out.append(f"  最近一次加载 last load {at} (run {run_id}): {files} 个文件载入 files loaded, "
                   f"{rejected_files} 个整体拒收 rejected whole, {removed} 个已删除 removed; "
                   f"{loaded} 行入库 rows loaded, {revised} 条修订 revised, {rejected} 行拒收 rejected")
    try:
        verdict = con.execute(
            "select run_id, max(checked_at), count(*) filter (where passed), "
            "count(*) filter (where not passed and severity = 'ERROR'), "
            "count(*) filter (where not passed and severity <> 'ERROR'), "
            "list(check_name order by check_name) filter (where not passed) "
            "from quality.check_results group by run_id order by 2 desc limit 1"
        ).fetchall()
    except duckdb.CatalogException:
        verdict = []
    if not verdict:
        out.append("  质量检查 quality checks: 无记录 none recorded")
    for run_id, checked_at, passed, blocking, warned, failed_names in verdict:
        word = "通过 passed" if not warned else "通过（有警告） passed with warnings"
        if blocking:  # cannot normally be published; say so plainly if it ever is
            word = "未通过 BLOCKED"
        out.append(f"  质量关口 gate of the published run {run_id}: {word} — {passed} passed, "
                   f"{warned} warned, {blocking} blocking, checked {checked_at}")
        for name in failed_names or []:
            out.append(f"    ! {name}")
    return out


def status_lines(warehouse: Path | None = None, reports_dir: Path | None = None, limit: int = 5) -> list[str]:
    settings = PipelineSettings(warehouse=str(warehouse or ""), reports_dir=str(reports_dir or ""))
    published = settings.warehouse_path
    lines = [f"数据仓库 warehouse: {published}"]
    holder = lock_holder(published)
    interrupted = publication_state(published)  # a publication killed half-way: say what is what
    if holder is not None:
        lines.append(f"正在加载 a load is running now (pid {holder}); "
                     "完成前不会发布 nothing changes until it publishes")
    elif interrupted:
        lines += [f"{zh} {en}" for zh, en in interrupted]
    elif settings.build_path.exists():
        lines.append(leftover_line(settings.build_path, finished_runs(published)))
    lines += _run_log(published, limit)
    lines += _dagster_runs(limit)
    if not published.exists():
        lines.append("尚未发布 nothing published yet")
        return lines
    modified = datetime.fromtimestamp(published.stat().st_mtime, TIMEZONE).isoformat(timespec="seconds")
    lines.append(f"已发布 published: {modified}, {published.stat().st_size / 1e6:.1f} MB")
    index = settings.reports_path / "index.html"
    if index.exists():
        at = datetime.fromtimestamp(index.stat().st_mtime, TIMEZONE).isoformat(timespec="seconds")
        extra = " + load_report.html" if (settings.reports_path / "load_report.html").exists() else ""
        lines.append(f"  报告 reports: {index} ({at}){extra}")
    else:
        lines.append(f"  报告 reports: 无 none in {settings.reports_path}")
    try:
        con = duckdb.connect(str(published), read_only=True)
    except duckdb.Error as exc:
        lines.append(f"  无法打开已发布文件 cannot open the published file: {exc}")
        if "wal" in str(exc).lower() and wal_path(published).exists():
            lines.append(f"  旁边的 WAL 文件 {wal_path(published)} 不属于这个文件"
                         "（某个读写会话异常退出后留下）：下次运行会把它移开；"
                         "在此之前，把它改名后即可打开。 The WAL beside it does not "
                         "belong to this file (a read-write session died): the next run moves it aside; "
                         "until then, rename it and the file opens.")
            return lines
        lines.append("  如文件损坏，可用 `python -m pipelines run --rebuild` 从原始文件重建 "
                     "if it is corrupt, rebuild it from the raw files with "
                     "`python -m pipelines run --rebuild`")
        return lines
    try:
        lines += _published(con)
    finally:
        con.close()
    return lines


def print_status(warehouse: Path | None, limit: int = 5, reports_dir: Path | None = None) -> int:
    for line in status_lines(warehouse, reports_dir, limit):
        print(line)
    return 0
