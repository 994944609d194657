"""结论先行: the lead paragraph, 主要问题 and 下一步建议, drawn by rules from what the other sections
read from the marts. Every number here is one the sections show; each is marked
``<b data-fact=... data-value=...>`` so that tests compare it with the marts.

Rules, in the order the problems are listed (what went wrong first):
a target missed or going the wrong way; this year's count targets behind pace; a target the trend
will not reach; a county-level unit whose deaths rose; months not filed (催报); accidents whose
reported severity the rule does not give; rows rejected at loading; a preliminary GDP figure under
a rate. The chance caveat is said once, where a change rests on fewer than ``SMALL_COUNT`` events.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from ..formats import SMALL_COUNT, fmt_count, fmt_value, is_missing
from .common import Report


def fact(name: str, text: str, value=None) -> Markup:
    raw = "" if value is None or is_missing(value) else value
    return Markup('<b data-fact="{}" data-value="{}">{}</b>').format(name, raw, text)


def _join(parts: list) -> Markup:
    return Markup("").join(escape(p) for p in parts)


CHANCE = "（事件数少，升降可能属偶然波动）"


def _count_word(n: int, word: str, name: str) -> Markup:
    return _join([fact(name, str(n), n), "项", word])


def lead(
    report: Report,
    targets: list[dict],
    final: dict | None,
    current: dict | None,
    outlook: list[dict],
    final_facts: dict,
    current_facts: dict,
    gdp_note: str | None,
    monitoring_link: dict | None,
) -> list[Markup]:
    """The lead paragraph, a few sentences."""
    y = report.years
    counts: dict[str, int] = {}
    for t in targets:
        counts[t["status"]["code"]] = counts.get(t["status"]["code"], 0) + 1
    sentences: list[Markup] = []
    n = len(targets)
    if report.is_final:
        parts = [f"{report.name}《{y.name}》确定的", fact("targets", str(n), n), f"项主要指标，到{y.end}年："]
        said = []
        for code, word in (
            ("achieved", "已完成"),
            ("not_achieved", "未完成"),
            ("worsening", "逆向变化"),
            ("insufficient_data", "因数据不完整无法评估"),
            ("no_verdict", "为“有效遏制”类、不作判定"),
        ):
            if counts.get(code):
                said.append(_count_word(counts[code], word, code))
        parts += [Markup("，").join(said) if said else "无可评估的目标", "。"]
        sentences.append(_join(parts))
        failed = [t for t in targets if t["status"]["code"] in ("not_achieved", "worsening")]
        if failed:
            items = [
                _join(
                    [
                        f"“{t['name']}”{t['evaluated_label']}为",
                        fact(f"evaluated:{t['indicator_code']}", t["evaluated_text"], t["evaluated_value"]),
                        f"，目标{t['target']}",
                        f"，{t['notes'][0]}" if t["notes"] else "",
                    ]
                )
                for t in failed
            ]
            sentences.append(_join(["未完成的是：", Markup("；").join(items), "。"]))
        if final_facts.get("deaths_previous"):
            sentences.append(
                _join(
                    [
                        f"生产安全事故死亡人数{y.previous_label}累计",
                        fact(
                            "deaths_previous",
                            final_facts["deaths_previous"] + "人",
                            final_facts["deaths_previous_value"],
                        ),
                        f"，{y.label}累计",
                        fact(
                            "deaths_total",
                            final_facts["deaths_total"] + "人",
                            final_facts["deaths_total_value"],
                        ),
                        f"，{final_facts['deaths_change']}。",
                    ]
                )
            )
    else:
        k = report.as_of.year - y.first + 1
        judged = n - counts.get("insufficient_data", 0) - counts.get("no_verdict", 0)
        parts = [f"{report.name}《{y.name}》实施第{k}年，共", fact("targets", str(n), n), "项主要指标"]
        if judged == 0:
            parts.append("；规划期内尚无完整年度，暂不作完成判定。")
        else:
            parts += [
                "，",
                Markup("，").join(
                    _count_word(c, w, code)
                    for code, w in (
                        ("on_track", "符合进度"),
                        ("needs_acceleration", "需加快"),
                        ("limited", "进展缓慢"),
                        ("worsening", "逆向变化"),
                        ("achieved", "已达到目标"),
                    )
                    if (c := counts.get(code))
                ),
                "。",
            ]
        sentences.append(_join(parts))
    if current_facts:
        cf = current_facts
        months = f"{report.as_of.year}年1—{cf['through_month']}月"
        parts = [
            months,
            "，生产安全事故死亡",
            fact("ytd_deaths", fmt_count(cf["value"]) + "人", cf["value"]),
            "，上年同期",
            fact("ytd_deaths_prior", fmt_count(cf["prior"]) + "人", cf["prior"]),
            f"，{cf['change']}",
        ]
        if max(cf["value"], cf["prior"]) < SMALL_COUNT and cf["value"] != cf["prior"]:
            parts.append(CHANCE)
        if cf.get("due_month") and cf["through_month"] < cf["due_month"]:
            parts.append(f"（应报至{cf['due_month']}月，有单位未报齐，只比较到{cf['through_month']}月）")
        parts.append("。")
        if monitoring_link:
            parts.append(
                Markup('本年进展详见<a href="{}">{}</a>。').format(
                    monitoring_link["file"], monitoring_link["title"]
                )
            )
        sentences.append(_join(parts))
    if report.is_running and outlook:
        c = {}
        for o in outlook:
            c[o["outlook"]["code"]] = c.get(o["outlook"]["code"], 0) + 1
        said = [
            _join([fact(f"outlook_{code}", str(c[code]), c[code]), "项", word])
            for code, word in (("likely", "可能实现"), ("uncertain", "不确定"), ("unlikely", "难以实现"))
            if c.get(code)
        ]
        if said:
            sentences.append(_join([f"按历年趋势外推到{y.end}年：", Markup("，").join(said), "。"]))
    if gdp_note:
        sentences.append(_join([f"注：{gdp_note}，以地区生产总值为分母的比率待最终核实后重算。"]))
    return sentences


def problems(
    report: Report,
    targets: list[dict],
    current: dict | None,
    outlook: list[dict],
    worsening_counties: list[dict],
    county_anchor: str,
    quality: dict,
) -> list[dict]:
    """主要问题, each pointing to the section that shows it."""
    out: list[dict] = []
    y = report.years
    for t in targets:
        code = t["status"]["code"]
        if code not in ("not_achieved", "worsening") and not (
            report.is_final and code == "insufficient_data"
        ):
            continue
        if code == "insufficient_data":
            continue
        word = "未完成目标" if code == "not_achieved" else "逆向变化"
        text = _join(
            [
                f"“{t['name']}”{word}：{t['evaluated_label']}为",
                fact(f"problem:{t['indicator_code']}", t["evaluated_text"], t["evaluated_value"]),
                f"（{t['baseline_label']}{t['baseline_text']}，{t['change']}），目标{t['target']}",
                f"，{t['notes'][0]}" if t["notes"] else "",
                CHANCE if t["is_small_count"] else "",
                "。",
            ]
        )
        out.append({"kind": "target", "text": text, "anchor": "targets", "names": [t["name"]]})
    missing_eval = [
        t["name"] for t in targets if report.is_final and t["status"]["code"] == "insufficient_data"
    ]
    if missing_eval:
        out.append(
            {
                "kind": "insufficient",
                "anchor": "quality",
                "names": missing_eval,
                "text": _join(
                    [
                        fact("insufficient_targets", str(len(missing_eval)), len(missing_eval)),
                        f"项目标因{y.end}年数据不完整无法评估：",
                        "、".join(f"“{n}”" for n in missing_eval),
                        "。",
                    ]
                ),
            }
        )
    for r in (current or {}).get("targets") or []:
        code = r["status"]["code"]
        if code not in ("worsening", "limited", "needs_acceleration", "bound_exceeded"):
            continue
        small = (
            max(r["ytd_value"] or 0, r["prior_ytd_value"] or 0) < SMALL_COUNT
            and r["ytd_value"] != r["prior_ytd_value"]
        )
        out.append(
            {
                "kind": "ytd",
                "anchor": "monitoring",
                "names": [r["name"]],
                "text": _join(
                    [
                        f"{report.as_of.year}年1—{r['through_month']}月“{r['name']}”",
                        fact(
                            f"ytd:{r['indicator_code']}",
                            fmt_value(r["ytd_value"], r["unit"], with_unit=True),
                            r["ytd_value"],
                        ),
                        "，上年同期" + fmt_value(r["prior_ytd_value"], r["unit"], with_unit=True),
                        f"，{r['change']}",
                        f"（{r['status']['word']}）",
                        CHANCE if small else "",
                        "。",
                    ]
                ),
            }
        )
    for o in outlook:
        if o["outlook"]["code"] == "unlikely":
            out.append(
                {
                    "kind": "outlook",
                    "anchor": "outlook",
                    "names": [o["name"]],
                    "text": _join(
                        [
                            f"按趋势外推，“{o['name']}”到{y.end}年难以实现：外推值{o['projected']}，目标{o['target']}。"
                        ]
                    ),
                }
            )
    if worsening_counties:
        items = [
            _join(
                [
                    w["name"],
                    " ",
                    fact(
                        f"county:{w['code']}",
                        f"{fmt_count(w['before'])}→{fmt_count(w['after'])}人",
                        w["after"],
                    ),
                ]
            )
            for w in worsening_counties
        ]
        span = (
            f"{y.previous_label}到{y.label}"
            if report.is_final
            else f"{report.as_of.year}年1—{worsening_counties[0].get('through_month')}月比上年同期"
        )
        small = all(w["is_small"] for w in worsening_counties)
        out.append(
            {
                "kind": "county",
                "anchor": county_anchor,
                "names": [w["name"] for w in worsening_counties],
                "text": _join(
                    [
                        fact("worsening_counties", str(len(worsening_counties)), len(worsening_counties)),
                        f"个县（市、区）生产安全事故死亡人数上升（{span}）：",
                        Markup("，").join(items),
                        CHANCE if small else "",
                        "。",
                    ]
                ),
            }
        )
    if quality.get("missing"):
        units = quality["missing_unit_names"]
        out.append(
            {
                "kind": "missing",
                "anchor": "quality",
                "names": units,
                "text": _join(
                    [
                        "、".join(units[:3]) + (f"等{len(units)}个县（市、区）" if len(units) > 3 else ""),
                        f"{quality['year']}年共有",
                        fact("missing_months", str(quality["missing_months"]), quality["missing_months"]),
                        "个月次的月报未报送（无事故也须零报告），相关指标暂按“数据不足”处理，需催报。",
                    ]
                ),
            }
        )
    if quality.get("findings"):
        n = len(quality["findings"])
        out.append(
            {
                "kind": "severity",
                "anchor": "quality",
                "names": [],
                "text": _join(
                    [
                        fact("severity_findings", str(n), n),
                        "起事故的上报等级与按《生产安全事故报告和调查处理条例》认定的等级不一致。",
                    ]
                ),
            }
        )
    q = quality.get("quarantine")
    if q and q["total_rows"]:
        out.append(
            {
                "kind": "quarantine",
                "anchor": "quality",
                "names": [],
                "text": _join(
                    [
                        fact("quarantined_rows", str(q["total_rows"]), q["total_rows"]),
                        "行报送记录因格式或取值错误被拒收，",
                        f"载有死亡（含失踪）{q['total_deaths']}人，" if q["total_deaths"] else "",
                        "未计入统计。",
                    ]
                ),
            }
        )
    return out


ADVICE = {
    "target": "分析{names}未完成目标的原因，列为下一规划期的工作重点，逐年跟踪。",
    "insufficient": "补齐{year}年缺报的数据后重新评估{names}。",
    "ytd": "对{names}同比上升或进度滞后的情况开展分析，督促有关行业领域和县（市、区）加强防控。",
    "outlook": "{names}按现有趋势到期难以完成，需加大措施力度。",
    "county": "对{names}开展督导检查，分析事故死亡人数上升的原因。",
    "missing": "督促{names}补报未报送的月报（无事故也须零报告），补报后重新运行，监测月份随之更新。",
    "severity": "核实等级认定不一致的事故，按条例第三条更正上报等级。",
    "quarantine": "通知填报单位更正被拒收的记录后重新报送（文件与行号见“数据质量”部分和数据加载报告）。",
}


def advice(report: Report, found: list[dict], gdp_note: str | None) -> list[dict]:
    """下一步建议: one per kind of problem, in the problems' order."""
    out, seen = [], set()
    for p in found:
        if p["kind"] in seen:
            continue
        seen.add(p["kind"])
        names = "、".join(
            f"“{n}”" if p["kind"] in ("target", "insufficient", "ytd", "outlook") else n
            for n in dict.fromkeys(n for q in found if q["kind"] == p["kind"] for n in q["names"])
        )
        out.append(
            {
                "text": ADVICE[p["kind"]].format(names=names or "有关单位", year=report.years.end),
                "anchor": p["anchor"],
            }
        )
    if gdp_note:
        out.append(
            {
                "text": "统计部门公布地区生产总值最终核实数后重新运行，更新以地区生产总值为分母的比率。",
                "anchor": "targets",
            }
        )
    if not out:
        out.append(
            {
                "text": "各项目标均已完成或进展正常，未发现需要催报或更正的数据，保持现有工作力度。",
                "anchor": "targets",
            }
        )
    return out
