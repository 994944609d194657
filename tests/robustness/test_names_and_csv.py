"""Issue 21, items 1, 8, 10, 11 and their siblings: file names, CSV shapes, whole-file refusals.

Each case writes its files into a temporary data folder beside a good file and loads the folder with
``pipelines.ingest.load_source`` into a real DuckDB file; it asserts where every row went, the reason
(file, row, column, both languages) and the counts that must not move.
"""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest import batching
from tests.ingest.conftest import ACC_HEADER, acc_row, write_csv, write_xlsx

from .helpers import assert_reason, dicts, files, ids, load, quarantine

PROJECT_DIR = Path(__file__).resolve().parents[2]
ROW_DEST = "raw.quarantine (the row, with its raw cells)"
FILE_DEST = "raw.files `rejected` + one file-level raw.quarantine row; nothing of the file loaded"
ORDER = 100  # after the first round's cases


def acc_dir(data_dir: Path) -> Path:
    d = data_dir / "accidents"
    d.mkdir(exist_ok=True)
    return d


def by_file(con) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, acc in con.execute(
        "select source_file, accident_id from raw.accidents order by source_file, row_number"
    ).fetchall():
        out.setdefault(name, []).append(acc)
    return out


# --------------------------------------------------------------------------- 1. glob characters


GLOB_CASES = [
    # case id, title, {file name: accident ids}
    (
        "glob_brackets_alone",
        "#1 `2024Q1_乐平市[终版].csv`: brackets in a CSV file name",
        {"2024Q1_乐平市[终版].csv": ["LP-1", "LP-2", "LP-3", "LP-4"]},
    ),
    (
        "glob_brackets_beside_match",
        "#1 `2024-0[3].csv` beside `2024-03.csv` (the pattern matches the other file)",
        {"2024-03.csv": ["M-1"], "2024-0[3].csv": ["B-1", "B-2"]},
    ),
    ("glob_question_mark", "#1 `a?.csv` beside `ab.csv`", {"a?.csv": ["Q-1"], "ab.csv": ["AB-1", "AB-2"]}),
    ("glob_braces", "#1 `x{1,2}.csv` (was: invalid glob pattern given)", {"x{1,2}.csv": ["BR-1"]}),
    ("glob_star", "sibling: `*.csv` and `**.csv` as file names", {"*.csv": ["S-1"], "**.csv": ["S-2"]}),
]


@pytest.mark.parametrize(("case", "title", "contents"), GLOB_CASES, ids=[c[0] for c in GLOB_CASES])
def test_glob_characters_in_a_file_name_are_literal(con, data_dir, robust_case, case, title, contents):
    for name, accs in contents.items():
        write_csv(acc_dir(data_dir) / name, ACC_HEADER, [acc_row(a) for a in accs])
    rep = load(con, "accidents", data_dir)
    assert by_file(con) == contents  # every file its own rows, none twice, none lost
    assert {f.file_name: (f.status, f.rows_read, f.rows_loaded) for f in rep.files} == {
        name: ("loaded", len(accs), len(accs)) for name, accs in contents.items()
    }
    assert quarantine(con) == []
    robust_case(
        case, section="input", order=ORDER + GLOB_CASES.index(next(c for c in GLOB_CASES if c[0] == case)),
        title=title, reason_code=None,
        destination="each file loads its own rows (`scan_csv(glob=False)`)",
        valid_rows=f"{sum(map(len, contents.values()))} of {sum(map(len, contents.values()))}",
        exit_code="0",
    )


def test_glob_characters_in_the_data_folder_path(tmp_path, robust_case):
    """The whole path is never a pattern: a data folder named 数据[2026] beside 数据2 (which the
    pattern would match)."""
    real, decoy = tmp_path / "数据[2026]", tmp_path / "数据2"
    write_csv(real / "accidents" / "a.csv", ACC_HEADER, [acc_row("REAL-1")])
    write_csv(decoy / "accidents" / "a.csv", ACC_HEADER, [acc_row("DECOY-1"), acc_row("DECOY-2")])
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        load(con, "accidents", real)
        assert ids(con) == ["REAL-1"]
    finally:
        con.close()
    robust_case(
        "glob_data_folder", section="input", order=ORDER + 5,
        title="sibling: glob characters in the data folder's path (`数据[2026]` beside `数据2`)",
        reason_code=None,
        destination="the folder itself is read (no data-folder path reaches DuckDB's file readers, which "
        "glob: plans reach dbt through raw.plans, not a read_csv var)",
        valid_rows="1 of 1", exit_code="0",
        note="DuckDB's `read_csv` has no switch to turn globbing off, so the pipeline never hands it a "
        "path from the data folder. `pipelines/quality/frames.py` reads the project's regions.csv with it "
        "(a project path, not a user's; left as it is).",
    )


def test_bundled_sample_file_renamed_with_brackets_loads_the_same(tmp_path, robust_case):
    """The issue's reproduction: 2024Q1_乐平市.csv renamed 2024Q1_乐平市[终版].csv."""
    counts = {}
    for label, rename in (("original", False), ("renamed", True)):
        data = tmp_path / label
        shutil.copytree(PROJECT_DIR / "data_raw" / "accidents", data / "accidents")
        if rename:
            (data / "accidents" / "2024Q1_乐平市.csv").rename(data / "accidents" / "2024Q1_乐平市[终版].csv")
        con = duckdb.connect(str(tmp_path / f"{label}.duckdb"))
        try:
            rep = load(con, "accidents", data)
            counts[label] = (
                rep.rows_read, rep.rows_loaded, rep.rows_zero_reports, rep.rows_rejected,
                con.execute("select count(*), sum(deaths) from raw.accidents").fetchone(),
                con.execute("select count(*) from raw.accidents where source_file like '2024Q1_乐平市%'")
                .fetchone()[0],
            )
        finally:
            con.close()
    assert counts["renamed"] == counts["original"]
    assert counts["renamed"][-1] == 4  # the file's 4 accidents (they used to vanish)
    robust_case("glob_brackets_alone", note="On the bundled sample (accidents folder), renaming "
                "`2024Q1_乐平市.csv` to `2024Q1_乐平市[终版].csv` leaves every count equal: "
                f"{counts['renamed'][0]} rows read, {counts['renamed'][1]} loaded, the file's 4 accidents "
                "among them (before the fix: recorded as loaded with 0 rows).")


# --------------------------------------------------------------------------- 8, 10. CSV shapes


def _csv_bytes(rows: list[list], eol: str) -> bytes:
    return (eol.join(",".join("" if v is None else str(v) for v in r) for r in rows) + eol).encode("utf-8")


def test_bare_cr_line_ends(con, data_dir, robust_case):
    body = [ACC_HEADER, acc_row("CR-1"), acc_row("CR-2", deaths="约3人"), acc_row("CR-3", deaths=2)]
    (acc_dir(data_dir) / "mac.csv").write_bytes(_csv_bytes(body, "\r"))
    write_csv(acc_dir(data_dir) / "other.csv", ACC_HEADER, [acc_row("OK-1")])
    rep = load(con, "accidents", data_dir)
    assert by_file(con) == {"mac.csv": ["CR-1", "CR-3"], "other.csv": ["OK-1"]}
    q = quarantine(con)
    assert [(r["file_name"], r["row_number"], r["reason_code"]) for r in q] == [
        ("mac.csv", 3, "not_a_number")
    ]
    assert_reason(q[0], file="mac.csv", row=3, column="死亡人数", zh=("实际为“约3人”",))
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (4, 3, 1)
    robust_case(
        "csv_bare_cr", section="input", order=ORDER + 10,
        title="#8 CSV with bare CR line ends (classic Mac OS exports)",
        reason_code="not_a_number (row 3 only)",
        destination="read line by line; the bad row quarantined with its row number",
        valid_rows="2 of 2 (+ the other file)", exit_code="0 (was 1: bare `_csv.Error`)",
        message_en=q[0]["reason_en"],
    )


def test_a_cell_longer_than_the_csv_module_limit(con, data_dir, robust_case):
    long_text = "事故经过" * 40_000  # 160,000 characters, beyond csv's default 131,072
    write_csv(acc_dir(data_dir) / "long.csv", ACC_HEADER, [acc_row("L-1", summary=long_text), acc_row("L-2")])
    rep = load(con, "accidents", data_dir)
    assert ids(con) == ["L-1", "L-2"] and rep.rows_rejected == 0
    assert con.execute("select length(summary) from raw.accidents where accident_id = 'L-1'").fetchone() == (
        160_000,
    )
    robust_case(
        "csv_long_cell", section="input", order=ORDER + 11,
        title="#8 a cell of 160,000 characters (csv's field limit is 131,072)", reason_code=None,
        destination="loaded verbatim (事故简况 of 160,000 characters)", valid_rows="2 of 2",
        exit_code="0 (was 1: bare `_csv.Error: field larger than field limit`)",
    )


def test_first_data_row_without_its_trailing_empty_cell(con, data_dir, robust_case):
    header = ACC_HEADER + ["备注"]  # 19 headers; the first row has 18 cells: its empty 备注 left out
    body = [header, acc_row("T-1"), acc_row("T-2") + ["说明"], acc_row("T-3") + [""]]
    (acc_dir(data_dir) / "short.csv").write_bytes(_csv_bytes(body, "\n"))
    rep = load(con, "accidents", data_dir)
    assert ids(con) == ["T-1", "T-2", "T-3"] and rep.files[0].status == "loaded"
    assert con.execute("select extra_columns from raw.accidents order by row_number").fetchall() == [
        ('{"备注":null}',), ('{"备注":"说明"}',), ('{"备注":null}',),
    ]
    robust_case(
        "csv_short_first_row", section="input", order=ORDER + 12,
        title="#10 the first data row lacks its trailing empty cell (备注)", reason_code=None,
        destination="loaded; the missing cell is empty", valid_rows="3 of 3",
        exit_code="0 (was: file rejected whole with a polars-internal message)",
    )


def test_malformed_first_data_row_is_not_read_as_an_empty_file(con, data_dir, robust_case):
    """Found while fixing #10: polars returns no row at all (no error) when the first data row opens a
    quote it never closes; the file would have loaded as empty."""
    (acc_dir(data_dir) / "broken.csv").write_bytes(
        (",".join(ACC_HEADER) + "\n" + '"SY-1,2024-03-05 14:20,230502\nSY-2,x\n').encode()
    )
    write_csv(acc_dir(data_dir) / "ok.csv", ACC_HEADER, [acc_row("OK-1")])
    rep = load(con, "accidents", data_dir)
    f = {r.file_name: r for r in rep.files}
    assert f["broken.csv"].status == "rejected" and f["ok.csv"].status == "loaded"
    assert "无法按 CSV 格式读取" in f["broken.csv"].reason_zh
    assert "no row could be parsed" in f["broken.csv"].reason_en
    assert ids(con) == ["OK-1"]
    robust_case(
        "csv_unparsable_first_row", section="input", order=ORDER + 13,
        title="sibling of #10: the first data row opens a quote it never closes",
        reason_code="unreadable_csv",
        destination=FILE_DEST, valid_rows="other files loaded", exit_code="2 (a file rejected whole blocks)",
        message_en=f["broken.csv"].reason_en,
        note="polars' `scan_csv(...).slice(...)` returns zero rows without an error for this file; the "
        "reader now refuses a CSV whose first lines after the header hold cells but that yields no row.",
    )


# --------------------------------------------------------------------------- 11. whole-file refusals


def _xlsx_bytes(tmp: Path) -> bytes:
    write_xlsx(tmp / "real.xlsx", ACC_HEADER, [acc_row("X-1")])
    return (tmp / "real.xlsx").read_bytes()


REFUSED = [
    # case, title, file name, writer(path, tmp), code, zh, en
    (
        "csv_is_xlsx", "#11 a `.csv` that is really an xlsx workbook", "2024-03.csv",
        lambda p, tmp: p.write_bytes(_xlsx_bytes(tmp)), "workbook_named_csv",
        ("扩展名为 .csv，但内容是 Excel 工作簿（.xlsx）", "请把扩展名改为 .xlsx"),
        ("has a .csv name but is an Excel workbook (.xlsx)", "rename it to .xlsx"),
    ),
    (
        "csv_is_xls", "sibling: a `.csv` that is a legacy .xls (OLE2) workbook", "old.csv",
        lambda p, tmp: p.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 500), "workbook_named_csv",
        ("旧版 .xls 或加密的 Excel 工作簿",), ("legacy .xls or encrypted Excel workbook",),
    ),
    (
        "duplicate_header", "#11 a duplicated header (死亡人数 twice)", "dup.csv",
        lambda p, tmp: write_csv(p, ACC_HEADER + ["死亡人数"], [acc_row("D-1") + [5]]), "duplicate_columns",
        ("“死亡人数”出现 2 次", "第 9 列“死亡人数”", "第 19 列“死亡人数”", "无法确定使用哪一列"),
        ("死亡人数 appears 2 times", "column 9 '死亡人数', column 19 '死亡人数'", "cannot tell which one"),
    ),
    (
        "duplicate_header_alias", "sibling: a header and its alias (死亡人数 and 死亡)", "alias.xlsx",
        lambda p, tmp: write_xlsx(p, ACC_HEADER + ["死亡"], [acc_row("D-1") + [5]], sheet="三月"),
        "duplicate_columns",
        ("工作表 三月 第 3 行的表头中", "“死亡人数”出现 2 次"),
        ("sheet 三月, header row 3", "appears 2 times"),
    ),
]


@pytest.mark.parametrize(("case", "title", "name", "writer", "code", "zh", "en"), REFUSED,
                         ids=[c[0] for c in REFUSED])
def test_file_refused_whole_with_its_reason(con, data_dir, tmp_path, robust_case, case, title, name, writer,
                                            code, zh, en):
    write_csv(acc_dir(data_dir) / "a_good.csv", ACC_HEADER, [acc_row("GOOD-1"), acc_row("GOOD-2")])
    writer(acc_dir(data_dir) / name, tmp_path)
    rep = load(con, "accidents", data_dir)
    f = {r.file_name: r for r in rep.files}
    assert (f[name].status, f[name].rows_loaded) == ("rejected", 0)
    assert f["a_good.csv"].status == "loaded" and ids(con) == ["GOOD-1", "GOOD-2"]
    q = [r for r in quarantine(con) if r["file_name"] == name]
    assert len(q) == 1 and q[0]["reason_code"] == code and q[0]["row_number"] is None
    assert_reason(q[0], file=name, row=None, column=None, zh=zh, en=en)
    robust_case(
        case, section="input", order=ORDER + 20 + REFUSED.index(next(c for c in REFUSED if c[0] == case)),
        title=title, reason_code=code, destination=FILE_DEST, valid_rows="other files loaded",
        exit_code="2 (a file rejected whole blocks the gate; see the command-line case)",
        message_en=q[0]["reason_en"],
    )


def test_subfolders_and_other_files_are_listed_not_silently_skipped(con, data_dir, robust_case):
    write_csv(acc_dir(data_dir) / "2024-03.csv", ACC_HEADER, [acc_row("A-1")])
    write_csv(acc_dir(data_dir) / "旧版" / "2024-02.csv", ACC_HEADER, [acc_row("OLD-1")])
    (acc_dir(data_dir) / "说明.docx").write_bytes(b"PK\x03\x04 not read")
    (acc_dir(data_dir) / "~$2024-03.xlsx").write_bytes(b"lock")  # Excel's lock file: silent
    rep = load(con, "accidents", data_dir)
    assert [(f.file_name, f.status) for f in rep.files] == [
        ("2024-03.csv", "loaded"), ("旧版/", "ignored"), ("说明.docx", "ignored"),
    ]
    sub = rep.files[1]
    assert "子文件夹 旧版/ 中的文件不会被读取" in sub.reason_zh
    assert "put the files to load directly in" in sub.reason_en
    assert ids(con) == ["A-1"] and [r["file_name"] for r in files(con)] == ["2024-03.csv"]
    robust_case(
        "subfolder_listed", section="input", order=ORDER + 30,
        title="#11 files in a sub-folder (`accidents/旧版/`), and a `.docx` in the folder", reason_code=None,
        destination="not read, and listed in the load report as `ignored` (未读取) with the reason",
        valid_rows="the folder's own files", exit_code="0", message_en=sub.reason_en,
    )


def test_control_and_direction_characters_in_names_are_shown_not_obeyed(con, data_dir, robust_case):
    esc_name = "2024-03\x1b[31m红\x1b[0m.csv"
    rlo_name = "报表\u202exslx.csv"  # would show as 报表vsc.xlsx
    write_csv(acc_dir(data_dir) / esc_name, ACC_HEADER, [acc_row("E-1"), acc_row("E-2", deaths="约3人")])
    write_xlsx(acc_dir(data_dir) / "sheet.xlsx", ACC_HEADER, [acc_row("S-1", deaths="x\u202e1")],
               sheet="三月\u202e")
    (acc_dir(data_dir) / rlo_name).write_bytes(b"")
    load(con, "accidents", data_dir)
    q = {r["file_name"]: r for r in quarantine(con)}
    assert set(q) == {esc_name, rlo_name, "sheet.xlsx"}  # stored under their real names
    shown_esc = "2024-03\\u001b[31m红\\u001b[0m.csv"
    assert_reason(q[esc_name], file=shown_esc, row=3, column="死亡人数")
    assert_reason(q[rlo_name], file="报表\\u202exslx.csv", row=None, column=None, zh=("为空（0 字节）",))
    assert_reason(q["sheet.xlsx"], file="sheet.xlsx", row=4, column="死亡人数", sheet=None,
                  zh=("工作表 三月\\u202e 第 4 行", "实际为“x\\u202e1”"), en=("sheet 三月\\u202e",))
    for r in q.values():
        for text in (r["reason_zh"], r["reason_en"]):
            assert "\x1b" not in text and "\u202e" not in text
    robust_case(
        "names_control_characters", section="security", order=ORDER,
        title="#11 ESC sequences and U+202E (right-to-left override) in file names, a sheet name and a cell",
        reason_code="not_a_number / empty_file",
        destination="stored under the real names; every reason shows them escaped (`\\u001b`, `\\u202e`), "
        "and so do the command line, the load report (HTML/JSON) and Dagster's tables",
        valid_rows="1 of 2", exit_code="2 (the empty file)", message_en=q[esc_name]["reason_en"],
    )


def test_an_unforeseen_reader_error_stops_at_its_file(con, data_dir, monkeypatch, robust_case):
    write_csv(acc_dir(data_dir) / "a.csv", ACC_HEADER, [acc_row("A-1")])
    write_csv(acc_dir(data_dir) / "b.csv", ACC_HEADER, [acc_row("B-1")])
    write_csv(acc_dir(data_dir) / "c.csv", ACC_HEADER, [acc_row("C-1")])
    real = batching.read_file

    def failing(path, file_name, spec):
        if file_name == "b.csv":
            raise ValueError("an error no rule foresaw")
        return real(path, file_name, spec)

    monkeypatch.setattr(batching, "read_file", failing)
    rep = load(con, "accidents", data_dir)
    assert [(f.file_name, f.status) for f in rep.files] == [
        ("a.csv", "loaded"), ("b.csv", "rejected"), ("c.csv", "loaded")
    ]
    row = dicts(con, "select reason_code, reason_zh, reason_en from raw.quarantine")[0]
    assert row["reason_code"] == "unreadable_file"
    assert "文件 b.csv 读取或校验时出错" in row["reason_zh"]
    assert "ValueError: an error no rule foresaw" in row["reason_en"]
    assert ids(con) == ["A-1", "C-1"]
    robust_case(
        "error_at_file_boundary", section="fault", order=ORDER,
        title="An error no rule foresaw, raised while one file of a batch is read or validated",
        reason_code="unreadable_file",
        destination="that file rejected whole with what happened (type and message); the others load. A "
        "fault of the machine (disk full, I/O error, out of memory) still rolls the source back",
        valid_rows="other files loaded", exit_code="2 (a file rejected whole blocks)",
        message_en=row["reason_en"],
    )


def test_ordinary_files_are_not_caught_by_the_new_refusals(con, data_dir):
    """Guard: a GBK file and a header-only UTF-8 file with a BOM still load (the second as empty)."""
    write_csv(acc_dir(data_dir) / "gbk.csv", ACC_HEADER, [acc_row("G-1", name="宝山区")], encoding="gbk")
    (acc_dir(data_dir) / "bom.csv").write_bytes(codecs.BOM_UTF8 + (",".join(ACC_HEADER) + "\n").encode())
    rep = load(con, "accidents", data_dir)
    assert [(f.file_name, f.status) for f in rep.files] == [("bom.csv", "loaded"), ("gbk.csv", "loaded")]
    assert ids(con) == ["G-1"]


def test_a_file_that_cannot_be_opened_is_refused_alone(con, data_dir, monkeypatch, robust_case):
    """E.g. a file copied without read permission for the service account (tests run as root, for whom
    permissions do not apply: the refusal is simulated where the file is first read)."""
    import errno

    from pipelines.ingest import discovery

    write_csv(acc_dir(data_dir) / "a.csv", ACC_HEADER, [acc_row("A-1")])
    write_csv(acc_dir(data_dir) / "b.csv", ACC_HEADER, [acc_row("B-1")])
    real = discovery.sha256_of

    def no_permission(path, *args):
        if Path(path).name == "b.csv":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *args)

    monkeypatch.setattr(discovery, "sha256_of", no_permission)
    rep = load(con, "accidents", data_dir)
    f = {r.file_name: r for r in rep.files}
    assert (f["a.csv"].status, f["b.csv"].status) == ("loaded", "rejected")
    assert f["b.csv"].reason_zh == "文件 b.csv 无法打开：Permission denied（请检查该文件的权限）"
    assert ids(con) == ["A-1"]
    robust_case(
        "file_not_readable", section="fault", order=ORDER + 1,
        title="sibling: a file that cannot be opened (no read permission)", reason_code="unreadable_file",
        destination="that file rejected whole (it used to stop the whole source); the others load",
        valid_rows="other files loaded", exit_code="2 (a file rejected whole blocks)",
        message_en=f["b.csv"].reason_en,
    )
