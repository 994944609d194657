"""``python -m bench``: the figures of docs/performance.md, measured on this machine.

For the bundled sample and each scale of the generator (``national``, ``national-2x`` …
``national-16x``, sample/summary.py), the command line ``python -m pipelines run`` runs as a
subprocess on a fresh warehouse (``--rebuild``), and the bench records:

- wall time end to end, start-up (process start to the first step) and per stage (ingest, dbt
  build, checks, reports, publish), from the runner's ``[elapsed] step message`` progress lines;
- CPU time (user + system, the run process and its children: dbt runs as a subprocess) — less
  sensitive than wall time to other work on the machine;
- peak memory: ``ru_maxrss`` of the run process (``os.wait4``; the largest single process of the
  tree) and the peak of the summed RSS of the whole process tree, sampled from /proc. Each run is
  started by a small launcher (``LAUNCHER``) that waits for it and hands its figures back: Linux
  carries ``ru_maxrss`` across fork/exec, so a run the bench started itself would report the
  bench's own size once the bench has grown (it reads the CSVs with DuckDB in process);
- ingest throughput (rows read per second, zero reports included) against DuckDB's own
  ``read_csv`` of the same CSV files, measured in the same bench run;
- report sizes (per report, total, plotly.min.js apart) and report generation time;
- for ``--incremental`` scales: one new month of files (2026-11, derived from each province's
  October rows) on top of the published national warehouse, as of 2026-12-05, from load to
  published reports;
- for ``--reruns`` scales (default: the sample): the same folder again with nothing changed,
  and the folder with one corrected file (one death count of one accident CSV +1, same file
  name), each on a copy of the published state, from load to published reports;
- the SQL floor of the dbt stage (``bench/floor.py``: the models' compiled SQL as one DuckDB
  script on the median run's warehouse), with the ratios of dbt and of dbt + checks to it;
- how each figure grows from 1× to 2× to 4× (ratio and log-log slope: 1.0 is linear).

Scale data is generated into ``--work`` (default /tmp/em_bench, never into the repository) and
reused when already there. The figures go to stdout and, as JSON, to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pipelines.settings import SAMPLE_MARKER  # the generator writes it after the data
from sample.summary import SCALE_FACTORS, SCALES

DEFAULT_SCALES = SCALES[:4]  # sample … national-4x

PROJECT_DIR = Path(__file__).resolve().parent.parent
SAMPLE_DIR = PROJECT_DIR / "data_raw"
SOURCES = ("accidents", "capabilities", "disasters", "forest_fires", "plans", "statistics")
AS_OF = "2026-11-26"  # the as-of date of the generated data (sample and national)
INCREMENTAL_AS_OF = "2026-12-05"
INCREMENTAL_MONTH = "2026-11"
STAGES = ("startup", "prepare", "ingest", "dbt", "checks", "reports", "publish", "after_publication",
          "teardown")

# the publication steps (pipelines/publish/assets.py): staged after the reports, then swapped in
PUBLICATION_STEPS = ("load_report", "quality_docs", "dbt_docs", "marts_parquet", "run_record",
                     "published_warehouse")
# after the swap: the dbt docs page generated in the background (pipelines/publish/docs_beside_run.py)
AFTER_PUBLICATION_STEPS = ("dbt_docs_page",)

LINE_RE = re.compile(r"^\[\s*([\d.]+)s\] (.{32}) (.*)$")
READ_RE = re.compile(
    r"^(\w+): 读取 read (\d+), 入库 loaded (\d+), 零报告 zero reports (\d+), 拒收 rejected (\d+)"
)


# --------------------------------------------------------------------------- one run


@dataclass
class RunFigures:
    label: str
    exit_code: int
    wall_s: float
    published_s: float  # start to the end of the swap (published_warehouse): load to published reports
    cpu_s: float
    max_rss_mb: float  # ru_maxrss: the largest single process of the run's tree
    tree_peak_rss_mb: float  # peak of the summed RSS of the run process and its descendants
    stages_s: dict[str, float] = field(default_factory=dict)
    steps_s: dict[str, float] = field(default_factory=dict)
    rows_read: dict[str, int] = field(default_factory=dict)
    rows_loaded: int = 0
    ingest_rows_per_s: float = 0.0
    reports: dict = field(default_factory=dict)
    warehouse_mb: float = 0.0
    log: str = ""


class _TreeSampler(threading.Thread):
    """Peak of the summed RSS of a process and all its descendants, sampled from /proc."""

    def __init__(self, pid: int, interval: float = 0.25, include_root: bool = True):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak, self._stop_flag = pid, interval, 0, threading.Event()
        self.include_root = include_root
        self.page = os.sysconf("SC_PAGE_SIZE")

    def _tree_rss(self) -> int:
        parents: dict[int, int] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as fh:
                    stat = fh.read().rsplit(b")", 1)[1].split()
                parents[int(entry.name)] = int(stat[1])
            except (OSError, IndexError, ValueError):
                continue
        tree, changed = {self.pid}, True
        while changed:
            changed = False
            for pid, ppid in parents.items():
                if ppid in tree and pid not in tree:
                    tree.add(pid)
                    changed = True
        if not self.include_root:
            tree.discard(self.pid)
        total = 0
        for pid in tree:
            try:
                with open(f"/proc/{pid}/statm", "rb") as fh:
                    total += int(fh.read().split()[1]) * self.page
            except (OSError, IndexError, ValueError):
                continue
        return total

    def run(self) -> None:
        while not self._stop_flag.is_set():
            self.peak = max(self.peak, self._tree_rss())
            self._stop_flag.wait(self.interval)

    def stop(self) -> int:
        self._stop_flag.set()
        self.join()
        return self.peak


def _stage_of(step: str) -> str:
    step = step.strip()
    if step == "warehouse_workspace":
        return "prepare"
    if step == "raw_sources":  # the multi-asset raw/<source>: all five sources in one step
        return "ingest"
    if step.startswith("warehouse_dbt_models"):
        return "dbt"
    if step == "leadership_reports":
        return "reports"
    if step in PUBLICATION_STEPS:
        return "publish"
    if step in AFTER_PUBLICATION_STEPS:
        return "after_publication"
    return "checks"  # the GX asset checks: raw__<source>_<check>, marts__<model>_<check>


# Started by the bench (a fresh ``python -c``: its own ru_maxrss is the bench's, carried over by
# exec), it starts the run as its child — a new process whose high-water mark starts from the
# launcher's few MB, not the bench's — waits for it and writes the run's rusage (the run and the
# processes it waited for: dbt, report workers) as JSON to argv[1]; it exits with the run's code.
# Standard streams, working directory and environment are passed through.
LAUNCHER = """\
import json, os, subprocess, sys
run = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(run.pid, 0)
with open(sys.argv[1], "w") as fh:
    json.dump({"ru_maxrss_kb": usage.ru_maxrss, "cpu_s": usage.ru_utime + usage.ru_stime}, fh)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_pipeline(label: str, data_dir: Path, out_dir: Path, as_of: str, *, rebuild: bool,
                 dagster_home: Path, project: Path = PROJECT_DIR) -> RunFigures:
    """Run the CLI as a subprocess and measure it (``project``: the checkout whose pipelines run,
    for an A/B against another branch in the same minutes)."""
    warehouse, reports = out_dir / "warehouse.duckdb", out_dir / "reports"
    cmd = [sys.executable, "-m", "pipelines", "run", "--data-dir", str(data_dir), "--warehouse",
           str(warehouse), "--reports-dir", str(reports), "--as-of", as_of]
    if rebuild:
        cmd.append("--rebuild")
    env = {**os.environ, "DAGSTER_HOME": str(dagster_home), "PYTHONUNBUFFERED": "1"}
    env.pop("EM_BUILD_DB", None)
    log_path = out_dir / f"{label}.log"
    out_dir.mkdir(parents=True, exist_ok=True)
    print(f"  $ {' '.join(cmd[1:])}", flush=True)
    started = time.monotonic()
    steps: dict[str, float] = {}
    stages = dict.fromkeys(STAGES, 0.0)
    rows: dict[str, int] = {}
    loaded = 0
    open_steps: dict[str, float] = {}
    first_start = last_elapsed = published_at = None
    offset = 0.0  # the progress clock's zero, on the bench's clock
    with open(log_path, "w", encoding="utf-8") as log, open(out_dir / f"{label}.stderr", "w") as err:
        usage_path = out_dir / f"{label}.usage.json"
        usage_path.unlink(missing_ok=True)
        proc = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(usage_path), *cmd], cwd=project,
                                env=env, stdout=subprocess.PIPE, stderr=err, text=True, encoding="utf-8",
                                errors="replace", bufsize=1)
        sampler = _TreeSampler(proc.pid, include_root=False)  # the run's tree, not the launcher
        sampler.start()
        for line in proc.stdout:
            now = time.monotonic() - started
            log.write(line)
            m = LINE_RE.match(line.rstrip("\n"))
            if not m:
                continue
            elapsed, step, message = float(m.group(1)), m.group(2).strip(), m.group(3)
            if first_start is None:
                offset = now - elapsed
            last_elapsed = elapsed
            if message.startswith("开始 start"):
                first_start = elapsed if first_start is None else first_start
                open_steps[step] = elapsed
            elif message.startswith(("完成 done", "失败 failed", "跳过")) and step in open_steps:
                took = elapsed - open_steps.pop(step)
                steps[step] = steps.get(step, 0.0) + took
                stages[_stage_of(step)] += took
                if step == "published_warehouse" and message.startswith("完成 done"):
                    published_at = elapsed
            r = READ_RE.match(message)
            if r and step == "raw_sources":
                rows[r.group(1)] = int(r.group(2))
                loaded += int(r.group(3)) + int(r.group(4))
        proc.stdout.close()
        _, status, _launcher_usage = os.wait4(proc.pid, 0)  # its ru_maxrss is the bench's
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - started
        tree_peak = sampler.stop()
    try:
        usage = json.loads(usage_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # the launcher failed before the run ended: no figure
        raise SystemExit(f"{label}: the launcher wrote no usage figures ({exc}); see {log_path}") from exc
    stages["startup"] = offset + (first_start or 0.0)
    stages["teardown"] = max(0.0, wall - offset - (last_elapsed or 0.0))
    ingest_s = stages["ingest"]
    if proc.returncode == 0 and rebuild and (not ingest_s or not rows):
        # a renamed step or log line would otherwise show up as a silent zero
        raise SystemExit(f"{label}: no ingest step or no rows-read line found in {log_path}")
    figures = RunFigures(
        label=label, exit_code=proc.returncode, wall_s=round(wall, 2),
        published_s=round(offset + published_at, 2) if published_at is not None else 0.0,
        cpu_s=round(usage["cpu_s"], 2), max_rss_mb=round(usage["ru_maxrss_kb"] / 1024, 1),
        tree_peak_rss_mb=round(tree_peak / 2**20, 1),
        stages_s={k: round(v, 2) for k, v in stages.items()},
        steps_s={k: round(v, 2) for k, v in sorted(steps.items(), key=lambda kv: -kv[1])},
        rows_read=rows, rows_loaded=loaded,
        ingest_rows_per_s=round(sum(rows.values()) / ingest_s, 1) if ingest_s else 0.0,
        reports=report_sizes(reports, stages["reports"]),
        warehouse_mb=round(warehouse.stat().st_size / 1e6, 1) if warehouse.exists() else 0.0,
        log=str(log_path),
    )
    print(f"  exit {figures.exit_code}, {figures.wall_s:.1f} s wall (published at "
          f"{figures.published_s:.1f} s), {figures.cpu_s:.1f} s CPU, "
          f"peak RSS {figures.max_rss_mb:.0f} MB (tree {figures.tree_peak_rss_mb:.0f} MB)", flush=True)
    return figures


def report_sizes(reports: Path, reports_s: float) -> dict:
    if not reports.is_dir():
        return {}
    # One report per plan jurisdiction, named <region_code>_<name>.html; other pages (index,
    # load report) are counted in folder_bytes only.
    html = sorted(p for p in reports.glob("*.html") if p.name[:6].isdigit())
    sizes = {p.name: p.stat().st_size for p in html}
    plotly = sum(p.stat().st_size for p in reports.glob("plotly*.js"))
    everything = sum(p.stat().st_size for p in reports.rglob("*") if p.is_file())
    return {
        "count": len(html),
        "total_bytes": sum(sizes.values()),
        "largest_bytes": max(sizes.values(), default=0),
        "largest": max(sizes, key=sizes.get) if sizes else None,
        "mean_bytes": round(sum(sizes.values()) / len(sizes)) if sizes else 0,
        "index_bytes": (reports / "index.html").stat().st_size if (reports / "index.html").exists() else 0,
        "plotly_js_bytes": plotly,
        "folder_bytes": everything,  # incl. plotly.min.js, dbt docs and any other published file
        "generation_s": round(reports_s, 2),
        "generation_s_per_report": round(reports_s / len(html), 3) if html else None,
        "over_1mb": sorted(n for n, s in sizes.items() if s > 1_000_000),
        "sizes_bytes": sizes,  # per report
    }


# --------------------------------------------------------------------------- DuckDB baseline


def duckdb_read_csv(data_dir: Path, database: Path | None = None) -> dict:
    """DuckDB's own read_csv of the same CSV files (all columns as text, into a table): in
    memory, or — ``database`` — into a table of a new database file, as the ingest writes."""
    import duckdb

    if database is not None:
        for p in (database, database.with_name(database.name + ".wal")):
            p.unlink(missing_ok=True)
    con = duckdb.connect(str(database) if database is not None else ":memory:")
    con.execute("set enable_progress_bar = false")
    total_rows = total_bytes = files = failed = 0
    seconds = 0.0
    opts = "all_varchar = true, header = false, null_padding = true, strict_mode = false"
    for source in SOURCES:
        folder = data_dir / source
        paths = sorted(str(p) for p in folder.glob("*.csv")) if folder.is_dir() else []
        if not paths:
            continue
        t = time.perf_counter()
        try:
            con.execute(f"create or replace table t as select * from read_csv(?, {opts})", [paths])
            n = con.execute("select count(*) from t").fetchall()[0][0]
            ok = paths
        except duckdb.Error:  # mixed layouts or encodings: file by file, skipping unreadable ones
            n, ok = 0, []
            for p in paths:
                try:
                    con.execute(f"create or replace table t as select * from read_csv(?, {opts})", [p])
                    n += con.execute("select count(*) from t").fetchall()[0][0]
                    ok.append(p)
                except duckdb.Error:
                    failed += 1
        seconds += time.perf_counter() - t
        total_rows += n
        files += len(ok)
        total_bytes += sum(os.path.getsize(p) for p in ok)
    t = time.perf_counter()
    con.close()
    if database is not None:  # the file written out counts; an in-memory close does not
        seconds += time.perf_counter() - t
        database.unlink(missing_ok=True)
    return {"files": files, "files_unreadable": failed, "rows": total_rows, "bytes": total_bytes,
            "seconds": round(seconds, 3), "rows_per_s": round(total_rows / seconds, 1) if seconds else 0.0,
            "mb_per_s": round(total_bytes / 1e6 / seconds, 2) if seconds else 0.0}


def data_files(data_dir: Path) -> dict:
    out = {"files": 0, "bytes": 0, "csv_files": 0, "xlsx_files": 0}
    for source in SOURCES:
        for p in (data_dir / source).glob("*") if (data_dir / source).is_dir() else []:
            if p.suffix.lower() in (".csv", ".xlsx"):
                out["files"] += 1
                out["bytes"] += p.stat().st_size
                out["csv_files" if p.suffix.lower() == ".csv" else "xlsx_files"] += 1
    return out


# --------------------------------------------------------------------------- data


def ensure_scale_data(scale: str, work: Path) -> tuple[Path, float | None]:
    if scale == "sample":
        return SAMPLE_DIR, None
    out = work / scale
    # complete when the generator's marker (written after the data) is there; plan tables are a
    # source folder (plans/) since issue 16, there is no plan_targets.csv to look for any more
    if (out / SAMPLE_MARKER).exists() and (out / "accidents").is_dir() and (out / "plans").is_dir():
        return out, None
    print(f"  generating {scale} data into {out} …", flush=True)
    t = time.monotonic()
    cmd = [sys.executable, "-m", "pipelines", "generate-sample", "--out", str(out), "--scale", scale]
    subprocess.run(cmd, cwd=PROJECT_DIR, check=True, stdout=subprocess.DEVNULL)
    return out, round(time.monotonic() - t, 1)


# Position of the event date (or the 零报告 month) in each source's CSV rows.
_EVENT_DATE_COLUMN = {"accidents": 1, "disasters": 2, "forest_fires": 1}
_DATE_RE = re.compile(r"2026-1([01])(-(\d\d))?")


def _shift_month(cell: str, cap_day: str) -> str:
    """2026-10[-dd] → 2026-11[-dd ≤ 30]; 2026-11[-dd] → 2026-12[-dd ≤ as-of day]."""

    def repl(m: re.Match) -> str:
        month = "11" if m.group(1) == "0" else "12"
        if m.group(3) is None:
            return f"2026-{month}"
        day = int(m.group(3))
        day = min(day, 30) if month == "11" else min(day, int(cap_day))
        return f"2026-{month}-{day:02d}"

    return _DATE_RE.sub(repl, cell)


def make_incremental_folder(base: Path, target: Path) -> dict:
    """``target`` = hard links of ``base`` + one new month of files (2026-11, every province).

    The new month is each province's October: the same records and 零报告, dates moved one month
    on (days capped at 30, report dates at the as-of date), new record ids.
    """
    if target.exists():
        shutil.rmtree(target)
    for path in base.rglob("*"):
        dest = target / path.relative_to(base)
        if path.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
        else:
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, dest)
    cap_day = INCREMENTAL_AS_OF[-2:]
    new_files = new_rows = new_bytes = 0
    for source, pos in _EVENT_DATE_COLUMN.items():
        for path in sorted((base / source).glob("2026_*.csv")):
            lines = path.read_text(encoding="utf-8").splitlines()
            header, out = lines[0], []
            for line in lines[1:]:
                cells = line.split(",")
                if len(cells) <= pos or not cells[pos].startswith("2026-10"):
                    continue
                if cells[0] != "零报告":
                    cells[0] = (cells[0].replace("202610", "202611") if "202610" in cells[0]
                                else cells[0] + "11")
                out.append(",".join(_shift_month(c, cap_day) for c in cells))
            if not out:
                continue
            dest = target / source / path.name.replace("2026_", f"{INCREMENTAL_MONTH}_", 1)
            text = "\n".join([header, *out]) + "\n"
            dest.write_text(text, encoding="utf-8")
            new_files += 1
            new_rows += len(out)
            new_bytes += len(text.encode())
    return {"new_files": new_files, "new_rows": new_rows, "new_bytes": new_bytes,
            "month": INCREMENTAL_MONTH, "as_of": INCREMENTAL_AS_OF}


def sql_floor(entry: dict, out_dir: Path, manifest: Path, work: Path) -> dict:
    """The models' SQL run as one DuckDB script on the median run's warehouse (bench/floor.py),
    with the ratios of the run's dbt stage and of dbt + checks to it."""
    from bench.floor import run_floor

    floor = run_floor(out_dir / "warehouse.duckdb", manifest, work)
    dbt_s, checks_s = entry["stages_s"]["dbt"], entry["stages_s"]["checks"]
    floor["dbt_s"], floor["checks_s"] = dbt_s, checks_s
    floor["dbt_vs_floor"] = round(dbt_s / floor["seconds"], 1) if floor["seconds"] else None
    floor["dbt_and_checks_vs_floor"] = (round((dbt_s + checks_s) / floor["seconds"], 1)
                                        if floor["seconds"] else None)
    print(f"  SQL floor: {floor['seconds']} s for {floor['models']} models; dbt stage {dbt_s} s "
          f"(×{floor['dbt_vs_floor']}), dbt + checks {dbt_s + checks_s:.1f} s "
          f"(×{floor['dbt_and_checks_vs_floor']})", flush=True)
    return floor


def _runs_on_published(label: str, data_dir: Path, as_of: str, made: dict, published: Path,
                       work: Path, args) -> dict:
    """``args.repeat`` runs (without --rebuild) of ``data_dir``, each on the published state in
    ``published``, at its own paths: warehouse, reports (with the dbt docs page it may reuse),
    the Parquet export and dbt's kept state beside the warehouse (``.warehouse.duckdb.dbt``:
    its parse) — what a scheduled or a statistician's run starts from. At the same paths because
    dbt reuses its parse only for the same warehouse file (the profile's path): a copy elsewhere
    would parse the whole project again, which no real rerun does. The published state is kept
    aside and put back before each run and after the last; the runs' logs are kept in
    ``runs/<scale>-<label>``."""
    saved = work / "runs" / f"{published.name}.published"
    logs = work / "runs" / f"{published.name}-{label}"
    for folder in (saved, logs):
        if folder.exists():
            shutil.rmtree(folder)
    shutil.copytree(published, saved)
    logs.mkdir(parents=True)
    runs = []
    try:
        for i in range(args.repeat):
            shutil.rmtree(published)
            shutil.copytree(saved, published)
            figs = run_pipeline(label, data_dir, published, as_of, rebuild=False,
                                dagster_home=work / "dagster_home", project=args.project.resolve())
            for suffix in ("log", "stderr"):
                shutil.copyfile(published / f"{label}.{suffix}", logs / f"{label}.run{i + 1}.{suffix}")
            runs.append({**asdict(figs), "input": made, "data_dir": str(data_dir)})
            if figs.exit_code != 0:
                break
    finally:
        shutil.rmtree(published, ignore_errors=True)
        shutil.move(saved, published)
    return _median_run(runs)[1]


def _first_death_count(path: Path) -> tuple[bytes, list[str], int, int] | None:
    """(BOM, lines, row index, column) of the first record of a UTF-8 accident CSV with deaths."""
    data = path.read_bytes()
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    try:
        lines = data[len(bom):].decode("utf-8").split("\n")  # "\r" stays at the end of each line
    except UnicodeDecodeError:
        return None
    names = [h.strip() for h in lines[0].split(",")]
    col = next((names.index(n) for n in ("死亡人数", "死亡") if n in names), None)
    if col is None:
        return None
    for i, line in enumerate(lines[1:], start=1):
        cells = line.split(",")
        value = cells[col].strip() if len(cells) > col else ""
        if value.isdigit() and int(value) > 0:
            return bom, lines, i, col
    return None


def make_corrected_folder(base: Path, target: Path) -> dict:
    """``target`` = hard links of ``base`` but one accident CSV, rewritten with one death count
    changed (+1 on its first record with deaths): a statistician's corrected file, reloaded under
    the same name (a revision of the rows it holds). The file is the latest 2026 UTF-8 CSV with
    such a record (deaths column 死亡人数 or 死亡); its encoding and line ends are kept."""
    if target.exists():
        shutil.rmtree(target)
    # the sample files months (2026-10_乐平市.csv), the national ones provinces (2026_230000_黑龙江省.csv)
    for chosen in sorted((base / "accidents").glob("2026[-_]*.csv"), reverse=True):
        found = _first_death_count(chosen)
        if found is not None:
            break
    else:
        raise SystemExit(f"no UTF-8 accident CSV of 2026 with deaths in {base}")
    bom, lines, i, col = found
    for path in base.rglob("*"):
        dest = target / path.relative_to(base)
        if path.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
        elif path != chosen:
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, dest)
    cells = lines[i].split(",")
    old = cells[col].strip()
    cells[col] = cells[col].replace(old, str(int(old) + 1))
    lines[i] = ",".join(cells)
    (target / "accidents" / chosen.name).write_bytes(bom + "\n".join(lines).encode("utf-8"))
    return {"file": f"accidents/{chosen.name}", "row": i + 1, "column": lines[0].split(",")[col].strip(),
            "old": old, "new": str(int(old) + 1), "changed_files": 1}


# --------------------------------------------------------------------------- growth, output


def _flat(d: dict, prefix: str = "") -> dict[str, float]:
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flat(v, key + "."))
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            out[key] = float(v)
    return out


GROWTH_KEYS = ("wall_s", "cpu_s", "max_rss_mb", "tree_peak_rss_mb", "rows_loaded", "warehouse_mb",
               "ingest_rows_per_s", "stages_s.startup", "stages_s.ingest", "stages_s.dbt", "stages_s.checks",
               "stages_s.reports", "stages_s.publish", "reports.total_bytes", "reports.largest_bytes",
               "input.bytes", "duckdb_read_csv.seconds")


def growth(results: dict) -> dict:
    base = results.get("national")
    if not base:
        return {}
    fb = _flat(base)
    out = {}
    for scale, factor in SCALE_FACTORS.items():
        if factor == 1 or scale not in results:
            continue
        fs = _flat(results[scale])
        out[scale] = {}
        for key in GROWTH_KEYS:
            if fb.get(key) and fs.get(key) is not None:
                ratio = fs[key] / fb[key]
                slope = math.log(ratio) / math.log(factor) if ratio > 0 else None
                out[scale][key] = {"ratio": round(ratio, 2),
                                   "loglog_slope": round(slope, 2) if slope is not None else None}
    return out


def machine() -> dict:
    load = os.getloadavg()
    mem = 0
    try:
        with open("/proc/meminfo") as fh:
            mem = int(fh.readline().split()[1]) // 1024
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "memory_mb": mem, "python": platform.python_version(),
            "platform": platform.platform(), "load_average_at_start": [round(x, 2) for x in load]}


def _stage_getter(stage: str):
    return lambda r: r["stages_s"][stage]


def _range(result: dict, name: str) -> str:
    spread = result["spread"][name]
    return f"{spread['min']:g}–{spread['max']:g}"


def _fmt_table(results: dict) -> str:
    cols = list(results)
    rows = [
        ("input files", lambda r: r["input"]["files"]),
        ("input MB", lambda r: r["input"]["bytes"] / 1e6),
        ("rows read (incl. 零报告)", lambda r: sum(r["rows_read"].values())),
        ("exit code", lambda r: r["exit_code"]),
        ("end to end, wall s", lambda r: r["wall_s"]),
        ("load to published reports, s", lambda r: r.get("published_s")),
        ("CPU s (user+sys)", lambda r: r["cpu_s"]),
        *[(f"  {stage} s", _stage_getter(stage)) for stage in STAGES],
        ("ingest rows/s", lambda r: r["ingest_rows_per_s"]),
        ("DuckDB read_csv rows/s", lambda r: r["duckdb_read_csv"]["rows_per_s"]),
        ("ingest / read_csv throughput", lambda r: r["ingest_vs_read_csv"]),
        ("runs (--repeat)", lambda r: len(r["spread"]["wall_s"]["runs"]) if "spread" in r else 1),
        ("wall s, min–max of the runs", lambda r: _range(r, "wall_s")),
        ("ingest s, min–max of the runs", lambda r: _range(r, "ingest_s")),
        ("ingest / read_csv, median of the runs", lambda r: r["spread"]["ingest_vs_read_csv"]["median"]),
        ("ingest / read_csv, min–max of the runs", lambda r: _range(r, "ingest_vs_read_csv")),
        ("DuckDB read_csv into a database file, rows/s",
         lambda r: r["duckdb_read_csv_to_file"]["rows_per_s"]),
        ("ingest / read_csv into a file, median of the runs",
         lambda r: r["spread"]["ingest_vs_read_csv_to_file"]["median"]),
        ("peak RSS, largest process MB", lambda r: r["max_rss_mb"]),
        ("peak RSS, process tree MB", lambda r: r["tree_peak_rss_mb"]),
        ("reports", lambda r: r["reports"].get("count")),
        ("report size, largest KB", lambda r: r["reports"].get("largest_bytes", 0) / 1024),
        ("report size, mean KB", lambda r: r["reports"].get("mean_bytes", 0) / 1024),
        ("reports total KB (no plotly.js)", lambda r: r["reports"].get("total_bytes", 0) / 1024),
        ("plotly.min.js KB (shared)", lambda r: r["reports"].get("plotly_js_bytes", 0) / 1024),
        ("report time s (all)", lambda r: r["reports"].get("generation_s")),
        ("report time s (per report)", lambda r: r["reports"].get("generation_s_per_report")),
        ("warehouse MB", lambda r: r["warehouse_mb"]),
        ("SQL floor s (models as one script)", lambda r: r["sql_floor"]["seconds"]),
        ("dbt stage ÷ floor", lambda r: r["sql_floor"]["dbt_vs_floor"]),
        ("dbt + checks ÷ floor", lambda r: r["sql_floor"]["dbt_and_checks_vs_floor"]),
    ]

    def fmt(v):
        if v is None:
            return "–"
        if isinstance(v, float):
            return f"{v:,.3f}" if abs(v) < 1 else f"{v:,.1f}"
        return f"{v:,}" if isinstance(v, int) else str(v)

    lines = ["| figure | " + " | ".join(cols) + " |", "|---|" + "---:|" * len(cols)]
    for name, get in rows:
        cells = []
        for c in cols:
            try:
                cells.append(fmt(get(results[c])))
            except (KeyError, TypeError, ZeroDivisionError):
                cells.append("–")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scales", default=",".join(DEFAULT_SCALES),
        help="comma-separated: " + ", ".join(SCALES) + f" (default {','.join(DEFAULT_SCALES)}: 8x and 16x "
        "take many minutes each, asked for by name)",
    )
    parser.add_argument("--incremental", default="national",
                        help="scales for a one-month incremental run (comma-separated, '' for none)")
    parser.add_argument("--reruns", default="sample",
                        help="scales rerun on their published state: once with nothing changed and "
                             "once with one corrected file (one death count of one accident CSV "
                             "changed), from load to published reports (comma-separated, '' for none)")
    parser.add_argument("--project", type=Path, default=PROJECT_DIR,
                        help="the checkout whose pipelines run (default: this one), for an A/B "
                             "against another branch in the same minutes")
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "docs" / "bench-latest.json")
    parser.add_argument("--work", type=Path, default=Path("/tmp/em_bench"),
                        help="where scale data, warehouses and logs go (never the repository)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per scale (and per incremental run); the figures are those of the "
                             "run with the median wall time, the spread of every run is kept")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    scales = [s.strip() for s in args.scales.split(",") if s.strip()]
    unknown = set(scales) - set(SCALES)
    if unknown:
        parser.error(f"unknown scale(s) {', '.join(sorted(unknown))}; choose from {', '.join(SCALES)}")
    incremental = {s.strip() for s in args.incremental.split(",") if s.strip()}
    reruns = {s.strip() for s in args.reruns.split(",") if s.strip()}
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    dagster_home = work / "dagster_home"
    dagster_home.mkdir(exist_ok=True)
    results: dict[str, dict] = {}
    doc = {"started_at": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine(),
           "as_of": AS_OF, "results": results}
    doc["repeat"] = args.repeat
    doc["project"] = str(args.project.resolve())
    doc["commit"] = subprocess.run(["git", "-C", str(args.project), "rev-parse", "--short", "HEAD"],
                                   capture_output=True, text=True, check=False).stdout.strip()
    for scale in scales:
        print(f"\n== {scale} ==", flush=True)
        data_dir, gen_s = ensure_scale_data(scale, work)
        out_dir = work / "runs" / scale
        runs = []
        for i in range(args.repeat):
            if out_dir.exists():
                shutil.rmtree(out_dir)
            figs = run_pipeline("full", data_dir, out_dir, AS_OF, rebuild=True, dagster_home=dagster_home,
                                project=args.project.resolve())
            entry = asdict(figs)
            entry["data_dir"] = str(data_dir)
            entry["generation_s"] = gen_s
            entry["input"] = data_files(data_dir)
            entry["duckdb_read_csv"] = duckdb_read_csv(data_dir)  # right after the run, every time
            entry["duckdb_read_csv_to_file"] = duckdb_read_csv(data_dir, work / "read_csv.duckdb")
            ours = figs.ingest_rows_per_s
            theirs = entry["duckdb_read_csv"]["rows_per_s"]
            entry["ingest_vs_read_csv"] = round(ours / theirs, 3) if theirs else None
            theirs_file = entry["duckdb_read_csv_to_file"]["rows_per_s"]
            entry["ingest_vs_read_csv_to_file"] = round(ours / theirs_file, 3) if theirs_file else None
            print(f"  run {i + 1}/{args.repeat}: {figs.wall_s} s; ingest {ours:,.0f} rows/s; DuckDB "
                  f"read_csv {theirs:,.0f} rows/s ({entry['duckdb_read_csv']['seconds']} s for "
                  f"{entry['duckdb_read_csv']['files']} CSV files); ratio {entry['ingest_vs_read_csv']} "
                  f"(into a database file: {entry['duckdb_read_csv_to_file']['seconds']} s, ratio "
                  f"{entry['ingest_vs_read_csv_to_file']})", flush=True)
            runs.append(entry)
            if figs.exit_code != 0:
                break
            if args.repeat > 1 and i < args.repeat - 1:
                keep = work / "runs" / f"{scale}.run{i + 1}"  # the median run's folder is restored below
                if keep.exists():
                    shutil.rmtree(keep)
                shutil.move(out_dir, keep)
        chosen, entry = _median_run(runs)
        if len(runs) > 1:  # the median run's published state is what the incremental run starts from
            if chosen < len(runs) - 1:
                shutil.rmtree(out_dir)
                shutil.move(work / "runs" / f"{scale}.run{chosen + 1}", out_dir)
            for i in range(len(runs) - 1):
                shutil.rmtree(work / "runs" / f"{scale}.run{i + 1}", ignore_errors=True)
        results[scale] = entry
        manifest = out_dir / ".warehouse.duckdb.dbt" / "build" / "manifest.json"
        if entry["exit_code"] == 0 and manifest.exists():  # the run kept dbt's target folder
            entry["sql_floor"] = sql_floor(entry, out_dir, manifest, work / "floor" / scale)
        if entry["exit_code"] != 0:
            _write(doc, args.out)
            continue
        if scale in incremental:
            made = make_incremental_folder(data_dir, work / f"{scale}-incremental")
            print(f"  incremental: {made['new_files']} new files, {made['new_rows']:,} rows "
                  f"({made['month']}, as of {made['as_of']})", flush=True)
            results[f"{scale}-incremental"] = _runs_on_published(
                "incremental", work / f"{scale}-incremental", INCREMENTAL_AS_OF, made, out_dir, work, args)
        if scale in reruns:
            print("  unchanged: the same folder again on the published state", flush=True)
            results[f"{scale}-unchanged"] = _runs_on_published(
                "unchanged", data_dir, AS_OF, {"changed_files": 0}, out_dir, work, args)
            made = make_corrected_folder(data_dir, work / f"{scale}-corrected")
            print(f"  corrected: {made['file']} row {made['row']} {made['column']} "
                  f"{made['old']} → {made['new']}", flush=True)
            results[f"{scale}-corrected"] = _runs_on_published(
                "corrected", work / f"{scale}-corrected", AS_OF, made, out_dir, work, args)
        _write(doc, args.out)
    doc["growth"] = growth(results)
    doc["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    doc["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    _write(doc, args.out)
    print("\n" + _fmt_table(results))
    for scale, figs in doc["growth"].items():
        print(f"\ngrowth national → {scale}: " + ", ".join(
            f"{k} ×{v['ratio']}" for k, v in figs.items()))
    print(f"\nfigures written to {args.out}")
    return 0


SPREAD = {  # figures whose spread over repeated runs is kept: name -> how to read it
    "wall_s": lambda r: r["wall_s"],
    "cpu_s": lambda r: r["cpu_s"],
    "ingest_s": lambda r: r["stages_s"].get("ingest"),
    "read_csv_s": lambda r: r.get("duckdb_read_csv", {}).get("seconds"),
    "ingest_vs_read_csv": lambda r: r.get("ingest_vs_read_csv"),
    "read_csv_to_file_s": lambda r: r.get("duckdb_read_csv_to_file", {}).get("seconds"),
    "ingest_vs_read_csv_to_file": lambda r: r.get("ingest_vs_read_csv_to_file"),
}


def _median_run(runs: list[dict]) -> tuple[int, dict]:
    """(index, figures) of the run with the median wall time (of an even number: the slower
    middle one), with ``spread``: every run's value, min, median and max of the figures in
    SPREAD."""
    index = sorted(range(len(runs)), key=lambda i: runs[i]["wall_s"])[len(runs) // 2]
    chosen = dict(runs[index])
    if len(runs) > 1:
        spread = {}
        for name, get in SPREAD.items():
            values = [v for v in (get(r) for r in runs) if v is not None]
            if values:
                srt = sorted(values)
                mid = len(srt) // 2
                median = srt[mid] if len(srt) % 2 else (srt[mid - 1] + srt[mid]) / 2
                spread[name] = {"runs": values, "min": srt[0], "median": round(median, 3), "max": srt[-1]}
        chosen["spread"] = spread
    return index, chosen


def _write(doc: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
