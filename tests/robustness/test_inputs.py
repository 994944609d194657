"""Bad inputs: each lands where it must, with a reason in Chinese and English, and nothing else is lost.

Every case writes its bad file with valid rows around the bad one into a temporary data folder and
loads it with ``pipelines.ingest.load_source`` into a real DuckDB file.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile

import pytest
import xlsxwriter

from tests.ingest.conftest import (
    ACC_HEADER,
    DIS_HEADER,
    STAT_HEADER,
    acc_row,
    write_csv,
    write_xlsx,
    zero_row,
)

from .helpers import assert_reason, files, ids, load, quarantine

SHEET = "三月"
ROW_DEST = "raw.quarantine (the row, with its raw cells)"
FILE_DEST = "raw.files `rejected` + one file-level raw.quarantine row; nothing of the file loaded"


def acc_dir(data_dir):
    d = data_dir / "accidents"
    d.mkdir(exist_ok=True)
    return d


def around(bad_row):
    """Valid rows around the bad one, and a zero report: rows 4, 5 (bad), 6, 7 of the workbook."""
    return [
        acc_row("GOOD-1", deaths=1),
        bad_row,
        acc_row("GOOD-2", deaths=2, when="2024-03-06 08:00"),
        zero_row(ACC_HEADER, "事故编号", "发生时间", "230502", "2024-03"),
    ]


ROW_CASES = [
    # case id, title, bad row, reason_code, column, expected (zh), expected (en)
    (
        "text_in_count",
        "Text in a count (`约3人`)",
        acc_row("BAD-1", deaths="约3人"),
        "not_a_number",
        "死亡人数",
        ("应为非负整数", "实际为“约3人”"),
        ("expected a non-negative whole number", "got '约3人'"),
    ),
    (
        "chinese_numeral",
        "Chinese numeral in a count (`三`)",
        acc_row("BAD-1", missing="三"),
        "not_a_number",
        "失踪人数",
        ("应为非负整数", "实际为“三”"),
        ("expected a non-negative whole number", "got '三'"),
    ),
    (
        "negative_count",
        "Negative count (`-2`)",
        acc_row("BAD-1", serious=-2),
        "negative_value",
        "重伤人数",
        ("不能为负数", "实际为“-2”"),
        ("not a negative one", "got '-2'"),
    ),
    (
        "fractional_count",
        "Fractional count (`1.5` deaths)",
        acc_row("BAD-1", deaths="1.5"),
        "not_a_whole_number",
        "死亡人数",
        ("应为非负整数",),
        ("expected a non-negative whole number", "got '1.5'"),
    ),
    (
        "future_date",
        "A date in the future (after the as-of date)",
        acc_row("BAD-1", when="2027-01-05 08:00"),
        "future_date",
        "发生时间",
        ("不能晚于数据截止日期 2026-11-25", "2027-01-05"),
        ("not after the as-of date 2026-11-25",),
    ),
    (
        "impossible_date",
        "An impossible date (`2023-02-30`)",
        acc_row("BAD-1", when="2023-02-30"),
        "invalid_date",
        "发生时间",
        ("应为日期", "实际为“2023-02-30”"),
        ("expected a date", "got '2023-02-30'"),
    ),
    (
        "unknown_region_code",
        "Unknown region code (`999999`)",
        acc_row("BAD-1", code="999999"),
        "unknown_region_code",
        "行政区划代码",
        ("应为已知的县级或地市级行政区划代码", "实际为“999999”"),
        ("expected a known 6-digit code", "got '999999'"),
    ),
    (
        "ambiguous_region_name",
        "Region name matching two units (宝山区: Shanghai and 双鸭山), code empty",
        acc_row("BAD-1", code="", name="宝山区"),
        "ambiguous_region_name",
        "行政区划名称",
        (
            "名称对应多个行政区划",
            "230506 黑龙江省双鸭山市宝山区",
            "310113 上海市宝山区",
            "应填写行政区划代码",
        ),
        ("matches several regions", "expected the region code"),
    ),
    (
        "unknown_sector",
        "A value outside the list (行业领域 `商贸`)",
        acc_row("BAD-1", sector="商贸"),
        "invalid_value",
        "行业领域",
        ("应为以下之一",),
        ("expected one of",),
    ),
    (
        "missing_id",
        "A required cell left empty (事故编号)",
        acc_row("", deaths=1),
        "missing_value",
        "事故编号",
        ("必须填写",),
        ("a value is required",),
    ),
]


@pytest.mark.parametrize(
    ("case", "title", "bad", "code", "column", "zh", "en"), ROW_CASES, ids=[c[0] for c in ROW_CASES]
)
def test_bad_row_is_quarantined_with_a_bilingual_reason(
    con, data_dir, robust_case, case, title, bad, code, column, zh, en
):
    write_xlsx(acc_dir(data_dir) / "2024-03.xlsx", ACC_HEADER, around(bad), sheet=SHEET)
    rep = load(con, "accidents", data_dir)
    q = quarantine(con)
    assert len(q) == 1, q
    assert q[0]["reason_code"] == code
    assert_reason(q[0], file="2024-03.xlsx", sheet=SHEET, row=5, column=column, zh=zh, en=en)
    assert q[0]["raw_record"] is not None and '"事故编号"' in q[0]["raw_record"]  # the cells, kept
    assert ids(con) == ["GOOD-1", "GOOD-2"]
    assert (rep.rows_loaded, rep.rows_zero_reports, rep.rows_rejected) == (2, 1, 1)
    assert files(con)[0]["status"] == "loaded"
    robust_case(
        case,
        section="input",
        title=title,
        reason_code=code,
        destination=ROW_DEST,
        valid_rows="2 of 2 + zero report",
        message_en=q[0]["reason_en"],
        order=ROW_CASES.index(next(c for c in ROW_CASES if c[0] == case)),
    )


def test_same_key_twice_with_different_values_rejects_both(con, data_dir, robust_case):
    rows = around(acc_row("DUP-1", deaths=1))
    rows.insert(2, acc_row("DUP-1", deaths=3))  # same key, same 填报日期, different deaths
    write_xlsx(acc_dir(data_dir) / "2024-03.xlsx", ACC_HEADER, rows, sheet=SHEET)
    rep = load(con, "accidents", data_dir)
    q = quarantine(con)
    assert [(r["row_number"], r["reason_code"]) for r in q] == [
        (5, "conflicting_duplicate"),
        (6, "conflicting_duplicate"),
    ]
    for r in q:
        assert_reason(
            r,
            file="2024-03.xlsx",
            sheet=SHEET,
            row=r["row_number"],
            column="事故编号",
            zh=("DUP-1", "第 5、6 行", "均不入库"),
            en=("DUP-1", "rows 5, 6", "none of them is loaded"),
        )
    assert [r["deaths_in_row"] for r in q] == [1, 3]
    assert ids(con) == ["GOOD-1", "GOOD-2"] and rep.rows_rejected == 2
    robust_case(
        "duplicate_key",
        section="input",
        order=20,
        title="Same key twice in one file, same 填报日期, different values",
        reason_code="conflicting_duplicate",
        destination="raw.quarantine (both rows)",
        valid_rows="2 of 2 + zero report",
        message_en=q[0]["reason_en"],
    )


# --------------------------------------------------------------------------- whole files


def _fake_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "这不是工作簿")
    return buf.getvalue()


def _missing_column(path):
    header = [h for h in ACC_HEADER if h != "行业领域"]
    rows = [[v for h, v in zip(ACC_HEADER, acc_row("M-1"), strict=True) if h != "行业领域"]]
    write_xlsx(path, header, rows, sheet=SHEET)


def _no_header(path):
    write_csv(path, ["编号", "时间", "地点"], [["1", "2024-03-05", "尖山区"]])


FILE_CASES = [
    # case id, title, file name, writer (path -> None), reason_code, zh parts, en parts
    (
        "empty_csv",
        "Empty file (0 bytes, `.csv`)",
        "empty.csv",
        lambda p: p.write_bytes(b""),
        "empty_file",
        ("为空（0 字节）",),
        ("is empty (0 bytes)",),
    ),
    (
        "empty_xlsx",
        "Empty file (0 bytes, `.xlsx`)",
        "empty.xlsx",
        lambda p: p.write_bytes(b""),
        "empty_file",
        ("为空（0 字节）",),
        ("is empty (0 bytes)",),
    ),
    (
        "not_a_workbook",
        "Text file named `.xlsx`",
        "fake.xlsx",
        lambda p: p.write_bytes("事故编号,发生时间\nA,2024-03-05\n".encode()),
        "not_a_workbook",
        ("扩展名为 .xlsx，但内容不是 Excel 工作簿",),
        ("has an .xlsx name but is not an Excel workbook",),
    ),
    (
        "zip_not_workbook",
        "A zip archive named `.xlsx` (not a workbook inside)",
        "archive.xlsx",
        lambda p: p.write_bytes(_fake_zip()),
        "not_a_workbook",
        ("无法作为 Excel 工作簿读取",),
        ("cannot be read as an Excel workbook",),
    ),
    (
        "password_protected",
        "Password-protected workbook (OLE2/CFB container `D0CF11E0A1B11AE1`)",
        "locked.xlsx",
        lambda p: p.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 4088),
        "password_protected",
        ("加密（受密码保护）", "请取消密码并另存为 .xlsx"),
        ("password-protected (encrypted) workbook", "remove the password"),
    ),
    (
        "legacy_xls",
        "Legacy `.xls` workbook",
        "old.xls",
        lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0"),
        "unsupported_format",
        ("不支持的文件格式 .xls",),
        ("unsupported format .xls",),
    ),
    (
        "utf16_csv",
        "CSV in UTF-16",
        "utf16.csv",
        lambda p: p.write_bytes(codecs.BOM_UTF16_LE + "事故编号".encode("utf-16-le")),
        "unsupported_encoding",
        ("UTF-16 编码",),
        ("UTF-16 encoded",),
    ),
    (
        "binary_csv",
        "Binary data named `.csv`",
        "binary.csv",
        lambda p: p.write_bytes(b"\x00\x01\x02PK\x00"),
        "not_a_text_file",
        ("二进制数据",),
        ("binary data, not text",),
    ),
    (
        "missing_column",
        "A required column missing (行业领域)",
        "no_sector.xlsx",
        _missing_column,
        "missing_columns",
        (f"工作表 {SHEET} 第 3 行的表头缺少必需的列：行业领域",),
        (f"sheet {SHEET}, header row 3: required columns missing: 行业领域",),
    ),
    (
        "no_header_row",
        "No header row at all",
        "other_table.csv",
        _no_header,
        "no_header_row",
        ("未找到表头行", "事故编号"),
        ("no header row found", "事故编号"),
    ),
]


@pytest.mark.parametrize(
    ("case", "title", "name", "writer", "code", "zh", "en"), FILE_CASES, ids=[c[0] for c in FILE_CASES]
)
def test_unreadable_file_is_rejected_whole(
    con, data_dir, robust_case, case, title, name, writer, code, zh, en
):
    d = acc_dir(data_dir)
    write_xlsx(d / "a_good.xlsx", ACC_HEADER, around(acc_row("GOOD-3")))
    writer(d / name)
    rep = load(con, "accidents", data_dir)
    by_name = {f.file_name: f for f in rep.files}
    assert by_name["a_good.xlsx"].status == "loaded"
    f = by_name[name]
    assert (f.status, f.rows_loaded, f.rows_read) == ("rejected", 0, 0)
    rec = {r["file_name"]: r for r in files(con)}[name]
    assert rec["status"] == "rejected" and rec["reason_zh"] == f.reason_zh and rec["reason_en"] == f.reason_en
    q = [r for r in quarantine(con) if r["file_name"] == name]
    assert len(q) == 1 and q[0]["row_number"] is None and q[0]["reason_code"] == code
    assert_reason(q[0], file=name, row=None, column=None, zh=zh, en=en)
    assert ids(con) == ["GOOD-1", "GOOD-3", "GOOD-2"]  # the good file, whole
    robust_case(
        case,
        section="input",
        order=30 + [c[0] for c in FILE_CASES].index(case),
        title=title,
        reason_code=code,
        destination=FILE_DEST,
        valid_rows="other files loaded",
        message_en=q[0]["reason_en"],
    )


# --------------------------------------------------------------------------- layouts


def test_header_below_title_and_blank_rows(con, data_dir, robust_case):
    """Header on row 5 of a CSV (title, unit line, a blank line, a note above it): found, and row
    numbers stay those a spreadsheet shows."""
    path = acc_dir(data_dir) / "march.csv"
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["2024年3月生产安全事故统计表"])
    w.writerow(["填报单位：双鸭山市应急管理局"])
    w.writerow([])
    w.writerow(["单位：人、万元"])
    w.writerow(ACC_HEADER)
    for r in around(acc_row("BAD-1", deaths="约3人")):
        w.writerow(["" if v is None else v for v in r])
    path.write_text(buf.getvalue(), encoding="utf-8")
    rep = load(con, "accidents", data_dir)
    q = quarantine(con)
    assert [(r["row_number"], r["reason_code"]) for r in q] == [(7, "not_a_number")]
    assert_reason(q[0], file="march.csv", row=7, column="死亡人数")
    assert ids(con) == ["GOOD-1", "GOOD-2"] and rep.rows_zero_reports == 1
    robust_case(
        "header_not_first_row",
        section="input",
        order=50,
        title="Header on row 5, below title lines",
        reason_code=None,
        destination="header found; rows numbered as the spreadsheet shows (bad row 7)",
        valid_rows="2 of 2 + zero report",
        message_en=q[0]["reason_en"],
    )


def test_merged_header_cells(con, data_dir, robust_case):
    """Two header rows: 人员伤亡（人） merged across its four sub-columns, the others merged down."""
    path = acc_dir(data_dir) / "merged.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(SHEET)
    ws.merge_range(0, 0, 0, len(ACC_HEADER) - 1, "2024年3月生产安全事故统计表")
    casualty = ACC_HEADER.index("死亡人数")
    for c, h in enumerate(ACC_HEADER):
        if casualty <= c < casualty + 4:
            ws.write(2, c, h)
        else:
            ws.merge_range(1, c, 2, c, h)
    ws.merge_range(1, casualty, 1, casualty + 3, "人员伤亡（人）")
    for i, r in enumerate(around(acc_row("BAD-1", deaths="三"))):
        ws.write_row(3 + i, 0, r)
    wb.close()
    rep = load(con, "accidents", data_dir)
    q = quarantine(con)
    assert [(r["row_number"], r["reason_code"], r["column_name"]) for r in q] == [
        (5, "not_a_number", "死亡人数")
    ]
    assert ids(con) == ["GOOD-1", "GOOD-2"] and rep.rows_zero_reports == 1
    robust_case(
        "merged_header",
        section="input",
        order=51,
        title="Merged header cells (two header rows)",
        reason_code=None,
        destination="headers combined; data rows loaded (bad row 5 quarantined)",
        valid_rows="2 of 2 + zero report",
        message_en=q[0]["reason_en"],
    )


def test_gbk_csv_behind_a_utf8_bom(con, data_dir, robust_case):
    """A GBK file with a UTF-8 BOM in front (a wrong BOM): the BOM is not believed, the body is GBK."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(ACC_HEADER)
    for r in around(acc_row("BAD-1", deaths="约3人", name="尖山区")):
        w.writerow(["" if v is None else v for v in r])
    (acc_dir(data_dir) / "gbk_bom.csv").write_bytes(codecs.BOM_UTF8 + buf.getvalue().encode("gbk"))
    rep = load(con, "accidents", data_dir)
    assert rep.files[0].status == "loaded", rep.files[0]
    q = quarantine(con)
    assert [(r["row_number"], r["reason_code"]) for r in q] == [(3, "not_a_number")]
    assert_reason(q[0], file="gbk_bom.csv", row=3, column="死亡人数", zh=("实际为“约3人”",))
    assert ids(con) == ["GOOD-1", "GOOD-2"]
    assert con.execute("select distinct region_name from raw.accidents").fetchall() == [("宝山区",)]
    robust_case(
        "gbk_wrong_bom",
        section="input",
        order=52,
        title="CSV in GBK with a UTF-8 BOM in front",
        reason_code=None,
        destination="loaded as GB18030 (the BOM is ignored); bad row quarantined",
        valid_rows="2 of 2 + zero report",
        message_en=q[0]["reason_en"],
        note='before the fix it was rejected whole as `unknown_encoding` ("neither valid UTF-8 nor '
        'valid GB18030/GBK"), which was wrong: the body after the BOM is valid GBK.',
    )


def test_gbk_csv_without_bom_and_garbage_after_bom(con, data_dir, robust_case):
    d = acc_dir(data_dir)
    write_csv(d / "gbk.csv", ACC_HEADER, [acc_row("G-1")], encoding="gbk")
    (d / "junk.csv").write_bytes(codecs.BOM_UTF8 + b"\xff\xfe\xff,\x81\n")
    rep = load(con, "accidents", data_dir)
    by_name = {f.file_name: f for f in rep.files}
    assert by_name["gbk.csv"].status == "loaded" and ids(con) == ["G-1"]
    assert by_name["junk.csv"].status == "rejected"
    assert "既不是有效的 UTF-8" in by_name["junk.csv"].reason_zh
    robust_case(
        "bom_then_garbage",
        section="input",
        order=53,
        title="UTF-8 BOM followed by bytes valid in no encoding",
        reason_code="unknown_encoding",
        destination=FILE_DEST,
        valid_rows="other files loaded",
        message_en=by_name["junk.csv"].reason_en,
    )


def test_total_row_mid_table_is_not_a_record(con, data_dir, robust_case):
    rows = [
        acc_row("GOOD-1", deaths=1),
        ["合计", None, None, None, None, None, None, None, 99],
        acc_row("GOOD-2", deaths=2),
        ["　小计：", None, None, None, None, None, None, None, 3],
        acc_row("GOOD-3", deaths=4),
    ]
    write_xlsx(acc_dir(data_dir) / "totals.xlsx", ACC_HEADER, rows, sheet=SHEET)
    rep = load(con, "accidents", data_dir)
    assert ids(con) == ["GOOD-1", "GOOD-2", "GOOD-3"]
    assert con.execute("select sum(deaths) from raw.accidents").fetchone()[0] == 7
    assert quarantine(con) == [] and rep.rows_rejected == 0
    robust_case(
        "total_row",
        section="input",
        order=54,
        title="合计 / 小计 rows in the middle of the table",
        reason_code=None,
        destination="ignored: a total is never a record (not quarantined)",
        valid_rows="3 of 3 (totals' 99 and 3 deaths not counted)",
    )


def test_formula_cell_loads_its_cached_value(con, data_dir, robust_case):
    rows = around(acc_row("F-1", deaths=("formula", "=1+2", 3), loss=("formula", "=SUM(100,20.5)", 120.5)))
    rows.append(
        acc_row(
            "F-2",
            deaths=("formula", '=WEBSERVICE("http://example.invalid/x")', 0),
            summary=("formula", '=HYPERLINK("file:///etc/passwd","x")', "x"),
        )
    )
    write_xlsx(acc_dir(data_dir) / "formulas.xlsx", ACC_HEADER, rows, sheet=SHEET)
    load(con, "accidents", data_dir)
    got = dict(con.execute("select accident_id, deaths from raw.accidents").fetchall())
    assert got == {"GOOD-1": 1, "F-1": 3, "GOOD-2": 2, "F-2": 0}
    assert (
        con.execute("select direct_loss_10k_yuan from raw.accidents where accident_id='F-1'").fetchone()[0]
        == 120.5
    )
    assert con.execute("select summary from raw.accidents where accident_id='F-2'").fetchone()[0] == "x"
    robust_case(
        "formula_cell",
        section="input",
        order=55,
        title="Formula cells (`=1+2` cached 3; WEBSERVICE, HYPERLINK to file:///etc/passwd)",
        reason_code=None,
        destination="the cached value is loaded; formulas are never evaluated or followed",
        valid_rows="4 of 4",
    )


def dis_row(event, *, crop=150.5, failed=20, loss=880, code="360281"):
    return [
        event,
        "洪涝",
        "2024-07-10",
        "2024-07-12",
        code,
        "",
        1200,
        1,
        1,
        300,
        50,
        crop,
        failed,
        3,
        5,
        10,
        loss,
        "初报",
        "2024-07-13",
    ]


def test_money_units_in_one_batch_are_converted_consistently(con, data_dir, robust_case):
    """One file in 万元, one in 亿元 (disasters), and GDP in 万元 next to 亿元 (statistics)."""
    d = data_dir / "disasters"
    write_xlsx(
        d / "a_wan.xlsx", DIS_HEADER, [dis_row("E-1", loss="2,000"), dis_row("E-2", loss="0", code="150781")]
    )
    yi = list(DIS_HEADER)
    yi[yi.index("直接经济损失（万元）")] = "直接经济损失(亿元)"
    write_csv(d / "b_yi.csv", yi, [dis_row("E-3", loss="0.2"), dis_row("E-4", loss="１.７４２")])
    load(con, "disasters", data_dir)
    got = dict(con.execute("select event_id, direct_loss_10k_yuan from raw.disasters").fetchall())
    assert got == {"E-1": 2000.0, "E-2": 0.0, "E-3": 2000.0, "E-4": 17420.0}

    s = data_dir / "statistics"
    wan = list(STAT_HEADER)
    wan[wan.index("地区生产总值（亿元）")] = "地区生产总值（万元）"
    stat = ["360281", "", 2023, None, 50, 2, 5000, 0, 0, "年报", "2024-03-01"]
    write_csv(s / "a_yi.csv", STAT_HEADER, [stat[:3] + ["174.2"] + stat[4:]])
    write_csv(s / "b_wan.csv", wan, [["150781"] + stat[1:3] + ["1,742,000"] + stat[4:]])
    load(con, "statistics", data_dir)
    gdp = dict(
        con.execute("select region_code, value from raw.statistics where measure='gdp_100m_yuan'").fetchall()
    )
    assert gdp == {"360281": 174.2, "150781": 174.2}
    robust_case(
        "money_units",
        section="input",
        order=56,
        title="万元 and 亿元 headers in the same batch",
        reason_code=None,
        destination="converted to the column's unit (万元 for losses, 亿元 for GDP); "
        "0.2 亿元 = 2,000 万元 exactly",
        valid_rows="all",
    )


def test_thousand_hectare_headers_are_converted(con, data_dir, robust_case):
    header = list(DIS_HEADER)
    header[header.index("农作物受灾面积（公顷）")] = "农作物受灾面积（千公顷）"
    header[header.index("农作物绝收面积（公顷）")] = "农作物绝收面积(千公顷)"
    write_xlsx(
        data_dir / "disasters" / "kha.xlsx",
        header,
        [dis_row("E-1", crop="1.5", failed="0.25"), dis_row("E-2", crop="0.2", failed="0.3")],
    )
    load(con, "disasters", data_dir)
    assert con.execute("select event_id, crop_affected_ha, crop_failed_ha from raw.disasters").fetchall() == [
        ("E-1", 1500.0, 250.0)
    ]
    q = quarantine(con)
    assert [(r["reason_code"], r["column_name"]) for r in q] == [
        ("inconsistent_values", "农作物绝收面积(千公顷)")
    ]
    robust_case(
        "thousand_hectares",
        section="input",
        order=57,
        title="千公顷 headers",
        reason_code="inconsistent_values (for 绝收 > 受灾 only)",
        destination="×1000 into 公顷; the inconsistent row quarantined",
        valid_rows="1 of 1",
        message_en=q[0]["reason_en"],
    )
