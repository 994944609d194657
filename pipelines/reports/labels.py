"""Words, colours and number formats shown in the reports (presentation only, no indicator)."""

from __future__ import annotations

import math
import re
from datetime import date

from pipelines import enumerations

# status code -> (word, css class, symbol). The word (seeds/code_labels.csv) is always printed
# beside the colour.
_STATUS_STYLE: dict[str, tuple[str, str]] = {
    "achieved": ("good", "✓"),
    "on_track": ("good", "✓"),
    "not_achieved": ("bad", "✗"),
    "worsening": ("bad", "✗"),
    "needs_acceleration": ("warn", "!"),
    "limited": ("warn", "!"),
    "no_verdict": ("none", "–"),
    "insufficient_data": ("none", "?"),
}
STATUS: dict[str, tuple[str, str, str]] = {
    code: (enumerations.PLAN_STATUS_ZH[code], css, symbol) for code, (css, symbol) in _STATUS_STYLE.items()
}
STATUS_ORDER = list(STATUS)
INSUFFICIENT = enumerations.PLAN_STATUS_ZH["insufficient_data"]

# Severity classes and sources with their Chinese names: seeds/severities.csv and sources.csv.
SEVERITY_ZH = enumerations.SEVERITY_ZH
SEVERITY_ORDER = list(reversed(enumerations.SEVERITY_CLASSES))  # the gravest first

# Region levels and indicator kinds with their Chinese names: seeds/code_labels.csv.
LEVEL_ZH = enumerations.REGION_LEVEL_ZH

SOURCE_ZH = enumerations.SOURCE_ZH

VERDICT_ZH = {
    "passed": "通过",
    "pass": "通过",
    "failed": "未通过",
    "fail": "未通过",
    "blocked": "未通过",
    "warned": "通过（有警告）",
    "warn": "通过（有警告）",
}

KIND_ZH = enumerations.INDICATOR_KIND_ZH

COMPARATOR_ZH = enumerations.COMPARATOR_ZH  # ＜ ≤ ＞ ≥ (seeds/comparators.csv)

def is_missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def fmt_num(v, *, digits: int = 4, missing: str = INSUFFICIENT) -> str:
    """A value as printed: integers with thousands separators, others with `digits`
    significant figures (never scientific notation)."""
    if is_missing(v):
        return missing
    v = float(v)
    if v == int(v) and abs(v) >= 1:
        return f"{int(v):,}"
    if v == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(v)))
    decimals = max(0, digits - 1 - magnitude)
    text = f"{v:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def fmt_count(v, missing: str = INSUFFICIENT) -> str:
    if is_missing(v):
        return missing
    return f"{int(round(float(v))):,}"


def fmt_pct(v, missing: str = "—") -> str:
    """A change the marts give in percent (change_pct = -15.2 means -15.2%), signed, one decimal."""
    if is_missing(v):
        return missing
    return f"{float(v):+.1f}%"


def fmt_month(d) -> str:
    if is_missing(d):
        return ""
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    return f"{d.year}年{d.month}月"


def fmt_date(d) -> str:
    if is_missing(d):
        return ""
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    return f"{d.year}年{d.month}月{d.day}日"


def safe_file_stem(code: str, name: str | None) -> str:
    """`230500_双鸭山市`; anything but letters, digits and CJK is dropped from the name."""
    clean = re.sub(r"[^0-9A-Za-z\u4e00-\u9fff]", "", name or "")[:20]
    return f"{code}_{clean}" if clean else code
