"""The quality gate as Dagster asset checks, each next to the asset it checks.

Every check: read a frame from the build DuckDB (``frames.py``), validate it with its saved GX
checkpoint (``gx_project.py``), write one row to ``quality.check_results`` and return an
``AssetCheckResult`` whose metadata carries the offending rows. A row-level suite validates only
the rows that differ from the published warehouse's when that gives the same verdict
(``increment.py``), handed to GX a bounded chunk at a time (``chunks.py``); a cross-table
rule's frame is the offending rows only, from a dbt view.
Critical checks are ``blocking=True`` with severity ERROR (downstream assets do not run);
warnings have severity WARN and never block. The quarantine checks are not blocking: they return
WARN, or ERROR when ``settings.is_strict``, and publication refuses a run with any ERROR failure.
A failed check tags the run (``run_outcome.py``), so a run with warnings is visible as one.
"""

# No ``from __future__ import annotations``: Dagster reads the resource annotation at runtime.
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import dagster as dg
import duckdb
import pandas as pd

from pipelines.enumerations import SOURCE_ZH, SOURCES
from pipelines.gate_records import CheckOutcome, write_check_result
from pipelines.quality import chunks, config, frames
from pipelines.quality.gx_project import run_checkpoint
from pipelines.quality.increment import (
    Coverage,
    RowFrame,
    forget_baseline,
    record_baseline,
    rows_to_validate,
)
from pipelines.quality.offenders import _gx_offenders, _records, _row_label
from pipelines.run_outcome import tag_run
from pipelines.settings import PipelineSettings
from pipelines.whole_run import refuse_partial_run

ERROR = "ERROR"
WARN = "WARN"
STRICT = "STRICT"  # WARN normally, ERROR when settings.is_strict


@dataclass(frozen=True)
class CheckDef:
    name: str  # also the GX suite / validation definition / checkpoint name
    asset_key: tuple[str, ...]
    severity: str  # ERROR, WARN or STRICT
    title_zh: str
    title_en: str
    # offending rows of a cross-table rule (a dbt view), or the rows a row-level suite validates
    frame: Callable[[Any, date], pd.DataFrame] | RowFrame

    @property
    def is_offender_frame(self) -> bool:
        return not isinstance(self.frame, RowFrame)

    @property
    def blocking(self) -> bool:
        """Stops downstream steps when it fails. STRICT checks never do: in strict mode their
        failure has ERROR severity, and publication refuses any run with an ERROR failure."""
        return self.severity == ERROR

    @property
    def policy(self) -> str:
        if self.severity == ERROR:
            return "未通过即阻断发布 a failure blocks publication"
        if self.severity == STRICT:
            return ("默认仅警告；严格模式（run --strict 或 EM_STRICT=1）下未通过即阻断发布"
                    " a failure only warns, except in strict mode (run --strict, EM_STRICT=1): then it "
                    "blocks publication")
        return "未通过仅警告，不阻断发布 a failure only warns, never blocks publication"

    @property
    def key_text(self) -> str:
        return ".".join(self.asset_key)


def _model(name: str) -> Callable[[Any, date], pd.DataFrame]:
    """The offending rows of a rule on the marts: the dbt view ``quality.<name>`` (models/quality/)."""
    return lambda con, as_of: frames.model_rows(con, name)


RAW_KEY = ("source_file", "sheet_name", "row_number")  # a raw row: its file, sheet and row
# ... and, where one row of a file gives several (long form), what it gives
RAW_KEY_MORE = {"statistics": ("measure",), "capabilities": ("indicator_code",)}


def _model_rows(name: str, key: tuple[str, ...]) -> RowFrame:
    """The rows a suite on the marts validates: the dbt view ``quality.<name>``, one row per key."""
    return RowFrame(lambda catalog, as_of: frames.model_rows_sql(name, catalog, as_of), key)


def _raw_rows(source: str) -> RowFrame:
    # Sources whose values_valid frame is their own (their years may lie ahead: a plan's, a quota's).
    own = {"plans": frames.plan_rows_sql, "quotas": frames.quota_rows_sql}.get(source)
    key = RAW_KEY + RAW_KEY_MORE.get(source, ())
    if own:
        return RowFrame(own, key)
    return RowFrame(lambda catalog, as_of: frames.raw_rows_sql(source, catalog, as_of), key)


def check_defs() -> list[CheckDef]:
    defs: list[CheckDef] = []
    for s in SOURCES:
        key = ("raw", s)
        zh = SOURCE_ZH[s]
        defs += [
            CheckDef(
                f"raw_{s}_files_readable", key, ERROR,
                f"{zh}文件均可读取（无整体拒收文件）", f"every {s} file readable (no file rejected whole)",
                lambda con, as_of, s=s: frames.rejected_files(con, s),
            ),
            CheckDef(
                f"raw_{s}_quarantine", key, STRICT,
                f"{zh}无隔离行", f"no {s} rows in quarantine",
                lambda con, as_of, s=s: frames.quarantined_rows(con, s),
            ),
            CheckDef(
                f"raw_{s}_values_valid", key, ERROR,
                f"{zh}字段类型与取值范围", f"{s} types and ranges",
                _raw_rows(s),
            ),
        ]
    defs += [
        CheckDef(
            "raw_disasters_crop_failed_within_affected", ("raw", "disasters"), ERROR,
            "农作物绝收面积不大于受灾面积", "crop_failed_ha <= crop_affected_ha",
            _raw_rows("disasters"),
        ),
        CheckDef(
            "raw_forest_fires_damaged_within_burned", ("raw", "forest_fires"), ERROR,
            "受害森林面积不大于过火面积", "damaged_forest_ha <= burned_area_ha",
            _raw_rows("forest_fires"),
        ),
        # The checks below read the dbt views of models/quality/, built with the marts. Two keep
        # the name they had when they read the raw tables: their history stays one series.
        CheckDef(
            "raw_statistics_gdp_revision", ("marts", "fct_denominator_vintages"), WARN,
            f"地区生产总值修订幅度不超过{config.GDP_REVISION_WARN_SHARE:.0%}",
            f"no GDP revision above {config.GDP_REVISION_WARN_SHARE:.0%}",
            _model("qa_gdp_revisions"),
        ),
        CheckDef(
            "raw_accidents_monthly_volume", ("marts", "fct_accidents"), WARN,
            f"月度事故起数无骤降为零或超过近{config.VOLUME_TRAILING_MONTHS}个月均值"
            f"{config.VOLUME_JUMP_FACTOR:g}倍",
            f"monthly accident count not zero nor above {config.VOLUME_JUMP_FACTOR:g}x the trailing "
            f"{config.VOLUME_TRAILING_MONTHS}-month average",
            _model("qa_accident_volume_anomalies"),
        ),
        CheckDef(
            "marts_fct_indicator_values_values_valid", ("marts", "fct_indicator_values"), ERROR,
            "指标值类型与合理范围", "indicator values: types and plausible ranges",
            _model_rows("qa_indicator_values", ("region_code", "year", "indicator_code")),
        ),
        CheckDef(
            "marts_fct_denominators_values_valid", ("marts", "fct_denominators"), ERROR,
            "分母类型与合理范围", "denominators: types and plausible ranges",
            _model_rows("qa_denominators", ("region_code", "year")),
        ),
        CheckDef(
            "marts_fct_denominators_event_years_complete", ("marts", "fct_denominators"), ERROR,
            "有事件的地区年度均有所需分母", "every region-year with events has its denominators",
            _model("qa_missing_event_denominators"),
        ),
        CheckDef(
            "marts_fct_denominators_plan_years_complete", ("marts", "fct_denominators"), ERROR,
            "规划辖区在规划各年度均有目标所需分母",
            "every plan jurisdiction has its targets' denominators for every plan year",
            _model("qa_missing_plan_denominators"),
        ),
        CheckDef(
            "marts_fct_plan_progress_values_valid", ("marts", "fct_plan_progress"), ERROR,
            "规划进度表与规划目标一一对应", "plan progress: one row per plan target",
            _model_rows("qa_plan_progress", ("plan_id", "region_code", "seq")),
        ),
        CheckDef(
            "marts_dim_plan_every_plan_in_force", ("marts", "dim_plan"), STRICT,
            "规划文件中的规划均有效（无整份被拒收或版本冲突的规划）",
            "every plan the plan files name is in force (none rejected whole or in a version conflict)",
            _model("qa_plans_not_in_force"),
        ),
        CheckDef(
            "marts_fct_missing_submissions_monthly_filed", ("marts", "fct_missing_submissions"), WARN,
            "各县级单位按月报送（含零报告）", "every county-level unit filed every month (records or 零报告)",
            _model("qa_missing_submissions"),
        ),
    ]
    return defs


def _messages(d: CheckDef, passed: bool, count: int, sample: list[dict[str, Any]], extra_zh: str = "",
              extra_en: str = "", checked_rows: int | None = None) -> tuple[str, str]:
    if passed:
        rows = f"，已检查 {checked_rows} 行" if checked_rows is not None else ""
        rows_en = f", {checked_rows} rows checked" if checked_rows is not None else ""
        return (f"检查 {d.name}（{d.title_zh}）通过{rows}。{extra_zh}".rstrip(),
                f"Check {d.name} ({d.title_en}) passed{rows_en}. {extra_en}".rstrip())
    labels = [_row_label(row) for row in sample[:10]]
    where_zh = "；".join(dict.fromkeys(z for z, _ in labels))
    where_en = "; ".join(dict.fromkeys(e for _, e in labels))
    more = count - len(labels)
    tail_zh = f" 等共 {count} 项" if more > 0 else ""
    tail_en = f" and others, {count} in all" if more > 0 else ""
    zh = f"检查 {d.name}（{d.title_zh}）未通过：{count} 项不符合。{extra_zh}涉及：{where_zh}{tail_zh}。"
    en = f"Check {d.name} ({d.title_en}) failed: {count} offending. {extra_en}Rows: {where_en}{tail_en}."
    return zh, en


def evaluate(d: CheckDef, settings: PipelineSettings, run_id: str) -> CheckOutcome:
    """Run one check against the build file, record it in quality.check_results, return it."""
    return evaluate_with_coverage(d, settings, run_id)[0]


def evaluate_with_coverage(d: CheckDef, settings: PipelineSettings,
                           run_id: str) -> tuple[CheckOutcome, Coverage | None]:
    """``evaluate``, and for a row-level suite which rows it validated (all, or the increment)."""
    severity = d.severity if d.severity != STRICT else (ERROR if settings.is_strict else WARN)
    as_of = settings.as_of_date
    coverage = None
    with settings.connect() as con:
        try:
            if isinstance(d.frame, RowFrame):
                rows, coverage = rows_to_validate(con, d.name, d.frame, as_of, settings.warehouse_path,
                                                  run_id)
            else:
                frame = d.frame(con, as_of)
        except (duckdb.CatalogException, duckdb.BinderException) as exc:
            missing = str(exc).splitlines()[0]
            outcome = CheckOutcome(
                d.name, d.key_text, severity, False, 1,
                f"检查 {d.name}（{d.title_zh}）无法执行：{d.key_text} 或其检查视图所需的表或列不存在"
                f"（{missing}）。",
                f"Check {d.name} ({d.title_en}) could not run: a table or column it reads for "
                f"{d.key_text} is missing ({missing}).",
                observed_value=None, offending_sample=[{"error": missing}],
            )
            write_check_result(con, run_id, outcome)
            if isinstance(d.frame, RowFrame):
                forget_baseline(con, d.name)
            return outcome, None

        if coverage is None:
            vr = run_checkpoint(d.name, frame, run_name=run_id)
        elif coverage.scope == "increment" and coverage.rows_validated == 0:
            vr = None  # no row differs: a row-wise suite passes on no rows (GX says so too)
        else:  # a bounded chunk of rows at a time (chunks.py)
            vr = chunks.validate(d.name, rows, run_name=run_id)
            rows.drop()
        passed = vr is None or bool(vr.success)
        extra_zh = extra_en = ""
        if d.is_offender_frame:
            count = len(frame)
            sample = _records(frame, config.SAMPLE_ROWS)
            observed: float | None = float(count)
            if d.name.endswith("_quarantine") and count:
                deaths = int(frame["deaths_in_row"].sum())
                observed = float(count)
                reasons = "、".join(frame["reason_zh"].dropna().astype(str).unique()[:5])
                extra_zh = f"隔离 {count} 行，所载死亡（含失踪）{deaths} 人；原因：{reasons}。"
                extra_en = f"{count} quarantined row(s) carrying {deaths} death(s) incl. missing. "
                if not settings.is_strict:
                    extra_zh += "非严格模式：仅警告。"
                    extra_en += "Not strict mode: warning only. "
                for row in sample:
                    row.setdefault("deaths_in_row", 0)
            elif d.name == "marts_dim_plan_every_plan_in_force" and count:
                reasons = "；".join(str(r.get("reason_zh") or "") for r in sample[:5])
                extra_zh = f"这些规划不进入报告：{reasons}。"
                extra_en = "These plans are not in the reports: " + "; ".join(
                    str(r.get("reason_en") or "") for r in sample[:5]) + ". "
            elif d.name.endswith("_files_readable") and count:
                reasons = "；".join(f"{r['file_name']}：{r.get('reason_zh') or ''}" for r in sample[:5])
                extra_zh = f"整体拒收的文件：{reasons}。"
                extra_en = "Files rejected whole: " + "; ".join(
                    f"{r['file_name']}: {r.get('reason_en') or ''}" for r in sample[:5]) + ". "
            elif d.name == "raw_accidents_monthly_volume" and count:
                extra_zh = "；".join(
                    f"{r['region_code']} {r['month']} {r['accidents']} 起（近12月均 {r['trailing_average']}）"
                    for r in sample[:5]) + "。"
                extra_en = "; ".join(
                    f"{r['region_code']} {r['month']}: {r['accidents']} vs trailing average "
                    f"{r['trailing_average']}" for r in sample[:5]) + ". "
            checked_rows = None
        else:
            sample, count, rules = _gx_offenders(vr) if vr is not None else ([], 0, [])
            observed = float(count)
            if rules:
                extra_zh = "未满足的期望：" + "；".join(rules[:5]) + "。"
                extra_en = "Failed expectations: " + "; ".join(rules[:5]) + ". "
            checked_rows = coverage.rows_validated if coverage is not None else None
        message_zh, message_en = _messages(d, passed, count, sample, extra_zh, extra_en, checked_rows)
        outcome = CheckOutcome(
            d.name, d.key_text, severity, passed, count if not passed else 0, message_zh, message_en,
            observed_value=observed, offending_sample=sample if not passed else [],
        )
        write_check_result(con, run_id, outcome)
        if coverage is not None:
            record_baseline(con, d.name, passed, coverage, as_of, run_id)
        return outcome, coverage


def _coverage_metadata(coverage: Coverage | None) -> dict:
    """Which rows a row-level suite validated: the increment (rows that differ from the published
    warehouse) or every row, and why."""
    if coverage is None:
        return {}
    return {
        "rows_validated": dg.MetadataValue.int(coverage.rows_validated),
        "rows_in_table": dg.MetadataValue.int(coverage.rows_in_frame),
        "validated_scope": dg.MetadataValue.text(coverage.scope),
        "is_increment": dg.MetadataValue.bool(coverage.scope == "increment"),
        "validated_scope_reason": dg.MetadataValue.text(coverage.reason_en),
    }


def _to_result(d: CheckDef, outcome: CheckOutcome, coverage: Coverage | None = None) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity.ERROR if outcome.severity == ERROR else dg.AssetCheckSeverity.WARN,
        metadata={
            "offending_count": dg.MetadataValue.int(int(outcome.offending_count)),
            "observed_value": dg.MetadataValue.float(float(outcome.observed_value or 0.0)),
            "offending_sample": dg.MetadataValue.json(outcome.offending_sample),
            "message_zh": dg.MetadataValue.text(outcome.message_zh),
            "message_en": dg.MetadataValue.text(outcome.message_en),
            "gx_checkpoint": dg.MetadataValue.text(d.name),
            **_coverage_metadata(coverage),
        },
        description=outcome.message_zh,
    )


def _make_asset_check(d: CheckDef) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(list(d.asset_key)),
        name=d.name,
        blocking=d.blocking,
        description=f"{d.title_zh} / {d.title_en}。{d.policy}.",
    )
    def _check(context: dg.AssetCheckExecutionContext, settings: PipelineSettings) -> dg.AssetCheckResult:
        refuse_partial_run(context)
        outcome, coverage = evaluate_with_coverage(d, settings, context.run.run_id)
        result = _to_result(d, outcome, coverage)
        if not outcome.passed:
            log = context.log.error if outcome.blocks else context.log.warning
            log(outcome.message_zh + "\n" + outcome.message_en)
            tag_run(context.instance, context.run.run_id,
                    [(f"{dg.AssetKey(list(d.asset_key)).to_user_string()}:{d.name}", False, result.severity)])
        return result

    return _check


CHECK_DEFS: list[CheckDef] = check_defs()
quality_checks: list[dg.AssetChecksDefinition] = [_make_asset_check(d) for d in CHECK_DEFS]


def checks_for(*asset_keys: dg.AssetKey | tuple[str, ...] | list[str]) -> list[dg.AssetChecksDefinition]:
    """The asset checks attached to the given asset keys (for partial runs and tests)."""
    wanted = {tuple(k.path) if isinstance(k, dg.AssetKey) else tuple(k) for k in asset_keys}
    return [c for d, c in zip(CHECK_DEFS, quality_checks, strict=True) if d.asset_key in wanted]
