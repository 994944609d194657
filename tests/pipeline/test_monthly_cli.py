"""The monthly situation analysis and the control quotas through the command line, on
tests/monthly_scenario.py (every answer worked out there): 同比 and 环比 for a county and its
prefecture, a January against the December before, a previous value of 0, 持平, a month a county
has not filed (未报齐, named), a revised and a written-off accident, a quota adjusted mid-year, each
quota status with a quota of 0, a conflicting quota, the 较大 flag, and the generated sentences
word for word; earlier months with ``python -m pipelines monthly --month``.
"""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import cli_env
from tests.handmade import LIZHOU
from tests.monthly_scenario import AS_OF, write_monthly_scenario
from tests.reports.htmltree import parse

SYS = "230500"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines", *args], capture_output=True, text=True,
                          env=cli_env(), timeout=900)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    root = tmp_path_factory.mktemp("monthly")
    data = write_monthly_scenario(root / "data")
    warehouse, reports = root / "pub" / "w.duckdb", root / "pub" / "reports"
    paths = ["--warehouse", str(warehouse), "--reports-dir", str(reports)]
    proc = _cli("run", "--data-dir", str(data), *paths, "--as-of", AS_OF)
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-3000:]
    for month in ("2026-01", "2026-02"):
        earlier = _cli("monthly", "--month", month, *paths)
        assert earlier.returncode == 0, earlier.stdout + earlier.stderr
    con = duckdb.connect(str(warehouse), read_only=True)
    yield {"con": con, "reports": reports, "data": data, "paths": paths}
    con.close()


def rows(con, sql, params=()):
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def situation(con, region, month, measure, kind="total", value="all"):
    [row] = rows(
        con,
        "select * from marts.fct_monthly_situation where region_code = ? and year = 2026 and month = ?"
        " and measure = ? and breakdown_kind = ? and breakdown_value = ?",
        (region, month, measure, kind, value),
    )
    return row


def test_year_on_year_and_month_on_month_january_against_december(scenario):
    con = scenario["con"]
    acc, dth = situation(con, SYS, 1, "accidents"), situation(con, SYS, 1, "deaths")
    assert (acc["month_value"], acc["prior_month_value"], acc["mom_change_pct"]) == (2, 1, 100.0)
    assert (dth["month_value"], dth["prior_month_value"], dth["mom_change_pct"]) == (2, 1, 100.0)
    assert (acc["ytd_value"], acc["prior_ytd_value"], acc["yoy_change_pct"]) == (2, 1, 100.0)
    assert (dth["ytd_value"], dth["prior_ytd_value"], dth["yoy_change_pct"]) == (2, 2, 0.0)  # 持平
    acc, dth = situation(con, SYS, 2, "accidents"), situation(con, SYS, 2, "deaths")
    assert (acc["ytd_value"], acc["prior_ytd_value"], acc["yoy_change_pct"]) == (3, 2, 50.0)
    assert (dth["ytd_value"], dth["prior_ytd_value"]) == (5, 3)
    assert dth["yoy_change_pct"] == pytest.approx(200 / 3)
    assert (acc["mom_change_pct"], dth["mom_change_pct"]) == (-50.0, 50.0)
    assert acc["is_complete"] and dth["is_complete"]
    # small counts: the exact test cannot tell these changes from chance
    assert acc["is_yoy_change_significant"] is False and dth["is_yoy_change_significant"] is False
    ind = situation(con, SYS, 2, "deaths", "industrial", "工矿商贸")
    assert (ind["ytd_value"], ind["prior_ytd_value"], ind["yoy_change_pct"]) == (4, 1, 300.0)
    # a county: 集贤县's 3 deaths against 0 — the percentage is empty (去年同期为0), never +inf
    jixian = situation(con, "230521", 2, "deaths")
    assert (jixian["ytd_value"], jixian["prior_ytd_value"], jixian["yoy_change_pct"]) == (3, 0, None)
    assert situation(con, "230521", 2, "accidents", "class", "larger")["ytd_value"] == 1
    # 利州区: equal years to date (持平) and a March of 0 after a February of 0 (no 环比)
    lz = situation(con, LIZHOU, 3, "deaths")
    assert (lz["ytd_value"], lz["prior_ytd_value"], lz["yoy_change_pct"]) == (1, 1, 0.0)
    assert (lz["month_value"], lz["prior_month_value"], lz["mom_change_pct"]) == (0, 0, None)


def test_a_month_a_county_has_not_filed_is_incomplete_and_named(scenario):
    con = scenario["con"]
    for region in (SYS, "230524"):
        assert situation(con, region, 3, "deaths")["is_complete"] is False
        assert situation(con, region, 3, "deaths")["yoy_change_pct"] is None
    assert situation(con, SYS, 3, "deaths")["ytd_value"] == 7  # as filed: 5 + 尖山区's revised 2
    [cov] = rows(con, "select * from marts.fct_region_month_coverage where region_code = ? and year = 2026"
                      " and month = 3 and source = 'accidents'", (SYS,))
    assert (cov["units_required"], cov["units_filed"], cov["missing_unit_codes"]) == (8, 7, ["230524"])
    assert (cov["is_covered"], cov["is_complete_through"], cov["complete_through_month"]) == (False, False, 2)
    # 尖山区 filed March: complete, and its revision counts (3 deaths = 1 + 2, not 1 + 1)
    jianshan = situation(con, "230502", 3, "deaths")
    assert (jianshan["ytd_value"], jianshan["prior_ytd_value"], jianshan["yoy_change_pct"]) == (3, 1, 200.0)
    # 岭东区's written-off March accident counts nowhere
    lingdong = situation(con, "230503", 3, "deaths")
    assert (lingdong["month_value"], lingdong["ytd_value"], lingdong["is_complete"]) == (0, 1, True)


def test_the_plan_year_to_date_agrees_with_the_monthly_situation(scenario):
    """One definition of "through month m": 饶河县's March is missing, so the plan's year to date of
    双鸭山市 stops at February — 5 deaths and 3 accidents against 3 and 2, the situation's February."""
    con = scenario["con"]
    got = {r["indicator_code"]: (r["through_month"], r["value_ytd"], r["prior_year_value_same_months"])
           for r in rows(con, "select * from marts.fct_ytd_comparison where region_code = ? and year = 2026"
                              " and indicator_code in ('safety_deaths', 'safety_accidents')", (SYS,))}
    assert got == {"safety_deaths": (2, 5, 3), "safety_accidents": (2, 3, 2)}
    for indicator, measure in (("safety_deaths", "deaths"), ("safety_accidents", "accidents")):
        s = situation(con, SYS, 2, measure)
        assert got[indicator][1:] == (s["ytd_value"], s["prior_ytd_value"])
    # (the hand-made folder has no plan running in 2026: fct_plan_ytd is checked on the sample,
    # tests/pipeline/test_monthly_browser.py)
    # the dbt test that holds it for every region and month, in every load
    [check] = rows(con, "select passed, offending_count from quality.check_results"
                        " where check_name = 'assert_ytd_agrees_with_monthly_situation'")
    assert (check["passed"], check["offending_count"]) == (True, 0)


def quota(con, region, month, indicator="safety_deaths"):
    [row] = rows(con, "select * from marts.fct_quota_usage where region_code = ? and year = 2026"
                      " and through_month = ? and indicator_code = ?", (region, month, indicator))
    return row


def test_quota_statuses_adjustment_zero_quota_conflict_and_flag(scenario):
    con = scenario["con"]
    got = {r: (q["quota"], q["actual"], q["status"], q["rank_in_parent"])
           for r in ("230500", "230502", "230503", "230505", "230521", "230524")
           for q in [quota(con, r, 2)]}
    assert got == {
        "230500": (6, 5, "warning", None),  # the city's own quota, 83.3% > 16.7%
        "230502": (2, 1, "warning", 2),
        "230503": (0, 1, "exceeded", 1),  # a quota of 0: any death exceeds it
        "230505": (1, 0, "normal", 4),
        "230521": (10, 3, "warning", 3),
        "230524": (1, 0, "normal", 4),
    }
    assert quota(con, "230500", 2)["usage_pct"] == pytest.approx(500 / 6)
    assert quota(con, "230503", 2)["usage_pct"] is None
    assert quota(con, "230500", 2)["time_progress_pct"] == pytest.approx(100 / 6)
    # 较大及以上 quota 0: 0 in January (normal), 1 in February (exceeded), flagged from then on
    larger = [quota(con, "230521", m, "larger_and_above_accidents") for m in (1, 2, 3)]
    assert [(q["actual"], q["status"], q["has_larger_accident"]) for q in larger] == [
        (0, "normal", False), (1, "exceeded", True), (1, "exceeded", True)]
    # the adjustment of 2026-03-15 is in force from March: 3 of 4 (75% > 25%) is a warning, not 超控
    march = quota(con, "230502", 3)
    assert (march["quota"], str(march["quota_issued_on"]), march["actual"], march["status"]) == (
        4, "2026-03-15", 3, "warning")
    assert quota(con, "230502", 2)["quota"] == 2
    # 未报齐 in March: no actual and no status, never a judgement on part of the month
    for region in ("230500", "230524"):
        q = quota(con, region, 3)
        assert (q["actual"], q["status"], q["usage_pct"], q["is_final"]) == (None, None, None, False)
    ranks = [quota(con, r, 3)["rank_in_parent"] for r in ("230503", "230502", "230521", "230505")]
    assert ranks == [1, 2, 3, 4]
    # 宝山区: two numbers for one date in two files — both rejected, no quota, the files named
    assert rows(con, "select * from marts.fct_quota_usage where region_code = '230506'") == []
    versions = rows(con, "select source_file, version_status, status_reason_zh from marts.fct_quota_versions"
                         " where region_code in ('230506', '230502') and indicator_code = 'safety_deaths'"
                         " order by region_code, issued_on, load_seq")
    assert [(v["source_file"], v["version_status"]) for v in versions[:2]] == [
        ("2026年控制指标.csv", "superseded"), ("2026年尖山区控制指标调整.csv", "current")]
    assert sorted((v["source_file"], v["version_status"]) for v in versions[2:]) == [
        ("2026年控制指标.csv", "rejected"), ("宝山区重复下达.csv", "rejected")]
    assert all("2026年控制指标.csv、宝山区重复下达.csv" in v["status_reason_zh"] for v in versions[2:])
    assert quota(con, LIZHOU, 1)["status"] == "warning" and quota(con, LIZHOU, 3)["usage_pct"] == 100.0


def _opening(path) -> list[str]:
    doc = parse(path.read_text(encoding="utf-8"))
    block = next(d for d in doc.find_all("div") if d.attrs.get("class") == "opening")
    return [" ".join(p.text.split()) for p in block.find_all("p")]


def test_the_opening_sentences_word_for_word(scenario):
    monthly = scenario["reports"] / "monthly"
    assert _opening(monthly / "510802_利州区_2026-03.html") == [
        "1—3月，全区共发生生产安全事故1起、死亡1人，同比均持平（去年同期1起、1人）。",
        "3月当月发生事故0起、死亡0人，环比均持平（上月0起、0人）。",
        "其中，工矿商贸领域发生事故1起、死亡1人，同比均持平。",
        "1—3月未发生较大及以上生产安全事故。",
        "分行业领域看，1—3月各行业领域死亡人数均未同比上升。",
        "截至3月，生产安全事故死亡人数使用进度快于时间进度（预警）的有利州区（1人/控制1人）。",
        "1—3月，全区未报告造成损失的自然灾害。",
    ]
    assert _opening(monthly / "230500_双鸭山市_2026-02.html") == [
        "1—2月，全市共发生生产安全事故3起、死亡5人，同比分别上升50.0%和66.7%（去年同期2起、3人）。",
        "事故起数、死亡人数的同比变化在随机波动范围内（泊松精确检验），数量较少，不宜解读为实质性变化。",
        "2月当月发生事故1起、死亡3人，起数环比下降50.0%，死亡人数环比上升50.0%（上月2起、2人）。",
        "其中，工矿商贸领域发生事故2起、死亡4人，同比分别上升100.0%和300.0%。",
        "1—2月发生较大事故1起。",
        "分行业领域看，1—2月死亡人数同比上升的有：工贸（3人，同比上升200.0%）、煤矿（1人，去年同期为0）。",
        "分县（市、区）看，1—2月死亡人数同比上升的有：集贤县（3人，去年同期为0）。",
        "截至2月，生产安全事故死亡人数超过控制指标（超控）的有岭东区（1人/控制0人）；"
        "使用进度快于时间进度（预警）的有双鸭山市（5人/控制6人）、尖山区（1人/控制2人）、集贤县（3人/控制10人）。",
        "1—2月，全市未报告造成损失的自然灾害。",
    ]
    assert _opening(monthly / "230500_双鸭山市_2026-03.html") == [
        "1—3月，全市已报送生产安全事故4起、死亡7人；饶河县3月尚未报送（未报齐），上述数字不完整，暂不作同比。",
        "各单位均已报齐的1—2月，全市共发生生产安全事故3起、死亡5人，同比分别上升50.0%和66.7%（去年同期2起、3人）。",
        "3月当月已报送事故1起、死亡2人。",
        "其中，工矿商贸领域已报送事故3起、死亡6人。",
        "1—3月发生较大事故1起。",
        "分县（市、区）看，1—3月死亡人数同比上升的有：尖山区（3人，同比上升200.0%）、集贤县（3人，去年同期为0）"
        "（饶河县未报齐，未作比较）。",
        "截至3月，生产安全事故死亡人数超过控制指标（超控）的有岭东区（1人/控制0人）；"
        "使用进度快于时间进度（预警）的有尖山区（3人/控制4人）、集贤县（3人/控制10人）。",
        "1—3月，全市未报告造成损失的自然灾害。",
    ]
    assert _opening(monthly / "230500_双鸭山市_2026-01.html")[:3] == [
        "1月，全市共发生生产安全事故2起、死亡2人，起数同比上升100.0%，死亡人数同比持平（去年同期1起、2人）。",
        "事故起数的同比变化在随机波动范围内（泊松精确检验），数量较少，不宜解读为实质性变化。",
        "1月当月发生事故2起、死亡2人，环比分别上升100.0%和100.0%（上年12月1起、1人）。",
    ]


def test_the_analysis_lists_the_late_units_the_serious_accidents_and_the_quotas(scenario):
    monthly = scenario["reports"] / "monthly"
    doc = parse((monthly / "230500_双鸭山市_2026-03.html").read_text(encoding="utf-8"))
    text = " ".join(doc.text.split())
    assert "示例数据" not in text  # hand-made data, no sample marker
    missing = next(t for t in doc.find_all("table") if t.attrs.get("id") == "missing-table")
    assert [" ".join(td.text.split()) for td in missing.find_all("td")] == [
        "生产安全事故", "2026年3月", "饶河县"]
    feb = parse((monthly / "230500_双鸭山市_2026-02.html").read_text(encoding="utf-8"))
    serious = next(t for t in feb.find_all("table") if t.attrs.get("id") == "serious")
    assert [" ".join(td.text.split()) for td in serious.find_all("td")] == [
        "2026年2月14日", "集贤县", "工贸", "3", "较大", "较大"]
    cells = {(tr.attrs["data-region"], td.attrs["data-indicator"]): td.attrs["data-status"]
             for t in feb.find_all("table") if t.attrs.get("id") == "quota-table"
             for tr in t.find_all("tr") if "data-region" in tr.attrs
             for td in tr.find_all("td") if "data-indicator" in td.attrs}
    assert cells[("230503", "safety_deaths")] == "exceeded"
    assert cells[("230521", "larger_and_above_accidents")] == "exceeded"
    assert cells[("230500", "safety_deaths")] == "warning"


def test_the_monthly_folder_index_and_the_main_index(scenario):
    reports = scenario["reports"]
    entries = json.loads((reports / "monthly" / "analyses.json").read_text(encoding="utf-8"))
    assert [(e["code"], e["year"], e["month"]) for e in entries] == [
        (SYS, 2026, 3), (LIZHOU, 2026, 3), (SYS, 2026, 2), (LIZHOU, 2026, 2),
        (SYS, 2026, 1), (LIZHOU, 2026, 1)]
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert 'href="monthly/230500_双鸭山市_2026-03.html"' in index and 'href="monthly/index.html"' in index
    folder = (reports / "monthly" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{e["file"]}"' in folder for e in entries)


def test_a_month_not_due_or_not_a_month_is_refused(scenario):
    for month, words in (("2026-04", "尚未到报送期"), ("2026/4", "月份应为 YYYY-MM")):
        proc = _cli("monthly", "--month", month, *scenario["paths"])
        assert proc.returncode == 1 and words in proc.stderr and "Error:" in proc.stderr


def test_the_next_run_keeps_the_earlier_months(scenario):
    scenario["con"].close()  # last: an open reader would keep the run from publishing
    proc = _cli("run", "--data-dir", str(scenario["data"]), *scenario["paths"], "--as-of", AS_OF)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    monthly = scenario["reports"] / "monthly"
    assert (monthly / "230500_双鸭山市_2026-01.html").is_file()
    entries = json.loads((monthly / "analyses.json").read_text(encoding="utf-8"))
    assert len(entries) == 6
