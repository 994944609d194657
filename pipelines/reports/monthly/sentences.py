"""The sentences that open the monthly analysis, in the form officials write them.

“1—10月，全市共发生生产安全事故21起、死亡5人，同比分别下降12.5%和44.4%（去年同期24起、9人）。”

Every number comes from a row of marts.fct_monthly_situation (or fct_quota_usage), as the mart
gives it; this module only chooses the words: 上升 / 下降 with the absolute value, 持平 for an equal
value (never "+0.0%"), 去年同期为0 when last year's value is 0, and 未报齐 (naming the units and
months) when a year to date is not complete, which is then never compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..formats import fmt_count, fmt_num, is_missing

Row = dict
Key = tuple[str, str, str, str]


@dataclass
class Figures:
    """A region-month's rows of fct_monthly_situation, by (source, measure, kind, value)."""

    rows: dict[Key, Row] = field(default_factory=dict)

    @classmethod
    def of(cls, rows: list[Row]) -> Figures:
        return cls({(r["source"], r["measure"], r["breakdown_kind"], r["breakdown_value"]): r for r in rows})

    def get(self, source: str, measure: str, kind: str = "total", value: str = "all") -> Row | None:
        return self.rows.get((source, measure, kind, value))

    def kind(self, source: str, measure: str, kind: str) -> list[Row]:
        return [r for (s, m, k, _v), r in self.rows.items() if (s, m, k) == (source, measure, kind)]

    def has(self, source: str) -> bool:
        return any(s == source for s, *_ in self.rows)


def months_label(month: int) -> str:
    """1月, 1—10月."""
    return "1月" if month == 1 else f"1—{month}月"


def area_word(name: str, level: str | None) -> str:
    """全市 / 全区 / 全县 / 全旗: how a bureau names its whole jurisdiction."""
    if level == "prefecture":
        return "全市"
    for suffix in ("区", "县", "旗", "市"):
        if name.endswith(suffix):
            return f"全{suffix}"
    return "全辖区"


def pct_text(v) -> str:
    """12.5% (the absolute value, one decimal; two when one would read 0.0)."""
    v = abs(float(v))
    text = f"{v:.1f}"
    return f"{v:.2f}%" if text == "0.0" else f"{text}%"


def change_words(row: Row | None, which: str = "yoy", previous_filed: bool = False) -> str | None:
    """下降12.5% / 上升50.0% / 持平 / 去年同期为0 (上月为0 for 环比); None when not comparable: a
    year to date that is not complete, or (环比) a previous month not filed by every unit
    (``previous_filed``, from the coverage: the mart's percentage is empty both for a previous 0
    and for a month not filed)."""
    if row is None:
        return None
    if which == "yoy":
        pct, new, old = row.get("yoy_change_pct"), row.get("ytd_value"), row.get("prior_ytd_value")
        zero = "去年同期为0"
    else:
        pct, new, old = row.get("mom_change_pct"), row.get("month_value"), row.get("prior_month_value")
        zero = "上月为0"
    if not is_missing(pct):
        return "持平" if float(pct) == 0 else ("上升" if pct > 0 else "下降") + pct_text(pct)
    if is_missing(old) or is_missing(new):
        return None
    comparable = row.get("is_complete") if which == "yoy" else (row.get("is_complete") and previous_filed)
    if comparable and float(old) == 0:
        return "持平" if float(new) == 0 else zero
    return None


def pair_clause(
    a: Row | None, b: Row | None, name_a: str, name_b: str, which: str = "yoy", previous_filed: bool = False
) -> str | None:
    """同比分别下降12.5%和44.4% / 同比均持平 / 起数同比下降12.5%，死亡人数去年同期为0."""
    label = "同比" if which == "yoy" else "环比"
    wa, wb = change_words(a, which, previous_filed), change_words(b, which, previous_filed)
    if wa is None or wb is None:
        return None
    if wa == wb == "持平":
        return f"{label}均持平"
    if wa == wb and wa.endswith("为0"):
        return wa.replace("为0", "均为0")
    if wa[:2] == wb[:2] and wa[:2] in ("上升", "下降"):
        return f"{label}分别{wa[:2]}{wa[2:]}和{wb[2:]}"
    return "，".join(
        f"{n}{w}" if w.startswith(("去年", "上月")) else f"{n}{label}{w}"
        for n, w in ((name_a, wa), (name_b, wb))
    )


def chance_note(rows: list[tuple[str, Row | None]]) -> str | None:
    """The exact test's note on small counts, for the changes it could not tell from chance."""
    names = [
        name
        for name, r in rows
        if r is not None
        and r.get("is_yoy_change_significant") is False
        and not is_missing(r.get("yoy_change_pct"))
        and float(r["yoy_change_pct"]) != 0
    ]
    if not names:
        return None
    return f"{'、'.join(names)}的同比变化在随机波动范围内（泊松精确检验），数量较少，不宜解读为实质性变化。"


def month_ranges(months: list[int]) -> str:
    """[9, 10] -> 9—10月; [3, 5, 6] -> 3、5—6月."""
    months = sorted(set(months))
    parts, start = [], None
    for i, m in enumerate(months):
        start = m if start is None else start
        if i + 1 == len(months) or months[i + 1] != m + 1:
            parts.append(f"{start}月" if start == m else f"{start}—{m}月")
            start = None
    return "、".join(parts)


def missing_text(missing: dict[str, list[int]], names: dict[str, str]) -> str:
    """饶河县9—10月、饶阳县10月 (units and the months they have not filed)."""
    return "、".join(
        f"{names.get(code, code)}{month_ranges(months)}" for code, months in sorted(missing.items())
    )


def accident_sentences(
    f: Figures,
    *,
    area: str,
    month: int,
    missing: str,
    complete_at: Figures | None,
    complete_month: int,
    previous_filed: bool,
) -> list[str]:
    """The opening paragraph on production-safety accidents."""
    acc, dth = f.get("accidents", "accidents"), f.get("accidents", "deaths")
    if acc is None or dth is None:
        return []
    span = months_label(month)
    out = []
    counts = f"生产安全事故{fmt_count(acc['ytd_value'])}起、死亡{fmt_count(dth['ytd_value'])}人"
    if acc["is_complete"] and dth["is_complete"]:
        clause = pair_clause(acc, dth, "起数", "死亡人数")
        prior = (
            f"（去年同期{fmt_count(acc['prior_ytd_value'])}起、{fmt_count(dth['prior_ytd_value'])}人）"
            if not is_missing(acc.get("prior_ytd_value"))
            else ""
        )
        if clause:
            out.append(f"{span}，{area}共发生{counts}，{clause}{prior}。")
        else:
            out.append(f"{span}，{area}共发生{counts}；去年同期数据不完整，暂不作同比。")
        note = chance_note([("事故起数", acc), ("死亡人数", dth)])
        if note:
            out.append(note)
    else:
        out.append(f"{span}，{area}已报送{counts}；{missing}尚未报送（未报齐），上述数字不完整，暂不作同比。")
        if complete_at is not None and complete_month > 0:
            ca, cd = complete_at.get("accidents", "accidents"), complete_at.get("accidents", "deaths")
            clause = pair_clause(ca, cd, "起数", "死亡人数")
            if ca is not None and cd is not None and clause:
                out.append(
                    f"各单位均已报齐的{months_label(complete_month)}，{area}共发生生产安全事故"
                    f"{fmt_count(ca['ytd_value'])}起、死亡{fmt_count(cd['ytd_value'])}人，{clause}"
                    f"（去年同期{fmt_count(ca['prior_ytd_value'])}起、{fmt_count(cd['prior_ytd_value'])}人）。"
                )
    this_acc, this_dth = f"{fmt_count(acc['month_value'])}起", f"{fmt_count(dth['month_value'])}人"
    before = "上年12月" if month == 1 else "上月"
    mom = pair_clause(acc, dth, "起数", "死亡人数", which="mom", previous_filed=previous_filed)
    if mom:
        out.append(
            f"{month}月当月发生事故{this_acc}、死亡{this_dth}，{mom}"
            f"（{before}{fmt_count(acc['prior_month_value'])}起、{fmt_count(dth['prior_month_value'])}人）。"
        )
    else:
        out.append(f"{month}月当月已报送事故{this_acc}、死亡{this_dth}。")
    ia, idd = (
        f.get("accidents", "accidents", "industrial", "工矿商贸"),
        f.get("accidents", "deaths", "industrial", "工矿商贸"),
    )
    if ia is not None and idd is not None:
        clause = pair_clause(ia, idd, "起数", "死亡人数") if ia["is_complete"] else None
        verb = "发生" if ia["is_complete"] else "已报送"
        out.append(
            f"其中，工矿商贸领域{verb}事故{fmt_count(ia['ytd_value'])}起、死亡{fmt_count(idd['ytd_value'])}人"
            + (f"，{clause}。" if clause else "。")
        )
    elif acc["is_complete"]:
        out.append("其中，工矿商贸领域未发生生产安全事故（去年同期亦无）。")
    classes = {r["breakdown_value"]: r for r in f.kind("accidents", "accidents", "class")}
    serious = [
        (c, classes[c])
        for c in ("extraordinary", "major", "larger")
        if c in classes and not is_missing(classes[c]["ytd_value"]) and classes[c]["ytd_value"] > 0
    ]
    names = {"larger": "较大", "major": "重大", "extraordinary": "特别重大"}
    if serious:
        out.append(
            f"{span}发生"
            + "、".join(f"{names[c]}事故{fmt_count(r['ytd_value'])}起" for c, r in serious)
            + "。"
        )
    elif acc["is_complete"]:
        out.append(f"{span}未发生较大及以上生产安全事故。")
    return out


def rising(rows: list[tuple[str, Row]], unit: str) -> list[str]:
    """道路运输（3人，同比上升50.0%）: the items whose year to date rose or is new."""
    out = []
    for name, r in rows:
        w = change_words(r)
        if w and (w.startswith("上升") or w == "去年同期为0"):
            detail = f"同比{w}" if w.startswith("上升") else w
            out.append(f"{name}（{fmt_count(r['ytd_value'])}{unit}，{detail}）")
    return out


def sector_sentence(f: Figures, month: int) -> str | None:
    deaths = f.get("accidents", "deaths")
    if deaths is None or not deaths["is_complete"]:
        return None
    up = rising(
        [
            (r["breakdown_value"], r)
            for r in sorted(f.kind("accidents", "deaths", "sector"), key=lambda r: r["breakdown_value"])
        ],
        "人",
    )
    if up:
        return f"分行业领域看，{months_label(month)}死亡人数同比上升的有：{'、'.join(up)}。"
    return f"分行业领域看，{months_label(month)}各行业领域死亡人数均未同比上升。"


def county_sentence(counties: list[tuple[str, Row]], month: int) -> str | None:
    if not counties:
        return None
    up = rising([(n, r) for n, r in counties if r.get("is_complete")], "人")
    late = [n for n, r in counties if not r.get("is_complete")]
    text = (
        f"分县（市、区）看，{months_label(month)}死亡人数同比上升的有：{'、'.join(up)}"
        if up
        else f"分县（市、区）看，{months_label(month)}各县（市、区）死亡人数均未同比上升"
    )
    if late:
        text += f"（{'、'.join(late)}未报齐，未作比较）"
    return text + "。"


def disaster_sentence(f: Figures, *, area: str, month: int) -> str | None:
    aff, dm = f.get("disasters", "affected_person_times"), f.get("disasters", "dead_missing")
    rel, loss = f.get("disasters", "relocated_person_times"), f.get("disasters", "direct_loss_100m_yuan")
    if None in (aff, dm, rel, loss):
        return None
    span = months_label(month)
    if not aff["is_complete"]:
        return (
            f"{span}，{area}已报送自然灾害受灾{fmt_count(aff['ytd_value'])}人次、因灾死亡失踪"
            f"{fmt_count(dm['ytd_value'])}人，灾情数据未报齐，暂不作同比。"
        )
    if all(float(r["ytd_value"]) == 0 for r in (aff, dm, rel, loss)):
        return f"{span}，{area}未报告造成损失的自然灾害。"
    changes = [
        (n, change_words(r)) for n, r in (("受灾人次", aff), ("因灾死亡失踪人数", dm), ("直接经济损失", loss))
    ]
    compared = "，".join(f"{n}{'' if w.startswith('去年') else '同比'}{w}" for n, w in changes if w)
    return (
        f"{span}，{area}自然灾害造成受灾{fmt_count(aff['ytd_value'])}人次，因灾死亡失踪"
        f"{fmt_count(dm['ytd_value'])}人，紧急转移安置{fmt_count(rel['ytd_value'])}人次，直接经济损失"
        f"{fmt_num(loss['ytd_value'], missing='—')}亿元" + (f"；{compared}。" if compared else "。")
    )


def fire_sentence(f: Figures, *, area: str, month: int) -> str | None:
    fires, ha = f.get("forest_fires", "fires"), f.get("forest_fires", "damaged_forest_ha")
    if fires is None or ha is None:
        return None
    span = months_label(month)
    if not fires["is_complete"]:
        return f"{span}，{area}已报送森林火灾{fmt_count(fires['ytd_value'])}起，数据未报齐，暂不作同比。"
    prior = (
        f"（去年同期{fmt_count(fires['prior_ytd_value'])}起）"
        if not is_missing(fires.get("prior_ytd_value"))
        else ""
    )
    if float(fires["ytd_value"]) == 0:
        return f"{span}，{area}未发生森林火灾{prior}。"
    w = change_words(fires)
    if w == "去年同期为0":
        prior = ""
    return (
        f"{span}，{area}发生森林火灾{fmt_count(fires['ytd_value'])}起，受害森林面积"
        f"{fmt_num(ha['ytd_value'], missing='—')}公顷"
        + (f"，起数{'' if w.startswith('去年') else '同比'}{w}" if w else "")
        + f"{prior}。"
    )


def quota_sentence(quotas: list[Row], month: int) -> str | None:
    """超控 / 预警 units on the deaths quota, each with its count and quota, as the mart gives them."""
    deaths = [q for q in quotas if q["indicator_code"] == "safety_deaths" and q.get("status")]
    if not deaths:
        return None
    parts = []
    for status, word in (("exceeded", "超过控制指标（超控）"), ("warning", "使用进度快于时间进度（预警）")):
        units = [
            f"{q['region_name']}（{fmt_count(q['actual'])}人/控制{fmt_count(q['quota'])}人）"
            for q in deaths
            if q["status"] == status
        ]
        if units:
            parts.append(f"{word}的有{'、'.join(units)}")
    if not parts:
        return f"截至{month}月，各单位生产安全事故死亡人数均在控制指标以内、进度正常。"
    return f"截至{month}月，生产安全事故死亡人数{'；'.join(parts)}。"
