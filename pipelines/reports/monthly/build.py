"""build_monthly_analyses: one 安全生产形势分析 per jurisdiction and month, with the folder's own index.

The analyses live in ``<reports>/monthly/`` beside the plan reports (they use the same
``plotly.min.js``, one level up). Every run writes the latest month due at its as-of date; an
earlier month is written on request (``python -m pipelines monthly --month YYYY-MM``). The files of
other months found in the published folder are carried over unchanged, as the record of what was
produced then (each says its data's as-of date and run), so the folder keeps every month's analysis;
``analyses.json`` lists them and ``index.html`` links them, the latest month first.
"""

from __future__ import annotations

import json
import logging
import shutil
from datetime import date, datetime
from pathlib import Path

from jinja2 import Environment

from ..fingerprint import MonthlyFingerprints
from ..formats import fmt_count, fmt_num, is_missing, now_local, safe_file_stem
from ..reads import Catalog, RegionReads, fetch
from ..render import PLOTLY_JS, environment
from . import analysis, sentences
from .common import Month, Run

log = logging.getLogger(__name__)

MANIFEST = "analyses.json"
INDEX = "index.html"


READ_DUE = "select year, month_of_year from marts.dim_month where is_due order by month"
READ_JURISDICTIONS = """
select region_code, region_name, level from marts.dim_region where is_plan_jurisdiction
order by region_code
"""  # the bureaus the warehouse serves: one analysis each


def due_months(con) -> list[tuple[int, int]]:
    """(year, month) of every month due at the run's as-of date (marts.dim_month), in order."""
    return [(r["year"], r["month_of_year"]) for r in fetch(con, READ_DUE)]


def _amount(v, is_count: bool = True, missing: str = "—") -> str:
    if is_missing(v):
        return missing
    return fmt_count(v) if is_count else fmt_num(v, missing=missing)


def _env() -> Environment:
    """The pages' environment (templates and styles in the top-level reports/ folder), with the
    monthly analysis' two filters of its own."""
    env = environment().overlay()
    env.filters.update(amount=_amount, yoy=lambda row: sentences.change_words(row or None) or "—")
    return env


def file_name(region: dict, year: int, month: int) -> str:
    """230500_双鸭山市_2026-10.html."""
    return f"{safe_file_stem(region['region_code'], region['region_name'])}_{year}-{month:02d}.html"


def parse_month(text: str) -> tuple[int, int]:
    """'2026-06' -> (2026, 6); ValueError naming the expected form otherwise."""
    try:
        parsed = datetime.strptime(text.strip(), "%Y-%m")
    except ValueError:
        raise ValueError(
            f"月份应为 YYYY-MM（如 2026-06），实际为“{text}” / expected a month YYYY-MM, got {text!r}"
        ) from None
    return parsed.year, parsed.month


def latest_month(entries: list[dict]) -> list[dict]:
    """The entries of the latest month among ``entries`` (what the main index lists)."""
    if not entries:
        return []
    last = max((e["year"], e["month"]) for e in entries)
    return [e for e in entries if (e["year"], e["month"]) == last]


def _manifest(folder: Path) -> list[dict]:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []


def build_monthly_analyses(
    con,
    out_dir: Path,
    *,
    as_of: date,
    is_sample_data: bool,
    run_id: str,
    month: tuple[int, int] | None = None,
    carry_over: Path | None = None,
    reuse_unchanged: bool = True,
) -> list[dict]:
    """Write every jurisdiction's analysis of ``month`` (default: the latest month due) into
    ``out_dir``; keep the other months' analyses listed in ``carry_over`` (a published monthly
    folder, possibly ``out_dir`` itself); write ``analyses.json`` and ``index.html``. Returns the
    index entries, this run's first. An analysis of ``month`` whose fingerprint
    (pipelines/reports/fingerprint.py) equals the one ``carry_over`` records for it is kept as
    published instead of rendered again, unless ``reuse_unchanged`` is false (``--rebuild``)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    due = due_months(con)
    year_month = month or (due[-1] if due else None)
    if year_month is None:
        entries: list[dict] = []
    else:
        if year_month not in due:
            raise ValueError(
                f"{year_month[0]}年{year_month[1]}月的台账在数据截止日期 {as_of.isoformat()} 尚未到报送期，"
                f"不能生成该月形势分析 / {year_month[0]}-{year_month[1]:02d} is not due at the as-of date "
                f"{as_of.isoformat()}: no analysis for it"
            )
        published = _manifest(Path(carry_over)) if carry_over is not None and reuse_unchanged else []
        entries = _write_month(
            con, out_dir, year_month, as_of=as_of, is_sample_data=is_sample_data, run_id=run_id,
            published={e["file"]: e for e in published if e.get("fingerprint")},
            published_dir=Path(carry_over) if carry_over is not None else None,
        )
    written = {e["file"] for e in entries}
    if carry_over is not None:
        for e in _manifest(Path(carry_over)):
            source = Path(carry_over) / e["file"]
            if e["file"] in written or not source.is_file():
                continue
            if Path(carry_over).resolve() != out_dir.resolve():
                shutil.copy2(source, out_dir / e["file"])
            entries.append(e)
            written.add(e["file"])
    entries.sort(key=lambda e: (-e["year"], -e["month"], e["code"]))
    (out_dir / MANIFEST).write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")
    (out_dir / INDEX).write_text(
        _env()
        .get_template("monthly_index.html.j2")
        .render(
            entries=entries,
            as_of=as_of,
            run_id=run_id,
            is_sample_data=is_sample_data,
            generated_at=now_local(),
            title="安全生产形势分析（月度）",
        ),
        encoding="utf-8",
    )
    return entries


def _carried(entry: dict | None, fingerprint: str, source: Path | None, out_dir: Path) -> dict | None:
    """The published analysis, kept if its fingerprint is unchanged (copied unless already there)."""
    if entry is None or entry["fingerprint"] != fingerprint or source is None:
        return None
    path = source / entry["file"]
    if not path.is_file():
        return None
    if source.resolve() != out_dir.resolve():
        shutil.copyfile(path, out_dir / entry["file"])
    return entry


def _write_month(
    con,
    out_dir: Path,
    year_month: tuple[int, int],
    *,
    as_of: date,
    is_sample_data: bool,
    run_id: str,
    published: dict[str, dict],
    published_dir: Path | None,
) -> list[dict]:
    year, month = year_month
    run = Run.read(con, as_of=as_of, run_id=run_id, is_sample_data=is_sample_data)
    template = _env().get_template("monthly.html.j2")
    fingerprints = MonthlyFingerprints(
        con, as_of=as_of, is_sample_data=is_sample_data, year=year, month=month
    )
    entries, todo = [], []
    for region in fetch(con, READ_JURISDICTIONS):
        fingerprint = fingerprints.of(region["region_code"])
        kept = _carried(published.get(file_name(region, year, month)), fingerprint, published_dir, out_dir)
        if kept is not None:
            entries.append(kept)
        else:
            todo.append((region, fingerprint))
    if entries:
        log.info("%d monthly analyses unchanged, carried over; %d to render", len(entries), len(todo))
    reads = RegionReads(con, [r["region_code"] for r, _ in todo], Catalog.read(con))
    for region, fingerprint in todo:
        name = file_name(region, year, month)
        m = Month(reads, region, year, month, run)
        ctx = analysis.context(m)
        html = template.render(
            **ctx,
            as_of=as_of,
            run_id=run_id,
            is_sample_data=is_sample_data,
            generated_at=now_local(),
            title=f"{region['region_name']}{year}年{month}月安全生产形势分析",
            charts=m.charts.items,
            monthly_plotly_js=f"../{PLOTLY_JS}",  # one folder up, beside the plan reports
        )
        (out_dir / name).write_text(html, encoding="utf-8")
        log.info("monthly analysis %s written", name)
        entries.append(
            {
                "file": name,
                "code": region["region_code"],
                "name": region["region_name"],
                "year": year,
                "month": month,
                "as_of": as_of.isoformat(),
                "run_id": run_id,
                "opening": ctx["opening"][:1],
                "fingerprint": fingerprint,
            }
        )
    return entries
