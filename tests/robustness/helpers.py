"""Small helpers of the corpus: load a folder, read back where every row went."""

from __future__ import annotations

from pathlib import Path

from pipelines.ingest import load_source
from tests.ingest.conftest import AS_OF, LOADED_AT

__all__ = ["AS_OF", "LOADED_AT", "load", "quarantine", "files", "ids", "assert_reason", "dicts"]


def load(con, source: str, data_dir: Path):
    return load_source(con, source, data_dir, AS_OF, LOADED_AT)


def dicts(con, sql: str, params=None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def quarantine(con, source: str | None = None) -> list[dict]:
    where = "where source = ?" if source else ""
    return dicts(
        con,
        "select source, file_name, file_sha256, sheet_name, row_number, column_name, reason_code, reason_zh, "
        f"reason_en, raw_record, deaths_in_row from raw.quarantine {where} order by file_name, row_number",
        [source] if source else None,
    )


def files(con) -> list[dict]:
    return dicts(con, "select * from raw.files order by source, file_name")


def ids(con, table: str = "accidents", key: str = "accident_id") -> list[str]:
    return [r[0] for r in con.execute(f"select {key} from raw.{table} order by row_number, {key}").fetchall()]


def assert_reason(
    q: dict,
    *,
    file: str,
    row: int | None,
    column: str | None,
    sheet: str | None = None,
    zh: tuple[str, ...] = (),
    en: tuple[str, ...] = (),
) -> None:
    """The reason names the file, sheet, row and column, and says what was expected, in both languages."""
    zh_text, en_text = q["reason_zh"], q["reason_en"]
    assert f"文件 {file}" in zh_text and f"file {file}" in en_text, (zh_text, en_text)
    if row is not None:
        assert f"第 {row} 行" in zh_text and f"row {row}" in en_text, (zh_text, en_text)
        assert q["row_number"] == row
    if sheet is not None:
        assert f"工作表 {sheet}" in zh_text and f"sheet {sheet}" in en_text, (zh_text, en_text)
        assert q["sheet_name"] == sheet
    if column is not None:
        assert f"“{column}” 列" in zh_text and f"column {column}" in en_text, (zh_text, en_text)
        assert q["column_name"] == column
    for part in zh:
        assert part in zh_text, (part, zh_text)
    for part in en:
        assert part in en_text, (part, en_text)
