"""Unchanged plan reports are carried over from the published folder; changed ones are rendered.

On the hand-made warehouse of conftest.py (双鸭山市 with two counties, 14th and 15th plan;
满洲里市, a county, 14th plan): a second build with nothing changed copies every report byte for
byte; a corrected row of one jurisdiction re-renders exactly its reports, and a county's row
those of the prefecture above it; a new template re-renders all; a carried report equals a full
regeneration but for the footer's generation time and run id.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.reports import build_reports, fingerprint
from pipelines.reports.carry import MANIFEST

from .conftest import AS_OF, make_warehouse

S14, S15, M14 = "230500_双鸭山市_14fyp.html", "230500_双鸭山市_15fyp.html", "150781_满洲里市_14fyp.html"
REPORTS = (M14, S14, S15)
PACKAGE = Path(fingerprint.__file__).resolve().parent
STAMP = re.compile(r"生成于 [^·]*· (数据截至 [^·]*· )运行编号 <span class=\"run-id\">[^<]*</span>")


def _build(warehouse: Path, out: Path, run_id: str, published: Path | None = None) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        build_reports(con, out, as_of=AS_OF, is_sample_data=True, run_id=run_id, published=published)
    finally:
        con.close()


def _runs(out: Path) -> dict[str, str]:
    doc = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    return {r["file"]: r["run_id"] for r in doc["reports"]}


def _same(a: Path, b: Path) -> bool:
    return a.read_bytes() == b.read_bytes()


def _unstamped(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    assert len(STAMP.findall(text)) == 1, "the footer's stamp is where the test expects it"
    return STAMP.sub(r"\1", text)


def _execute(warehouse: Path, sql: str) -> None:
    con = duckdb.connect(str(warehouse))
    try:
        con.execute(sql)
    finally:
        con.close()


def _bits(warehouse: Path) -> list:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("select list(value order by all) from marts.fct_indicator_values").fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def first(tmp_path) -> tuple[Path, Path]:
    """A warehouse of its own (the tests change it) and its published reports of run r1."""
    warehouse = make_warehouse(tmp_path / "w.duckdb")
    _build(warehouse, tmp_path / "r1", "r1")
    return warehouse, tmp_path / "r1"


def test_every_table_a_report_reads_is_in_its_fingerprint():
    named = re.compile(r"\b(marts|seeds|quality)\.([a-z_]+)\b")

    def tables(*files: Path) -> set[str]:
        found = {f"{m[0]}.{m[1]}" for p in files for m in named.findall(p.read_text(encoding="utf-8"))}
        return {t for t in found if not t.startswith("quality.")}  # the gate's verdict: a run fact

    plan_code = [*PACKAGE.joinpath("sections").glob("*.py"), *(PACKAGE / n for n in ("build.py", "reads.py",
                                                                                      "plan_report.py"))]
    monthly_code = [*PACKAGE.joinpath("monthly").glob("*.py"), PACKAGE / "sections" / "county_assessment.py"]
    plan_declared = set(fingerprint.PLAN_TABLES) | set(fingerprint.PLAN_RUN_TABLES)
    monthly_declared = set(fingerprint.MONTHLY_TABLES) | set(fingerprint.MONTHLY_RUN_TABLES)
    assert tables(*plan_code) - plan_declared == set()
    assert tables(*monthly_code) - monthly_declared == set()
    assert "marts.fct_accident_breakdown" in tables(*plan_code)  # the pattern finds the reads
    # the load's lineage is left out of the fingerprint: no report may show it
    for path in (*plan_code, *monthly_code):
        text = path.read_text(encoding="utf-8")
        assert not any(column in text for column in fingerprint.LINEAGE), path


def test_nothing_changed_every_report_carried_over_byte_identical(first, tmp_path):
    warehouse, r1 = first
    _build(warehouse, tmp_path / "r2", "r2", published=r1)
    for name in REPORTS:
        assert _same(r1 / name, tmp_path / "r2" / name), name
    assert _runs(tmp_path / "r2") == dict.fromkeys(REPORTS, "r1")
    index = (tmp_path / "r2" / "index.html").read_text(encoding="utf-8")
    assert "本次运行重新生成 0 份报告；其余 3 份报告" in index
    # the index lines of carried reports are those of a fresh build (the headline's markup too)
    fresh = (r1 / "index.html").read_text(encoding="utf-8")
    rows = re.compile(r"<tbody>.*</tbody>", re.S)
    assert rows.search(index).group() == rows.search(fresh).group()
    assert 'data-fact="problem:' in rows.search(index).group() and "&lt;b data-fact" not in index
    assert "运行编号 <span class=\"run-id\">r2</span>" in index  # the index is this run's


def test_a_corrected_row_of_a_county_jurisdiction_renders_its_report_only(first, tmp_path):
    warehouse, r1 = first
    # 满洲里市 2025: 2 deaths in the accident table → 77 (as a corrected file would give)
    _execute(warehouse, "update marts.fct_accident_breakdown set deaths = 77"
                        " where region_code = '150781' and year = 2025")
    _build(warehouse, tmp_path / "r2", "r2", published=r1)
    out = tmp_path / "r2"
    assert _runs(out) == {M14: "r2", S14: "r1", S15: "r1"}
    assert "77人" in (out / M14).read_text(encoding="utf-8")
    assert "77人" not in (r1 / M14).read_text(encoding="utf-8")
    assert _same(r1 / S14, out / S14) and _same(r1 / S15, out / S15)
    assert "本次运行重新生成 1 份报告；其余 2 份报告" in (out / "index.html").read_text(encoding="utf-8")


def test_a_corrected_row_of_a_county_renders_its_prefectures_reports(first, tmp_path):
    warehouse, r1 = first
    # 岭东区 (230503, not a plan jurisdiction) rolls up into 双鸭山市: its 2025 deaths 5 → 6
    _execute(warehouse, "update marts.fct_indicator_values set numerator = 6, value = 6"
                        " where region_code = '230503' and year = 2025 and indicator_code = 'safety_deaths'")
    _build(warehouse, tmp_path / "r2", "r2", published=r1)
    assert _runs(tmp_path / "r2") == {M14: "r1", S14: "r2", S15: "r2"}
    assert _same(r1 / M14, tmp_path / "r2" / M14)
    # the 15th plan's county table shows each county's base year (2025): the page changed, not
    # only its stamp
    assert _unstamped(r1 / S15) != _unstamped(tmp_path / "r2" / S15)


def test_floating_point_noise_of_a_rebuilt_mart_carries_every_report(first, tmp_path):
    warehouse, r1 = first
    # a rebuild summing the same doubles in another order: 1.98813 → 1.9881300000000004
    before = _bits(warehouse)
    _execute(warehouse, "update marts.fct_indicator_values set value = value * (1 + 2e-16) where value <> 0")
    assert _bits(warehouse) != before  # the last bits did change
    _build(warehouse, tmp_path / "r2", "r2", published=r1)
    assert _runs(tmp_path / "r2") == dict.fromkeys(REPORTS, "r1")
    # a change in the 7th significant digit is a change
    _execute(warehouse, "update marts.fct_indicator_values set value = value * (1 + 1e-6)"
                        " where region_code = '150781' and value <> 0")
    _build(warehouse, tmp_path / "r3", "r3", published=tmp_path / "r2")
    assert _runs(tmp_path / "r3") == {M14: "r3", S14: "r1", S15: "r1"}


def test_a_carried_report_equals_a_full_regeneration_but_for_its_stamp(first, tmp_path):
    warehouse, r1 = first
    _execute(warehouse, "update marts.fct_accident_breakdown set deaths = 77"
                        " where region_code = '150781' and year = 2025")
    _build(warehouse, tmp_path / "r2", "r2", published=r1)  # 满洲里市 rendered, 双鸭山市 carried
    _build(warehouse, tmp_path / "full", "r3")  # no published folder (--rebuild): all rendered
    assert set(_runs(tmp_path / "full").values()) == {"r3"}
    for name in REPORTS:
        assert _unstamped(tmp_path / "r2" / name) == _unstamped(tmp_path / "full" / name), name
        assert not _same(tmp_path / "r2" / name, tmp_path / "full" / name)  # the stamp differs


def test_a_changed_template_renders_every_report(first, tmp_path, monkeypatch):
    warehouse, r1 = first
    templates = tmp_path / "templates"
    shutil.copytree(fingerprint.REPORT_TEMPLATES_DIR, templates)
    before = fingerprint.code_digest()
    page = templates / "sections" / "accidents.html.j2"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("生产安全事故", "生产安全事故 "), encoding="utf-8")
    monkeypatch.setattr(fingerprint, "REPORT_TEMPLATES_DIR", templates)
    fingerprint.code_digest.cache_clear()
    try:
        assert fingerprint.code_digest() != before
        _build(warehouse, tmp_path / "r2", "r2", published=r1)
    finally:
        fingerprint.code_digest.cache_clear()
    assert _runs(tmp_path / "r2") == dict.fromkeys(REPORTS, "r2")


def test_a_published_folder_without_manifest_renders_all(first, tmp_path):
    warehouse, r1 = first
    (r1 / MANIFEST).unlink()
    _build(warehouse, tmp_path / "r2", "r2", published=r1)
    assert _runs(tmp_path / "r2") == dict.fromkeys(REPORTS, "r2")
    assert 'id="carried"' not in (tmp_path / "r2" / "index.html").read_text(encoding="utf-8")
