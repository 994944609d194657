# ruff: noqa: E501  (each column of raw.load_log carries its English / 中文 comment on its line: the DuckDB comment)
"""The load report: what every run did with every file (read, loaded, revised, rejected and why).

Three pieces:

- ``record_source_load(con, run_id, report, logged_at)``: called by each ingest asset right after
  its load, in the build file. It counts the *revised* keys of every file loaded in this run and
  writes one row per file to ``raw.load_log`` (the run's outcome, kept across runs in the
  published warehouse). Returns the revised counts per file for the Dagster metadata.
- ``rejection_summary(con, source, file_names)``: the quarantine reasons of those files, grouped.
- ``write_load_report(con, run_id, target_dir)``: ``load_report.html`` and ``load_report.json``
  for one run, read from ``raw.load_log`` / ``raw.files`` / ``raw.quarantine`` of the build file.
  Written into the reports build folder, it is published with the reports.

*Revised* means: a record key (accident 事故编号; disaster 灾害过程编号 × 行政区划代码; fire
火灾编号; statistics 区划 × 年份 × 指标; capabilities 区划 × 年份 × 指标; plans 规划编号 × 区划 ×
序号: a later version of a plan; quotas 年度 × 区划 × 指标: an adjustment) that the file files again
although an earlier-loaded file (smaller ``load_seq``) already holds it. Several rows of one key
within the same file are not counted as revisions of an earlier file.
"""

from __future__ import annotations

import html
import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from pipelines.enumerations import CHANGED_FILE_STATUSES, FILE_STATUS_ZH
from pipelines.settings import TIMEZONE
from pipelines.visible import printable

if TYPE_CHECKING:  # the ingest assets import this module
    from pipelines.ingest.loader import SourceLoadReport

LOAD_LOG_DDL = """
create table if not exists raw.load_log (
    -- One row per run x file: what each run did with each file since the last rebuild. / 每次运行每个文件一行：加载记录（自上次重建起）。
    run_id             varchar   not null,  -- Dagster run id. / 运行编号。
    source             varchar   not null,  -- Data source code: accidents / disasters / forest_fires / statistics / capabilities. / 数据来源代码。
    file_name          varchar   not null,  -- File name relative to the source folder. / 文件名。
    file_sha256        varchar,             -- SHA-256 of the file's bytes (hex text; null for a removed file). / 文件内容摘要。
    status             varchar   not null,  -- loaded / replaced / revalidated / skipped / ignored / removed / rejected (labels in marts.dim_code_label, file_status). / 处理结果。
    rows_read          integer   not null,  -- Data rows read from the file, rows. / 读取行数（行）。
    rows_loaded        integer   not null,  -- Rows stored in raw.<source>, rows. / 入库行数（行）。
    rows_zero_reports  integer   not null,  -- Zero-report rows (零报告), rows. / 零报告行数（行）。
    rows_rejected      integer   not null,  -- Rows rejected to raw.quarantine, rows. / 拒收行数（行）。
    rows_revised       integer   not null,  -- Record keys an earlier-loaded file already held, rows (revisions: see marts.fct_record_revisions). / 修订的记录数（行）。
    reason_zh          varchar,             -- Why the file was rejected whole (or not read), in Chinese. / 整体拒收原因（中文）。
    reason_en          varchar,             -- Why the file was rejected whole, in English. / 整体拒收原因（英文）。
    logged_at          timestamp not null,  -- When the run logged the file (Asia/Shanghai wall-clock time). / 记录时间（北京时间）。
    note_zh            varchar,             -- A note on the file in Chinese, e.g. hidden sheets not read; why it was judged again. / 说明（中文），如未读取的隐藏工作表、重新判定的原因。
    note_en            varchar              -- The same note in English. / 说明（英文）。
)
"""
# columns added after the first release, for load logs of warehouses published before
LOAD_LOG_ADDED = ("note_zh", "note_en")

STATUS_ZH = FILE_STATUS_ZH
CHANGED = CHANGED_FILE_STATUSES

REPORT_HTML = "load_report.html"
REPORT_JSON = "load_report.json"


def _rows(con, sql: str, params=None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


def _columns(con, schema: str, table: str) -> set[str]:
    return {r[0] for r in _rows(
        con,
        "select column_name from duckdb_columns() where database_name = current_database() "
        "and schema_name = ? and table_name = ?",
        [schema, table],
    )}


def _has_table(con, schema: str, table: str) -> bool:
    return bool(_rows(
        con,
        "select 1 from duckdb_tables() where database_name = current_database() "
        "and schema_name = ? and table_name = ?",
        [schema, table],
    ))


def create_load_log(con) -> None:
    """raw.load_log, with the columns added since the first release (idempotent)."""
    con.execute(LOAD_LOG_DDL)
    for column in LOAD_LOG_ADDED:
        con.execute(f"alter table raw.load_log add column if not exists {column} varchar")


def revised_counts(con, source: str, file_names: list[str]) -> dict[str, int]:
    """Per file: distinct keys it files that an earlier-loaded file already holds."""
    from pipelines.ingest.contracts import SPECS  # here: the ingest package imports this module

    if not file_names or source not in SPECS:
        return {}
    keys = SPECS[source].record_key
    same_key = " and ".join(f"e.{k} = f.{k}" for k in keys)
    cols = ", ".join(f"f.{k}" for k in keys)
    marks = ", ".join("?" for _ in file_names)
    # a file's rows all carry its load_seq: an earlier file holds the key when the key's first
    # load_seq is lower than this file's
    found = _rows(
        con,
        f"""
        with e as (select {", ".join(keys)}, min(load_seq) as load_seq from raw.{source} group by all)
        select source_file, count(*) from (
            select distinct f.source_file, {cols}
            from raw.{source} f join e on {same_key}
            where f.source_file in ({marks}) and e.load_seq < f.load_seq
        ) group by source_file
        """,
        file_names,
    )
    return {name: int(n) for name, n in found}


def record_source_load(con, run_id: str, report: SourceLoadReport, logged_at: datetime) -> dict[str, int]:
    """Write this run's outcome for every file of one source to ``raw.load_log``; return revisions."""
    create_load_log(con)
    loaded = [f.file_name for f in report.files if f.status in ("loaded", "replaced", "revalidated")]
    revised = revised_counts(con, report.source, loaded)
    con.execute("delete from raw.load_log where run_id = ? and source = ?", [run_id, report.source])
    if logged_at.tzinfo is not None:
        logged_at = logged_at.astimezone(TIMEZONE).replace(tzinfo=None)
    files = report.files
    rows = pl.DataFrame(  # one insert for all the files
        {
            "file_name": [f.file_name for f in files],
            "file_sha256": [f.sha256 or None for f in files],
            "status": [f.status for f in files],
            "rows_read": [f.rows_read for f in files],
            "rows_loaded": [f.rows_loaded for f in files],
            "rows_zero_reports": [f.rows_zero_reports for f in files],
            "rows_rejected": [f.rows_rejected for f in files],
            "rows_revised": [revised.get(f.file_name, 0) for f in files],
            "reason_zh": [f.reason_zh for f in files],
            "reason_en": [f.reason_en for f in files],
            "note_zh": [f.note_zh for f in files],
            "note_en": [f.note_en for f in files],
        },
        schema_overrides={"file_sha256": pl.String, "reason_zh": pl.String, "reason_en": pl.String,
                          "note_zh": pl.String, "note_en": pl.String},
    ).to_arrow()
    con.register("_load_log_rows", rows)
    try:
        con.execute(
            "insert into raw.load_log by name select ? as run_id, ? as source, file_name, file_sha256, "
            "status, rows_read, rows_loaded, rows_zero_reports, rows_rejected, rows_revised, reason_zh, "
            "reason_en, ?::timestamp as logged_at, note_zh, note_en from _load_log_rows",
            [run_id, report.source, logged_at],
        ).fetchall()
    finally:
        con.unregister("_load_log_rows")
    return revised


def rejection_summary(con, source: str, file_names: list[str]) -> list[dict]:
    """Quarantined rows of these files grouped by reason and column, with their first row numbers."""
    if not file_names or not _has_table(con, "raw", "quarantine"):
        return []
    marks = ", ".join("?" for _ in file_names)
    found = _rows(
        con,
        f"""
        select file_name, reason_code, column_name, min(reason_zh), min(reason_en), count(*),
               list(row_number order by row_number) filter (where row_number is not null)
        from raw.quarantine
        where source = ? and file_name in ({marks})
        group by file_name, reason_code, column_name
        order by file_name, count(*) desc, reason_code, column_name
        """,
        [source, *file_names],
    )
    return [
        {"file_name": name, "reason_code": code, "column_name": column, "reason_zh": zh, "reason_en": en,
         "rows": int(n), "first_rows": list(rows or [])[:10]}
        for name, code, column, zh, en, n, rows in found
    ]


# --------------------------------------------------------------------------- the report


def load_report_data(con, run_id: str) -> dict:
    """Everything the report shows, as plain JSON-able data."""
    files: list[dict] = []
    if _has_table(con, "raw", "load_log"):
        columns = ["source", "file_name", "file_sha256", "status", "rows_read", "rows_loaded",
                   "rows_zero_reports", "rows_rejected", "rows_revised", "reason_zh", "reason_en",
                   "logged_at"]
        if {"note_zh", "note_en"} <= _columns(con, "raw", "load_log"):
            columns += ["note_zh", "note_en"]
        for row in _rows(
            con,
            f"select {', '.join(columns)} from raw.load_log where run_id = ? order by source, file_name",
            [run_id],
        ):
            entry = dict(zip(columns, row, strict=True))
            entry["logged_at"] = entry["logged_at"].isoformat(sep=" ") if entry["logged_at"] else None
            entry.setdefault("note_zh", None)
            entry.setdefault("note_en", None)
            files.append(entry)
    by_source: dict[str, list[str]] = {}
    for f in files:
        if f["status"] in CHANGED:
            by_source.setdefault(f["source"], []).append(f["file_name"])
    reasons: dict[tuple[str, str], list[dict]] = {}
    for source, names in by_source.items():
        for r in rejection_summary(con, source, names):
            reasons.setdefault((r["file_name"], source), []).append(r)
    for f in files:
        f["status_zh"] = STATUS_ZH.get(f["status"], f["status"])
        f["rejections"] = reasons.get((f["file_name"], f["source"]), [])
    changed = [f for f in files if f["status"] in CHANGED]
    totals = {
        "files": len(files),
        "files_loaded": sum(f["status"] in ("loaded", "replaced") for f in files),
        "files_rejected": sum(f["status"] == "rejected" for f in files),
        "files_skipped": sum(f["status"] == "skipped" for f in files),
        "files_removed": sum(f["status"] == "removed" for f in files),
        "files_revalidated": sum(f["status"] == "revalidated" for f in files),
        "files_ignored": sum(f["status"] == "ignored" for f in files),
        **{k: sum(f[k] for f in changed)
           for k in ("rows_read", "rows_loaded", "rows_zero_reports", "rows_rejected", "rows_revised")},
    }
    return {
        "run_id": run_id,
        "generated_at": datetime.now(TIMEZONE).isoformat(timespec="seconds"),
        "totals": totals,
        "files": files,
    }


_CSS = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 14px; }
th, td { border: 1px solid #bbb; padding: 4px 8px; vertical-align: top; }
th { background: #f0f0f0; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.rejected td { background: #fdecea; }
.en { color: #666; font-size: 0.9em; }
@media print { body { margin: 1cm; } }
"""


def _e(value) -> str:
    """Escaped for HTML; invisible and control characters of names shown, not obeyed."""
    return html.escape(printable("" if value is None else str(value)))


def render_html(data: dict) -> str:
    t = data["totals"]
    out = [
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>",
        "<title>数据加载报告 Load report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>数据加载报告 <span class='en'>Load report</span></h1>",
        f"<p>运行 run <code>{_e(data['run_id'])}</code> · 生成于 generated {_e(data['generated_at'])}</p>",
        "<p>本次运行：新载入或替换 {fl} 个文件，整体拒收 {fr} 个，未变化 {fs} 个，已删除 {fd} 个；"
        "读取 {rr} 行，入库 {rl} 行，零报告 {rz} 行，修订 {rv} 条，拒收 {rj} 行。<br>"
        "<span class='en'>This run: {fl} files loaded or replaced, {fr} rejected whole, {fs} unchanged, "
        "{fd} removed; {rr} rows read, {rl} loaded, {rz} zero reports, {rv} revised keys, {rj} rows "
        "rejected.</span></p>".format(
            fl=t["files_loaded"], fr=t["files_rejected"], fs=t["files_skipped"], fd=t["files_removed"],
            rr=t["rows_read"], rl=t["rows_loaded"], rz=t["rows_zero_reports"], rv=t["rows_revised"],
            rj=t["rows_rejected"]),
        "<p>重新校验 {fv} 个未变化的文件（数据截止日期、行政区划代码表或校验规则变了），"
        "未读取 {fi} 项（子文件夹、非表格文件）。<br><span class='en'>{fv} unchanged files judged again "
        "(the as-of date, the region list or the rules changed); {fi} entries not read "
        "(sub-folders, files that are not spreadsheets)."
        "</span></p>".format(fv=t.get("files_revalidated", 0), fi=t.get("files_ignored", 0)),
        "<p class='en'>修订：文件中的记录编号此前已由更早载入的文件报送过（以最新填报为准）。"
        " Revised: keys an earlier-loaded file already held (the latest filing wins).</p>",
        "<table><thead><tr><th>来源 source</th><th>文件 file</th><th>状态 status</th><th>读取 read</th>"
        "<th>入库 loaded</th><th>零报告 zero</th><th>修订 revised</th><th>拒收 rejected</th>"
        "<th>原因 reason</th></tr></thead><tbody>",
    ]
    if not data["files"]:
        out.append("<tr><td colspan='9'>本次运行没有文件记录 no file recorded for this run</td></tr>")
    for f in data["files"]:
        cls = " class='rejected'" if f["status"] == "rejected" or f["rows_rejected"] else ""
        reason = (f"{_e(f['reason_zh'])}<br><span class='en'>{_e(f['reason_en'])}</span>"
                  if f["reason_zh"] else "")
        if f.get("note_zh"):
            reason += ("<br>" if reason else "") + (
                f"{_e(f['note_zh'])}<br><span class='en'>{_e(f['note_en'])}</span>")
        out.append(
            f"<tr{cls}><td>{_e(f['source'])}</td><td>{_e(f['file_name'])}</td>"
            f"<td>{_e(f['status_zh'])} <span class='en'>{_e(f['status'])}</span></td>"
            + "".join(f"<td class='n'>{int(f[k])}</td>" for k in
                      ("rows_read", "rows_loaded", "rows_zero_reports", "rows_revised", "rows_rejected"))
            + f"<td>{reason}</td></tr>"
        )
    out.append("</tbody></table>")
    rejected = [(f, r) for f in data["files"] for r in f["rejections"]]
    if rejected:
        out += [
            "<h2>拒收原因 <span class='en'>Why rows were rejected</span></h2>",
            "<p class='en'>被拒收的行保存在 raw.quarantine（含原始单元格），请更正后重新放入文件。"
            " Rejected rows are kept in raw.quarantine with their original cells; correct the file and "
            "drop it again.</p>",
            "<table><thead><tr><th>来源 source</th><th>文件 file</th><th>列 column</th><th>原因 reason</th>"
            "<th>行数 rows</th><th>行号 first rows</th></tr></thead><tbody>",
        ]
        for f, r in rejected:
            more = " …" if r["rows"] > len(r["first_rows"]) else ""
            rows = "、".join(str(n) for n in r["first_rows"]) + more
            out.append(
                f"<tr><td>{_e(f['source'])}</td><td>{_e(r['file_name'])}</td><td>{_e(r['column_name'])}</td>"
                f"<td>{_e(r['reason_zh'])}<br><span class='en'>{_e(r['reason_en'])} "
                f"({_e(r['reason_code'])})</span></td><td class='n'>{r['rows']}</td><td>{_e(rows)}</td></tr>"
            )
        out.append("</tbody></table>")
    out.append("</body></html>\n")
    return "\n".join(out)


def write_load_report(con, run_id: str, target_dir: Path) -> tuple[Path, Path]:
    """Write ``load_report.html`` and ``load_report.json`` for ``run_id`` into ``target_dir``.

    ``con`` is a connection to the build file (after the ingest assets ran); ``target_dir`` is
    normally the reports build folder, so the report is published with the reports.
    """
    target_dir = Path(target_dir)
    target_dir.mkdir(parents=True, exist_ok=True)
    data = load_report_data(con, run_id)
    html_path, json_path = target_dir / REPORT_HTML, target_dir / REPORT_JSON
    html_path.write_text(render_html(data), encoding="utf-8")
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    return html_path, json_path
