"""The Dagster asset writes the reports into the build folder and reports their sizes."""

from __future__ import annotations

import shutil

import dagster as dg

from pipelines.reports.assets import leadership_reports
from pipelines.settings import PipelineSettings
from pipelines.whole_run import is_rebuild


def test_leadership_reports_asset(warehouse, tmp_path):
    settings = PipelineSettings(
        data_dir=str(tmp_path / "data"),
        warehouse=str(tmp_path / "wh" / "em.duckdb"),
        reports_dir=str(tmp_path / "reports"),
        as_of="2026-11-20",
    )
    settings.build_path.parent.mkdir(parents=True)
    shutil.copy(warehouse, settings.build_path)
    stale = settings.reports_build_path / "stale.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("old")

    result = dg.materialize([leadership_reports], resources={"settings": settings})

    assert result.success
    out = settings.reports_build_path
    assert not stale.exists()  # a fresh folder
    assert sorted(p.name for p in out.iterdir()) == [
        "150781_满洲里市_14fyp.html",
        "230500_双鸭山市_14fyp.html",
        "230500_双鸭山市_15fyp.html",
        "index.html",
        "monthly",
        "plotly.min.js",
        "reports.json",
    ]
    # no month is due in this warehouse: the monthly folder has its index and nothing else
    assert sorted(p.name for p in (out / "monthly").iterdir()) == ["analyses.json", "index.html"]
    assert "还没有月度形势分析" in (out / "monthly" / "index.html").read_text(encoding="utf-8")
    meta = result.asset_materializations_for_node("leadership_reports")[0].metadata
    assert meta["reports"].value == 3
    assert meta["largest_report_kb"].value < 1000
    assert "示例数据" not in (out / "index.html").read_text(encoding="utf-8")  # no SAMPLE_DATA.txt marker
    assert meta["reports_carried_over"].value == 0  # nothing published yet

    # published (the swap moves the build folder into place): the next run carries all three
    shutil.move(out, settings.reports_path)
    again = dg.materialize([leadership_reports], resources={"settings": settings})
    meta = again.asset_materializations_for_node("leadership_reports")[0].metadata
    assert meta["reports"].value == 3 and meta["reports_carried_over"].value == 3
    for name in ("150781_满洲里市_14fyp.html", "230500_双鸭山市_15fyp.html"):
        assert (out / name).read_bytes() == (settings.reports_path / name).read_bytes()


def test_rebuild_is_read_from_the_runs_first_step():
    assert is_rebuild({"ops": {"warehouse_workspace": {"config": {"rebuild": True}}}})
    assert not is_rebuild({"ops": {"warehouse_workspace": {"config": {"rebuild": False}}}})
    assert not is_rebuild({}) and not is_rebuild(None)


def test_asset_depends_on_the_marts_it_reads():
    deps = {k.to_user_string() for k in leadership_reports.asset_deps[leadership_reports.key]}
    assert {"marts/fct_plan_progress", "marts/fct_indicator_values", "marts/fct_ytd_comparison"} <= deps
    assert leadership_reports.group_names_by_key[leadership_reports.key] == "reports"
