"""The reports show the marts' numbers, escape every text and carry no personal data."""

from __future__ import annotations

import math
import re

import duckdb
import pytest

from pipelines.reports import build_reports
from pipelines.reports.labels import fmt_num, fmt_pct

from .conftest import AS_OF, HOSTILE_COUNTY, HOSTILE_SECTOR, RUN_ID, SECRETS
from .htmltree import parse

MAX_REPORT_BYTES = 1_000_000


def _read(out, name):
    return (out / name).read_text(encoding="utf-8")


def _meta(doc) -> str:
    """The report's first meta line (jurisdiction, plan years)."""
    return " ".join(next(p for p in doc.find_all("p") if p.attrs.get("class") == "meta").text.split())


S14, S15, M14 = "230500_双鸭山市_14fyp.html", "230500_双鸭山市_15fyp.html", "150781_满洲里市_14fyp.html"


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


def test_index_lists_every_plan_with_its_stage_and_status_counts(built):
    out, _ = built
    doc = parse(_read(out, "index.html"))
    rows = {(r.attrs["data-region"], r.attrs["data-plan"]): r
            for r in doc.find_all("tr") if "data-plan" in r.attrs}
    assert set(rows) == {("230500", "14fyp"), ("230500", "15fyp"), ("150781", "14fyp")}
    links = [a.attrs["href"] for a in doc.find_all("a")]
    assert {S14, S15, M14} <= set(links)

    def counts(row):
        return {s.attrs["data-status"]: int(s.attrs["data-count"]) for s in row.find_all("span")
                if "data-status" in s.attrs}

    # 双鸭山's 14th plan: achieved 2 (deaths, loss share), not_achieved 1, no_verdict 1, insufficient_data 1
    assert counts(rows[("230500", "14fyp")]) == {"achieved": 2, "not_achieved": 1, "no_verdict": 1,
                                                 "insufficient_data": 1}
    assert [c.text.strip() for c in rows[("230500", "14fyp")].find_all("td")][3] == "5"
    assert counts(rows[("230500", "15fyp")]) == {"insufficient_data": 2}
    stage = {k: next(c for c in r.find_all("td") if "data-stage" in c.attrs) for k, r in rows.items()}
    assert stage[("230500", "14fyp")].attrs["data-stage"] == "final_evaluation"
    assert "终期评估" in stage[("230500", "14fyp")].text
    running = stage[("230500", "15fyp")]
    assert running.attrs["data-stage"] == "monitoring"
    assert "年度监测" in running.text and "截至2026年10月" in running.text
    assert "2026—2030年" in rows[("230500", "15fyp")].text and "2021—2025年" in rows[("150781", "14fyp")].text
    assert "示例数据" in _read(out, "index.html")


@pytest.mark.parametrize("name,region,plan", [(S14, "230500", "14fyp"), (M14, "150781", "14fyp"),
                                               (S15, "230500", "15fyp")])
def test_headline_numbers_equal_the_marts(built, warehouse, name, region, plan):
    out, _ = built
    doc = parse(_read(out, name))
    table = doc.find("table", id="headline")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cur = con.execute(
            "select indicator_code, baseline_value, baseline_value_printed, target_threshold,"
            " evaluated_value, change_pct, status, status_zh from marts.fct_plan_progress"
            " where region_code = ? and plan_id = ? order by seq",
            [region, plan],
        )
        cols = [d[0] for d in cur.description]
        marts = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()
    rows = [r for r in table.find_all("tr") if "data-indicator" in r.attrs]
    assert [r.attrs["data-indicator"] for r in rows] == [m["indicator_code"] for m in marts]
    for row, m in zip(rows, marts, strict=True):
        cells = {c.attrs["data-field"]: c for c in row.find_all("td") if "data-field" in c.attrs}
        for field in (
            "baseline_value",
            "baseline_value_printed",
            "target_threshold",
            "evaluated_value",
            "change_pct",
        ):
            raw = cells[field].attrs["data-value"]
            if m[field] is None:
                assert raw == "", field
            else:
                assert math.isclose(float(raw), m[field], rel_tol=1e-12), field
                # an unchanged value reads 持平, never "+0.0%"
                shown = (("持平" if m[field] == 0 else fmt_pct(m[field])) if field == "change_pct"
                         else fmt_num(m[field]))
                assert shown in cells[field].text, (field, shown, cells[field].text)
        assert cells["status"].attrs["data-value"] == m["status"]
        assert m["status_zh"] in cells["status"].text  # the word, not only a colour
    # a gap is 数据不足, never 0
    if (region, plan) == ("230500", "14fyp"):
        gap_row = next(r for r in rows if r.attrs["data-indicator"] == "disaster_deaths_per_million")
        assert "数据不足" in gap_row.text


def test_hand_checked_values(built):
    out, _ = built
    doc = parse(_read(out, S14))
    head = doc.find("table", id="headline")
    first = next(r for r in head.find_all("tr") if r.attrs.get("data-indicator") == "safety_deaths")
    assert "18" in first.text and "14" in first.text and "-22.2%" in first.text and "已完成" in first.text
    # rate shown with its count (2025: 14 deaths)
    rate = next(r for r in head.find_all("tr") if r.attrs.get("data-indicator") == "deaths_per_100m_gdp")
    assert "计数 14" in rate.text and "计数 18" in rate.text
    # the prefecture's 2019 is a gap in the series table
    series = next(b for b in doc.find_all("div", data_indicator="safety_deaths"))
    cells = [c.text.strip() for c in series.find_all("td")]
    assert cells[3] == "数据不足"  # 2016, 2017, 2018, 2019
    # an ended plan is not monitored this year: no 2026 sections in its report
    assert doc.find("section", id="monitoring") is None and doc.find("section", id="outlook") is None


def test_a_loss_share_numerator_is_money_not_a_count(built):
    doc = parse(_read(built[0], S14))
    block = next(b for b in doc.find_all("div", data_indicator="disaster_loss_pct_gdp"))
    first_row = block.find("tbody").find_all("tr")[0]
    assert first_row.find("th").text.strip() == "分子（亿元）"
    assert [c.text.strip() for c in first_row.find_all("td")][0] == "0.4485"  # never "0" as a count
    assert "计数" not in block.text
    head = next(r for r in doc.find("table", id="headline").find_all("tr")
                if r.attrs.get("data-indicator") == "safety_deaths")
    assert "计数 18" in head.text or "18" in head.text


def test_final_evaluation_previous_period_against_plan_period(built):
    doc = parse(_read(built[0], S14))
    assert "终期评估" in doc.find("h1").text and "十四五" in doc.find("h1").text
    assert "规划期 2021—2025年，基期 2020年，上一规划期 2016—2020年" in _meta(doc)
    table = doc.find("table", id="period-comparison")
    deaths = [c.text.strip() for c in table.find("tr", data_indicator="safety_deaths").find_all("td")]
    # 2019 incomplete: no previous total, no change, the missing year named
    assert deaths[1:7] == ["数据不足", "74", "数据不足", "14.8", "—", "缺少 2019 年完整数据，不计算变化"]
    loss = [c.text.strip() for c in table.find("tr", data_indicator="disaster_loss_pct_gdp").find_all("td")]
    assert loss[1:6] == ["—", "—", "0.1", "0.1281", "+0.028个百分点"]
    county = doc.find("table", id="county-comparison")
    assert [c.text.strip() for c in county.find("tr", data_region="230502").find_all("td")][1:4] == [
        "62", "47", "-24.2%"]
    # the counties of a prefecture only: 满洲里 has none
    assert parse(_read(built[0], M14)).find("table", id="county-comparison") is None


def test_running_plan_monitoring_outlook_and_its_own_years(built):
    doc = parse(_read(built[0], S15))
    assert "年度监测" in doc.find("h1").text and "十五五" in doc.find("h1").text
    assert "规划期 2026—2030年，基期 2025年，上一规划期 2021—2025年" in _meta(doc)
    assert "尚无完整的规划年度" in doc.find("p", id="stage-note").text
    assert doc.find("section", id="final") is None
    ytd = doc.find("table", id="plan-ytd").find("tr", data_indicator="safety_deaths")
    cells = [c.text.strip() for c in ytd.find_all("td")]
    assert cells[1].endswith("22") and cells[2] == "28" and cells[3] == "-21.4%" and cells[4] == "-2.1%"
    assert ytd.find("td", data_field="status").attrs["data-value"] == "on_track"
    outlook = doc.find("table", id="outlook-table")
    verdicts = {r.attrs["data-indicator"]: r.find("td", data_field="outlook").text.strip()
                for r in outlook.find_all("tr") if "data-indicator" in r.attrs}
    assert verdicts == {"safety_deaths": "?不确定", "deaths_per_100m_gdp": "✓可能实现"}
    assert "6.1–17.9" in outlook.text and "2016—2025年" in outlook.text
    # the counties at the plan's base year (2025): 尖山区 9 deaths
    county = doc.find("tr", data_region="230502")
    assert [c.text.strip() for c in county.find_all("td")][1] == "9"
    # the all-counts year-to-date table: 22 against 28; the incomplete rate shows 数据不足
    table = doc.find("table", id="ytd")
    assert "22" in table.find("tr", data_indicator="safety_deaths").text
    assert "数据不足" in table.find("tr", data_indicator="deaths_per_100m_gdp").text


def test_quality_section(built):
    out, _ = built
    doc = parse(_read(out, S15))
    summary = doc.find("div", id="check-summary").text
    assert "通过 3 项" in summary and "未通过 0 项" in summary and "警告 1 项" in summary
    total = doc.find("p", id="quarantine-total").text
    assert "2" in total and "死亡（含失踪）2 人" in total.replace("\n", "").replace(" ", "").replace(
        "死亡（含失踪）2人", "死亡（含失踪）2 人"
    )
    missing = doc.find("table", id="missing-submissions")
    months = [r.find_all("td")[-1].text for r in missing.find_all("tr")[1:]]
    assert months == ["2026年9月", "2026年10月"]  # the 2025 gap is not in this year's list
    assert RUN_ID in doc.text and "2026年11月20日" in doc.text


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
    # inside chart JSON, plotly's encoder writes < and > as \u003c / \u003e
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in text
    # the only script elements are ours: the JSON blocks, plotly.min.js and the renderer
    scripts = re.findall(r"<script\b[^>]*>", text)
    assert all(
        s in ('<script src="plotly.min.js">', "<script>") or s.startswith('<script type="application/json"')
        for s in scripts
    )


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
    out, _ = built
    html = _read(out, S15)
    assert "仅比较1—8月（应报至10月，有单位未报）" in html


def test_worker_processes_write_the_same_reports_as_a_serial_build(built, warehouse, tmp_path, monkeypatch):
    import pipelines.reports.build as build_module

    monkeypatch.setattr(build_module, "PARALLEL_FROM", 1)  # two reports: parallel all the same
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        paths = build_reports(con, tmp_path, as_of=AS_OF, is_sample_data=True, run_id=RUN_ID,
                              database=warehouse, workers=2)
    finally:
        con.close()
    serial_out, serial_paths = built
    assert [p.name for p in paths] == [p.name for p in serial_paths]
    stamp = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")  # the generation time

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
