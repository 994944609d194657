"""Every column of the schemas analysts are pointed to (marts, raw, quality) carries a correct comment.

Read from the published warehouse built by the command line (conftest.py), as an analyst reads
them (`duckdb_columns()`): present, English / 中文, a unit for every number, consistent with the
column's type, and consistent with docs/analysts.md (the star diagram's types, the list of marts
and their Chinese names, the types the prose states).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "analysts.md"
SCHEMAS = ("marts", "raw", "quality")
NUMERIC = {"INTEGER", "BIGINT", "DOUBLE", "HUGEINT", "SMALLINT", "TINYINT", "FLOAT"}
CJK = re.compile(r"[\u4e00-\u9fff]")
# What a number's comment must say: its unit, the thing it counts, or that it has none.
UNIT = re.compile(
    r"\b(persons?|person-times|accidents|events|records|filings|rows|files|units|rooms|yuan|hectares|tonnes|"
    r"vehicles|hours|days|months?|month number|years?|bytes|Mt)\b|%|per mille|without unit|a probability|"
    r"in the unit of|in the same unit|indicator's unit|\(integer|integer\)|1-based",
    re.IGNORECASE,
)
# Types named in comments, and the DuckDB types they mean.
STATED_TYPES = {r"\(text\b": {"VARCHAR"}, r"\(integer\b|\binteger\)": {"INTEGER", "BIGINT"},
                r"\(DATE\b|\bDATE\)": {"DATE"}, r"\(JSON\b|^JSON\b|\(JSON:": {"JSON"}}
ER_TYPES = {"varchar": "VARCHAR", "int": "INTEGER", "bigint": "BIGINT", "double": "DOUBLE", "date": "DATE",
            "boolean": "BOOLEAN", "timestamp": "TIMESTAMP", "json": "JSON"}


@pytest.fixture(scope="module")
def catalog(published):
    con = duckdb.connect(str(published.warehouse), read_only=True)
    try:
        columns = con.execute(
            "select schema_name, table_name, column_name, data_type, coalesce(comment, '') "
            "from duckdb_columns() where database_name = current_database() and schema_name in "
            "('marts', 'raw', 'quality') order by schema_name, table_name, column_index").fetchall()
        tables = con.execute(
            "select schema_name, table_name, coalesce(comment, '') from duckdb_tables() "
            "where database_name = current_database() "
            "and schema_name in ('marts', 'raw', 'quality')").fetchall()
    finally:
        con.close()
    return columns, tables


def _parts(comment: str) -> tuple[str, str]:
    english, _, chinese = comment.rpartition(" / ")
    return english, chinese


def test_every_schema_analysts_read_is_there(catalog):
    columns, tables = catalog
    assert {s for s, *_ in tables} == set(SCHEMAS)
    names = {f"{s}.{t}" for s, t, _ in tables}
    for table in ("raw.accidents", "raw.quarantine", "raw.files", "raw.load_log", "raw.zero_reports",
                  "quality.check_results", "quality.runs", "marts.fct_record_revisions",
                  "marts.rpt_region_year", "marts.dim_month", "marts.dim_code_label"):
        assert table in names, table
    assert len(columns) > 450


def test_every_table_and_column_has_an_english_and_chinese_comment(catalog):
    columns, tables = catalog
    missing = [f"{s}.{t}.{c}" for s, t, c, _, comment in columns if not comment.strip()]
    assert not missing, f"{len(missing)} columns without a comment: {missing[:20]}"
    untabled = [f"{s}.{t}" for s, t, comment in tables if not comment.strip()]
    assert not untabled, untabled
    for s, t, c, _, comment in columns:
        english, chinese = _parts(comment)
        assert re.search(r"[A-Za-z]{3}", english) and CJK.search(chinese), (f"{s}.{t}.{c}", comment)


def test_every_number_states_its_unit(catalog):
    columns, _ = catalog
    unitless = [(f"{s}.{t}.{c}", comment) for s, t, c, dtype, comment in columns
                if dtype in NUMERIC and not UNIT.search(_parts(comment)[0])]
    assert not unitless, "\n".join(f"{name}: {comment}" for name, comment in unitless)


def test_comments_agree_with_the_column_types(catalog):
    columns, _ = catalog
    # the same comment on two columns means the same thing: the same type
    types_by_comment: dict[str, set[str]] = defaultdict(set)
    for *_, dtype, comment in columns:
        types_by_comment[comment].add(dtype)
    clashes = {comment: types for comment, types in types_by_comment.items() if len(types) > 1}
    assert not clashes, clashes
    for s, t, c, dtype, comment in columns:
        english = _parts(comment)[0]
        name = f"{s}.{t}.{c}"
        for pattern, allowed in STATED_TYPES.items():
            if re.search(pattern, english):
                assert dtype in allowed, (name, dtype, comment)
        if c in ("month", "month_of_year") or c.endswith("through_month"):  # a date (its first day) or 1-12
            if dtype == "DATE":
                assert "first day" in english, (name, comment)
            elif dtype in NUMERIC:
                assert re.search(r"1-12|month number", english), (name, dtype, comment)
        if dtype == "BOOLEAN":
            assert c.startswith(("is_", "has_", "involves_", "passed")) or c.endswith("_is_complete"), name
    assert not [c for s, t, c, dtype, _ in columns if s == "marts" and dtype == "HUGEINT"]


def _er_entities(text: str) -> dict[str, dict[str, str]]:
    diagram = text.split("```mermaid", 1)[1].split("```", 1)[0]
    entities = {}
    for name, body in re.findall(r"^\s+(\w+) \{\n(.*?)^\s+\}", diagram, re.S | re.M):
        entities[name] = {col: typ for typ, col in re.findall(r"^\s+(\w+) (\w+)", body, re.M)}
    return entities


def test_the_star_diagram_shows_real_columns_with_their_types(catalog):
    columns, _ = catalog
    actual = {(t, c): dtype for s, t, c, dtype, _ in columns if s == "marts"}
    entities = _er_entities(DOC.read_text(encoding="utf-8"))
    assert len(entities) >= 20
    for table, cols in entities.items():
        for column, er_type in cols.items():
            assert (table, column) in actual, f"docs/analysts.md shows {table}.{column}: not in the warehouse"
            assert ER_TYPES[er_type] == actual[(table, column)], (table, column, er_type)


def test_the_list_of_marts_matches_the_warehouse(catalog):
    _, tables = catalog
    comments = {t: comment for s, t, comment in tables if s == "marts"}
    section = DOC.read_text(encoding="utf-8").split("## 3. What each mart holds")[1].split("\n## ")[0]
    listed = dict(re.findall(r"^\| `(\w+)` \| [^|]+ \| .+ / ([^|/]+?) \|$", section, re.M))
    assert set(listed) == set(comments)
    for table, chinese_name in listed.items():
        # the Chinese name the docs give is the one the warehouse gives
        assert _parts(comments[table])[1].startswith(chinese_name.strip()), (table, comments[table])


def test_types_stated_in_the_docs_are_the_warehouses(catalog, published):
    columns, _ = catalog
    actual = {(t, c): dtype for s, t, c, dtype, _ in columns if s == "marts"}
    text = DOC.read_text(encoding="utf-8")
    stated = re.findall(r"`(\w+)\.(\w+)` is (BIGINT|INTEGER|DOUBLE|DATE|VARCHAR|BOOLEAN|HUGEINT)\b", text)
    assert stated
    for table, column, dtype in stated:
        assert actual[(table, column)] == dtype, (table, column, dtype)
    # "int64 in the Parquet files"
    schema = pq.read_schema(published.parquet / "fct_accident_breakdown.parquet")
    assert str(schema.field("deaths").type) == "int64"
