"""How a failed check names its offending rows: a sample of them (file and row, or region and
year), how many, and which expectations they broke."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipelines.enumerations import SOURCE_ZH
from pipelines.quality import config


def _clean(value):
    if value is None:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def _records(df: pd.DataFrame, limit: int) -> list[dict[str, Any]]:
    head = df.head(limit)
    return [{k: _clean(v) for k, v in row.items()} for row in head.to_dict(orient="records")]


def _row_label(row: dict[str, Any]) -> tuple[str, str]:
    """How a person finds the row: file and row number, or region and year/month."""
    file = row.get("source_file") or row.get("file_name")
    rown = row.get("row_number")
    if file:
        if rown not in (None, ""):
            return f"{file} 第{rown}行", f"{file} row {rown}"
        return f"{file}", f"{file}"
    zh: list[str] = []
    en: list[str] = []
    if row.get("plan_id"):
        zh.append(str(row["plan_id"]))
        en.append(str(row["plan_id"]))
    if row.get("region_code"):
        code = str(row["region_code"])
        # a statistician finds a unit by its name: 饶河县（230524）; the English keeps the code
        zh.append(f"{row['region_name']}（{code}）" if row.get("region_name") else code)
        en.append(code)
    for key in ("year", "month"):
        if row.get(key) not in (None, ""):
            zh.append(str(row[key]))
            en.append(str(row[key]))
    if row.get("seq") not in (None, ""):
        zh.append(f"#{row['seq']}")
        en.append(f"#{row['seq']}")
    if row.get("source"):
        zh.append(SOURCE_ZH.get(str(row["source"]), str(row["source"])))
        en.append(str(row["source"]))
    if row.get("measure"):
        zh.append(str(row["measure"]))
        en.append(str(row["measure"]))
    return " ".join(zh) or "?", " ".join(en) or "?"


def _exception_message(info) -> str | None:
    """GX keeps an expectation's exception either flat or keyed by metric: find it in both."""
    if not isinstance(info, dict):
        return None
    if info.get("raised_exception"):
        return str(info.get("exception_message") or "exception")
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message") or "exception")
    return None


def _gx_offenders(validation_result) -> tuple[list[dict[str, Any]], int, list[str]]:
    """Offending rows of a row-level suite: (sample, violations, failed rules).

    Violations are counted per failed expectation: a row breaking two rules counts twice.
    """
    sample: list[dict[str, Any]] = []
    violations = 0
    rules: list[str] = []
    for r in validation_result.results:
        if r.success:
            continue
        cfg = r.expectation_config
        shown = ("column", "column_A", "column_B", "row_condition")
        kwargs = {k: v for k, v in cfg.kwargs.items() if k in shown}
        rule = cfg.type + "(" + ", ".join(f"{k}={v}" for k, v in kwargs.items()) + ")"
        rules.append(rule)
        res = r.result or {}
        index_list = res.get("partial_unexpected_index_list") or res.get("unexpected_index_list") or []
        error = _exception_message(r.exception_info)
        if error:
            sample.append({"rule": rule, "error": error})
            violations += 1
            continue
        if not index_list:
            # Table-level expectation (row count, ...): report what was observed.
            sample.append({"rule": rule, "observed_value": _clean(res.get("observed_value"))})
            violations += int(res.get("unexpected_count") or 1)
            continue
        violations += int(res.get("unexpected_count") or len(index_list))
        for item in index_list:
            if not isinstance(item, dict):
                item = {"index": item}
            if len(sample) < config.SAMPLE_ROWS:
                sample.append({"rule": rule, **{k: _clean(v) for k, v in item.items()}})
    return sample, violations, rules
