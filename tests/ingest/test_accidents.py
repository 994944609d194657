"""Accidents: the richest contract; each test one rule, on files written here."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

import pytest
import xlsxwriter

from .conftest import (
    ACC_HEADER,
    LOADED_AT,
    acc_row,
    load,
    one,
    rows,
    write_csv,
    write_xlsx,
    zero_row,
)


def acc_dir(data_dir):
    return data_dir / "accidents"


def test_workbook_with_title_total_and_footer(con, data_dir):
    path = acc_dir(data_dir) / "2024-03.xlsx"
    pos = write_xlsx(
        path,
        ACC_HEADER,
        [
            acc_row("SY-2024-001", "2024-03-05 14:20", deaths=1, missing=1, serious=2, minor=3, loss=12.5),
            acc_row(
                "SY-2024-002",
                datetime(2024, 3, 9),
                code="230502",
                name="尖山区",
                sector="煤矿",
                deaths=0,
                loss="1,234.5",
                severity="较大",
            ),
        ],
    )
    assert pos == {"header": 3, "first": 4}
    rep = load(con, "accidents", data_dir)
    f = rep.files[0]
    assert (f.file_name, f.status, f.rows_read, f.rows_loaded, f.rows_rejected) == (
        "2024-03.xlsx",
        "loaded",
        2,
        2,
        0,
    )
    assert f.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    got = rows(
        con,
        "select accident_id, occurred_at, region_code, sector, deaths, missing, serious_injuries, "
        "minor_injuries, direct_loss_10k_yuan, reported_severity, status, reported_date, sheet_name, "
        "row_number, load_seq, loaded_at, source_file from raw.accidents order by row_number",
    )
    assert got == [
        (
            "SY-2024-001",
            datetime(2024, 3, 5, 14, 20),
            "230506",
            "工贸",
            1,
            1,
            2,
            3,
            12.5,
            "一般",
            "正常",
            date(2024, 3, 10),
            "Sheet1",
            4,
            1,
            LOADED_AT,
            "2024-03.xlsx",
        ),
        (
            "SY-2024-002",
            datetime(2024, 3, 9),
            "230502",
            "煤矿",
            0,
            0,
            0,
            0,
            1234.5,
            "较大",
            "正常",
            date(2024, 3, 10),
            "Sheet1",
            5,
            1,
            LOADED_AT,
            "2024-03.xlsx",
        ),
    ]
    assert one(con, "select count(*) from raw.quarantine")[0] == 0
    assert rows(con, "select source, file_name, status, rows_read, rows_loaded, load_seq from raw.files") == [
        ("accidents", "2024-03.xlsx", "loaded", 2, 2, 1)
    ]


def test_sector_aliases_fullwidth_digits_thousands_and_dashes(con, data_dir):
    write_xlsx(
        acc_dir(data_dir) / "a.xlsx",
        ACC_HEADER,
        [
            acc_row("A1", sector="危险化学品", deaths="１２", loss="1,234", serious="—", minor="-"),
            acc_row("A2", sector="化工", deaths=" 3 ", loss="", serious="/", minor="无"),
            acc_row("A3", sector="化工(危险化学品)", deaths=0),
        ],
    )
    load(con, "accidents", data_dir)
    assert rows(
        con,
        "select accident_id, sector, deaths, serious_injuries, minor_injuries, direct_loss_10k_yuan "
        "from raw.accidents order by accident_id",
    ) == [
        ("A1", "化工（危险化学品）", 12, 0, 0, 1234.0),
        ("A2", "化工（危险化学品）", 3, 0, 0, 0.0),
        ("A3", "化工（危险化学品）", 0, 0, 0, 12.5),
    ]


def test_revision_in_a_later_file_keeps_both_versions(con, data_dir):
    write_xlsx(
        acc_dir(data_dir) / "2024-03.xlsx", ACC_HEADER, [acc_row("SY-1", deaths=1, reported="2024-03-10")]
    )
    write_xlsx(
        acc_dir(data_dir) / "2024-04.xlsx", ACC_HEADER, [acc_row("SY-1", deaths=2, reported="2024-04-02")]
    )
    load(con, "accidents", data_dir)
    assert rows(
        con,
        "select accident_id, deaths, reported_date, source_file, load_seq from raw.accidents "
        "order by load_seq",
    ) == [
        ("SY-1", 1, date(2024, 3, 10), "2024-03.xlsx", 1),
        ("SY-1", 2, date(2024, 4, 2), "2024-04.xlsx", 2),
    ]


def test_written_off_accident_is_kept_with_its_status(con, data_dir):
    write_xlsx(acc_dir(data_dir) / "a.xlsx", ACC_HEADER, [acc_row("SY-9", status="核销"), acc_row("SY-8")])
    load(con, "accidents", data_dir)
    assert rows(con, "select accident_id, status from raw.accidents order by 1") == [
        ("SY-8", "正常"),
        ("SY-9", "核销"),
    ]


def test_zero_reports_go_to_their_own_table(con, data_dir):
    write_xlsx(
        acc_dir(data_dir) / "z.xlsx",
        ACC_HEADER,
        [
            zero_row(ACC_HEADER, "事故编号", "发生时间", "230506", "2024-02"),
            zero_row(ACC_HEADER, "事故编号", "发生时间", "230502", datetime(2024, 3, 17)),
            zero_row(ACC_HEADER, "事故编号", "发生时间", "230503", "2024年4月"),
            zero_row(ACC_HEADER, "事故编号", "发生时间", "230503", "2026-12"),  # after the as-of month
            acc_row("SY-1"),
        ],
    )
    rep = load(con, "accidents", data_dir)
    assert (rep.rows_read, rep.rows_loaded, rep.rows_zero_reports, rep.rows_rejected) == (5, 1, 3, 1)
    assert rows(
        con, "select source, region_code, month, row_number from raw.zero_reports order by row_number"
    ) == [
        ("accidents", "230506", date(2024, 2, 1), 4),
        ("accidents", "230502", date(2024, 3, 1), 5),
        ("accidents", "230503", date(2024, 4, 1), 6),
    ]
    assert rows(con, "select row_number, reason_code, column_name from raw.quarantine") == [
        (7, "future_date", "发生时间")
    ]


def test_text_count_rejects_the_row_with_a_bilingual_reason(con, data_dir):
    write_xlsx(
        acc_dir(data_dir) / "2024-03.xlsx",
        ACC_HEADER,
        [acc_row("SY-1")] * 0
        + [acc_row(f"SY-{i}") for i in range(1, 9)]
        + [acc_row("SY-9", deaths="约3人", missing=1)],
    )
    load(con, "accidents", data_dir)
    q = rows(
        con,
        "select file_name, sheet_name, row_number, column_name, reason_code, reason_zh, reason_en, "
        "raw_record, deaths_in_row from raw.quarantine",
    )
    assert len(q) == 1
    file_name, sheet, row_no, col, code, zh, en, raw_record, deaths_in_row = q[0]
    assert (file_name, sheet, row_no, col, code) == ("2024-03.xlsx", "Sheet1", 12, "死亡人数", "not_a_number")
    assert zh == "文件 2024-03.xlsx 工作表 Sheet1 第 12 行 “死亡人数” 列：应为非负整数，实际为“约3人”"
    assert en == (
        "file 2024-03.xlsx, sheet Sheet1, row 12, column 死亡人数: expected a non-negative whole "
        "number, got '约3人'"
    )
    rec = json.loads(raw_record)
    assert rec["事故编号"] == "SY-9" and rec["死亡人数"] == "约3人" and rec["失踪人数"] == "1"
    assert deaths_in_row is None  # deaths unreadable
    assert one(con, "select count(*) from raw.accidents")[0] == 8


@pytest.mark.parametrize(
    ("changes", "code", "column"),
    [
        ({"deaths": "三"}, "not_a_number", "死亡人数"),
        ({"serious": "N/A"}, "not_a_number", "重伤人数"),
        ({"deaths": -1}, "negative_value", "死亡人数"),
        ({"loss": "-5"}, "negative_value", "直接经济损失（万元）"),
        ({"deaths": 1.5}, "not_a_whole_number", "死亡人数"),
        ({"when": "2026-12-01"}, "future_date", "发生时间"),
        ({"reported": "2027-01-01"}, "future_date", "填报日期"),
        ({"when": "去年三月"}, "invalid_date", "发生时间"),
        ({"when": ""}, "missing_value", "发生时间"),
        ({"reported": "2024-02-30"}, "invalid_date", "填报日期"),
        ({"code": "999999"}, "unknown_region_code", "行政区划代码"),
        ({"code": "", "name": "宝山区"}, "ambiguous_region_name", "行政区划名称"),
        ({"code": "", "name": "不存在县"}, "unknown_region_name", "行政区划名称"),
        ({"code": "", "name": ""}, "missing_region", "行政区划代码"),
        ({"sector": "商业"}, "invalid_value", "行业领域"),
        ({"sector": ""}, "missing_value", "行业领域"),
        ({"severity": "很大"}, "invalid_value", "事故等级"),
        ({"vehicle": "可能"}, "invalid_value", "涉及营运车辆"),
        ({"status": "作废"}, "invalid_value", "状态"),
        ({"acc_type": "摔伤"}, "invalid_value", "事故类别"),
    ],
)
def test_each_rejection_reason(con, data_dir, changes, code, column):
    write_xlsx(acc_dir(data_dir) / "r.xlsx", ACC_HEADER, [acc_row("OK-1"), acc_row("BAD-1", **changes)])
    rep = load(con, "accidents", data_dir)
    assert (rep.rows_loaded, rep.rows_rejected) == (1, 1)
    row_no, col, got_code, zh, en = one(
        con, "select row_number, column_name, reason_code, reason_zh, reason_en from raw.quarantine"
    )
    assert (row_no, col, got_code) == (5, column, code)
    assert zh.startswith(f"文件 r.xlsx 工作表 Sheet1 第 5 行 “{column}” 列：")
    assert en.startswith(f"file r.xlsx, sheet Sheet1, row 5, column {column}: ")


def test_ambiguous_name_reason_names_the_candidates(con, data_dir):
    write_xlsx(acc_dir(data_dir) / "r.xlsx", ACC_HEADER, [acc_row("BAD-1", code="", name="宝山区")])
    load(con, "accidents", data_dir)
    zh, en = one(con, "select reason_zh, reason_en from raw.quarantine")
    assert "230506 黑龙江省双鸭山市宝山区" in zh and "310113 上海市宝山区" in zh
    assert "matches several regions" in en


def test_region_resolved_from_a_unique_name_is_flagged(con, data_dir):
    write_xlsx(
        acc_dir(data_dir) / "n.xlsx",
        ACC_HEADER,
        [
            acc_row("N-1", code="", name="乐平市"),
            acc_row("N-2", code="", name="满洲里"),
            acc_row("N-3", code="510802", name="利州区"),
        ],
    )
    load(con, "accidents", data_dir)
    assert rows(
        con, "select accident_id, region_code, region_name, is_region_from_name from raw.accidents order by 1"
    ) == [
        ("N-1", "360281", "乐平市", True),
        ("N-2", "150781", "满洲里", True),
        ("N-3", "510802", "利州区", False),
    ]


def test_same_key_same_report_date_different_values_rejects_both(con, data_dir):
    write_xlsx(
        acc_dir(data_dir) / "d.xlsx",
        ACC_HEADER,
        [
            acc_row("D-1", deaths=1),
            acc_row("D-1", deaths=2),
            acc_row("D-2", deaths=1),
            acc_row("D-3", deaths=1, reported="2024-03-10"),
            acc_row("D-3", deaths=2, reported="2024-03-20"),
        ],
    )
    rep = load(con, "accidents", data_dir)
    assert (rep.rows_loaded, rep.rows_rejected) == (3, 2)
    assert rows(con, "select accident_id, deaths from raw.accidents order by 1, 2") == [
        ("D-2", 1),
        ("D-3", 1),
        ("D-3", 2),
    ]
    q = rows(
        con,
        "select row_number, reason_code, column_name, reason_zh, deaths_in_row from raw.quarantine "
        "order by 1",
    )
    assert [(r[0], r[1], r[2], r[4]) for r in q] == [
        (4, "conflicting_duplicate", "事故编号", 1),
        (5, "conflicting_duplicate", "事故编号", 2),
    ]
    assert "第 4、5 行" in q[0][3] and "D-1" in q[0][3]


def test_formula_cell_loads_its_cached_value(con, data_dir):
    write_xlsx(acc_dir(data_dir) / "f.xlsx", ACC_HEADER, [acc_row("F-1", deaths=("formula", "=1+2", 3))])
    load(con, "accidents", data_dir)
    assert one(con, "select deaths from raw.accidents")[0] == 3


def test_merged_two_row_header(con, data_dir):
    """事故编号 … merged over two rows; 人员伤亡 merged across its four sub-columns."""
    path = acc_dir(data_dir) / "m.xlsx"
    path.parent.mkdir(parents=True)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("三月")
    ws.merge_range(0, 0, 0, len(ACC_HEADER) - 1, "2024年3月生产安全事故统计表")
    casualty = ACC_HEADER.index("死亡人数")
    for c, h in enumerate(ACC_HEADER):
        if casualty <= c < casualty + 4:
            ws.write(2, c, h)
        else:
            ws.merge_range(1, c, 2, c, h)
    ws.merge_range(1, casualty, 1, casualty + 3, "人员伤亡（人）")
    ws.write_row(3, 0, acc_row("M-1", deaths=2, missing=1, serious=4, minor=5))
    wb.close()
    rep = load(con, "accidents", data_dir)
    assert (rep.files[0].status, rep.rows_rejected) == ("loaded", 0)
    assert rows(
        con,
        "select accident_id, deaths, missing, serious_injuries, minor_injuries, sheet_name, "
        "row_number from raw.accidents",
    ) == [("M-1", 2, 1, 4, 5, "三月", 4)]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_encodings_aliases_and_title_lines(con, data_dir, encoding):
    header = [
        "编号",
        "事故发生时间",
        "区划代码",
        "地区",
        "事故单位",
        "统计行业领域",
        "行业代码",
        "事故类别",
        "死亡",
        "失踪",
        "重伤（含急性工业中毒）",
        "轻伤",
        "直接经济损失(万元)",
        "事故级别",
        "营运车辆",
        "简要经过",
        "状态",
        "上报日期",
    ]
    write_csv(
        acc_dir(data_dir) / "2024-03.csv",
        header,
        [
            acc_row(
                "C-1", "2024年3月5日14时20分", deaths=2, loss="1,000", vehicle="是", summary="<b>撞车</b>"
            ),
            ["合计", None, None, None, None, None, None, None, 2],
        ],
        encoding=encoding,
        title_lines=["2024年3月生产安全事故统计表", "填报单位：双鸭山市应急管理局"],
        footer_lines=["填表人：张三", "审核人：李四"],
    )
    rep = load(con, "accidents", data_dir)
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (1, 1, 0)
    assert rows(
        con,
        "select accident_id, occurred_at, deaths, direct_loss_10k_yuan, involves_operating_vehicle, "
        "summary, unit_name, sheet_name, row_number from raw.accidents",
    ) == [("C-1", datetime(2024, 3, 5, 14, 20), 2, 1000.0, True, "<b>撞车</b>", "某公司", None, 4)]


def test_unknown_columns_are_kept_as_json_and_optional_column_may_be_absent(con, data_dir):
    header = [h for h in ACC_HEADER if h != "轻伤人数"] + ["备注"]
    data = []
    for acc_id, note in (("E-1", "补报"), ("E-2", None)):
        row = acc_row(acc_id)
        del row[ACC_HEADER.index("轻伤人数")]
        data.append(row + [note])
    write_xlsx(acc_dir(data_dir) / "e.xlsx", header, data)
    load(con, "accidents", data_dir)
    got = rows(con, "select accident_id, extra_columns, minor_injuries from raw.accidents order by 1")
    assert [(a, json.loads(e), m) for a, e, m in got] == [
        ("E-1", {"备注": "补报"}, None),
        ("E-2", {"备注": None}, None),
    ]


def test_deaths_in_row_counts_deaths_and_missing_of_rejected_rows(con, data_dir):
    write_xlsx(acc_dir(data_dir) / "q.xlsx", ACC_HEADER, [acc_row("Q-1", deaths=2, missing=1, sector="未知")])
    load(con, "accidents", data_dir)
    assert one(con, "select deaths_in_row, reason_code from raw.quarantine") == (3, "invalid_value")
