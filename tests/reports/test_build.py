"""The reports show the marts' numbers, conclusion first, escape every text and carry no personal data."""

from __future__ import annotations

import json
import math
import re

import duckdb
import pytest

from pipelines.reports import build_reports
from pipelines.reports.formats import fmt_change, fmt_num, fmt_value

from .conftest import AS_OF, HOSTILE_COUNTY, HOSTILE_SECTOR, RUN_ID, SECRETS
from .htmltree import parse

MAX_REPORT_BYTES = 1_000_000
S14, S15, M14 = "230500_双鸭山市_14fyp.html", "230500_双鸭山市_15fyp.html", "150781_满洲里市_14fyp.html"


def _read(out, name):
    return (out / name).read_text(encoding="utf-8")


def _meta(doc) -> str:
    """The report's first meta line (plan years, as-of date)."""
    return " ".join(next(p for p in doc.find_all("p") if p.attrs.get("class") == "meta").text.split())


def _marts(warehouse, sql, params=()):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cur = con.execute(sql, list(params))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()


def facts(doc) -> dict[str, str]:
    """The numbers of the conclusion (lead and problems), as marked: name → raw value."""
    section = doc.find("section", id="conclusion")
    return {
        b.attrs["data-fact"]: b.attrs["data-value"] for b in section.find_all("b") if "data-fact" in b.attrs
    }


def test_one_report_per_plan_and_jurisdiction_index_and_shared_plotly(built):
    out, paths = built
    names = sorted(p.name for p in paths)
    assert names == [M14, S14, S15, "index.html", "plotly.min.js"]
    for p in paths:
        if p.suffix == ".html":
            text = p.read_text(encoding="utf-8")
            assert p.stat().st_size <= MAX_REPORT_BYTES
            # plotly.js is shared, never embedded and never from a CDN
            assert "cdn.plot.ly" not in text and "https://" not in text and "http://" not in text
            assert len(re.findall(r"<script src=", text)) == (0 if p.name == "index.html" else 1)
    assert (out / "plotly.min.js").stat().st_size > 3_000_000


def test_index_lists_every_plan_with_its_stage_status_counts_and_first_problem(built):
    out, _ = built
    doc = parse(_read(out, "index.html"))
    rows = {
        (r.attrs["data-region"], r.attrs["data-plan"]): r
        for r in doc.find_all("tr")
        if "data-plan" in r.attrs
    }
    assert set(rows) == {("230500", "14fyp"), ("230500", "15fyp"), ("150781", "14fyp")}
    assert {S14, S15, M14} <= {a.attrs["href"] for a in doc.find_all("a")}

    def counts(row):
        return {
            s.attrs["data-status"]: int(s.attrs["data-count"])
            for s in row.find_all("span")
            if "data-status" in s.attrs
        }

    # 双鸭山's 14th plan: achieved 2 (deaths, loss share), not_achieved 1, no_verdict 1, insufficient_data 1
    assert counts(rows[("230500", "14fyp")]) == {
        "achieved": 2,
        "not_achieved": 1,
        "no_verdict": 1,
        "insufficient_data": 1,
    }
    assert rows[("230500", "14fyp")].find("td", data_total="5") is not None
    assert counts(rows[("230500", "15fyp")]) == {"insufficient_data": 2}
    stage = {k: next(c for c in r.find_all("td") if "data-stage" in c.attrs) for k, r in rows.items()}
    assert stage[("230500", "14fyp")].attrs["data-stage"] == "final_evaluation"
    assert "终期评估" in stage[("230500", "14fyp")].text
    running = stage[("230500", "15fyp")]
    assert running.attrs["data-stage"] == "monitoring"
    assert "年度监测" in running.text and "截至2026年10月" in running.text
    # the first problem of each report, failed targets first
    assert "未完成目标" in rows[("230500", "14fyp")].find("td", **{"class": "headline"}).text
    assert "示例数据" in _read(out, "index.html")


@pytest.mark.parametrize(
    "name,region,plan", [(S14, "230500", "14fyp"), (M14, "150781", "14fyp"), (S15, "230500", "15fyp")]
)
def test_targets_table_numbers_equal_the_marts_failed_first(built, warehouse, name, region, plan):
    doc = parse(_read(built[0], name))
    marts = _marts(
        warehouse,
        "select * from marts.fct_plan_progress where region_code = ? and plan_id = ? order by seq",
        [region, plan],
    )
    rows = [r for r in doc.find("table", id="headline").find_all("tr") if "data-indicator" in r.attrs]
    assert sorted(int(r.attrs["data-seq"]) for r in rows) == [m["seq"] for m in marts]
    order = [
        "not_achieved",
        "worsening",
        "limited",
        "needs_acceleration",
        "insufficient_data",
        "no_verdict",
        "on_track",
        "achieved",
    ]
    shown = [
        next(c for c in r.find_all("td") if c.attrs.get("data-field") == "status").attrs["data-value"]
        for r in rows
    ]
    assert shown == sorted(shown, key=order.index)  # what went wrong first
    by_seq = {m["seq"]: m for m in marts}
    for row in rows:
        m = by_seq[int(row.attrs["data-seq"])]
        cells = {c.attrs["data-field"]: c for c in row.find_all("td") if "data-field" in c.attrs}
        baseline = "previous_period_mean" if m["evaluation"] == "period_mean" else "baseline_value"
        for field, mart_field in (
            (baseline, baseline),
            ("target_threshold", "target_threshold"),
            ("evaluated_value", "evaluated_value"),
            ("change_pct", "change_pct"),
        ):
            raw = cells[field].attrs["data-value"]
            if m[mart_field] is None:
                assert raw == "", field
            else:
                assert math.isclose(float(raw), m[mart_field], rel_tol=1e-12), field
        if m["evaluated_value"] is not None:
            assert (
                fmt_value(m["evaluated_value"], _unit(warehouse, m["indicator_code"]))
                in cells["evaluated_value"].text
            )
        assert cells["status"].attrs["data-value"] == m["status"]
        assert m["status_zh"] in cells["status"].text  # the word, not only a colour


def _unit(warehouse, code):
    return _marts(warehouse, "select unit_zh from marts.dim_indicator where indicator_code = ?", [code])[0][
        "unit_zh"
    ]


def test_wording_units_points_and_unchanged(built):
    doc = parse(_read(built[0], S14))
    head = doc.find("table", id="headline")
    deaths = head.find("tr", data_indicator="safety_deaths")
    assert (
        "18人" in deaths.text
        and "14人" in deaths.text
        and "下降22.2%" in deaths.text
        and "已完成" in deaths.text
    )
    # a rate with its count; the failed target says by how much in its own unit
    rate = head.find("tr", data_indicator="deaths_per_100m_gdp")
    assert "计数 14人" in rate.text and "计数 18人" in rate.text
    assert f"高{fmt_value(0.0056, '人/亿元', with_unit=True)}" in rate.text
    # a GDP-based rate says that its 2025 GDP is preliminary
    assert "2025年地区生产总值为初步核算数" in rate.text
    assert "+0.0%" not in doc.text and "-100.0%" not in doc.text
    # the prefecture's 2019 is a gap in the series table, never 0
    series = doc.find("figure", data_indicator="safety_deaths")
    cells = [c.text.strip() for c in series.find_all("td")]
    assert cells[3] == "数据不足"  # 2016, 2017, 2018, 2019
    # an ended plan is not monitored this year: no 2026 sections in its report
    assert doc.find("section", id="monitoring") is None and doc.find("section", id="outlook") is None


def test_change_words():
    assert fmt_change(change_pct=0.0, before=7, after=7, unit="人") == "持平"
    assert fmt_change(change_pct=-100.0, before=1, after=0, unit="起") == "降至0"
    assert fmt_change(change_pct=-44.4, before=9, after=5, unit="人") == "减少4人"
    assert fmt_change(change_pct=-26.7, before=15, after=11, unit="人") == "下降26.7%"
    assert fmt_change(change_pp=-2.0, unit="%") == "下降2个百分点"
    assert fmt_change(change_pp=0.012, unit="‰") == "上升0.12个千分点"


def test_a_loss_share_numerator_is_money_not_a_count(built):
    doc = parse(_read(built[0], S14))
    block = doc.find("figure", data_indicator="disaster_loss_pct_gdp")
    first_row = block.find("tbody").find_all("tr")[0]
    assert first_row.find("th").text.strip() == "分子（亿元）"
    assert [c.text.strip() for c in first_row.find_all("td")][0] == fmt_num(0.4485)  # never "0" as a count
    assert "计数" not in block.text


def test_final_evaluation_previous_period_against_plan_period(built):
    doc = parse(_read(built[0], S14))
    assert "终期评估" in doc.find("h1").text and "十四五" in doc.find("h1").text
    assert "规划期 2021—2025年 · 基期 2020年 · 上一规划期 2016—2020年" in _meta(doc)
    table = doc.find("table", id="period-comparison")
    deaths = [c.text.strip() for c in table.find("tr", data_indicator="safety_deaths").find_all("td")]
    # 2019 incomplete: no previous total, no change, the missing year named
    assert deaths[1:] == ["数据不足", "74", "缺2019年完整数据"]
    loss = [c.text.strip() for c in table.find("tr", data_indicator="disaster_loss_pct_gdp").find_all("td")]
    assert loss[1:] == ["0.1", "0.128", "上升0.028个百分点"]
    county = doc.find("table", id="county-comparison")
    assert [c.text.strip() for c in county.find("tr", data_region="230502").find_all("td")][1:3] == [
        "47",
        "下降24.2%",
    ]
    # the counties of a prefecture only: 满洲里 has none
    assert parse(_read(built[0], M14)).find("table", id="county-comparison") is None


def test_running_plan_monitoring_outlook_counties_and_its_own_years(built):
    doc = parse(_read(built[0], S15))
    assert "年度监测" in doc.find("h1").text and "十五五" in doc.find("h1").text
    assert "规划期 2026—2030年 · 基期 2025年 · 上一规划期 2021—2025年" in _meta(doc)
    assert "实施第1年" in doc.find("p", id="stage-note").text
    assert doc.find("section", id="final") is None
    ytd = doc.find("table", id="plan-ytd").find("tr", data_indicator="safety_deaths")
    cells = [c.text.strip() for c in ytd.find_all("td")]
    assert (
        cells[1].endswith("22人") and cells[2] == "28人" and cells[3] == "下降21.4%" and cells[4] == "-2.1%"
    )
    assert ytd.find("td", data_field="status").attrs["data-value"] == "on_track"
    outlook = doc.find("table", id="outlook-table")
    verdicts = {
        r.attrs["data-indicator"]: r.find("td", data_field="outlook").text.strip()
        for r in outlook.find_all("tr")
        if "data-indicator" in r.attrs
    }
    assert verdicts == {"safety_deaths": "?不确定", "deaths_per_100m_gdp": "✓可能实现"}
    assert "6.1—17.9" in outlook.text and "2016—2025年" in outlook.text
    # the counties this year to date against last year's same months: 尖山区 13 against 22
    county = [
        c.text.strip()
        for c in doc.find("table", id="county-table").find("tr", data_region="230502").find_all("td")
    ]
    assert (
        county[1].endswith("13人") and county[2] == "22人" and county[3] == "下降40.9%" and county[4] == "9人"
    )
    table = doc.find("table", id="ytd")
    assert "22" in table.find("tr", data_indicator="safety_deaths").text
    assert "数据不足" in table.find("tr", data_indicator="deaths_per_100m_gdp").text


def test_conclusion_numbers_equal_the_marts_final_evaluation(built, warehouse):
    doc = parse(_read(built[0], S14))
    found = facts(doc)
    statuses = _marts(
        warehouse,
        "select status, count(*) as n from marts.fct_plan_progress"
        " where region_code = '230500' and plan_id = '14fyp' group by status",
    )
    assert int(found["targets"]) == sum(s["n"] for s in statuses)
    for s in statuses:
        assert int(found[s["status"]]) == s["n"], s
    failed = _marts(
        warehouse,
        "select indicator_code, evaluated_value from marts.fct_plan_progress"
        " where region_code = '230500' and plan_id = '14fyp' and status = 'not_achieved'",
    )
    for f in failed:
        assert math.isclose(float(found[f"evaluated:{f['indicator_code']}"]), f["evaluated_value"])
    ytd = _marts(
        warehouse,
        "select value_ytd, prior_year_value_same_months as prior from marts.fct_ytd_comparison"
        " where region_code = '230500' and indicator_code = 'safety_deaths' and year = 2026",
    )[0]
    assert float(found["ytd_deaths"]) == ytd["value_ytd"] and float(found["ytd_deaths_prior"]) == ytd["prior"]
    # 230500 lacks a complete 2019: no two-period sentence; 150781 has both periods (17 → 10)
    assert "deaths_previous" not in found
    periods = _marts(
        warehouse,
        "select previous_total, total from marts.fct_period_comparison where region_code = '150781'"
        " and indicator_code = 'safety_deaths' and first_year = 2021 and last_year = 2025",
    )[0]
    m14 = facts(parse(_read(built[0], M14)))
    assert float(m14["deaths_previous"]) == periods["previous_total"] == 17
    assert float(m14["deaths_total"]) == periods["total"] == 10
    # the problems: the failed target first, the unevaluable one, then the 2025 催报 backlog, the
    # misclassified severity and the rejected rows
    kinds = [li.attrs["data-kind"] for li in doc.find("ol", id="problems").find_all("li")]
    assert kinds == ["target", "insufficient", "missing", "severity", "quarantine"]
    missing = _marts(
        warehouse,
        "select count(*) as n from marts.fct_missing_submissions as m join"
        " marts.bridge_region_rollup as b on m.region_code = b.county_region_code"
        " where b.rollup_region_code = '230500' and year(m.month) = 2025",
    )[0]["n"]
    assert int(found["missing_months"]) == missing == 1
    assert int(found["severity_findings"]) == 1 and int(found["quarantined_rows"]) == 2
    advice = doc.find("ol", id="advice").text
    assert "未完成目标的原因" in advice and "补报" in advice and "更正" in advice


def test_conclusion_of_a_running_plan_names_the_worsening_county(built, warehouse):
    doc = parse(_read(built[0], S15))
    found = facts(doc)
    assert int(found["targets"]) == 2
    counties = _marts(
        warehouse,
        "select y.region_code, y.value_ytd from marts.fct_ytd_comparison as y"
        " join marts.dim_region as r using (region_code) where r.prefecture_code = '230500'"
        " and r.level = 'county' and y.year = 2026 and y.indicator_code = 'safety_deaths'"
        " and y.value_ytd > y.prior_year_value_same_months",
    )
    assert [c["region_code"] for c in counties] == ["230503"]
    assert int(found["worsening_counties"]) == 1 and float(found["county:230503"]) == counties[0]["value_ytd"]
    assert int(found["outlook_likely"]) == 1 and int(found["outlook_uncertain"]) == 1
    kinds = [li.attrs["data-kind"] for li in doc.find("ol", id="problems").find_all("li")]
    assert kinds[:2] == ["county", "missing"]
    assert (
        int(found["missing_months"]) == 2
    )  # September accidents and October disasters of the hostile county
    # the chance caveat, said where it matters (6 → 9 deaths) and only there
    county_problem = doc.find("ol", id="problems").find_all("li")[0].text
    assert "偶然" in county_problem


def test_quality_section_covers_only_its_jurisdiction(built):
    out, _ = built
    doc = parse(_read(out, S15))
    total = doc.find("p", id="quarantine-total").text
    assert "2" in total and "死亡（含失踪）2 人" in " ".join(total.split())
    quarantine = doc.find("table", id="quarantine").text
    assert "2026-09.xlsx 第7行" in quarantine  # file and row for the statistician
    missing = doc.find("table", id="missing-submissions")
    assert [r.find_all("td")[-1].text for r in missing.find_all("tr")[1:]] == ["2026年9月", "2026年10月"]
    completeness = doc.find("table", id="completeness")
    assert completeness is not None
    # 满洲里's report lists none of 双鸭山's rejected rows or late counties
    m14 = parse(_read(out, M14))
    assert m14.find("p", id="quarantine-none") is not None
    assert HOSTILE_COUNTY not in _read(out, M14) and "岭东区" not in m14.find("section", id="quality").text
    # no English check ids in the leaders' report
    assert "quarantine_empty" not in _read(out, S15) and "accidents_unique" not in _read(out, S15)


def test_written_off_and_general_accidents_are_not_listed(built):
    out, _ = built
    table = parse(_read(out, S14)).find("table", id="serious-accidents")
    dates = [r.find_all("td")[0].text for r in table.find_all("tr")[1:]]
    assert dates == ["2024年7月1日", "2025年3月5日"]


def test_no_enterprise_names_summaries_or_samples(built):
    out, _ = built
    for name in (S14, S15, M14, "index.html"):
        text = _read(out, name)
        for secret in SECRETS:
            assert secret not in text, (name, secret)


def test_hostile_text_is_escaped(built):
    out, _ = built
    text = _read(out, S15) + _read(out, S14)  # the county in the running plan's, the sector in the ended's
    for hostile in (HOSTILE_COUNTY, HOSTILE_SECTOR, "<img src=x", '<script>alert("sector")'):
        assert hostile not in text
    assert "岭东区&lt;img src=x onerror=alert(1)&gt;" in text
    assert "&lt;script&gt;alert(&#34;sector&#34;)&lt;/script&gt;" in text
    # inside chart JSON, the encoder writes < and > as \u003c / \u003e
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in text
    scripts = re.findall(r"<script\b[^>]*>", text)
    assert all(
        s in ('<script src="plotly.min.js">', "<script>") or s.startswith('<script type="application/json"')
        for s in scripts
    )


def test_run_id_only_in_the_footer_and_time_with_its_zone(built):
    doc = parse(_read(built[0], S14))
    assert RUN_ID not in doc.find("header").text and RUN_ID not in doc.find("section", id="conclusion").text
    footer = doc.find("footer").text
    assert RUN_ID in footer and "（北京时间）" in footer


def test_no_sample_banner_for_real_data(warehouse, tmp_path):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        paths = build_reports(con, tmp_path, as_of=AS_OF, is_sample_data=False, run_id=RUN_ID)
    finally:
        con.close()
    for p in paths:
        if p.suffix == ".html":
            assert "示例数据" not in p.read_text(encoding="utf-8")


def test_missing_required_mart_is_an_error(tmp_path):
    con = duckdb.connect(str(tmp_path / "empty.duckdb"))
    try:
        with pytest.raises(RuntimeError, match="fct_plan_progress"):
            build_reports(con, tmp_path / "out", as_of=AS_OF, is_sample_data=True, run_id=RUN_ID)
    finally:
        con.close()


def test_ytd_window_shortened_by_a_late_unit_is_labelled(built):
    assert "仅比较1—8月（应报至10月，有单位未报）" in _read(built[0], S15)


def test_worker_processes_write_the_same_reports_as_a_serial_build(built, warehouse, tmp_path, monkeypatch):
    import pipelines.reports.build as build_module

    monkeypatch.setattr(build_module, "PARALLEL_FROM", 1)  # three reports: parallel all the same
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        paths = build_reports(
            con, tmp_path, as_of=AS_OF, is_sample_data=True, run_id=RUN_ID, database=warehouse, workers=2
        )
    finally:
        con.close()
    serial_out, serial_paths = built
    assert [p.name for p in paths] == [p.name for p in serial_paths]
    stamp = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}")  # the generation time
    for p in paths:
        if p.suffix == ".html":
            parallel_text = stamp.sub("", p.read_text(encoding="utf-8"))
            assert parallel_text == stamp.sub("", _read(serial_out, p.name)), p.name


def test_an_index_without_plans_says_so(warehouse, tmp_path):
    copy = tmp_path / "no_plans.duckdb"
    copy.write_bytes(warehouse.read_bytes())
    con = duckdb.connect(str(copy))
    con.execute("delete from marts.dim_plan")
    con.close()
    con = duckdb.connect(str(copy), read_only=True)
    try:
        paths = build_reports(con, tmp_path / "out", as_of=AS_OF, is_sample_data=False, run_id=RUN_ID)
    finally:
        con.close()
    assert [p.name for p in paths] == ["index.html", "plotly.min.js"]
    assert "没有现行的规划" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_the_current_year_is_drawn_and_labelled_as_the_months_it_counts(built):
    # the breakdown marts count 2026 January..8 only (through_month 8): the tables say 1—8月, the
    # charts label the year 2026 / 1—8月 and draw its bars paler, so it never reads as a full year
    html = _read(built[0], S15)
    doc = parse(html)
    first_cells = [
        r.find_all("td")[0].text.strip()
        for r in doc.find("table", id="accident-breakdown").find_all("tr")[1:]
    ]
    assert first_cells and all(c == "20261—8月" for c in first_cells)  # the plan's years: 2026 only
    assert "2026年只计1—8月" in doc.find("section", id="accidents").text
    assert "2026年只计1—8月" in doc.find("section", id="disasters").text
    figures = [
        json.loads(m)
        for m in re.findall(r'<script type="application/json" id="fig-[^"]+">(.*?)</script>', html, re.S)
    ]
    stacked = [f for f in figures if "2026<br>1—8月" in f["layout"]["xaxis"].get("ticktext", [])]
    assert len(stacked) >= 2  # deaths by class, and the disasters' chart
    bars = [t for f in stacked for t in f["data"] if t.get("type") == "bar" and 2026 in t["x"]]
    assert bars and all(t["marker"]["opacity"][t["x"].index(2026)] < 1 for t in bars)
