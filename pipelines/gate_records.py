# ruff: noqa: E501  (each column carries its English / 中文 comment on its line: the DuckDB comment)
"""``quality.check_results`` and ``quality.runs``: what the gate decided, and when.

A row of ``check_results`` blocks the run when ``passed`` is false and ``severity`` is
``ERROR``; ``WARN`` rows are listed in reports and ``status`` but never stop anything.
Times are Asia/Shanghai wall-clock time (``timestamp`` without zone), like the rest of the
warehouse's user-facing dates.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pipelines.paths import TIMEZONE
from pipelines.tables import Column, Table

CHECK_RESULTS = Table(
    "quality",
    "check_results",
    "One row per check of every run (Great Expectations suites and dbt tests): what it found. / 每次运行每项质量检查一行（GX 与 dbt 测试）。",
    (
        Column("run_id", "varchar", "Dagster run id of the run that checked. / 执行检查的运行编号。"),
        Column("checked_at", "timestamp", "When the check ran (Asia/Shanghai wall-clock time). / 检查时间（北京时间）。"),
        Column("check_name", "varchar", "Name of the check (the GX checkpoint or the dbt test). / 检查名称。"),
        Column("asset_key", "varchar", "Table checked, e.g. raw.accidents, marts.fct_denominators. / 被检查的表。"),
        Column("severity", "varchar", "ERROR (blocks publication when failed) / WARN (never blocks). / 严重级别：ERROR 未通过即阻断发布，WARN 仅警告。"),
        Column("passed", "boolean", "The check passed. / 是否通过。"),
        Column("observed_value", "double", "The measured quantity, usually offending rows (rows; for a few checks a share or a count of months). / 观测值（通常为不符合的行数）。", nullable=True),
        Column("offending_count", "bigint", "Offending rows or items, rows (0 when passed). / 不符合的行数或项数（行）。"),
        Column("offending_sample", "json", "Up to 20 offending rows (JSON list: file and row, or region and year). / 不符合行示例（JSON，最多20行）。", nullable=True),
        Column("message_zh", "varchar", "What the check found, in Chinese, naming the rows. / 检查结论（中文）。"),
        Column("message_en", "varchar", "What the check found, in English, naming the rows. / 检查结论（英文）。"),
    ),
)

RUNS = Table(
    "quality",
    "runs",
    "One row per published run: when it ran, the gate's verdict, the as-of date and the data folder. / 每次发布的运行一行：时间、质量关口结论、截至日期与数据目录。",
    (
        Column("run_id", "varchar", "Dagster run id. / 运行编号。"),
        Column("started_at", "timestamp", "When the run started (Asia/Shanghai wall-clock time). / 开始时间（北京时间）。", nullable=True),
        Column("finished_at", "timestamp", "When the run recorded its verdict (Asia/Shanghai wall-clock time). / 结束时间（北京时间）。", nullable=True),
        Column("verdict", "varchar", "Gate verdict: passed / passed_with_warnings / blocked / failed (labels in marts.dim_code_label, gate_verdict). / 质量关口结论。"),
        Column("as_of", "date", "The run's as-of date (DATE). / 截至日期。", nullable=True),
        Column("data_dir", "varchar", "The data folder the run loaded (absolute path). / 数据目录。", nullable=True),
        Column("is_sample_data", "boolean", "The folder is the synthetic sample (SAMPLE_DATA.txt). / 是否示例数据。", nullable=True),
    ),
)
GATE_BASELINE = Table(
    "quality",
    "gate_baseline",
    "One row per row-level check: the rows it last found valid in full, so that a later run validates only the rows that differ (pipelines/quality/increment.py). / 每项逐行检查一行：上次全部通过的行的指纹，之后的运行只检查与之不同的行。",
    (
        Column("check_name", "varchar", "Name of the check (its GX checkpoint). / 检查名称。"),
        Column("rules_fingerprint", "varchar", "SHA-256 of what a verdict depends on besides the rows: the check's GX files, the frame code, the dbt project, the GX and DuckDB versions (hex). / 规则指纹（SHA-256）。"),
        Column("as_of", "date", "The as-of date the rows were validated against (DATE). / 检查所依据的截至日期。"),
        Column("frame_rows", "bigint", "Rows of the check's frame, all valid (rows). / 检查框架的行数（均通过，行）。"),
        Column("frame_digest", "varchar", "Sum of DuckDB's hashes of those rows: the published frame must still give it (decimal text). / 这些行的哈希之和。"),
        Column("rows_validated", "bigint", "Rows the last run validated itself (rows; the others were unchanged since an earlier validation). / 上次运行实际检查的行数（行）。"),
        Column("scope", "varchar", "increment (only rows that differ from the published warehouse) / full (every row). / 检查范围：increment 仅变更行，full 全部行。"),
        Column("run_id", "varchar", "Dagster run id of the run that validated. / 执行检查的运行编号。"),
        Column("validated_at", "timestamp", "When (Asia/Shanghai wall-clock time). / 检查时间（北京时间）。"),
    ),
)
QUALITY_TABLES = (CHECK_RESULTS, RUNS, GATE_BASELINE)


def ensure_quality_tables(con) -> None:
    for table in QUALITY_TABLES:
        table.create(con)


def now_in_china() -> datetime:
    return datetime.now(TIMEZONE).replace(tzinfo=None)


@dataclass
class CheckOutcome:
    """What one check found: the row written to ``quality.check_results``."""

    check_name: str
    asset_key: str
    severity: str  # "ERROR" or "WARN"
    passed: bool
    offending_count: int
    message_zh: str
    message_en: str
    observed_value: float | None = None
    offending_sample: list[dict[str, Any]] | None = field(default_factory=list)  # None: none kept

    @property
    def blocks(self) -> bool:
        return not self.passed and self.severity == "ERROR"


def _json_default(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def to_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def write_check_results(con, run_id: str, outcomes: list[CheckOutcome],
                        checked_at: datetime | None = None) -> None:
    """Insert (or, when a step is retried, replace) the results of checks of one run: the GX
    checks one at a time, the dbt tests of a build together."""
    ensure_quality_tables(con)
    if not outcomes:
        return
    checked_at = checked_at or now_in_china()
    rows = [
        [run_id, checked_at, o.check_name, o.asset_key, o.severity, o.passed, o.observed_value,
         o.offending_count, None if o.offending_sample is None else to_json(o.offending_sample),
         o.message_zh, o.message_en]
        for o in outcomes
    ]
    # one statement each for the lot (DuckDB runs executemany a row at a time: ~300 dbt tests)
    placeholders = ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?::json, ?, ?)"] * len(rows))
    keys = ", ".join(["(?, ?)"] * len(rows))
    con.execute(f"delete from quality.check_results where run_id = ? and (check_name, asset_key) in "
                f"(values {keys})", [run_id, *[v for o in outcomes for v in (o.check_name, o.asset_key)]])
    con.execute(f"insert into quality.check_results values {placeholders}", [v for r in rows for v in r])


def write_check_result(con, run_id: str, outcome: CheckOutcome, checked_at: datetime | None = None) -> None:
    write_check_results(con, run_id, [outcome], checked_at)


def record_run(
    con,
    run_id: str,
    started_at: datetime | None,
    finished_at: datetime | None,
    verdict: str,
    as_of: date | None,
    data_dir: str | None,
    is_sample_data: bool,
) -> None:
    """Write (or replace) the one row of ``quality.runs`` for ``run_id``."""
    ensure_quality_tables(con)
    con.execute("delete from quality.runs where run_id = ?", [run_id])
    con.execute(
        "insert into quality.runs values (?, ?, ?, ?, ?, ?, ?)",
        [run_id, started_at, finished_at, verdict, as_of, str(data_dir) if data_dir else None,
         is_sample_data],
    )


def _has_results_table(con) -> bool:
    return bool(con.execute(
        "select count(*) from information_schema.tables"
        " where table_schema = 'quality' and table_name = 'check_results'"
    ).fetchone()[0])


def run_verdict(con, run_id: str) -> str:
    """``blocked`` if a failed ERROR check, ``passed_with_warnings`` if a failed WARN, else ``passed``.

    Works on a read-only connection; a run without any stored result is ``passed``.
    """
    if not _has_results_table(con):
        return "passed"
    row = con.execute(
        """
        select count(*) filter (where not passed and severity = 'ERROR'),
               count(*) filter (where not passed and severity <> 'ERROR')
        from quality.check_results where run_id = ?
        """,
        [run_id],
    ).fetchone()
    if row[0]:
        return "blocked"
    return "passed_with_warnings" if row[1] else "passed"


def gate_of_run(con, run_id: str) -> dict | None:
    """The gate's verdict on a run, as pages state it: its row of ``quality.runs`` once recorded;
    before that (the reports are written before ``run_record``), the verdict of its check results;
    None for a run without either (an earlier month's analysis written from published data)."""
    has_runs = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'quality' and table_name = 'runs'"
    ).fetchone()[0]
    if has_runs:
        cur = con.execute("select * from quality.runs where run_id = ?", [run_id])
        found = cur.fetchone()
        if found:
            return dict(zip([d[0] for d in cur.description], found, strict=True))
    if not _has_results_table(con):
        return None
    checked = con.execute("select count(*) from quality.check_results where run_id = ?", [run_id]).fetchone()[0]
    return {"run_id": run_id, "verdict": run_verdict(con, run_id)} if checked else None


def load_outcomes(con, run_id: str) -> list[CheckOutcome]:
    """The stored results of one run (read-only connections welcome)."""
    if not _has_results_table(con):
        return []
    rows = con.execute(
        """
        select check_name, asset_key, severity, passed, offending_count, message_zh, message_en,
               observed_value, offending_sample::varchar
        from quality.check_results where run_id = ? order by asset_key, check_name
        """,
        [run_id],
    ).fetchall()
    return [
        CheckOutcome(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], json.loads(r[8]) if r[8] else [])
        for r in rows
    ]


def _evaluation_fields(ev) -> tuple[str, str, str, bool, dict[str, Any]]:
    """(check name, asset key, severity, passed, metadata) of a Dagster evaluation or an outcome."""
    if isinstance(ev, CheckOutcome):
        return ev.check_name, ev.asset_key, ev.severity, ev.passed, {
            "message_zh": ev.message_zh,
            "message_en": ev.message_en,
            "offending_sample": ev.offending_sample,
            "offending_count": ev.offending_count,
        }
    meta = {}
    for key, value in (ev.metadata or {}).items():
        meta[key] = getattr(value, "value", value)
    severity = getattr(ev.severity, "value", str(ev.severity))
    return ev.check_name, ".".join(ev.asset_key.path), severity, ev.passed, meta


def summarize_failures(check_evaluations: Iterable[Any], include_warnings: bool = False) -> str:
    """Text for the CLI: each failed blocking check with its message and offending rows.

    Accepts Dagster ``AssetCheckEvaluation``s (``result.get_asset_check_evaluations()``) or
    ``CheckOutcome``s (``load_outcomes(con, run_id)``). Empty string when nothing blocks.
    """
    blocks, warns = [], []
    for ev in check_evaluations:
        name, key, severity, passed, meta = _evaluation_fields(ev)
        if passed:
            continue
        (blocks if severity == "ERROR" else warns).append((name, key, severity, meta))
    lines: list[str] = []
    if blocks:
        lines.append(
            f"质量关卡未通过：{len(blocks)} 项阻断性检查失败 / "
            f"quality gate blocked: {len(blocks)} failed check(s)"
        )
    shown = blocks + (warns if include_warnings else [])
    for name, key, severity, meta in shown:
        lines.append(f"- [{severity}] {key} :: {name} ({meta.get('offending_count', '?')} offending)")
        for lang in ("message_zh", "message_en"):
            if meta.get(lang):
                lines.append(f"    {meta[lang]}")
        sample = meta.get("offending_sample") or []
        if isinstance(sample, str):
            try:
                sample = json.loads(sample)
            except ValueError:
                sample = [sample]
        for row in sample[:10]:
            lines.append(f"    · {to_json(row)}")
    if warns and not include_warnings:
        lines.append(f"警告 {len(warns)} 项（不阻断）/ {len(warns)} warning(s), not blocking: "
                     + ", ".join(n for n, *_ in warns))
    return "\n".join(lines)
