"""The plans source (docs/spec/plans.md): headers, words and codes, row rules, whole-plan rules."""

from __future__ import annotations

import json
from datetime import date

from tests.handmade import PLAN_HEADERS, plan_rows

from .conftest import load, rows, write_csv, write_xlsx

TARGETS = [
    (1, "safety_deaths", "生产安全事故死亡人数", "下降", "≥", "15%", "%", "约束性", "期末比基期"),
    (2, "larger_and_above_accidents", "重大较大生产安全事故起数", "遏制", "", "", "", "约束性", "期末比基期"),
    (
        3,
        "disaster_deaths_per_million",
        "年均每百万人口因自然灾害死亡率",
        "上限",
        "＜",
        "1",
        "",
        "预期性",
        "期间年均",
    ),
    (4, "forest_fire_damage_permille", "森林火灾受害率", "upper_bound", "<=", "0.9‰", "‰", "", "period_mean"),
    (5, "warning_coverage_pct", "灾害预警信息发布公众覆盖率", "下限", ">=", "95%", "%", "预期性", "最新值"),
    (
        6,
        "deaths_per_100m_gdp",
        "亿元生产总值生产安全事故死亡率",
        "decline_pct",
        "",
        "33",
        "%",
        "binding",
        "end_vs_base",
    ),
]


def plan(targets=TARGETS, **over):
    args = {
        "plan_id": "15fyp",
        "name": "双鸭山市“十五五”规划（示例）",
        "region": "230500",
        "first": 2026,
        "last": 2030,
        "base": 2025,
        "version": "2026-02-01",
    }
    args.update(over)
    return plan_rows(
        args["plan_id"],
        args["name"],
        args["region"],
        args["first"],
        args["last"],
        args["base"],
        args["version"],
        targets,
    )


def loaded(con):
    return rows(
        con,
        "select seq, indicator_code, target_kind, comparator, target_value, attribute, evaluation,"
        " start_year, end_year, baseline_year, version_date::varchar from raw.plans order by seq",
    )


def quarantined(con):
    return rows(
        con,
        "select row_number, reason_code, column_name, reason_zh, reason_en from raw.quarantine"
        " where source = 'plans' order by row_number",
    )


def test_words_codes_signs_and_a_future_end_year(con, data_dir):
    write_csv(data_dir / "plans" / "p.csv", PLAN_HEADERS, plan())
    report = load(con, "plans", data_dir)
    assert report.rows_loaded == 6 and report.rows_rejected == 0
    assert loaded(con) == [
        (
            1,
            "safety_deaths",
            "decline_pct",
            ">=",
            15.0,
            "binding",
            "end_vs_base",
            2026,
            2030,
            2025,
            "2026-02-01",
        ),
        (
            2,
            "larger_and_above_accidents",
            "curb",
            None,
            None,
            "binding",
            "end_vs_base",
            2026,
            2030,
            2025,
            "2026-02-01",
        ),
        (
            3,
            "disaster_deaths_per_million",
            "upper_bound",
            "<",
            1.0,
            "expected",
            "period_mean",
            2026,
            2030,
            2025,
            "2026-02-01",
        ),
        (
            4,
            "forest_fire_damage_permille",
            "upper_bound",
            "<=",
            0.9,
            None,
            "period_mean",
            2026,
            2030,
            2025,
            "2026-02-01",
        ),
        (
            5,
            "warning_coverage_pct",
            "lower_bound",
            ">=",
            95.0,
            "expected",
            "latest",
            2026,
            2030,
            2025,
            "2026-02-01",
        ),
        # a decline without a comparator means "at least": >=
        (
            6,
            "deaths_per_100m_gdp",
            "decline_pct",
            ">=",
            33.0,
            "binding",
            "end_vs_base",
            2026,
            2030,
            2025,
            "2026-02-01",
        ),
    ]


def test_a_workbook_with_title_rows_and_alias_headers(con, data_dir):
    aliases = [
        "规划代号"
        if h == "规划编号"
        else "起始年"
        if h == "规划期起始年"
        else "基准年"
        if h == "基期年"
        else "印发日期"
        if h == "版本日期"
        else h
        for h in PLAN_HEADERS
    ]
    at = write_xlsx(
        data_dir / "plans" / "衡水.xlsx",
        aliases,
        plan(region="131100"),
        title="衡水市“十五五”规划主要指标（示例）",
        total=False,
        footer=False,
    )
    load(con, "plans", data_dir)
    assert [r[0] for r in loaded(con)] == [1, 2, 3, 4, 5, 6]
    first = rows(con, "select region_code, row_number, sheet_name from raw.plans order by seq limit 1")
    assert first == [("131100", at["first"], "Sheet1")]


def test_row_rules_reject_the_row_with_its_reason(con, data_dir):
    bad = [
        (1, "safety_deaths", "生产安全事故死亡人数", "下降", "≥", "约15%", "%", "约束性", "期末比基期"),
        (2, "no_such_indicator", "某指标", "下降", "≥", "15", "%", "约束性", "期末比基期"),
        (
            3,
            "disaster_deaths_per_million",
            "年均每百万人口因自然灾害死亡率",
            "上限",
            "",
            "1",
            "",
            "预期性",
            "期间年均",
        ),
        (4, "safety_deaths", "生产安全事故死亡人数", "下降", "≥", "100", "%", "约束性", "期末比基期"),
        (5, "safety_deaths", "生产安全事故死亡人数", "下降", "≥", "0", "%", "约束性", "期末比基期"),
        (6, "safety_deaths", "生产安全事故死亡人数", "上限", ">=", "3", "人", "约束性", "期末比基期"),
        (7, "safety_deaths", "生产安全事故死亡人数", "下降", "≥", "", "%", "约束性", "期末比基期"),
        (8, "safety_accidents", "生产安全事故起数", "下降", "≥", "10", "%", "约束性", "期末比基期"),
        (8, "larger_accidents", "较大事故起数", "下降", "≥", "10", "%", "约束性", "期末比基期"),
        (9, "safety_accidents", "生产安全事故起数", "增加", "≥", "10", "%", "约束性", "期末比基期"),
    ]
    write_csv(data_dir / "plans" / "bad.csv", PLAN_HEADERS, plan(bad))
    load(con, "plans", data_dir)
    assert loaded(con) == []
    got = {(r[0], r[1], r[2]) for r in quarantined(con)}
    assert got == {
        (2, "not_a_number", "目标值"),
        (3, "unknown_indicator", "指标代码"),
        (4, "missing_comparator", "比较符"),
        (5, "target_out_of_range", "目标值"),
        (6, "target_out_of_range", "目标值"),
        (7, "contradictory_comparator", "比较符"),
        (8, "missing_value", "目标值"),
        (9, "duplicate_seq", "序号"),
        (10, "duplicate_seq", "序号"),
        (11, "invalid_value", "目标类型"),
    }
    reasons = {r[0]: (r[3], r[4]) for r in quarantined(con)}
    assert reasons[2][0] == "文件 bad.csv 第 2 行 “目标值” 列：目标值应为数字（可带 % 或 ‰），实际为“约15%”"
    assert "“<1”与“≤1”在边界上结论不同" in reasons[4][0]
    assert reasons[9][0] == (
        "文件 bad.csv 第 9 行 “序号” 列：序号 8 在规划“15fyp”（行政区划 230500）中出现多次"
        "（第 9、10 行），均不入库"
    )
    assert "expected 下降, 上限, 下限, 遏制, 有效遏制 (or decline_pct" in reasons[11][1]
    # the raw cells are kept with the reason
    record = rows(con, "select raw_record from raw.quarantine where row_number = 2")[0][0]
    assert json.loads(record)["目标值"] == "约15%"


def test_plan_level_cells_that_differ_reject_the_whole_plan_and_name_it(con, data_dir):
    broken = plan()
    broken[2][PLAN_HEADERS.index("规划期终止年")] = 2031
    other = plan(plan_id="zx", name="专项规划（示例）")  # another plan in the same file: untouched
    write_csv(data_dir / "plans" / "two.csv", PLAN_HEADERS, broken + other)
    load(con, "plans", data_dir)
    assert rows(con, "select distinct plan_id from raw.plans") == [("zx",)]
    q = quarantined(con)
    assert [r[0] for r in q] == [2, 3, 4, 5, 6, 7]
    assert {r[1] for r in q} == {"inconsistent_plan"}
    assert all(
        "规划“15fyp”（行政区划 230500）的各行规划期终止年不一致（2030、2031），整份规划不入库" in r[3]
        for r in q
    )
    assert all(
        "plan '15fyp' (region 230500): its rows give different last plan years (2030, 2031)" in r[4]
        for r in q
    )


def test_a_plan_period_that_makes_no_sense_is_rejected_whole(con, data_dir):
    write_csv(data_dir / "plans" / "a.csv", PLAN_HEADERS, plan(first=2026, last=2024, base=2025))
    write_csv(
        data_dir / "plans" / "b.csv", PLAN_HEADERS, plan(plan_id="p2", first=2026, last=2030, base=2026)
    )
    load(con, "plans", data_dir)
    assert rows(con, "select count(*) from raw.plans") == [(0,)]
    reasons = {r[0] for r in rows(con, "select reason_zh from raw.quarantine where source = 'plans'")}
    assert any("规划期终止年（2024）早于起始年（2026），整份规划不入库" in r for r in reasons)
    assert any("基期年（2026）应早于规划期起始年（2026），整份规划不入库" in r for r in reasons)


def test_a_version_date_after_the_as_of_date_is_rejected(con, data_dir):
    write_csv(data_dir / "plans" / "p.csv", PLAN_HEADERS, plan(version="2027-01-01"))
    load(con, "plans", data_dir)
    q = quarantined(con)
    assert len(q) == 6 and {r[1] for r in q} == {"future_date"} and {r[2] for r in q} == {"版本日期"}


# --- the mechanisms every source shares (issue 21): normalisation, range checks, judgment ---------


def test_plan_cells_get_the_shared_normalisation(con, data_dir):
    """Full-width digits and letters, a zero-width space, an ideographic space: the cells compare as
    a person reads them (pipelines/ingest/normalise.py)."""
    rows_ = plan(TARGETS[:1], plan_id="１５ｆｙｐ\u200b", region="２３０５００")
    rows_[0][PLAN_HEADERS.index("序号")] = "１"
    rows_[0][PLAN_HEADERS.index("指标代码")] = "safety_deaths\u3000"
    write_csv(data_dir / "plans" / "wide.csv", PLAN_HEADERS, rows_)
    load(con, "plans", data_dir)
    assert quarantined(con) == []
    assert rows(con, "select plan_id, region_code, seq, indicator_code, start_year from raw.plans") == [
        ("15fyp", "230500", 1, "safety_deaths", 2026)
    ]


def test_numbers_that_do_not_fit_their_raw_column_are_quarantined_not_a_crash(con, data_dir):
    """序号 3,000,000,000 does not fit raw.plans.seq (INTEGER); 1e400 is no target value: each row goes
    to quarantine with its reason, the rest of the plan loads."""
    targets = [TARGETS[0], (2, *TARGETS[1][1:]), (3, *TARGETS[2][1:])]
    rows_ = plan(targets)
    rows_[1][PLAN_HEADERS.index("序号")] = "3000000000"
    rows_[2][PLAN_HEADERS.index("目标值")] = "1e400"
    write_csv(data_dir / "plans" / "big.csv", PLAN_HEADERS, rows_)
    load(con, "plans", data_dir)
    assert [r[0] for r in loaded(con)] == [1]
    assert {(r[0], r[1], r[2]) for r in quarantined(con)} == {
        (3, "out_of_range", "序号"), (4, "out_of_range", "目标值")
    }


def test_a_plan_file_name_with_control_characters_is_shown_escaped(con, data_dir):
    write_csv(data_dir / "plans" / "p\x1b[31m.csv", PLAN_HEADERS, plan(version="2027-01-01"))
    load(con, "plans", data_dir)
    reasons = [r[3] for r in quarantined(con)]
    assert reasons and all("p\\u001b[31m.csv" in r and "\x1b" not in r for r in reasons)


def test_an_unchanged_plan_file_is_judged_again_when_the_as_of_date_passes_its_version_date(con, data_dir):
    """A revision dated after the as-of date is rejected (future_date); the same unchanged file loads
    once the as-of date has passed its 版本日期 (pipelines/ingest/judgment.py), and not again after."""
    write_csv(data_dir / "plans" / "rev.csv", PLAN_HEADERS, plan(version="2026-12-15"))
    load(con, "plans", data_dir)
    assert loaded(con) == [] and {r[1] for r in quarantined(con)} == {"future_date"}
    report = load(con, "plans", data_dir, as_of=date(2026, 12, 31))
    assert [f.status for f in report.files] == ["revalidated"]
    assert len(loaded(con)) == len(TARGETS) and quarantined(con) == []
    assert [f.status for f in load(con, "plans", data_dir, as_of=date(2027, 1, 31)).files] == ["skipped"]
