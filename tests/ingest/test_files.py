"""Whole-file rejections, file discovery and reconciliation (reloads, replacements, removals)."""

from __future__ import annotations

import errno
import os
import shutil
from datetime import datetime

import pytest

from pipelines.ingest import InputError, batching

from .conftest import ACC_HEADER, acc_row, load, one, rows, write_csv, write_xlsx, zero_row

TABLES = ("accidents", "zero_reports", "quarantine", "files")


def dump(con):
    return {t: sorted(rows(con, f"select * from raw.{t}"), key=repr) for t in TABLES}


def acc_dir(data_dir):
    d = data_dir / "accidents"
    d.mkdir(exist_ok=True)
    return d


def good_file(data_dir, name="2024-03.xlsx", deaths=1):
    write_xlsx(
        acc_dir(data_dir) / name,
        ACC_HEADER,
        [
            acc_row("SY-1", deaths=deaths),
            acc_row("SY-2", deaths="x"),
            zero_row(ACC_HEADER, "事故编号", "发生时间", "230502", "2024-03"),
        ],
    )


@pytest.mark.parametrize(
    ("name", "content", "code", "zh_part"),
    [
        ("fake.xlsx", "事故编号,发生时间\n1,2\n".encode(), "not_a_workbook", "不是 Excel 工作簿"),
        ("locked.xlsx", bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504, "password_protected", "密码"),
        ("empty.xlsx", b"", "empty_file", "为空"),
        ("empty.csv", b"", "empty_file", "为空"),
        ("bad.csv", b"\xff\xfe\x00a" + "事故".encode("utf-16-le"), "unsupported_encoding", "UTF-16"),
        ("garbage.csv", b"abc,\xff\xff\xff\n", "unknown_encoding", "编码无法识别"),
        ("binary.csv", b"\x00\x01\x02\x03", "not_a_text_file", "二进制"),
        ("old.xls", b"whatever", "unsupported_format", ".xls"),
    ],
)
def test_whole_file_rejections(con, data_dir, name, content, code, zh_part):
    (acc_dir(data_dir) / name).write_bytes(content)
    rep = load(con, "accidents", data_dir)
    f = rep.files[0]
    assert (f.file_name, f.status, f.rows_loaded) == (name, "rejected", 0)
    assert zh_part in f.reason_zh and name in f.reason_zh and name in f.reason_en
    assert rows(con, "select file_name, status, reason_zh from raw.files") == [
        (name, "rejected", f.reason_zh)
    ]
    assert rows(con, "select file_name, row_number, reason_code, reason_zh from raw.quarantine") == [
        (name, None, code, f.reason_zh)
    ]


def test_no_header_row_rejects_the_whole_file(con, data_dir):
    write_xlsx(acc_dir(data_dir) / "nohdr.xlsx", ["编号", "时间", "死亡人数"], [["A", "2024-03-01", 1]])
    rep = load(con, "accidents", data_dir)
    f = rep.files[0]
    assert f.status == "rejected"
    assert (
        f.reason_zh == "文件 nohdr.xlsx 中未找到表头行：应有一行包含 事故编号、发生时间、行业领域、填报日期"
    )
    assert one(con, "select reason_code, row_number from raw.quarantine") == ("no_header_row", None)
    assert one(con, "select count(*) from raw.accidents")[0] == 0


def test_missing_required_column_rejects_the_whole_file(con, data_dir):
    header = [h for h in ACC_HEADER if h != "死亡人数"]
    row = acc_row("A")
    del row[ACC_HEADER.index("死亡人数")]
    write_xlsx(acc_dir(data_dir) / "m.xlsx", header, [row])
    f = load(con, "accidents", data_dir).files[0]
    assert f.status == "rejected"
    assert f.reason_zh == "文件 m.xlsx 工作表 Sheet1 第 3 行的表头缺少必需的列：死亡人数"


def test_lock_and_hidden_files_and_other_files_are_ignored(con, data_dir):
    """Lock and hidden files are ignored silently; a file that is not a spreadsheet is not read
    either, but listed in the load report as ignored (it is not a file of raw.files)."""
    good_file(data_dir)
    (acc_dir(data_dir) / "~$2024-03.xlsx").write_bytes(b"lock")
    (acc_dir(data_dir) / ".hidden.csv").write_bytes(b"x")
    (acc_dir(data_dir) / "README.md").write_text("说明")
    rep = load(con, "accidents", data_dir)
    assert [(f.file_name, f.status) for f in rep.files] == [
        ("2024-03.xlsx", "loaded"), ("README.md", "ignored")
    ]
    assert "不是 .xlsx 或 .csv" in rep.files[1].reason_zh
    assert rows(con, "select file_name from raw.files") == [("2024-03.xlsx",)]


def test_symlink_outside_the_data_folder_is_refused(con, data_dir, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    write_xlsx(outside / "secret.xlsx", ACC_HEADER, [acc_row("S-1")])
    os.symlink(outside / "secret.xlsx", acc_dir(data_dir) / "link.xlsx")
    # a symlink inside the data folder is fine
    good_file(data_dir, "inside-target.xlsx")
    os.symlink(acc_dir(data_dir) / "inside-target.xlsx", acc_dir(data_dir) / "inside-link.xlsx")
    rep = load(con, "accidents", data_dir)
    by = {f.file_name: f for f in rep.files}
    assert by["link.xlsx"].status == "rejected"
    assert "符号链接" in by["link.xlsx"].reason_zh and "symbolic link" in by["link.xlsx"].reason_en
    assert by["inside-link.xlsx"].status == "loaded"
    assert one(con, "select count(*) from raw.accidents where accident_id = 'S-1'")[0] == 0
    assert (
        one(con, "select reason_code from raw.quarantine where file_name = 'link.xlsx'")[0]
        == "symlink_outside_data_dir"
    )


def test_missing_data_folder_raises_input_error(con, tmp_path):
    with pytest.raises(InputError) as exc:
        load(con, "accidents", tmp_path / "nope")
    assert "数据文件夹不存在" in exc.value.message_zh
    assert "data folder does not exist" in exc.value.message_en


def test_loading_the_same_folder_twice_gives_identical_tables(con, data_dir):
    good_file(data_dir, "2024-03.xlsx")
    good_file(data_dir, "2024-04.xlsx", deaths=2)
    (acc_dir(data_dir) / "fake.xlsx").write_text("not a workbook")
    load(con, "accidents", data_dir)
    before = dump(con)
    second = load(con, "accidents", data_dir, loaded_at=datetime(2027, 1, 1))
    assert dump(con) == before
    assert [f.status for f in second.files] == ["skipped", "skipped", "skipped"]
    assert [(f.rows_read, f.rows_loaded, f.rows_zero_reports, f.rows_rejected) for f in second.files][:2] == [
        (3, 1, 1, 1),
        (3, 1, 1, 1),
    ]
    assert one(con, "select count(*) from raw.accidents")[0] == 2


def test_corrected_copy_replaces_the_rows_of_that_file(con, data_dir):
    good_file(data_dir, "2024-03.xlsx", deaths=1)
    good_file(data_dir, "2024-04.xlsx", deaths=5)
    load(con, "accidents", data_dir)
    # corrected copy of 2024-03: SY-2 fixed, deaths of SY-1 changed
    write_xlsx(acc_dir(data_dir) / "2024-03.xlsx", ACC_HEADER, [acc_row("SY-1", deaths=4), acc_row("SY-2")])
    rep = load(con, "accidents", data_dir)
    assert [(f.file_name, f.status) for f in rep.files] == [
        ("2024-03.xlsx", "replaced"),
        ("2024-04.xlsx", "skipped"),
    ]
    assert rows(
        con, "select source_file, accident_id, deaths, load_seq from raw.accidents order by 1, 2"
    ) == [("2024-03.xlsx", "SY-1", 4, 3), ("2024-03.xlsx", "SY-2", 1, 3), ("2024-04.xlsx", "SY-1", 5, 2)]
    assert rows(con, "select file_name from raw.quarantine order by 1") == [("2024-04.xlsx",)]
    assert rows(con, "select source_file from raw.zero_reports") == [("2024-04.xlsx",)]
    assert rows(con, "select file_name, load_seq from raw.files order by 1") == [
        ("2024-03.xlsx", 3),
        ("2024-04.xlsx", 2),
    ]


def test_file_gone_from_the_folder_is_removed(con, data_dir):
    good_file(data_dir, "2024-03.xlsx")
    good_file(data_dir, "2024-04.xlsx")
    load(con, "accidents", data_dir)
    (acc_dir(data_dir) / "2024-03.xlsx").unlink()
    rep = load(con, "accidents", data_dir)
    assert [(f.file_name, f.status) for f in rep.files] == [
        ("2024-03.xlsx", "removed"),
        ("2024-04.xlsx", "skipped"),
    ]
    for table, col in (
        ("accidents", "source_file"),
        ("zero_reports", "source_file"),
        ("quarantine", "file_name"),
        ("files", "file_name"),
    ):
        assert rows(con, f"select distinct {col} from raw.{table}") == [("2024-04.xlsx",)]


def test_failure_rolls_back_the_whole_source(con, data_dir, monkeypatch):
    """A fault of the machine (here the disk filling up while a file is read) stops the load and
    rolls the whole source back. (An error caused by a file's content stops at that file instead:
    see test_an_unforeseen_error_stops_at_the_file_that_caused_it.)"""
    good_file(data_dir, "2024-03.xlsx")
    load(con, "accidents", data_dir)
    before = dump(con)
    good_file(data_dir, "2024-03.xlsx", deaths=7)  # changed: will be deleted then reloaded
    good_file(data_dir, "2024-04.xlsx")
    real = batching.read_file

    def boom(path, file_name, spec):
        if file_name == "2024-04.xlsx":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, file_name, spec)

    monkeypatch.setattr(batching, "read_file", boom)
    with pytest.raises(OSError, match="No space left"):
        load(con, "accidents", data_dir)
    assert dump(con) == before


def test_an_unforeseen_error_stops_at_the_file_that_caused_it(con, data_dir, monkeypatch):
    good_file(data_dir, "2024-03.xlsx")
    good_file(data_dir, "2024-04.xlsx")
    real = batching.read_file

    def boom(path, file_name, spec):
        if file_name == "2024-04.xlsx":
            raise RuntimeError("a reader library failed")
        return real(path, file_name, spec)

    monkeypatch.setattr(batching, "read_file", boom)
    rep = load(con, "accidents", data_dir)
    assert [(f.file_name, f.status) for f in rep.files] == [
        ("2024-03.xlsx", "loaded"), ("2024-04.xlsx", "rejected")
    ]
    assert "文件 2024-04.xlsx 读取或校验时出错" in rep.files[1].reason_zh
    assert "RuntimeError: a reader library failed" in rep.files[1].reason_en


def test_csv_file_and_workbook_of_the_same_folder_load_in_name_order(con, data_dir):
    write_csv(acc_dir(data_dir) / "b.csv", ACC_HEADER, [acc_row("B-1")], encoding="gb18030")
    good_file(data_dir, "a.xlsx")
    shutil.copy(acc_dir(data_dir) / "a.xlsx", acc_dir(data_dir) / "c.xlsx")
    rep = load(con, "accidents", data_dir)
    assert [f.file_name for f in rep.files] == ["a.xlsx", "b.csv", "c.xlsx"]
    assert rows(con, "select file_name, load_seq from raw.files order by 2") == [
        ("a.xlsx", 1),
        ("b.csv", 2),
        ("c.xlsx", 3),
    ]


def test_large_csv_is_read_in_batches_with_continuous_row_numbers(con, data_dir, monkeypatch):
    from pipelines.ingest import sheets

    monkeypatch.setattr(sheets, "BATCH_ROWS", 3)
    body = [acc_row(f"B-{i}", deaths=i) for i in range(1, 8)]
    body.insert(5, zero_row(ACC_HEADER, "事故编号", "发生时间", "230502", "2024-03"))
    body.append(acc_row("B-1", deaths=9))  # conflicts with row 4, three batches earlier
    write_csv(
        acc_dir(data_dir) / "big.csv",
        ACC_HEADER,
        body,
        title_lines=["标题", ""],
        footer_lines=["填表人：王五", "B-99,2024-03-01"],
    )  # anything after the footer is ignored
    rep = load(con, "accidents", data_dir)
    assert (rep.rows_read, rep.rows_loaded, rep.rows_zero_reports, rep.rows_rejected) == (9, 6, 1, 2)
    assert rows(con, "select accident_id, row_number from raw.accidents order by row_number") == [
        ("B-2", 5),
        ("B-3", 6),
        ("B-4", 7),
        ("B-5", 8),
        ("B-6", 10),
        ("B-7", 11),
    ]
    assert rows(con, "select row_number from raw.zero_reports") == [(9,)]
    assert rows(con, "select row_number, reason_code from raw.quarantine order by 1") == [
        (4, "conflicting_duplicate"),
        (12, "conflicting_duplicate"),
    ]


def test_identical_duplicate_rows_are_both_kept(con, data_dir):
    write_xlsx(acc_dir(data_dir) / "dup.xlsx", ACC_HEADER, [acc_row("D-1"), acc_row("D-1")])
    rep = load(con, "accidents", data_dir)
    assert (rep.rows_loaded, rep.rows_rejected) == (2, 0)


def test_every_sheet_with_a_header_is_loaded(con, data_dir):
    import xlsxwriter

    path = acc_dir(data_dir) / "multi.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("说明").write(0, 0, "本表按月填报")
    for name, acc_id in (("三月", "M-3"), ("四月", "M-4")):
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, ACC_HEADER)
        ws.write_row(1, 0, acc_row(acc_id))
    wb.close()
    load(con, "accidents", data_dir)
    assert rows(con, "select accident_id, sheet_name, row_number from raw.accidents order by 1") == [
        ("M-3", "三月", 2),
        ("M-4", "四月", 2),
    ]
