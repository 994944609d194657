"""Small files are validated together (batch mode): what holds per file must still hold per file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import xlsxwriter
from polars.testing import assert_frame_equal

import pipelines.ingest.batching as batching
from pipelines.ingest.contracts import SPECS
from pipelines.ingest.discovery import list_source_files
from tests.ingest.conftest import ACC_HEADER, AS_OF, acc_row, load, rows, write_csv, zero_row

SAMPLE = Path(__file__).resolve().parents[2] / "data_raw"


def acc_dir(data_dir: Path) -> Path:
    return data_dir / "accidents"


def test_a_footer_ends_its_own_file_only(con, data_dir):
    # a.csv ends with a signature block; b.csv, validated in the same batch, is all data
    write_csv(acc_dir(data_dir) / "a.csv", ACC_HEADER, [acc_row("A-1")],
              footer_lines=["填表人：张三", "A-9 不是数据"])
    write_csv(acc_dir(data_dir) / "b.csv", ACC_HEADER, [acc_row("B-1"), acc_row("B-2")])
    report = load(con, "accidents", data_dir)
    assert {f.file_name: f.rows_loaded for f in report.files} == {"a.csv": 1, "b.csv": 2}
    assert rows(con, "select accident_id, source_file from raw.accidents order by 1") == [
        ("A-1", "a.csv"), ("B-1", "b.csv"), ("B-2", "b.csv")
    ]
    assert rows(con, "select count(*) from raw.quarantine") == [(0,)]


def test_the_same_key_in_two_files_is_a_revision_not_a_conflict(con, data_dir):
    write_csv(acc_dir(data_dir) / "a.csv", ACC_HEADER, [acc_row("X-1", deaths=1)])
    write_csv(acc_dir(data_dir) / "b.csv", ACC_HEADER, [acc_row("X-1", deaths=2)])
    load(con, "accidents", data_dir)
    got = rows(con, "select source_file, deaths from raw.accidents order by 1")
    assert got == [("a.csv", 1), ("b.csv", 2)]
    assert rows(con, "select count(*) from raw.quarantine") == [(0,)]


def test_messages_name_each_rows_own_file_and_row(con, data_dir):
    write_csv(acc_dir(data_dir) / "a.csv", ACC_HEADER, [acc_row("A-1"), acc_row("A-2", deaths="两")])
    write_csv(acc_dir(data_dir) / "b.csv", ACC_HEADER, [acc_row("B-1", deaths=-1)])
    load(con, "accidents", data_dir)
    got = rows(con, "select file_name, row_number, reason_code, reason_zh from raw.quarantine order by 1")
    assert [(f, r, c) for f, r, c, _ in got] == [("a.csv", 3, "not_a_number"), ("b.csv", 2, "negative_value")]
    assert got[0][3].startswith("文件 a.csv 第 3 行 “死亡人数” 列")
    assert got[1][3].startswith("文件 b.csv 第 2 行 “死亡人数” 列")


def test_different_header_layouts_in_one_chunk(con, data_dir):
    # b.csv lists the columns in another order: a separate layout group in the same chunk
    header_b = list(reversed(ACC_HEADER))
    write_csv(acc_dir(data_dir) / "a.csv", ACC_HEADER, [acc_row("A-1", loss=10)])
    write_csv(acc_dir(data_dir) / "b.csv", header_b, [list(reversed(acc_row("B-1", loss=20)))])
    write_csv(acc_dir(data_dir) / "c.csv", ACC_HEADER,
              [zero_row(ACC_HEADER, "事故编号", "发生时间", "230506", "2024-04")])
    report = load(con, "accidents", data_dir)
    assert [(f.file_name, f.rows_read, f.rows_loaded, f.rows_zero_reports) for f in report.files] == [
        ("a.csv", 1, 1, 0), ("b.csv", 1, 1, 0), ("c.csv", 1, 0, 1)
    ]
    assert rows(con, "select accident_id, direct_loss_10k_yuan from raw.accidents order by 1") == [
        ("A-1", 10.0), ("B-1", 20.0)
    ]


def per_file(spec, files):
    """process_chunk's rows split per file: [(file, FileResult | FileRejected)], as process_file
    gives them."""
    chunk = batching.process_chunk(spec, files, AS_OF)
    split = {}
    for kind in ("records", "zero", "quarantine"):
        df = getattr(chunk, kind)
        parts = df.partition_by("_file", as_dict=True) if df.height else {}
        split[kind] = (df.head(0).drop("_file"), {k[0]: v.drop("_file") for k, v in parts.items()})
    out = []
    for f, res in chunk.files:
        if isinstance(res, batching.FileCounts):
            mine = {kind: by_file.get(f.name, empty) for kind, (empty, by_file) in split.items()}
            res = batching.FileResult(mine["records"], mine["zero"], mine["quarantine"], res.rows_read)
        out.append((f, res))
    return out


@pytest.mark.parametrize("source", ["accidents", "disasters", "statistics", "capabilities"])
def test_batch_mode_gives_each_file_exactly_what_one_file_at_a_time_gives(source):
    """On the bundled sample (CSV and workbooks, GB18030, title rows, zero reports, rejects)."""
    spec = SPECS[source]
    files = list_source_files(SAMPLE, source)[:80]
    batched = per_file(spec, files)
    assert [f.name for f, _ in batched] == [f.name for f in files]
    for f, res in batched:
        single = batching.process_file(spec, f, AS_OF)
        assert res.rows_read == single.rows_read, f.name
        for part in ("records", "zero", "quarantine"):
            a, b = getattr(res, part), getattr(single, part)
            assert_frame_equal(a.select(sorted(b.columns)), b.select(sorted(b.columns)),
                               check_dtypes=False), (f.name, part)


def test_large_files_are_still_read_in_bounded_batches(con, data_dir, monkeypatch):
    monkeypatch.setattr(batching, "BATCH_FILE_BYTES", 10)  # every file is "large"
    calls = []
    real = batching.process_file
    monkeypatch.setattr(batching, "process_file", lambda *a: calls.append(a[1].name) or real(*a))
    write_csv(acc_dir(data_dir) / "a.csv", ACC_HEADER, [acc_row("A-1")])
    write_csv(acc_dir(data_dir) / "b.csv", ACC_HEADER, [acc_row("B-1")])
    load(con, "accidents", data_dir)
    assert calls == ["a.csv", "b.csv"]
    assert rows(con, "select accident_id from raw.accidents order by 1") == [("A-1",), ("B-1",)]


@pytest.mark.parametrize("batch", [True, False], ids=["batch", "one-file"])
def test_a_conflict_across_two_sheets_of_different_layouts_is_found(con, data_dir, monkeypatch, batch):
    """Sheets of one workbook with different header layouts are validated in different groups;
    the same key with different values in both is still ambiguous within the file."""
    if not batch:
        monkeypatch.setattr(batching, "BATCH_FILE_BYTES", 10)
    path = acc_dir(data_dir) / "w.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    reordered = list(reversed(ACC_HEADER))
    for name, header, order in (("一月", ACC_HEADER, list), ("二月", reordered, lambda r: r[::-1])):
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, header)
        ws.write_row(1, 0, order(acc_row("X-1", deaths=1 if name == "一月" else 2)))
        ws.write_row(2, 0, order(acc_row("Y-" + name)))
    wb.close()
    load(con, "accidents", data_dir)
    assert rows(con, "select accident_id from raw.accidents order by 1") == [("Y-一月",), ("Y-二月",)]
    got = rows(con, "select sheet_name, row_number, reason_code, raw_record->>'死亡人数', "
                    "raw_record->>'事故编号' from raw.quarantine order by 1")
    assert got == [("一月", 2, "conflicting_duplicate", "1", "X-1"),
                   ("二月", 2, "conflicting_duplicate", "2", "X-1")]


def test_a_header_only_file_and_an_unreadable_body_in_one_chunk(con, data_dir):
    """The CSV bodies of a chunk are parsed together; one that cannot be parsed is found and
    refused on its own, and a file with a header but no rows loads as empty (it used to stop
    the whole load)."""
    write_csv(acc_dir(data_dir) / "a.csv", ACC_HEADER, [])
    write_csv(acc_dir(data_dir) / "b.csv", ACC_HEADER, [acc_row("B-1")])
    (acc_dir(data_dir) / "c.csv").write_bytes(",".join(ACC_HEADER).encode() + b'\n"unterminated,1,2\nx,y\n')
    report = load(con, "accidents", data_dir)
    assert [(f.file_name, f.status, f.rows_read, f.rows_loaded) for f in report.files] == [
        ("a.csv", "loaded", 0, 0), ("b.csv", "loaded", 1, 1), ("c.csv", "rejected", 0, 0)
    ]
    assert rows(con, "select accident_id, source_file from raw.accidents") == [("B-1", "b.csv")]
    got = rows(con, "select file_name, reason_code, reason_zh from raw.quarantine")
    assert [(f, c) for f, c, _ in got] == [("c.csv", "unreadable_csv")]
    assert got[0][2].startswith("文件 c.csv 无法按 CSV 格式读取")


@pytest.mark.parametrize("batch", [True, False], ids=["batch", "one-file"])
def test_a_rejected_zero_report_keeps_all_its_cells(con, data_dir, monkeypatch, batch):
    """Zero reports are validated on their region, month and position only; a rejected one still
    goes to quarantine with every cell of its row, under its own file and row."""
    if not batch:
        monkeypatch.setattr(batching, "BATCH_FILE_BYTES", 10)
    bad = zero_row(ACC_HEADER, "事故编号", "发生时间", "230506", "2024-13")
    bad[ACC_HEADER.index("行政区划名称")] = "宝山区"
    write_csv(acc_dir(data_dir) / "a.csv", ACC_HEADER,
              [zero_row(ACC_HEADER, "事故编号", "发生时间", "230506", "2024-02"), bad])
    write_csv(acc_dir(data_dir) / "b.csv", ACC_HEADER,
              [acc_row("B-1"), zero_row(ACC_HEADER, "事故编号", "发生时间", "230502", "2027-01")])
    report = load(con, "accidents", data_dir)
    assert [(f.file_name, f.rows_loaded, f.rows_zero_reports, f.rows_rejected) for f in report.files] == [
        ("a.csv", 0, 1, 1), ("b.csv", 1, 0, 1)
    ]
    got = rows(con, "select file_name, row_number, reason_code, raw_record->>'事故编号', "
                    "raw_record->>'行政区划名称', raw_record->>'发生时间', reason_zh "
                    "from raw.quarantine order by 1")
    assert [g[:6] for g in got] == [
        ("a.csv", 3, "invalid_date", "零报告", "宝山区", "2024-13"),
        ("b.csv", 3, "future_date", "零报告", None, "2027-01"),
    ]
    assert got[0][6].startswith("文件 a.csv 第 3 行 “发生时间” 列：零报告应在此列填写所报告的月份")
    assert rows(con, "select source_file, region_code, month from raw.zero_reports") == [
        ("a.csv", "230506", date(2024, 2, 1))
    ]
