"""How numbers, changes, dates and times are written in the pages (presentation only).

One rule per kind of number, so that every page writes it the same way:

- counts (人, 起, 次) as integers with separators; a fractional threshold of a count keeps two
  decimals (12.75人);
- other values with three significant figures (0.0189 人/亿元, 1,287 人次/10万人, 0.038%);
- a change of a % or ‰ indicator in 百分点 (the marts' change_pp), never in %;
- an unchanged value reads 持平, a fall to zero 降至0, never "+0.0%" or "-100.0%";
- a small count's change in units (减少2人), where a percentage of a handful misleads;
- times in Beijing time with the zone said (2026年12月7日 15:34（北京时间）).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime

from pipelines.paths import TIMEZONE

INSUFFICIENT = "数据不足"
COUNT_UNITS = ("人", "起", "次", "人次", "处", "个")
PERCENT_UNITS = ("%", "‰")
SMALL_COUNT = 10  # below this a count's change is said in units, and chance is said to matter
MIN_RISE = 2  # a county is named as worsening when its deaths rose by at least this many (1 is noise)


def is_missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def fmt_num(v, *, digits: int = 3, missing: str = INSUFFICIENT) -> str:
    """A value with ``digits`` significant figures; integers with thousands separators; never
    scientific notation."""
    if is_missing(v):
        return missing
    v = float(v)
    if v == 0:
        return "0"
    if v == int(v) and abs(v) >= 1:
        return f"{int(v):,}"
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


def is_count_unit(unit: str | None) -> bool:
    return (unit or "") in COUNT_UNITS


def fmt_value(v, unit: str | None = None, *, missing: str = INSUFFICIENT, with_unit: bool = False) -> str:
    """A value in its unit's precision (see the module's rules), optionally followed by the unit."""
    if is_missing(v):
        return missing
    if is_count_unit(unit):
        f = float(v)
        text = f"{int(f):,}" if f == int(f) else f"{f:,.2f}".rstrip("0").rstrip(".")
    else:
        text = fmt_num(v)
    return f"{text}{unit or ''}" if with_unit else text


def fmt_pct(v, missing: str = "—") -> str:
    """A change the marts give in percent (-15.2 means -15.2%), in words: 下降15.2% / 上升3.0%."""
    if is_missing(v):
        return missing
    v = float(v)
    if round(v, 1) == 0:
        return "持平"
    return f"{'上升' if v > 0 else '下降'}{abs(v):.1f}%"


def fmt_signed_pct(v, missing: str = "—") -> str:
    """A rate of change per year, signed (-2.1%): the required or achieved pace of a decline."""
    if is_missing(v):
        return missing
    return f"{float(v):+.1f}%"


def fmt_points(pp, unit: str | None = "%") -> str:
    """A change or gap of a % indicator in 百分点; a ‰ indicator's in 千分点."""
    v = float(pp)
    if unit == "‰":
        v, word = v * 10, "个千分点"  # the marts give a ‰ difference divided by 10
    else:
        word = "个百分点"
    if round(v, 4) == 0:
        return "持平"
    return f"{'上升' if v > 0 else '下降'}{fmt_num(abs(v), digits=2)}{word}"


def change_of(row: dict, before, after, unit: str | None) -> str:
    """fmt_change of a mart row that carries change_pct / change_pp."""
    return fmt_change(
        change_pct=row.get("change_pct"),
        change_pp=row.get("change_pp"),
        before=before,
        after=after,
        unit=unit,
    )


def fmt_change(
    *, change_pct=None, change_pp=None, before=None, after=None, unit: str | None = None, missing: str = "—"
) -> str:
    """The change between two values, as the marts measured it, in the words a reader expects."""
    if not is_missing(change_pp):
        return fmt_points(change_pp, unit)
    if not is_missing(before) and not is_missing(after):
        b, a = float(before), float(after)
        if a == b:
            return "持平"
        if a == 0 and b > 0:
            return "降至0"
        if is_count_unit(unit) and max(a, b) < SMALL_COUNT and a == int(a) and b == int(b):
            return f"{'增加' if a > b else '减少'}{fmt_count(abs(a - b))}{unit}"
    return fmt_pct(change_pct, missing=missing)


def fmt_gap(gap, unit: str | None) -> str:
    """How far a value is from its target, in the indicator's own unit (百分点 for %)."""
    if is_missing(gap):
        return ""
    g = abs(float(gap))
    if unit in PERCENT_UNITS:
        return fmt_points(g, unit).replace("上升", "")
    return fmt_value(g, unit, with_unit=True)


def _as_date(d) -> date | None:
    if is_missing(d):
        return None
    return date.fromisoformat(d[:10]) if isinstance(d, str) else d


def fmt_month(d) -> str:
    d = _as_date(d)
    return "" if d is None else f"{d.year}年{d.month}月"


def fmt_date(d) -> str:
    d = _as_date(d)
    return "" if d is None else f"{d.year}年{d.month}月{d.day}日"


def fmt_months(months: list[int]) -> str:
    """[9, 10] → 9—10月; [3, 5, 6] → 3、5—6月."""
    runs: list[list[int]] = []
    for m in sorted(set(months)):
        if runs and m == runs[-1][-1] + 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    return "、".join(f"{r[0]}—{r[-1]}" if len(r) > 1 else f"{r[0]}" for r in runs) + "月"


def now_local() -> datetime:
    return datetime.now(TIMEZONE)


def fmt_datetime(t: datetime | None) -> str:
    """A moment in Beijing time, the zone said: 2026年12月7日 15:34（北京时间）."""
    if t is None:
        return ""
    if t.tzinfo is not None:
        t = t.astimezone(TIMEZONE)
    return f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}（北京时间）"


def safe_file_stem(code: str, name: str | None) -> str:
    """`230500_双鸭山市`; anything but letters, digits and CJK is dropped from the name."""
    clean = re.sub(r"[^0-9A-Za-z\u4e00-\u9fff]", "", name or "")[:20]
    return f"{code}_{clean}" if clean else code


def css_string(text: str) -> str:
    """Text as a CSS string's content (the A4 running header): quotes, backslashes, line breaks
    and angle brackets escaped, so that no file or region name can end the string or the style."""
    out = []
    for ch in str(text):
        if ch in '"\\' or ch in "<>&" or ord(ch) < 0x20 or ch in "\u2028\u2029":
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return "".join(out)
