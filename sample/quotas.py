# ruff: noqa: E501  (tables of Chinese text are wide)
"""The sample's control quotas (data_raw/quotas/, 年度控制指标下达表, docs/spec/monthly.md).

Every county-level unit of the five jurisdictions and the two prefectures (双鸭山市, 衡水市) get
quotas for 2025 and 2026, issued on 15 January: deaths and accidents 10% below the year before
(rounded half up, at least 1), 较大及以上 accidents 0. A prefecture's own quota is computed from its
own total of the year before, not summed from its counties'. One mid-year adjustment: 双鸭山 raises
集贤县's 2026 deaths quota from 2 to 3 on 2026-07-15 (ADJUSTMENT). The quotas are derived from the
generated accidents, so a 2026 county is 超控 or 预警 by its own figures; ``statuses`` works them
out at the default monitoring month (October, as of 2026-11-26) for the README, and
``write_quotas`` refuses a sample without at least one of each (docs/spec/sample-data.md).

Written by ``generate_sample`` through one hook (``write_quotas`` and ``quotas_section``), in the
forms bureaus use: a workbook with title rows (双鸭山), GB18030 CSV with alias headers (衡水), UTF-8
CSV with BOM (the county-level jurisdictions, from their prefectures), and a one-row adjustment.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from .layout import Out
from .profiles import MISSING_2026, Jurisdiction
from .records import Accident

YEARS = (2025, 2026)
ISSUED = "01-15"
MONITORING_MONTH = 10  # the latest month due at the sample's as-of date
INDICATORS = (
    ("safety_deaths", "生产安全事故死亡人数"),
    ("safety_accidents", "生产安全事故起数"),
    ("larger_and_above_accidents", "较大及以上生产安全事故起数"),
)
CANON = ["年度", "行政区划代码", "行政区划名称", "指标代码", "指标名称", "控制数", "下达日期"]
ALIASES = ["年份", "行政区划代码", "行政区划名称", "指标代码", "控制指标", "控制指标数", "下达日期"]
PREFECTURES = {"230500": "双鸭山市", "131100": "衡水市"}


@dataclass(frozen=True)
class Adjustment:
    year: int
    code: str
    indicator: str
    quota: int
    issued: date
    file_name: str


ADJUSTMENT = Adjustment(
    2026,
    "230521",
    "safety_deaths",
    3,
    date(2026, 7, 15),
    "2026年度安全生产控制指标调整（双鸭山市，2026年7月）.csv",
)


def _counted(accidents: list[Accident]) -> list[Accident]:
    """The accidents the warehouse counts: valid rows, latest filing of each, not written off."""
    latest: dict[str, Accident] = {}
    for a in accidents:
        if a.overrides.get("deaths", "").startswith("约") or a.code == "230599":
            continue  # rows the contracts reject
        cur = latest.get(a.id)
        if cur is None or a.reported_date >= cur.reported_date:
            latest[a.id] = a
    return [a for a in latest.values() if a.status != "核销"]


def _half_up(x: float) -> int:
    return int(x + 0.5)


def _totals(accidents: list[Accident], months: int = 12) -> dict[tuple[str, int, str], int]:
    """(unit or prefecture, year, indicator) -> count over January..months."""
    out: dict[tuple[str, int, str], int] = defaultdict(int)
    for a in _counted(accidents):
        if a.occurred.month > months:
            continue
        deaths = a.deaths + a.missing
        for code in {a.code, a.jurisdiction}:
            out[(code, a.occurred.year, "safety_deaths")] += deaths
            out[(code, a.occurred.year, "safety_accidents")] += 1
    return out


def quotas(jurs: list[Jurisdiction], accidents: list[Accident]) -> list[tuple[int, str, str, str, int]]:
    """(year, code, name, indicator, quota) issued in January, per unit and prefecture."""
    totals = _totals(accidents)
    out = []
    for year in YEARS:
        for jur in jurs:
            units = [(u.code, u.name) for u in jur.units]
            if jur.code in PREFECTURES:
                units.append((jur.code, PREFECTURES[jur.code]))
            for code, name in units:
                for indicator, _label in INDICATORS:
                    if indicator == "larger_and_above_accidents":
                        q = 0
                    else:
                        q = max(1, _half_up(0.9 * totals[(code, year - 1, indicator)]))
                    out.append((year, code, name, indicator, q))
    return out


def statuses(jurs: list[Jurisdiction], accidents: list[Accident]) -> dict[str, list[str]]:
    """The 2026 deaths statuses of the counties that filed every month to October (README)."""
    quota = {(c, i): q for y, c, _n, i, q in quotas(jurs, accidents) if y == 2026}
    quota[(ADJUSTMENT.code, ADJUSTMENT.indicator)] = ADJUSTMENT.quota
    actual = _totals(accidents, MONITORING_MONTH)
    late = {code for (code, source), _months in MISSING_2026.items() if source == "accidents"}
    out: dict[str, list[str]] = {"exceeded": [], "warning": [], "normal": []}
    for jur in jurs:
        for u in jur.units:
            if u.code in late:
                continue
            a, q = actual[(u.code, 2026, "safety_deaths")], quota[(u.code, "safety_deaths")]
            if a > q:
                kind = "exceeded"
            elif q > 0 and a * 12 > q * MONITORING_MONTH:  # usage above time progress, exactly
                kind = "warning"
            else:
                kind = "normal"
            out[kind].append(f"{u.name} {u.code} ({a}/{q})")
    return out


def write_quotas(out: Out, jurs: list[Jurisdiction], accidents: list[Accident]) -> None:
    st = statuses(jurs, accidents)
    if not st["exceeded"] or not st["warning"]:
        raise AssertionError(f"the sample's 2026 quotas need a 超控 and a 预警 county at October: {st}")
    labels = dict(INDICATORS)
    rows = quotas(jurs, accidents)
    for year in YEARS:
        issued = date.fromisoformat(f"{year}-{ISSUED}")
        created = datetime(year, 1, 15, 9, 0)
        for jur in jurs:
            mine = [
                r for r in rows if r[0] == year and (r[1] in {u.code for u in jur.units} or r[1] == jur.code)
            ]
            if jur.code == "230500":
                out.table(
                    "quotas",
                    f"{year}年度安全生产控制指标下达表（双鸭山市）.xlsx",
                    CANON,
                    [[y, c, n, i, labels[i], q, issued] for y, c, n, i, q in mine],
                    fmt="xlsx",
                    created=created,
                    title=(f"{year}年度安全生产控制指标下达表", "下达单位：双鸭山市安全生产委员会办公室"),
                )
            elif jur.code == "131100":
                out.table(
                    "quotas",
                    f"{year}年衡水市安全生产控制指标.csv",
                    ALIASES,
                    [[y, c, n, i, labels[i], q, f"{year}年1月15日"] for y, c, n, i, q in mine],
                    fmt="gb18030",
                    created=created,
                )
            else:
                out.table(
                    "quotas",
                    f"{year}年度安全生产控制指标（{jur.name}）.csv",
                    CANON,
                    [[y, c, n, i, labels[i], q, issued] for y, c, n, i, q in mine],
                    fmt="utf-8-sig",
                    created=created,
                )
    adj = ADJUSTMENT
    name = next(u.name for j in jurs for u in j.units if u.code == adj.code)
    out.table(
        "quotas",
        adj.file_name,
        CANON,
        [[adj.year, adj.code, name, adj.indicator, labels[adj.indicator], adj.quota, adj.issued]],
        fmt="utf-8",
        created=datetime(adj.issued.year, adj.issued.month, adj.issued.day, 9, 0),
    )


def quotas_section(jurs: list[Jurisdiction], accidents: list[Accident]) -> str:
    """The README's part about quotas/ (appended to the sample README)."""
    rows = quotas(jurs, accidents)
    st = statuses(jurs, accidents)
    before = next(
        q for y, c, _n, i, q in rows if (y, c, i) == (ADJUSTMENT.year, ADJUSTMENT.code, ADJUSTMENT.indicator)
    )
    lines = [
        "## Control quotas (`quotas/`, 年度控制指标下达表)",
        "",
        "In the form of `docs/spec/monthly.md`: the 2025 and 2026 quotas of every county-level unit and of the two",
        "prefectures (双鸭山市 230500 and 衡水市 131100, each its own quota, not the sum of its counties'), issued on",
        "15 January (synthetic: deaths and accidents 10% below the year before, rounded half up, at least 1;",
        "较大及以上 accidents 0). One mid-year adjustment: "
        f"`{ADJUSTMENT.file_name}` raises 集贤县 {ADJUSTMENT.code}'s",
        f"2026 deaths quota from {before} to {ADJUSTMENT.quota} on {ADJUSTMENT.issued.isoformat()} (the earlier one stays queryable,",
        "`marts.fct_quota_versions`). Forms: 双鸭山 an xlsx with title rows; 衡水 CSV GB18030 with alias headers",
        "(年份, 控制指标, 控制指标数) and dates as `2026年1月15日`; 利州/乐平/满洲里 one CSV UTF-8 with BOM each.",
        "",
        f"2026 deaths at the default monitoring month (January–{MONITORING_MONTH}, counties that filed every month;",
        "饶河县 and 饶阳县 are 未报齐), actual/quota:",
        "",
        "- 超控 (exceeded): " + "; ".join(st["exceeded"]),
        "- 预警 (warning, usage above time progress 83.3%): " + "; ".join(st["warning"]),
        "- 正常 (normal): " + "; ".join(st["normal"]),
        "",
    ]
    return "\n".join(lines)
