"""Issue 21, items 3, 4, 5, 6, 7 and their siblings: hidden sheets, numbers that overflow, keys that
look equal, formula cells without a result.

Each case loads its files with ``pipelines.ingest.load_source`` into a real DuckDB file and asserts
where every row went, the reason and the counts that must not move. The command-line case
``test_round_two_through_the_command_line`` (test_cli.py) shows the published numbers.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from tests.ingest.conftest import (
    ACC_HEADER,
    CAP_HEADER,
    DIS_HEADER,
    STAT_HEADER,
    acc_row,
    write_csv,
    write_xlsx,
    zero_row,
)

from .helpers import assert_reason, dicts, ids, load, quarantine
from .test_inputs import dis_row

ORDER = 120
ROW_DEST = "raw.quarantine (the row, with its raw cells)"


def acc_dir(data_dir: Path) -> Path:
    d = data_dir / "accidents"
    d.mkdir(exist_ok=True)
    return d


# --------------------------------------------------------------------------- 3. hidden sheets


def _workbook(path: Path, sheets: list[tuple[str, list[list], str]]) -> None:
    """sheets: (name, rows under ACC_HEADER, visibility: visible / hidden / very_hidden)."""
    wb = xlsxwriter.Workbook(str(path))
    for name, rows, visibility in sheets:
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, ACC_HEADER)
        for i, row in enumerate(rows, start=1):
            ws.write_row(i, 0, row)
        if visibility == "hidden":
            ws.hide()
        elif visibility == "very_hidden":
            ws.very_hidden()
    wb.close()


def test_hidden_and_very_hidden_sheets_are_not_data(con, data_dir, robust_case):
    real = [acc_row("SY-1", deaths=2), acc_row("SY-2", deaths=1)]
    _workbook(acc_dir(data_dir) / "2024-03.xlsx", [
        ("三月", real, "visible"),
        ("填表示例", [acc_row("示例-001", deaths=9)], "hidden"),  # an example row
        ("旧版", [acc_row("SY-1", deaths=4)], "very_hidden"),  # a stale copy of a real accident
    ])
    rep = load(con, "accidents", data_dir)
    assert ids(con) == ["SY-1", "SY-2"]
    assert con.execute("select sum(deaths) from raw.accidents").fetchone() == (3,)  # not 3 + 9, SY-1 kept
    assert quarantine(con) == []  # SY-1 is not a conflict with its hidden copy
    f = rep.files[0]
    assert (f.status, f.rows_read, f.rows_loaded) == ("loaded", 2, 2)
    assert f.note_zh == "未读取隐藏的工作表：填表示例（隐藏）、旧版（深度隐藏）"
    assert f.note_en == "hidden sheets not read: 填表示例 (hidden), 旧版 (very hidden)"
    assert dicts(con, "select note_zh from raw.files")[0]["note_zh"] == f.note_zh  # kept for later runs
    robust_case(
        "hidden_sheets", section="input", order=ORDER,
        title="#3 a hidden sheet (an example row) and a very hidden one (a stale copy of a real accident)",
        reason_code=None,
        destination="hidden sheets not read; listed as a note of the file in the load report and raw.files",
        valid_rows="2 of 2 (deaths 3, not 12; SY-1 not quarantined as a conflict)", exit_code="0",
        message_en=f.note_en,
    )


def test_an_intended_multi_sheet_workbook_still_loads(con, data_dir, robust_case):
    _workbook(acc_dir(data_dir) / "2024Q1.xlsx", [
        ("一月", [acc_row("J-1")], "visible"), ("二月", [acc_row("F-1"), acc_row("F-2")], "visible"),
    ])
    rep = load(con, "accidents", data_dir)
    got = con.execute("select sheet_name, accident_id from raw.accidents order by accident_id").fetchall()
    assert got == [
        ("二月", "F-1"), ("二月", "F-2"), ("一月", "J-1"),
    ]
    assert rep.files[0].note_zh is None
    robust_case(
        "multi_sheet_layout", section="input", order=ORDER + 1,
        title="#3 guard: an intended multi-sheet workbook (一月, 二月 visible)", reason_code=None,
        destination="every visible sheet loads, with its sheet name", valid_rows="3 of 3", exit_code="0",
    )


def test_a_conflict_across_sheets_names_both_sheets(con, data_dir, robust_case):
    _workbook(acc_dir(data_dir) / "2024Q1.xlsx", [
        ("一月", [acc_row("OK-1"), acc_row("DUP-1", deaths=1)], "visible"),
        ("二月", [acc_row("DUP-1", deaths=3)], "visible"),
    ])
    load(con, "accidents", data_dir)
    q = quarantine(con)
    assert [(r["sheet_name"], r["row_number"], r["reason_code"]) for r in q] == [
        ("二月", 2, "conflicting_duplicate"), ("一月", 3, "conflicting_duplicate")
    ]
    for r in q:
        assert_reason(r, file="2024Q1.xlsx", row=r["row_number"], column="事故编号", sheet=r["sheet_name"],
                      zh=("（工作表 一月 第 3 行、工作表 二月 第 2 行）",),
                      en=("(sheet 一月 row 3, sheet 二月 row 2)",))
    assert ids(con) == ["OK-1"]
    robust_case(
        "conflict_names_sheets", section="input", order=ORDER + 2,
        title="#3 sibling: the same key twice with different values in two sheets",
        reason_code="conflicting_duplicate",
        destination="both rows quarantined; the reason names each row's sheet", valid_rows="1 of 1",
        exit_code="0", message_en=q[0]["reason_en"],
    )


def test_a_workbook_whose_only_table_is_hidden(con, data_dir, robust_case):
    wb = xlsxwriter.Workbook(str(acc_dir(data_dir) / "hidden_only.xlsx"))
    wb.add_worksheet("说明").write(0, 0, "数据见下一个工作表")
    hidden = wb.add_worksheet("数据")
    hidden.write_row(0, 0, ACC_HEADER)
    hidden.write_row(1, 0, acc_row("H-1"))
    hidden.hide()
    wb.close()
    rep = load(con, "accidents", data_dir)
    f = rep.files[0]
    assert f.status == "rejected" and ids(con) == []
    assert "只查找了可见的工作表；未读取隐藏的工作表：数据（隐藏）" in f.reason_zh
    assert "only visible sheets are read; hidden sheets not read: 数据 (hidden)" in f.reason_en
    robust_case(
        "hidden_only_table", section="input", order=ORDER + 3,
        title="#3 sibling: the workbook's only table is on a hidden sheet", reason_code="no_header_row",
        destination="rejected whole; the reason says the hidden sheet was not read (unhide it to load it)",
        valid_rows="—", exit_code="2", message_en=f.reason_en,
    )


# --------------------------------------------------------------------------- 4, 7. numbers out of range

INT_MAX = "2,147,483,647"
RANGE_CASES = [
    # case, title, source, writer(data_dir), column, got, zh part
    ("overflow_loss_1e400", "#4 `1e400` in 直接经济损失 (float overflow → inf)", "accidents",
     lambda d: write_csv(acc_dir(d) / "a.csv", ACC_HEADER, [acc_row("OK-1"), acc_row("BAD-1", loss="1e400")]),
     "直接经济损失（万元）", "1e400", "不是有限的数"),
    ("overflow_deaths_1e308", "#7 deaths `1e308` (finite, beyond INTEGER)", "accidents",
     lambda d: write_csv(acc_dir(d) / "a.csv", ACC_HEADER,
                         [acc_row("OK-1"), acc_row("BAD-1", deaths="1e308")]),
     "死亡人数", "1e308", f"最大 {INT_MAX}"),
    ("overflow_deaths_3e9", "#7 deaths `3000000000` (beyond INTEGER)", "accidents",
     lambda d: write_csv(acc_dir(d) / "a.csv", ACC_HEADER,
                         [acc_row("OK-1"), acc_row("BAD-1", deaths="3000000000")]),
     "死亡人数", "3000000000", f"最大 {INT_MAX}"),
    ("overflow_unit_scaling", "sibling: `1e305` under a 亿元 header (×10,000 into 万元 → inf)", "accidents",
     lambda d: write_csv(acc_dir(d) / "a.csv",
                         [h if h != "直接经济损失（万元）" else "直接经济损失（亿元）" for h in ACC_HEADER],
                         [acc_row("OK-1"), acc_row("BAD-1", loss="1e305")]),
     "直接经济损失（亿元）", "1e305", "不是有限的数"),
    ("overflow_bigint", "sibling: 受灾人次 `1e19` (beyond BIGINT)", "disasters",
     lambda d: write_csv(d / "disasters" / "d.csv", DIS_HEADER,
                         [dis_row("E-OK"), [*dis_row("E-BAD")[:6], "1e19", *dis_row("E-BAD")[7:]]]),
     "受灾人次", "1e19", "最大 9,223,372,036,854,775,807"),
    ("overflow_measure", "sibling: GDP `1e400` in a statistics file", "statistics",
     lambda d: write_csv(d / "statistics" / "s.csv", STAT_HEADER, [
         ["360281", "", 2023, "174.2", 50, 2, 5000, 0, 0, "年报", "2024-03-01"],
         ["150781", "", 2023, "1e400", 50, 2, 5000, 0, 0, "年报", "2024-03-01"]]),
     "地区生产总值（亿元）", "1e400", "不是有限的数"),
    ("overflow_capability", "sibling: a capability value `1e400`", "capabilities",
     lambda d: write_csv(d / "capabilities" / "c.csv", CAP_HEADER, [
         ["360281", 2023, "灾害预警信息发布公众覆盖率", "95", "2024-03-01"],
         ["150781", 2023, "灾害预警信息发布公众覆盖率", "1e400", "2024-03-01"]]),
     "数值", "1e400", "不是有限的数"),
]


@pytest.mark.parametrize(("case", "title", "source", "writer", "column", "got", "zh"), RANGE_CASES,
                         ids=[c[0] for c in RANGE_CASES])
def test_a_number_beyond_its_column_type_is_a_rejected_cell(con, data_dir, robust_case, case, title, source,
                                                            writer, column, got, zh):
    writer(data_dir)
    rep = load(con, source, data_dir)
    q = quarantine(con)
    assert [(r["row_number"], r["reason_code"]) for r in q] == [(3, "out_of_range")], q
    assert_reason(q[0], file=q[0]["file_name"], row=3, column=column, zh=(zh, f"实际为“{got}”"),
                  en=("expected a number this column can store", f"got '{got}'"))
    assert (rep.rows_read, rep.rows_rejected) == (2, 1) and rep.rows_loaded >= 1
    # statistics: a row per measure
    kept = "count(distinct region_code)" if source == "statistics" else "count(*)"
    assert con.execute(f"select {kept} from raw.{source}").fetchone()[0] == rep.rows_loaded == 1
    robust_case(
        case, section="input", order=ORDER + 10 + [c[0] for c in RANGE_CASES].index(case), title=title,
        reason_code="out_of_range", destination=ROW_DEST, valid_rows="1 of 1",
        exit_code="0 (was 1 with `TransactionException` for #7; #4 was published as inf)",
        message_en=q[0]["reason_en"],
    )


# --------------------------------------------------------------------------- 5. keys


def test_keys_compare_after_one_normalisation(con, data_dir, robust_case):
    """A write-off keyed in full-width digits and a revision with a zero-width space after the key are
    the same accidents; so are a key with a non-breaking space and one in full-width letters."""
    d = acc_dir(data_dir)
    write_csv(d / "2024-01.csv", ACC_HEADER, [
        acc_row("360281202401001", when="2024-01-05 10:00", reported="2024-01-06"),
        acc_row("360281202403001", when="2024-03-05 10:00", reported="2024-03-06", deaths=1),
        acc_row("SY-2024-007", reported="2024-03-10"),
    ])
    write_csv(d / "2024-04.csv", ACC_HEADER, [
        acc_row("３６０２８１２０２４０１００１", when="2024-01-05 10:00", status="核销",
                reported="2024-04-01"),
        acc_row("360281202403001\u200b", when="2024-03-05 10:00", reported="2024-04-02", deaths=2),
        acc_row("\u00a0ＳＹ－２０２４－００７ ", reported="2024-04-03", deaths=3),
    ])
    load(con, "accidents", data_dir)
    got = dicts(con, "select accident_id, status, deaths, source_file from raw.accidents "
                     "order by accident_id, reported_date")
    assert [(r["accident_id"], r["status"], r["deaths"]) for r in got] == [
        ("360281202401001", "正常", 1), ("360281202401001", "核销", 1),
        ("360281202403001", "正常", 1), ("360281202403001", "正常", 2),
        ("SY-2024-007", "正常", 1), ("SY-2024-007", "正常", 3),
    ]
    assert con.execute("select count(distinct accident_id) from raw.accidents").fetchone() == (3,)
    robust_case(
        "keys_normalised", section="input", order=ORDER + 30,
        title="#5 a 核销 keyed `３６０２８１２０２４０１００１` (full-width), a revision keyed "
        "`360281202403001` + U+200B; siblings: NBSP and full-width letters (`ＳＹ－２０２４－００７`)",
        reason_code=None,
        destination="each key stored as `360281202401001` / `360281202403001` / `SY-2024-007`: the write-off "
        "and the revisions match their accidents (3 accidents, not 6)",
        valid_rows="6 of 6", exit_code="0",
        note="One normalisation (`pipelines/ingest/normalise.py`: full-width → ASCII, every space → one "
        "space, zero-width, direction and control characters removed, trimmed) for keys, codes, numbers, "
        "dates, list values, 零报告 and headers; prose (事故简况, 单位名称) only loses invisible characters.",
    )


NORMALISED = [
    # case, title, row, (column, expected value)
    ("enum_zero_width", "sibling: 行业领域 `工贸` + U+200B", acc_row("N-1", sector="工贸\u200b"),
     ("sector", "工贸")),
    ("region_code_zero_width", "sibling: 行政区划代码 `230506` + U+FEFF, full-width `２３０５０６`",
     acc_row("N-1", code="２３０５０６\ufeff"), ("region_code", "230506")),
    ("date_ideographic_space", "sibling: 发生时间 `2024-03-05　14:20` (ideographic space)",
     acc_row("N-1", when="2024-03-05\u300014:20"),
     ("strftime(occurred_at, '%Y-%m-%d %H:%M')", "2024-03-05 14:20")),
    ("prose_keeps_characters", "sibling: 事故简况 keeps full-width punctuation, loses U+202E",
     acc_row("N-1", summary="（一）\u202e高处坠落，１人死亡 "), ("summary", "（一）高处坠落，１人死亡")),
]


@pytest.mark.parametrize(("case", "title", "row", "expect"), NORMALISED, ids=[c[0] for c in NORMALISED])
def test_cells_are_normalised_before_they_are_compared(con, data_dir, robust_case, case, title, row, expect):
    write_csv(acc_dir(data_dir) / "a.csv", ACC_HEADER, [row])
    rep = load(con, "accidents", data_dir)
    assert rep.rows_rejected == 0 and rep.rows_loaded == 1, quarantine(con)
    column, value = expect
    assert con.execute(f"select {column} from raw.accidents").fetchone() == (value,)
    robust_case(case, section="input", order=ORDER + 31 + [c[0] for c in NORMALISED].index(case), title=title,
                reason_code=None, destination=f"loaded as `{value}`", valid_rows="1 of 1", exit_code="0")


def test_a_zero_report_and_a_header_with_invisible_characters(con, data_dir, robust_case):
    header = [h + "\u200b" if h == "死亡人数" else h for h in ACC_HEADER]
    zero = zero_row(header, "事故编号", "发生时间", "230502", "2024-03")
    zero[0] = "零报告\u200b "
    write_csv(acc_dir(data_dir) / "a.csv", header, [acc_row("H-1", deaths=2), zero])
    rep = load(con, "accidents", data_dir)
    assert (rep.rows_loaded, rep.rows_zero_reports, rep.rows_rejected) == (1, 1, 0)
    assert con.execute("select deaths from raw.accidents").fetchone() == (2,)
    robust_case(
        "zero_report_header_invisible", section="input", order=ORDER + 36,
        title="sibling: `零报告` + U+200B, and a header `死亡人数` + U+200B", reason_code=None,
        destination="a zero report, and the 死亡人数 column (not an unknown extra column)",
        valid_rows="1 of 1 + zero report", exit_code="0",
    )


# --------------------------------------------------------------------------- 6. formulas


def _openpyxl_workbook(path: Path, rows: list[list]) -> None:
    """As scripts write workbooks: openpyxl stores formulas without a computed value."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "三月"
    ws.append(ACC_HEADER)
    for r in rows:
        ws.append(r)
    wb.save(path)


def test_formula_cells_without_a_saved_result_are_rejected_cells(con, data_dir, robust_case):
    deaths = ACC_HEADER.index("死亡人数")
    script_row = acc_row("F-1")
    script_row[deaths] = "=1+1"
    all_formulas = ["=A1"] * len(ACC_HEADER)  # a row of formulas only: not a blank row
    _openpyxl_workbook(acc_dir(data_dir) / "script.xlsx", [acc_row("OK-1"), script_row, acc_row("OK-2"),
                                                           all_formulas])
    rep = load(con, "accidents", data_dir)
    q = quarantine(con)
    assert [(r["row_number"], r["reason_code"], r["column_name"]) for r in q] == [
        (3, "formula_without_value", "死亡人数"), (5, "formula_without_value", "事故编号"),
    ]
    assert_reason(q[0], file="script.xlsx", sheet="三月", row=3, column="死亡人数",
                  zh=("公式单元格（=1+1）没有保存计算结果", "请在 Excel 中打开并保存"),
                  en=("a formula cell (=1+1) without a saved result", "open and save the file in Excel"))
    assert ids(con) == ["OK-1", "OK-2"] and (rep.rows_read, rep.rows_rejected) == (4, 2)
    robust_case(
        "formula_without_value", section="input", order=ORDER + 40,
        title="#6 formula cells without a cached value (openpyxl writes them so): `=1+1` in 死亡人数, and a "
        "row of formulas only", reason_code="formula_without_value", destination=ROW_DEST,
        valid_rows="2 of 2", exit_code="0 (was: loaded as 0 deaths)", message_en=q[0]["reason_en"],
    )


def test_error_values_are_rejected_cells(con, data_dir, robust_case):
    rows = [acc_row("OK-1"), acc_row("E-1", deaths=("formula", "=1/0", "#DIV/0!")),
            acc_row("E-2", loss=("formula", "=#REF!+1", "#REF!"))]
    write_xlsx(acc_dir(data_dir) / "errors.xlsx", ACC_HEADER, rows, sheet="三月")
    load(con, "accidents", data_dir)
    q = quarantine(con)
    assert [(r["row_number"], r["reason_code"], r["column_name"]) for r in q] == [
        (5, "error_value", "死亡人数"), (6, "error_value", "直接经济损失（万元）"),
    ]
    assert_reason(q[0], file="errors.xlsx", sheet="三月", row=5, column="死亡人数",
                  zh=("单元格是错误值 #DIV/0!",), en=("the error value #DIV/0!",))
    assert ids(con) == ["OK-1"]
    robust_case(
        "error_value", section="input", order=ORDER + 41,
        title="#6 sibling: error values (`#DIV/0!` in 死亡人数, `#REF!` in 直接经济损失)",
        reason_code="error_value",
        destination=ROW_DEST, valid_rows="1 of 1", exit_code="0 (was: read as empty, i.e. 0)",
        message_en=q[0]["reason_en"],
    )


def test_formula_columns_are_found_when_the_table_does_not_start_in_column_a(con, data_dir, robust_case):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "三月"
    ws["B2"] = "2024年3月生产安全事故统计表"
    for c, h in enumerate(ACC_HEADER, start=3):  # the table from column C, header on row 4
        ws.cell(row=4, column=c, value=h)
    for r, row in enumerate([acc_row("OK-1"), acc_row("F-1")], start=5):
        for c, v in enumerate(row, start=3):
            ws.cell(row=r, column=c, value=v)
    ws.cell(row=6, column=3 + ACC_HEADER.index("失踪人数"), value="=SUM(K5:K5)")
    wb.save(acc_dir(data_dir) / "offset.xlsx")
    load(con, "accidents", data_dir)
    q = quarantine(con)
    assert [(r["row_number"], r["column_name"], r["reason_code"]) for r in q] == [
        (6, "失踪人数", "formula_without_value")
    ]
    assert ids(con) == ["OK-1"]
    robust_case(
        "formula_offset_table", section="input", order=ORDER + 42,
        title="#6 sibling: the table starts in column C under a title in B2 (cell positions mapped to "
        "columns)",
        reason_code="formula_without_value", destination=ROW_DEST, valid_rows="1 of 1", exit_code="0",
        message_en=q[0]["reason_en"],
    )


def test_limit_a_formula_written_with_a_made_up_cached_value(con, data_dir, robust_case):
    """Documents a limit: xlsxwriter, unless told the result, stores 0 as the formula's cached value;
    the file then says 0 and 0 is loaded (Excel would recompute on opening)."""
    write_xlsx(acc_dir(data_dir) / "xw.xlsx", ACC_HEADER, [acc_row("X-1", deaths=("formula", "=1+2", 0))])
    load(con, "accidents", data_dir)
    assert con.execute("select deaths from raw.accidents").fetchone() == (0,)
    robust_case(
        "formula_limit_made_up_value", section="input", order=ORDER + 43,
        title="Limit: a formula whose writer stored a made-up cached value (xlsxwriter stores 0)",
        reason_code=None, destination="the stored value (0) is loaded: the file cannot be told from a real 0",
        valid_rows="1 of 1", exit_code="0",
        note="Such workbooks carry `fullCalcOnLoad=\"1\"` (Excel recomputes on opening), but so do many "
        "files saved by other tools with correct values; refusing them all would refuse good files.",
    )
