"""Running `python -m pipelines run` for the corpus: each command-line case is a background job.

A run takes 40 s (blocked or failed) to 3 min (published, with dbt); the jobs mostly wait on
subprocesses and I/O, so they all start when collection finishes and overlap each other and the
in-process cases. Blocked and failed runs start from a published warehouse written in-process
(``make_published``): they must leave it, and the published reports, exactly as they were.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from tests.handmade import ACCIDENT_HEADERS, write_handmade_folder

AS_OF = "2026-11-26"
PROJECT_DIR = Path(__file__).resolve().parents[2]
XSS = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE_FILE = f"hostile_{IMG}.csv"  # markup in a file name, too


def cli_env(dagster_home: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("EM_BUILD_DB", "EM_DATA_DIR", "EM_WAREHOUSE", "EM_REPORTS_DIR", "EM_AS_OF", "EM_STRICT"):
        env.pop(name, None)
    dagster_home.mkdir(parents=True, exist_ok=True)
    env["DAGSTER_HOME"] = str(dagster_home)
    return env


def run_cli(
    root: Path, data: Path, *extra: str, timeout: int = 600, dagster_home: Path | None = None,
    warehouse: Path | None = None, reports: Path | None = None, as_of: str | None = AS_OF,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess:
    """`python -m pipelines run` with the warehouse and reports under ``root/pub`` (unless given);
    ``as_of=None`` passes no ``--as-of``; ``env`` adds environment variables."""
    args = [
        sys.executable,
        "-m",
        "pipelines",
        "run",
        "--data-dir",
        str(data),
        "--warehouse",
        str(warehouse or root / "pub" / "w.duckdb"),
        "--reports-dir",
        str(reports or root / "pub" / "reports"),
        *(["--as-of", as_of] if as_of is not None else []),
        *extra,
    ]
    proc = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(dagster_home or root / "dagster_home") | (env or {}),
        cwd=PROJECT_DIR,
        start_new_session=True,  # its own process group: cleanup() can stop it and its dbt children
    )
    _procs.add(proc)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(proc)
        out, err = proc.communicate()
    finally:
        _procs.discard(proc)
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


_procs: set[subprocess.Popen] = set()


def _stop(proc: subprocess.Popen) -> None:
    """Stop a run this module started (by its process group id, which is its pid)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def sha256(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def tree_digest(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def handmade_copy(root: Path) -> Path:
    return write_handmade_folder(root / "data")


def make_published(root: Path, data: Path) -> Path:
    """A published warehouse (raw layer of the hand-made folder) for runs that must leave it as it is.

    Written in-process (seconds) instead of by a full run (minutes): a blocked or failed run copies
    it into its build file and must never touch it."""
    from pipelines.ingest import load_source
    from pipelines.ingest.raw_tables import SOURCES
    from pipelines.publish.workspace import create_empty_warehouse

    warehouse = root / "pub" / "w.duckdb"
    create_empty_warehouse(warehouse)
    con = duckdb.connect(str(warehouse))
    try:
        for source in SOURCES:
            load_source(con, source, data, date.fromisoformat(AS_OF), datetime(2026, 11, 26, 9, 0))
        con.execute("checkpoint")
    finally:
        con.close()
    (root / "pub" / "reports").mkdir(parents=True, exist_ok=True)
    (root / "pub" / "reports" / "index.html").write_text("<p>previously published</p>", encoding="utf-8")
    return warehouse


def hostile_accident_rows() -> list[list]:
    """Rows for the hand-made accidents header: markup in every free-text field, paths as text, and
    one row with text in a count (quarantined, its reason quoting the cell)."""

    def row(acc_id, region, name, unit, summary, deaths=1, when="2024-05-06 10:00", filed="2024-05-07"):
        return [
            acc_id,
            when,
            region,
            name,
            unit,
            "工贸",
            "其它伤害",
            deaths,
            0,
            0,
            0,
            10,
            "一般",
            "",
            summary,
            "",
            filed,
        ]

    return [
        row("XSS-1", "230502", XSS, XSS, XSS),
        row("PATH-1", "230502", "尖山区", "../../etc/passwd", "file:///etc/passwd"),
        row("XSS-2", "", XSS, "某单位", "正常"),  # unknown region name: quarantined, name quoted in reason
        row("BAD-1", "230502", "尖山区", "某单位", "", deaths="约3人"),
        row("XSS-3", "230502", "尖山区", "某单位", "", deaths=XSS),  # markup in a count: quarantined
    ]


def _open_error(path: Path) -> str | None:
    try:
        duckdb.connect(str(path), read_only=True).close()
    except duckdb.Error as exc:
        return str(exc)
    return None


def make_wal_stale(warehouse: Path, data: Path) -> None:
    """An analyst's read-write session on the published file writes and dies (its WAL stays), then a
    publication replaces the file (an equal warehouse written afresh): the WAL belongs to no file."""
    code = (f"import duckdb, os\ncon = duckdb.connect({str(warehouse)!r})\n"
            "con.execute('create table main.my_notes(i int)')\ncon.execute('insert into main.my_notes "
            "values (1)')\nos._exit(0)\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PROJECT_DIR)
    fresh = make_published(warehouse.parent.parent / "republished", data)
    os.replace(fresh, warehouse)


def _handmade_row(acc_id, when, deaths=1, *, status="", filed=None, loss=10, region="230502"):
    from tests.handmade import _accident_row

    return _accident_row((acc_id, when, region, "工贸", deaths, 0, loss, "一般", "", status,
                          filed or when[:10]))


def _write_rows(path: Path, rows: list[list], header: list[str] | None = None) -> None:
    import csv

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header or ACCIDENT_HEADERS)
        w.writerows(rows)


def write_round_two_late_file(data: Path) -> None:
    """Filed 2026-11-28: after the published warehouse's as-of date (2026-11-26)."""
    _write_rows(data / "accidents" / "2026-11_late.csv",
                [_handmade_row("R2-LATE-1", "2026-11-20 08:00", filed="2026-11-28")])


ESC_FILE = "2026-09\x1b[31m红.csv"


def write_round_two_files(data: Path) -> None:
    import openpyxl
    import xlsxwriter

    acc = data / "accidents"
    _write_rows(acc / "2026-03[终版].csv", [_handmade_row("R2-GLOB-1", "2026-03-05 09:00"),
                                          _handmade_row("R2-GLOB-2", "2026-03-06 09:00")])
    _write_rows(acc / "2026-04_keys.csv", [_handmade_row("R2-KEY-1", "2026-04-02 09:00"),
                                          _handmade_row("R2-KEY-2", "2026-04-05 09:00")])
    _write_rows(acc / "2026-05_keys_later.csv", [  # a full-width write-off, a revision with U+200B
        _handmade_row("Ｒ２-ＫＥＹ-１", "2026-04-02 09:00", status="核销", filed="2026-05-01"),
        _handmade_row("R2-KEY-2\u200b", "2026-04-05 09:00", deaths=2, filed="2026-05-02"),
    ])
    _write_rows(acc / "2026-06_overflow.csv", [_handmade_row("R2-OVER-1", "2026-06-02 09:00", loss="1e400"),
                                              _handmade_row("R2-OK-6", "2026-06-03 09:00")])
    book = xlsxwriter.Workbook(str(acc / "2026-07.xlsx"))
    for name, rows, hidden in (("七月", [_handmade_row("R2-VIS-1", "2026-07-01 09:00")], False),
                               ("填表示例", [_handmade_row("EXAMPLE-1", "2026-07-01 09:00", deaths=9),
                                          _handmade_row("R2-VIS-1", "2026-07-01 09:00", deaths=4)], True)):
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, ACCIDENT_HEADERS)
        for i, row in enumerate(rows, start=1):
            sheet.write_row(i, 0, row)
        if hidden:
            sheet.hide()
    book.close()
    script = openpyxl.Workbook()
    ws = script.active
    ws.append(ACCIDENT_HEADERS)
    formula_row = _handmade_row("R2-FX-1", "2026-08-01 09:00")
    formula_row[ACCIDENT_HEADERS.index("死亡人数")] = "=1+1"
    ws.append(formula_row)
    ws.append(_handmade_row("R2-FX-OK", "2026-08-02 09:00"))
    script.save(acc / "2026-08_script.xlsx")
    _write_rows(acc / ESC_FILE, [_handmade_row("R2-ESC-1", "2026-09-01 09:00"),
                                 _handmade_row("R2-ESC-2", "2026-09-02 09:00", deaths="约3人")])


def write_hostile_file(data: Path) -> Path:
    import csv

    path = data / "accidents" / HOSTILE_FILE
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(ACCIDENT_HEADERS)
        w.writerows(hostile_accident_rows())
    return path


def corrupt_file(path: Path) -> bytes:
    """Overwrite a block of the file's catalog area with noise: DuckDB's checksum then fails."""
    with open(path, "r+b") as fh:
        fh.seek(8192)
        fh.write(bytes((i * 37 + 11) % 256 for i in range(4096)))
    return path.read_bytes()


# --------------------------------------------------------------------------- background jobs
# Each command-line case is a job: set up its folders, run the CLI, return what the test checks.
# All jobs start together when collection finishes (they mostly wait on I/O and subprocesses), and
# each test waits for its own.


def _published_setup(root: Path) -> tuple[Path, Path]:
    data = handmade_copy(root)
    return data, make_published(root, data)


def _snapshot(root: Path) -> dict:
    return {"db": sha256(root / "pub" / "w.duckdb"), "reports": tree_digest(root / "pub" / "reports")}


def job_unreadable(root: Path) -> dict:
    import xlsxwriter

    data, _ = _published_setup(root)
    acc = data / "accidents"
    (acc / "fake.xlsx").write_bytes("事故编号,发生时间\n".encode())
    (acc / "locked.xlsx").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 4088)
    (acc / "empty.csv").write_bytes(b"")
    # round two: a workbook saved under a .csv name, a header naming 死亡人数 twice
    book = xlsxwriter.Workbook(str(acc / "workbook.csv"))
    book.add_worksheet().write_row(0, 0, ACCIDENT_HEADERS)
    book.close()
    with (acc / "dup.csv").open("w", encoding="utf-8") as fh:
        fh.write(",".join(ACCIDENT_HEADERS + ["死亡人数"]) + "\n")
    before = _snapshot(root)
    return {"root": root, "before": before, "proc": run_cli(root, data), "after": _snapshot(root)}


def job_strict(root: Path) -> dict:
    import csv

    data, _ = _published_setup(root)
    with (data / "accidents" / "bad_2024-05.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(ACCIDENT_HEADERS)
        base = ["230502", "尖山区", "某单位", "工贸", "其它伤害"]
        w.writerow(["Q-1", "2024-05-06 10:00", *base, "约3人", 0, 0, 0, 10, "一般", "", "", "", "2024-05-07"])
        w.writerow(["Q-2", "2024-05-08 10:00", *base, 1, 0, 0, 0, 10, "一般", "", "", "", "2024-05-09"])
    before = _snapshot(root)
    return {"root": root, "before": before, "proc": run_cli(root, data, "--strict"), "after": _snapshot(root)}


def _corrupt_setup(root: Path) -> Path:
    data = handmade_copy(root)
    write_hostile_file(data)
    make_published(root, data)
    return data


def job_corrupt(root: Path) -> dict:
    """A corrupt published warehouse: the run must stop and say `--rebuild`."""
    data = _corrupt_setup(root)
    corrupt_bytes = corrupt_file(root / "pub" / "w.duckdb")
    return {"root": root, "proc": run_cli(root, data), "corrupt_bytes": corrupt_bytes}


def job_rebuild(root: Path) -> dict:
    """The same corrupt warehouse, then `run --rebuild`: published from the raw files (a separate job so
    that it does not wait for the failing run; the rebuild never reads the published file)."""
    data = _corrupt_setup(root)
    corrupt_bytes = corrupt_file(root / "pub" / "w.duckdb")
    return {"root": root, "proc": run_cli(root, data, "--rebuild"), "corrupt_bytes": corrupt_bytes}


def job_disk_full(root: Path) -> dict:
    data = handmade_copy(root)
    staging = root / "staging"
    make_published(staging, data)
    size = (staging / "pub" / "w.duckdb").stat().st_size
    mnt = root / "small_disk"
    mnt.mkdir()
    # room for the published warehouse, the lock and the run log; not for the private build copy
    mount = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size + size // 3}", "tmpfs", str(mnt)],
        capture_output=True,
        text=True,
    )
    if mount.returncode != 0:
        return {"skipped": f"cannot mount a small tmpfs here: {mount.stderr.strip()}"}
    try:
        (mnt / "pub").mkdir()
        shutil.copyfile(staging / "pub" / "w.duckdb", mnt / "pub" / "w.duckdb")
        shutil.copytree(staging / "pub" / "reports", mnt / "pub" / "reports")
        before = _snapshot(mnt)
        proc = run_cli(mnt, data, dagster_home=root / "dagster_home")
        return {"root": mnt, "before": before, "proc": proc, "after": _snapshot(mnt)}
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def job_refusals(root: Path) -> dict:
    """Runs refused before they start (issue 21 #9): a malformed ``--as-of`` / ``EM_AS_OF``, a
    warehouse folder or a reports folder that cannot be written. Each must exit 1 with a bilingual
    message and leave the published files byte-identical."""
    data, _ = _published_setup(root)
    before = _snapshot(root)
    runs = {form: run_cli(root, data, as_of=form) for form in ("2024/06/30", "20240630", "2024-13-01")}
    runs["EM_AS_OF=2024-6-30"] = run_cli(root, data, as_of=None, env={"EM_AS_OF": "2024-6-30"})
    ro = root / "read_only"
    ro.mkdir()
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(ro)],
                           capture_output=True, text=True)
    if mount.returncode == 0:
        try:
            runs["read-only warehouse folder"] = run_cli(root, data, warehouse=ro / "w.duckdb")
            runs["read-only reports folder"] = run_cli(root, data, reports=ro / "reports")
        finally:
            subprocess.run(["umount", "-l", str(ro)], capture_output=True)
    return {"root": root, "before": before, "runs": runs, "after": _snapshot(root),
            "read_only": mount.returncode == 0, "mount_error": mount.stderr.strip()}


def job_round_two(root: Path) -> dict:
    """The round-two inputs through a published run (issue 21): the numbers that reach the marts.

    The published warehouse (written in-process as of 2026-11-26) holds a row filed 2026-11-28,
    quarantined then as future-dated, and a stale WAL lies beside it; the run is as of 2026-11-30 and
    the data folder has new files with a glob-like name, keys that need the normalisation, a 1e400
    loss, a hidden sheet, a formula without a result and an ESC in a file name."""
    data = handmade_copy(root)
    write_round_two_late_file(data)
    make_published(root, data)
    make_wal_stale(root / "pub" / "w.duckdb", data)
    stale_open_error = _open_error(root / "pub" / "w.duckdb")
    write_round_two_files(data)
    proc = run_cli(root, data, as_of="2026-11-30")
    return {"root": root, "proc": proc, "stale_open_error": stale_open_error}


# the longest first: the published run takes about as long as everything else together
JOBS = {
    "round_two": job_round_two,
    "rebuild": job_rebuild,
    "unreadable": job_unreadable,
    "strict": job_strict,
    "corrupt": job_corrupt,
    "disk_full": job_disk_full,
    "refusals": job_refusals,
}


@dataclass
class Job:
    name: str
    root: Path
    result: dict | None = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)


_jobs: dict[str, Job] = {}


def _run_job(job: Job) -> None:
    try:
        job.result = JOBS[job.name](job.root)
    except BaseException as exc:  # noqa: BLE001 - re-raised in the waiting test
        job.error = exc
    finally:
        job.done.set()


_manifest_ready = threading.Lock()


def _run_job_after_manifest(job: Job) -> None:
    # One `dbt parse` here (when the manifest is stale), not one per concurrent run racing on
    # dbt_project/target/manifest.json.
    with _manifest_ready:
        from pipelines.transform.project import ensure_manifest

        try:
            ensure_manifest()
        except Exception:  # noqa: BLE001 - the run itself will report it
            pass
    _run_job(job)


def start_jobs(names) -> None:
    for name in names:
        if name not in _jobs:
            job = _jobs[name] = Job(name, Path(tempfile.mkdtemp(prefix=f"em_robust_{name}_")))
            threading.Thread(
                target=_run_job_after_manifest, args=(job,), daemon=True, name=f"robust-{name}"
            ).start()


def wait_job(name: str, timeout: float = 900) -> dict:
    start_jobs([name])
    job = _jobs[name]
    assert job.done.wait(timeout), f"command-line job {name} did not finish in {timeout} s"
    if job.error is not None:
        raise job.error
    return job.result


def cleanup() -> None:
    """End of session: stop runs still going (a session that stopped early), remove the job folders."""
    for proc in list(_procs):
        _stop(proc)
    for job in _jobs.values():
        job.done.wait(60)
        subprocess.run(["umount", "-l", str(job.root / "small_disk")], capture_output=True)
        shutil.rmtree(job.root, ignore_errors=True)
