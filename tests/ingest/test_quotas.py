"""The quotas source (docs/spec/monthly.md, 年度控制指标下达表): headers and aliases, the cells'
rules, an adjustment kept beside the quota it adjusts, and the same key and 下达日期 twice."""

from __future__ import annotations

from .conftest import load, rows, write_csv, write_xlsx

HEADERS = ["年度", "行政区划代码", "行政区划名称", "指标代码", "指标名称", "控制数", "下达日期"]
ALIASES = ["年份", "区划代码", "地区", "指标代码", "控制指标", "控制指标数", "下达日期"]


def quota(year="2026", code="230521", name="集贤县", indicator="safety_deaths", label="生产安全事故死亡人数",
          number="3", issued="2026-01-15"):
    return [year, code, name, indicator, label, number, issued]


def loaded(con):
    return rows(
        con,
        "select row_number, year, region_code, indicator_code, quota, issued_date::varchar,"
        " is_region_from_name from raw.quotas order by row_number",
    )


def quarantined(con):
    return rows(
        con,
        "select row_number, reason_code, column_name, reason_zh, reason_en from raw.quarantine"
        " where source = 'quotas' order by row_number",
    )


def test_a_batch_with_an_adjustment_and_alias_headers(con, data_dir):
    # a workbook with a title row, alias headers, a prefecture's own quota, a 0 quota, and (row 8) a
    # mid-year adjustment of row 4: both stay in raw, dbt decides which is in force
    write_xlsx(
        data_dir / "quotas" / "2026年控制指标.xlsx",
        ALIASES,
        [
            quota(),
            quota(indicator="safety_accidents", label="生产安全事故起数", number="5"),
            quota(code="230500", name="双鸭山市", number="20"),
            quota(indicator="larger_and_above_accidents", label="较大及以上事故起数", number="0"),
            quota(number="4", issued="2026年7月10日"),
        ],
        title="2026年度安全生产控制指标下达表",
        unit_line="下达单位：双鸭山市安全生产委员会",
        total=False,
    )
    report = load(con, "quotas", data_dir)
    assert report.rows_loaded == 5 and report.rows_rejected == 0
    assert loaded(con) == [
        (4, 2026, "230521", "safety_deaths", 3, "2026-01-15", False),
        (5, 2026, "230521", "safety_accidents", 5, "2026-01-15", False),
        (6, 2026, "230500", "safety_deaths", 20, "2026-01-15", False),
        (7, 2026, "230521", "larger_and_above_accidents", 0, "2026-01-15", False),
        (8, 2026, "230521", "safety_deaths", 4, "2026-07-10", False),
    ]


def test_each_cell_rule_rejects_its_row_with_a_reason(con, data_dir):
    write_csv(
        data_dir / "quotas" / "q.csv",
        HEADERS,
        [
            quota(indicator="deaths_per_100m_gdp"),  # 2: a rate is no quota
            quota(number=""),  # 3: an empty 控制数 is not 0
            quota(number="2.5"),  # 4
            quota(number="-1"),  # 5
            quota(number="约3"),  # 6
            quota(year="2028"),  # 7: after the as-of year's next one
            quota(issued="2026-12-01"),  # 8: issued after the as-of date
            quota(code="230599", name=""),  # 9: unknown code
            quota(year="2027", issued="2026-11-20"),  # 10: next year's quota, issued in advance: valid
            quota(code="", name="集贤县"),  # 11: the code from the name: valid, flagged
        ],
    )
    load(con, "quotas", data_dir)
    got = {(r[0], r[1], r[2]) for r in quarantined(con)}
    assert got == {
        (2, "unknown_indicator", "指标代码"),
        (3, "missing_value", "控制数"),
        (4, "not_a_whole_number", "控制数"),
        (5, "not_a_whole_number", "控制数"),
        (6, "not_a_number", "控制数"),
        (7, "future_date", "年度"),
        (8, "future_date", "下达日期"),
        (9, "unknown_region_code", "行政区划代码"),
    }
    by_row = {r[0]: r for r in quarantined(con)}
    assert "文件 q.csv 第 3 行 “控制数” 列：必须填写控制数（空白不是 0）" in by_row[3][3]
    assert "控制指标只控制人数或起数" in by_row[2][3] and "safety_deaths" in by_row[2][3]
    assert "年度不能晚于数据截止日期 2026-11-25 的下一年（2027），实际为“2028”" in by_row[7][3]
    assert by_row[7][4].startswith("file q.csv, row 7, column 年度: expected a year not after")
    assert [(r[0], r[1], r[2], r[6]) for r in loaded(con)] == [
        (10, 2027, "230521", False),
        (11, 2026, "230521", True),
    ]


def test_the_same_key_and_date_with_different_numbers_rejects_both(con, data_dir):
    write_csv(
        data_dir / "quotas" / "q.csv",
        HEADERS,
        [
            quota(number="3"),  # 2 ┐ same key, same 下达日期, different numbers: both rejected
            quota(number="4"),  # 3 ┘
            quota(indicator="safety_accidents", number="5"),  # 4 ┐ the same numbers twice (the name
            quota(indicator="safety_accidents", label="事故起数", number="5"),  # 5 ┘ spelled apart): kept
            quota(number="2", issued="2026-07-01"),  # 6: same key, a later date: an adjustment, kept
        ],
    )
    load(con, "quotas", data_dir)
    q = quarantined(con)
    assert [(r[0], r[1]) for r in q] == [(2, "conflicting_duplicate"), (3, "conflicting_duplicate")]
    assert ("同一文件中年度、指标代码、行政区划代码（2026 / 230521 / safety_deaths）与下达日期都相同的记录"
            "出现多次且数值不同（第 2、3 行），无法判断哪一条正确，均不入库") in q[0][3]
    assert "with the same 下达日期 appears more than once in this file with different values" in q[0][4]
    assert [(r[0], r[3], r[4]) for r in loaded(con)] == [
        (4, "safety_accidents", 5), (5, "safety_accidents", 5), (6, "safety_deaths", 2),
    ]


def test_a_later_batch_is_a_revision_in_the_load_report(con, data_dir):
    from pipelines.ingest.load_log import revised_counts

    write_csv(data_dir / "quotas" / "a.csv", HEADERS, [quota()])
    load(con, "quotas", data_dir)
    write_csv(data_dir / "quotas" / "b.csv", HEADERS, [quota(number="4", issued="2026-07-10")])
    load(con, "quotas", data_dir)
    assert revised_counts(con, "quotas", ["b.csv"]) == {"b.csv": 1}
