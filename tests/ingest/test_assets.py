"""The Dagster assets: one per source, metadata with row counts and a per-file table."""

from __future__ import annotations

import dagster as dg
import duckdb

from pipelines.ingest import ingest_assets
from pipelines.settings import PipelineSettings

from .conftest import ACC_HEADER, acc_row, write_xlsx, zero_row


def test_one_asset_per_source_in_group_ingest():
    keys = [a.key.path for a in ingest_assets]
    assert keys == [
        ["raw", "accidents"],
        ["raw", "disasters"],
        ["raw", "forest_fires"],
        ["raw", "statistics"],
        ["raw", "capabilities"],
    ]
    for a in ingest_assets:
        assert a.group_names_by_key[a.key] == "ingest"
        assert dg.AssetKey("warehouse_workspace") in a.dependency_keys


def test_materializing_the_accidents_asset(tmp_path):
    data = tmp_path / "data_raw"
    write_xlsx(
        data / "accidents" / "2024-03.xlsx",
        ACC_HEADER,
        [
            acc_row("SY-1"),
            acc_row("SY-2", deaths="约3人"),
            zero_row(ACC_HEADER, "事故编号", "发生时间", "230502", "2024-03"),
        ],
    )
    (data / "accidents" / "broken.xlsx").write_text("not a workbook")
    settings = PipelineSettings(
        data_dir=str(data), warehouse=str(tmp_path / "wh" / "w.duckdb"), as_of="2026-11-25"
    )
    settings.build_path.parent.mkdir(parents=True)
    accidents = next(a for a in ingest_assets if a.key.path == ["raw", "accidents"])
    result = dg.materialize([accidents], resources={"settings": settings})
    assert result.success
    mat = result.asset_materializations_for_node(accidents.op.name)[0]
    md = mat.metadata
    assert (
        md["rows_read"].value,
        md["rows_loaded"].value,
        md["rows_zero_reports"].value,
        md["rows_rejected"].value,
        md["files_rejected"].value,
    ) == (3, 1, 1, 1, 1)
    table = md["files"].value
    assert "2024-03.xlsx" in table and "broken.xlsx" in table and "整体拒收" in table
    with duckdb.connect(str(settings.build_path), read_only=True) as con:
        assert con.execute("select count(*) from raw.accidents").fetchone()[0] == 1
        assert con.execute("select count(*) from raw.files").fetchone()[0] == 2
