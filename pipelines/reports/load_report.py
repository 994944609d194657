"""数据加载报告 (``load_report.html`` and ``load_report.json``): what the run did with every file,
for the statistician — problems first (files rejected whole, rows rejected with their row numbers),
then the files this run loaded, and the unchanged files as a count (listed on screen, not printed).

The data is the load log's (``pipelines/ingest/load_log.py``); this module only renders it with
``reports/templates/load_report.html.j2``. Written at publication, into the reports build folder.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from pipelines.ingest.load_log import CHANGED, load_report_data
from pipelines.visible import printable

from .formats import now_local
from .reads import CodeLabels
from .render import template

REPORT_HTML = "load_report.html"
REPORT_JSON = "load_report.json"


def _shown(value) -> str:
    """Invisible and control characters of names shown, not obeyed (Jinja escapes the markup)."""
    return printable("" if value is None else str(value))


def page_context(data: dict, *, as_of: date | None, is_sample_data: bool, sources_zh: dict[str, str]) -> dict:
    files = [
        dict(
            f,
            source_zh=sources_zh.get(f["source"], f["source"]),
            **{k: _shown(f.get(k)) for k in ("file_name", "reason_zh", "reason_en", "note_zh", "note_en")},
            rejections=[
                dict(
                    r,
                    file_name=_shown(r["file_name"]),
                    column_name=_shown(r["column_name"]),
                    reason_zh=_shown(r["reason_zh"]),
                    reason_en=_shown(r["reason_en"]),
                    rows_text="、".join(str(n) for n in r["first_rows"])
                    + (" …" if r["rows"] > len(r["first_rows"]) else ""),
                )
                for r in f["rejections"]
            ],
        )
        for f in data["files"]
    ]
    rejected_whole = [f for f in files if f["status"] == "rejected"]
    with_rejected_rows = [f for f in files if f["status"] != "rejected" and f["rows_rejected"]]
    # judged again with nothing to report: a count and a list on screen, not hundreds of printed rows
    quiet = [f for f in files if f["status"] == "revalidated" and not f["rows_rejected"]]
    changed = [f for f in files if f["status"] in CHANGED and f["status"] != "rejected" and f not in quiet]
    unchanged = [f for f in files if f["status"] not in CHANGED]
    return {
        "title": "数据加载报告",
        "run_id": data["run_id"],
        "as_of": as_of,
        "is_sample_data": is_sample_data,
        "generated_at": now_local(),
        "totals": data["totals"],
        "rejected_whole": rejected_whole,
        "with_rejected_rows": with_rejected_rows,
        "changed": changed,
        "revalidated": quiet,
        "revalidated_why": sorted({f["note_zh"] for f in quiet if f["note_zh"]}),
        "unchanged": unchanged,
        "problem_count": len(rejected_whole) + len(with_rejected_rows),
    }


def write_load_report(
    con, run_id: str, target_dir: Path, *, as_of: date | None = None, is_sample_data: bool = False
) -> tuple[Path, Path]:
    """Write ``load_report.html`` and ``load_report.json`` for ``run_id`` into ``target_dir``.

    ``con`` is a connection to the build file (after the ingest assets ran); ``target_dir`` is
    normally the reports build folder, so the report is published with the reports.
    """
    target_dir = Path(target_dir)
    target_dir.mkdir(parents=True, exist_ok=True)
    data = load_report_data(con, run_id)
    html_path, json_path = target_dir / REPORT_HTML, target_dir / REPORT_JSON
    has_labels = con.execute(
        "select count(*) from duckdb_tables() where schema_name = 'marts' and table_name = 'dim_code_label'"
    ).fetchone()[0]
    sources_zh = CodeLabels.read(con).words("source") if has_labels else {}
    ctx = page_context(data, as_of=as_of, is_sample_data=is_sample_data, sources_zh=sources_zh)
    html_path.write_text(template("load_report.html.j2").render(**ctx), encoding="utf-8")
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    return html_path, json_path
