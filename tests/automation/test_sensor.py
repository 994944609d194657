"""The file-arrival sensor: one run per new content, never for a loaded or already-seen file."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.automation.sensors import BATCH_ABOVE, new_data_files_sensor
from pipelines.settings import PipelineSettings
from tests.handmade import write_handmade_folder

from .conftest import age_files, load_into

EXTRA_ACCIDENTS = (
    "事故编号,发生时间,行政区划代码,行政区划名称,单位名称,行业领域,事故类别,死亡人数,失踪人数,重伤人数,轻伤人数,"
    "直接经济损失（万元）,事故等级,涉及营运车辆,事故简况,状态,填报日期\n"
    "LZ-2026-001,2026-10-15 09:00,510802,,某单位,工贸,其它伤害,1,0,0,0,40,一般,,,,2026-10-16\n"
)


@pytest.fixture
def folder(tmp_path: Path):
    data = write_handmade_folder(tmp_path / "data")
    age_files(data)
    settings = PipelineSettings(data_dir=str(data), warehouse=str(tmp_path / "pub" / "w.duckdb"))
    return data, settings


def tick(settings: PipelineSettings, cursor: str | None):
    context = dg.build_sensor_context(cursor=cursor, resources={"settings": settings})
    result = new_data_files_sensor.evaluate_tick(context)
    return (
        result.run_requests or [],
        result.cursor if result.cursor is not None else cursor,
        result.skip_message,
    )


def drop(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    age_files(path.parent)
    return path


def test_files_already_in_the_published_warehouse_never_trigger(folder):
    data, settings = folder
    load_into(settings.warehouse_path, data)
    requests, cursor, skip = tick(settings, None)
    assert requests == []
    assert "no new or changed files" in skip
    assert cursor is not None  # seeded from raw.files
    assert tick(settings, cursor)[0] == []


def test_one_run_request_per_new_file_and_never_twice(folder):
    data, settings = folder
    load_into(settings.warehouse_path, data)
    _, cursor, _ = tick(settings, None)
    a = drop(data / "accidents" / "2026-10.csv", EXTRA_ACCIDENTS)
    b = drop(data / "accidents" / "2026-10-lizhou.csv", EXTRA_ACCIDENTS.replace("LZ-2026-001", "LZ-2026-002"))
    requests, cursor, _ = tick(settings, cursor)
    assert sorted(r.tags["em/file"] for r in requests) == [
        "accidents/2026-10-lizhou.csv",
        "accidents/2026-10.csv",
    ]
    assert all(r.run_key.startswith("file-") and r.tags["em/trigger"] == "file" for r in requests)
    assert len({r.run_key for r in requests}) == 2
    # the next ticks: nothing new
    assert tick(settings, cursor)[0] == []
    assert tick(settings, cursor)[0] == []
    # the same content under another name is the same file
    shutil.copyfile(a, data / "accidents" / "2026-10 (copy).csv")
    age_files(data)
    assert tick(settings, cursor)[0] == []
    assert b.exists()


def test_a_changed_file_triggers_once(folder):
    data, settings = folder
    load_into(settings.warehouse_path, data)
    _, cursor, _ = tick(settings, None)
    path = data / "statistics" / "statistics_2025_final.csv"
    drop(path, path.read_text(encoding="utf-8").replace("300", "310"))
    requests, cursor, _ = tick(settings, cursor)
    assert [r.tags["em/file"] for r in requests] == ["statistics/statistics_2025_final.csv"]
    assert tick(settings, cursor)[0] == []


def test_a_file_still_being_copied_waits_for_the_next_tick(folder):
    data, settings = folder
    load_into(settings.warehouse_path, data)
    _, cursor, _ = tick(settings, None)
    (data / "accidents" / "2026-10.csv").write_text(EXTRA_ACCIDENTS, encoding="utf-8")  # modified just now
    requests, cursor, skip = tick(settings, cursor)
    assert requests == [] and "still being written" in skip
    age_files(data)
    assert len(tick(settings, cursor)[0]) == 1


def test_files_the_loaders_ignore_do_not_trigger(folder):
    data, settings = folder
    load_into(settings.warehouse_path, data)
    _, cursor, _ = tick(settings, None)
    for name in ("~$2026-10.xlsx", ".2026-10.csv", "README.txt", "notes.docx"):
        (data / "accidents" / name).write_text("x")
    (data / "SAMPLE_DATA.txt").write_text("x")
    age_files(data)
    assert tick(settings, cursor)[0] == []


def test_a_legacy_format_file_triggers_so_its_rejection_is_reported(folder):
    data, settings = folder
    load_into(settings.warehouse_path, data)
    _, cursor, _ = tick(settings, None)
    drop(data / "accidents" / "2026-10.xls", "old excel")
    assert [r.tags["em/file"] for r in tick(settings, cursor)[0]] == ["accidents/2026-10.xls"]


def test_first_start_with_nothing_published_asks_for_one_run(folder):
    _, settings = folder  # seven files (five registers and statistics, two plans), nothing published
    requests, cursor, _ = tick(settings, None)
    assert len(requests) == 1 and 7 > BATCH_ABOVE
    assert requests[0].run_key.startswith("files-") and requests[0].tags["em/files"] == "7"
    assert tick(settings, cursor)[0] == []


def test_unreadable_published_file_without_cursor_waits(folder):
    data, settings = folder
    load_into(settings.warehouse_path, data)
    holder = duckdb.connect(str(settings.warehouse_path))  # read-write: a read-only open now fails
    try:
        requests, cursor, skip = tick(settings, None)
    finally:
        holder.close()
    assert requests == [] and cursor is None and "not readable" in skip
    requests, cursor, _ = tick(settings, None)
    assert requests == [] and cursor is not None


def test_a_link_to_a_file_outside_the_data_folder_does_not_trigger(folder, tmp_path):
    data, settings = folder
    load_into(settings.warehouse_path, data)
    _, cursor, _ = tick(settings, None)
    outside = drop(tmp_path / "elsewhere.csv", EXTRA_ACCIDENTS)
    (data / "accidents" / "2026-10.csv").symlink_to(outside)
    age_files(data)
    assert tick(settings, cursor)[0] == []


def test_the_sensor_sees_what_the_loaders_list(folder, tmp_path):
    """Same files, same hashes: the sensor lists with the loaders' discovery (legacy formats
    included, lock files, hidden files and links out of the folder left out)."""
    from pipelines.automation.sensors import data_files
    from pipelines.enumerations import SOURCES
    from pipelines.ingest.discovery import list_source_files

    data, _ = folder
    (data / "accidents" / "旧格式.xls").write_bytes(b"\xd0\xcf\x11\xe0 legacy")
    (data / "accidents" / "~$锁定.xlsx").write_bytes(b"lock")
    (data / "accidents" / ".hidden.csv").write_text("x", encoding="utf-8")
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("x", encoding="utf-8")
    (data / "accidents" / "link.csv").symlink_to(outside)
    age_files(data / "accidents")
    found, settling = data_files(data)
    assert settling == []
    loaders = {f"{s}/{f.name}": f.sha256 for s in SOURCES for f in list_source_files(data, s) if f.sha256}
    assert {f.name: f.sha256 for f in found} == loaders
    names = {f.name for f in found}
    assert "accidents/旧格式.xls" in names
    assert not names & {"accidents/~$锁定.xlsx", "accidents/.hidden.csv", "accidents/link.csv"}
