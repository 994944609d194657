"""`python -m pipelines status`: the last runs, their verdicts, and what is published."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb

from pipelines.settings import TIMEZONE, PipelineSettings


def print_status(warehouse: Path | None, limit: int = 5) -> int:
    settings = PipelineSettings(warehouse=str(warehouse or ""))
    published = settings.warehouse_path
    log = published.with_name("runs.jsonl")
    print(f"数据仓库 warehouse: {published}")
    if log.exists():
        lines = log.read_text(encoding="utf-8").splitlines()[-limit:]
        print(f"最近 {len(lines)} 次运行 last runs:")
        for line in lines:
            entry = json.loads(line)
            detail = ", ".join(entry.get("failed_checks") or entry.get("errors") or [])
            print(f"  {entry['finished_at']}  {entry['verdict']:9s}  as-of {entry['as_of']}  {entry['data_dir']}"
                  + (f"  [{detail}]" if detail else ""))
    else:
        print("尚无运行记录 no run recorded yet")
    if not published.exists():
        print("尚未发布 nothing published yet")
        return 0
    modified = datetime.fromtimestamp(published.stat().st_mtime, TIMEZONE).isoformat(timespec="seconds")
    print(f"已发布 published: {modified}, {published.stat().st_size / 1e6:.1f} MB")
    con = duckdb.connect(str(published), read_only=True)
    try:
        rows = con.execute(
            "select source, count(*), sum(rows_loaded), sum(rows_rejected), max(loaded_at) "
            "from raw.files group by source order by source"
        ).fetchall()
        print("已加载文件 loaded files (source, files, rows loaded, rows rejected, last load):")
        for source, files, loaded, rejected, last in rows:
            print(f"  {source:13s} {files:5d} {loaded or 0:9d} {rejected or 0:7d}  {last}")
        verdict = con.execute(
            "select run_id, max(checked_at), count(*) filter (where passed), count(*) filter (where not passed) "
            "from quality.check_results group by run_id order by 2 desc limit 1"
        ).fetchall()
        for run_id, checked_at, passed, failed in verdict:
            print(f"质量检查 checks of published run {run_id}: {passed} passed, {failed} warned, at {checked_at}")
    except duckdb.CatalogException:
        pass
    finally:
        con.close()
    return 0
