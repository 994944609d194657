"""How a failed check names its offending rows: a file and row number, or a unit by its name."""

from __future__ import annotations

from pipelines.quality.offenders import _row_label


def test_a_unit_is_named_in_chinese_with_its_code_and_the_source_in_chinese():
    row = {"region_code": "230524", "region_name": "饶河县", "source": "forest_fires", "month": "2026-09"}
    assert _row_label(row) == ("饶河县（230524） 2026-09 森林火灾", "230524 2026-09 forest_fires")


def test_without_a_name_the_code_stands_and_a_file_row_wins():
    assert _row_label({"region_code": "131124", "source": "accidents", "month": "2026-10"}) == (
        "131124 2026-10 生产安全事故",
        "131124 2026-10 accidents",
    )
    assert _row_label({"source_file": "2026-10_衡水市.xlsx", "row_number": 7, "region_code": "131124"}) == (
        "2026-10_衡水市.xlsx 第7行",
        "2026-10_衡水市.xlsx row 7",
    )
