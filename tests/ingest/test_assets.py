"""The Dagster assets raw/<source> (one multi-asset): metadata with row counts and a per-file table."""

from __future__ import annotations

import dagster as dg
import duckdb

from pipelines.ingest import ingest_assets
from pipelines.ingest import loader as loader_module
from pipelines.ingest.assets import raw_sources
from pipelines.settings import PipelineSettings
from tests.handmade import write_handmade_folder

from .conftest import ACC_HEADER, acc_row, write_xlsx, zero_row

ACCIDENTS = dg.AssetKey(["raw", "accidents"])


def test_one_asset_key_per_source_in_group_ingest():
    assert ingest_assets == [raw_sources]
    assert {k.to_user_string() for k in raw_sources.keys} == {
        "raw/accidents", "raw/disasters", "raw/forest_fires", "raw/statistics", "raw/capabilities",
        "raw/plans", "raw/quotas",
    }
    assert raw_sources.can_subset
    for key in raw_sources.keys:
        assert raw_sources.group_names_by_key[key] == "ingest"
        assert raw_sources.asset_deps[key] == {dg.AssetKey("warehouse_workspace")}


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
    (data / "disasters").mkdir()
    (data / "disasters" / "unreadable.xlsx").write_text("not selected: never read")
    result = dg.materialize([raw_sources], selection=[ACCIDENTS], resources={"settings": settings})
    assert result.success
    [mat] = result.asset_materializations_for_node(raw_sources.op.name)
    assert mat.asset_key == ACCIDENTS
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
        assert con.execute("select count(*) from raw.files").fetchone()[0] == 2  # accidents only


def _settings(tmp_path, data):
    settings = PipelineSettings(
        data_dir=str(data), warehouse=str(tmp_path / "wh" / "w.duckdb"), as_of="2026-11-26"
    )
    settings.build_path.parent.mkdir(parents=True, exist_ok=True)
    return settings


def test_all_sources_in_one_step_each_with_its_materialization(tmp_path):
    data = write_handmade_folder(tmp_path / "data")
    settings = _settings(tmp_path, data)
    result = dg.materialize([raw_sources], resources={"settings": settings})
    assert result.success
    mats = {m.asset_key.path[1]: m.metadata for m in result.asset_materializations_for_node("raw_sources")}
    assert set(mats) == {"accidents", "disasters", "forest_fires", "statistics", "capabilities", "plans",
                         "quotas"}
    with duckdb.connect(str(settings.build_path), read_only=True) as con:
        for source, md in mats.items():
            in_files = con.execute(
                "select coalesce(sum(rows_loaded), 0) from raw.files where source = ?", [source]
            ).fetchone()[0]
            assert md["rows_loaded"].value == in_files
        logged = con.execute("select source, count(*) from raw.load_log group by all order by 1").fetchall()
    # the handmade folder's files
    assert logged == [("accidents", 2), ("disasters", 1), ("plans", 2), ("statistics", 2)]
    assert mats["capabilities"]["rows_read"].value == 0


def test_a_failing_source_fails_the_step_and_rolls_back_alone(tmp_path, monkeypatch):
    data = write_handmade_folder(tmp_path / "data")
    settings = _settings(tmp_path, data)
    real = loader_module.write_chunk

    def disk_full_for_disasters(con, spec, *args):
        if spec.source == "disasters":
            raise OSError(28, "No space left on device")
        return real(con, spec, *args)

    monkeypatch.setattr(loader_module, "write_chunk", disk_full_for_disasters)
    result = dg.materialize([raw_sources], resources={"settings": settings}, raise_on_error=False)
    assert not result.success
    done = {m.asset_key.path[1] for m in result.asset_materializations_for_node("raw_sources")}
    assert done == {"accidents", "forest_fires", "statistics", "capabilities", "plans", "quotas"}
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert "No space left on device" in failure.step_failure_data.error.cause.message
    with duckdb.connect(str(settings.build_path), read_only=True) as con:
        by_source = dict(con.execute("select source, count(*) from raw.files group by all").fetchall())
        assert by_source == {"accidents": 2, "statistics": 2, "plans": 2}
        assert con.execute("select count(*) from raw.disasters").fetchone()[0] == 0
        zero = con.execute("select count(*) from raw.zero_reports where source = 'disasters'").fetchone()
        assert zero == (0,)
