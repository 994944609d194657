"""What each dbt test checks, in words, for the Dagster UI (dbt's generic tests carry no text).

A generic test is described from its name and arguments (``not_null`` on ``region_code`` …); a
singular test by the comment lines it starts with; a test with a ``description`` in its yml keeps
it. Every description says whether a failure blocks publication (severity ``error``) or only
warns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_REF = re.compile(r"ref\(\s*['\"]([^'\"]+)['\"]\s*\)")


def _ref_name(text: str) -> str:
    found = _REF.search(str(text))
    return found.group(1) if found else str(text)


def _generic(name: str, kwargs: Mapping[str, Any], column: str | None) -> tuple[str, str]:
    col = column or kwargs.get("column_name") or ""
    if name == "not_null":
        return f"列 {col} 不为空", f"column {col} is never null"
    if name == "unique":
        return f"列 {col} 取值唯一", f"column {col} is unique"
    if name == "accepted_values":
        values = ", ".join(str(v) for v in kwargs.get("values", []))
        return f"列 {col} 只取以下值：{values}", f"column {col} only takes the values {values}"
    if name == "relationships":
        target = f"{_ref_name(kwargs.get('to', ''))}.{kwargs.get('field', '')}"
        return f"列 {col} 的每个值都存在于 {target}", f"every value of {col} exists in {target}"
    if name == "in_enumeration":
        target = f"{_ref_name(kwargs.get('to', ''))}.{kwargs.get('field', '')}"
        return (f"列 {col} 的每个值都是枚举种子 {target} 中的代码",
                f"every value of {col} is a code of the enumeration seed {target}")
    if name == "not_negative":
        return f"列 {col} 不为负数", f"column {col} is never negative"
    if name == "unique_combination_of_columns":
        cols = ", ".join(kwargs.get("combination_of_columns", []))
        return f"({cols}) 的组合唯一（每个组合一行）", f"one row per ({cols})"
    if name == "ci_brackets_value":
        low, value, high = (kwargs.get(k, "") for k in ("low_column", "value_column", "high_column"))
        return (f"置信区间包含数值：{low} ≤ {value} ≤ {high}",
                f"the interval brackets the value: {low} <= {value} <= {high}")
    return f"dbt 测试 {name}", f"dbt test {name}"


def _leading_comment(sql: str) -> str:
    lines = []
    for line in sql.splitlines():
        stripped = line.strip()
        if not stripped.startswith("--"):
            break
        lines.append(stripped.lstrip("-").strip())
    return " ".join(lines)


def describe_test(test: Mapping[str, Any]) -> str:
    """One paragraph (Chinese / English) for a dbt test node of the manifest."""
    severity = str((test.get("config") or {}).get("severity", "error")).lower()
    gate_zh, gate_en = (("未通过即阻断发布", "a failure blocks publication") if severity == "error"
                        else ("未通过仅警告", "a failure only warns"))
    own = (test.get("description") or "").strip()
    metadata = test.get("test_metadata") or {}
    if own:
        what = own
    elif metadata:
        zh, en = _generic(metadata.get("name", ""), metadata.get("kwargs") or {}, test.get("column_name"))
        what = f"{zh}。 {en}."
    else:
        what = _leading_comment(test.get("raw_code") or "") or f"dbt singular test {test.get('name')}"
    return f"dbt 测试（{gate_zh}） / dbt test ({gate_en}): {what}"
