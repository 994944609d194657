"""The code location loads, with the whole graph wired in one direction."""

from __future__ import annotations

import dagster as dg


def test_definitions_load_with_the_whole_graph():
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    for expected in ("warehouse_workspace", "raw/accidents", "raw/statistics", "marts/fct_indicator_values",
                     "marts/fct_plan_progress", "leadership_reports", "published_warehouse"):
        assert expected in keys, expected
    # Publication is downstream of every mart the reports read, and of the raw loads.
    upstream = graph.asset_dep_graph["upstream"]

    def ancestors(key: dg.AssetKey) -> set[dg.AssetKey]:
        seen, todo = set(), [key]
        while todo:
            for parent in upstream.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    before_publish = ancestors(dg.AssetKey("published_warehouse"))
    assert dg.AssetKey(["raw", "accidents"]) in before_publish
    assert dg.AssetKey(["marts", "fct_plan_progress"]) in before_publish
    assert defs.resolve_job_def("full_run") is not None
    assert {s.name for s in defs.schedules} == {"monthly_registers_load", "yearly_statistics_load"}
    assert any(c for c in defs.asset_checks), "quality checks are registered"
