"""A run writes the warehouse whole or not at all: partial selections are refused with the reason.

The Dagster UI offers "Materialize" on any asset (or a subset of ``full_run``, or re-executing
some steps of an earlier run). Such a run would work in the private build file without preparing
it, checking it or publishing it: half a run, reported as a success. Every step of the graph
(assets and quality checks) calls :func:`refuse_partial_run` first, so a partial selection fails
at once, before anything is written, and says what to run instead.
"""

from __future__ import annotations

import dagster as dg

REFUSED_TAG = "em/refused"
FIRST_STEP = "warehouse_workspace"  # prepares the private build file and takes the lock


def missing_from_run(context) -> list[str]:
    """Assets and checks of the code location this run leaves out (empty for a whole run)."""
    run = context.run
    job_graph = context.job_def.asset_layer.asset_graph  # scoped to the run's selection
    # The graph the job was cut from: every asset and check of the code location.
    whole = getattr(job_graph, "source_asset_graph", job_graph)
    if dg.AssetKey(FIRST_STEP) not in whole.materializable_asset_keys:
        return []  # not the warehouse's graph: assets assembled on their own (tests of one step)
    selected_assets = context.job_def.asset_layer.selected_asset_keys
    selected_checks = set(job_graph.asset_check_keys)
    if run.asset_check_selection is not None:
        selected_checks &= set(run.asset_check_selection)
    missing = sorted(k.to_user_string() for k in whole.materializable_asset_keys - selected_assets)
    missing += sorted(f"{k.asset_key.to_user_string()}:{k.name}"
                      for k in whole.asset_check_keys - selected_checks)
    steps = run.step_keys_to_execute
    if run.parent_run_id and steps is not None and FIRST_STEP not in steps:
        # "Re-execute from failure": the steps would work in the earlier run's build file without
        # preparing it or holding the writer's lock.
        missing.append(f"{FIRST_STEP} (re-execution)")
    return missing


def refuse_partial_run(context) -> None:
    """Fail this step, with the reason in Chinese and English, unless the run is the whole graph."""
    missing = missing_from_run(context)
    if not missing:
        return
    shown = ", ".join(missing[:8]) + (f" … ({len(missing)})" if len(missing) > 8 else "")
    context.instance.add_run_tags(context.run.run_id, {REFUSED_TAG: "partial selection"})
    raise dg.Failure(
        description=(
            "本次运行只选择了部分资产或检查，已拒绝执行，未写入任何内容。数据仓库只能整体加载、检查并发布："
            "请运行作业 full_run（Jobs → full_run → Materialize all）或 rebuild_from_raw，"
            "或命令行 `python -m pipelines run`。"
            " This run selects only part of the graph and was refused; nothing was written. The warehouse "
            "is loaded, checked and published whole: launch the job full_run (Jobs → full_run → "
            f"Materialize all) or rebuild_from_raw, or `python -m pipelines run`. Left out: {shown}"
        ),
        metadata={"left_out": dg.MetadataValue.json(missing[:50]), "left_out_count": len(missing)},
        allow_retries=False,
    )


def refuse_selection_without_first_step(run, instance) -> None:
    """The same refusal, decided from the run alone (the ``settings`` resource calls it before any
    step): a selection made in the UI that leaves out the step preparing the build file."""
    selection = run.asset_selection if run is not None else None
    if not selection or dg.AssetKey(FIRST_STEP) in selection:
        return  # a whole job (no selection), or a selection the first step will check in full
    if instance is not None:
        instance.add_run_tags(run.run_id, {REFUSED_TAG: "partial selection"})
    raise dg.Failure(
        description=(
            f"本次运行只选择了部分资产（未包含 {FIRST_STEP}），已拒绝执行，未写入任何内容。"
            "请运行作业 full_run（Jobs → full_run → Materialize all）或命令行 `python -m pipelines run`。"
            f" This run selects only part of the graph (not {FIRST_STEP}) and was refused; nothing was "
            "written. Launch the job full_run (Jobs → full_run → Materialize all) or "
            "`python -m pipelines run`. Selected: "
            + ", ".join(sorted(k.to_user_string() for k in selection)[:8])
        ),
        allow_retries=False,
    )


def is_rebuild(run_config: dict | None) -> bool:
    """``python -m pipelines run --rebuild``: the run's config of its first step (pipelines/runner.py)."""
    ops = (run_config or {}).get("ops", {}) or {}
    return bool(((ops.get(FIRST_STEP) or {}).get("config") or {}).get("rebuild", False))
