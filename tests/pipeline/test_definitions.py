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


FLOW = ["ingest", "transform", "reports", "publish"]


def test_groups_read_in_flow_order_and_every_node_is_described():
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    specs = {spec.key: spec for spec in defs.resolve_all_asset_specs()}
    assert {spec.group_name for spec in specs.values()} == set(FLOW)  # no "default" group
    # every edge goes forward (or stays) in the flow: collapsed, the groups read left to right
    for key, spec in specs.items():
        for parent in graph.asset_dep_graph["upstream"].get(key, ()):
            assert FLOW.index(specs[parent].group_name) <= FLOW.index(spec.group_name), (parent, key)
    undescribed = [k.to_user_string() for k, s in specs.items() if not (s.description or "").strip()]
    assert not undescribed
    checks = [graph.get_check_spec(key) for key in graph.asset_check_keys]
    assert all((c.description or "").strip() for c in checks), [c.name for c in checks if not c.description]


def test_every_dbt_test_is_an_asset_check():
    """A singular test reading several models names the one it is about (meta dagster ref):
    otherwise dagster-dbt logs it as an AssetObservation with a warning in every run."""
    import json

    from pipelines.definitions import defs
    from pipelines.transform.project import MANIFEST

    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    tests = {n["name"] for n in manifest["nodes"].values() if n["resource_type"] == "test"}
    checks = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    assert tests <= checks, sorted(tests - checks)
