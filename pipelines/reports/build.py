"""build_reports: one HTML report per plan and jurisdiction, the index, and one shared plotly.min.js.

A thin orchestrator: it reads what every report shares, hands each plan to
``plan_report.context`` (whose sections read the marts), renders the templates of the top-level
``reports/`` folder and writes the files. Text is escaped by Jinja2's autoescape; charts travel
as plotly's own JSON.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime
from pathlib import Path

import duckdb
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from pipelines.gate_records import gate_of_run

from . import plan_report, reads
from .carry import Published, write_manifest
from .fingerprint import PlanFingerprints
from .formats import now_local, safe_file_stem
from .labels import STATUS_ORDER, status_style
from .render import PLOTLY_JS, template

log = logging.getLogger(__name__)


def _run_facts(
    con, *, as_of: date, is_sample_data: bool, run_id: str, generated_at: datetime
) -> plan_report.RunFacts:
    cat = reads.Catalog.read(con)
    missing = [t for t in reads.REQUIRED if not cat.has(t)]
    if missing:
        raise RuntimeError(f"报告所需的数据集市表不存在：{', '.join(missing)}")
    national_table = cat.find("national_reference", ("seeds", "main_seeds", "marts", "main"))
    national = (
        reads.fetch(
            con, f"select year, indicator, value, unit, source_note from {national_table} order by year"
        )
        if national_table
        else []
    )
    gate = gate_of_run(con, run_id)
    return plan_report.RunFacts(
        as_of=as_of,
        run_id=run_id,
        is_sample_data=is_sample_data,
        generated_at=generated_at,
        labels=reads.CodeLabels.read(con),
        indicators=reads.indicators(con),
        national=national,
        gate=gate,
    )


def report_file_name(plan: dict) -> str:
    """230500_双鸭山市_14fyp.html: one report per plan and jurisdiction."""
    return f"{safe_file_stem(plan['region_code'], plan['jurisdiction_name'])}_{plan['plan_id']}.html"


def _siblings(plan: dict, todo: list[dict]) -> dict[str, dict]:
    return {
        p["stage"]: {"file": report_file_name(p), "plan_name": p["plan_name"]}
        for p in todo
        if p["region_code"] == plan["region_code"] and p["plan_id"] != plan["plan_id"]
    }


def _write_reports(
    con, run: plan_report.RunFacts, todo: list[dict], all_plans: list[dict], out_dir: Path
) -> list[dict]:
    """Write these plans' reports; returns their index entries."""
    region_reads = reads.RegionReads(
        con, list(dict.fromkeys(p["region_code"] for p in todo)), reads.Catalog.read(con)
    )
    tpl = template("plan_report.html.j2")
    entries = []
    for plan in todo:
        ctx = plan_report.context(region_reads, plan, run, _siblings(plan, all_plans))
        path = out_dir / report_file_name(plan)
        path.write_text(tpl.render(**ctx), encoding="utf-8")
        size = path.stat().st_size
        log.info("report %s written (%.0f KB)", path.name, size / 1024)
        entries.append(_index_entry(plan, ctx, path, size))
    return entries


def _index_entry(plan: dict, ctx: dict, path: Path, size: int) -> dict:
    counts = {s["code"]: s for s in ctx["status_counts"]}
    return {
        "code": plan["region_code"],
        "name": plan["jurisdiction_name"],
        "level_zh": ctx["region"]["level_zh"],
        "plan_id": plan["plan_id"],
        "plan_name": plan["plan_name"],
        "period": f"{plan['start_year']}—{plan['end_year']}年",
        "stage": plan["stage"],
        "stage_zh": plan["stage_zh"],
        "monitoring": (
            f"截至{plan['monitoring_year']}年{plan['monitoring_month']}月"
            if plan.get("monitoring_month")
            else "本年尚无完整月份"
            if plan["stage"] == "monitoring"
            else ""
        ),
        "file": path.name,
        "statuses": [counts[c] for c in STATUS_ORDER if c in counts],
        "total": sum(s["n"] for s in counts.values()),
        "problems": len(ctx["problems"]),
        "headline": ctx["problems"][0]["text"] if ctx["problems"] else None,
        "size_kb": size / 1024,
    }


def _carried_record(record: dict) -> dict:
    """A carried report's record, its index line as the template needs it: the headline is the
    conclusion's HTML (its facts marked up, texts escaped when it was rendered), kept as text in
    reports.json, so it is marked safe again rather than escaped a second time."""
    entry = dict(record["entry"])
    if entry.get("headline"):
        entry["headline"] = Markup(entry["headline"])
    return dict(record, entry=entry)


# Worker processes (parallel builds): each opens the warehouse read-only once.
_worker: dict = {}


def _worker_init(
    database: str,
    out_dir: str,
    as_of: date,
    is_sample_data: bool,
    run_id: str,
    generated_at: datetime,
    all_plans: list[dict],
) -> None:
    con = duckdb.connect(database, read_only=True)
    _worker.update(
        con=con,
        out_dir=Path(out_dir),
        all_plans=all_plans,
        run=_run_facts(
            con, as_of=as_of, is_sample_data=is_sample_data, run_id=run_id, generated_at=generated_at
        ),
    )


def _worker_write(todo: list[dict]) -> list[dict]:
    return _write_reports(_worker["con"], _worker["run"], todo, _worker["all_plans"], _worker["out_dir"])


PARALLEL_FROM = 24  # reports; below this, starting worker processes costs more than it saves
CHUNK = 32  # reports per worker task (the region reads are one query per chunk)


def build_reports(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    *,
    as_of: date,
    is_sample_data: bool,
    run_id: str,
    database: Path | None = None,
    workers: int = 1,
    monthly: list[dict] | None = None,
    published: Path | None = None,
) -> list[Path]:
    """Write one report per plan and jurisdiction, `index.html`, `plotly.min.js` and the manifest
    `reports.json` (carry.py) into out_dir.

    Returns the written paths (reports first, then the index, then plotly.min.js). A report whose
    fingerprint (fingerprint.py) equals the one recorded in ``published`` (the published reports
    folder; None renders every report) is copied from there; the others are rendered. With
    ``workers`` > 1 and ``database`` (the file ``con`` reads, opened read-only by every process),
    they are rendered by that many worker processes when there are at least ``PARALLEL_FROM`` of
    them; each report is the same as in a serial build. ``monthly``: the monthly analyses
    (``monthly/<file>``, pipelines/reports/monthly/) the index links.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    generated_at = now_local()
    run = _run_facts(
        con, as_of=as_of, is_sample_data=is_sample_data, run_id=run_id, generated_at=generated_at
    )
    plans = reads.plans(con)
    fingerprints = PlanFingerprints(
        con, as_of=as_of, is_sample_data=is_sample_data, gate_verdict=(run.gate or {}).get("verdict")
    )
    previous = Published(published)
    records: dict[str, dict] = {}
    todo = []
    for plan in plans:
        file, fp = report_file_name(plan), fingerprints.of(plan)
        record = previous.carry(file, fp, out_dir)
        if record is not None:
            records[file] = _carried_record(record)
        else:
            todo.append(plan)
    if todo:
        log.info("%d of %d reports unchanged, carried over; %d to render",
                 len(records), len(plans), len(todo))
    if workers > 1 and database is not None and len(todo) >= PARALLEL_FROM:
        # spawn, not fork: the parent runs threads (Dagster, DuckDB) a fork would copy mid-lock
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_init,
            initargs=(str(database), str(out_dir), as_of, is_sample_data, run_id, generated_at, plans),
        ) as pool:
            chunks = [todo[i : i + CHUNK] for i in range(0, len(todo), CHUNK)]
            rendered = [e for done in pool.map(_worker_write, chunks) for e in done]
        log.info("%d reports written by %d worker processes", len(rendered), workers)
    else:
        rendered = _write_reports(con, run, todo, plans, out_dir) if todo else []
    for plan, entry in zip(todo, rendered, strict=True):
        records[entry["file"]] = {
            "file": entry["file"],
            "fingerprint": fingerprints.of(plan),
            "run_id": run_id,
            "generated_at": generated_at.isoformat(),
            "entry": entry,
        }
    ordered = [records[report_file_name(p)] for p in plans]
    entries = [r["entry"] for r in ordered]
    written = [out_dir / e["file"] for e in entries]
    index = out_dir / "index.html"
    index.write_text(
        template("index.html.j2").render(
            entries=entries,
            as_of=as_of,
            run_id=run_id,
            is_sample_data=is_sample_data,
            generated_at=generated_at,
            current_year=as_of.year,
            gate=run.gate,
            gate_zh=run.labels.zh("gate_verdict", run.gate["verdict"]) if run.gate else None,
            monthly=monthly or [],
            rendered=len(todo),
            carried=len(plans) - len(todo),
            title="应急管理规划指标评估报告",
            legend=[(c, run.labels.zh("plan_status", c), *status_style(c)) for c in STATUS_ORDER],
        ),
        encoding="utf-8",
    )
    written.append(index)
    js = out_dir / PLOTLY_JS
    js.write_text(get_plotlyjs(), encoding="utf-8")
    written.append(js)
    write_manifest(out_dir, ordered)
    return written
