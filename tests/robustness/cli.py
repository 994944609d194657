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
    root: Path, data: Path, *extra: str, timeout: int = 600, dagster_home: Path | None = None
) -> subprocess.CompletedProcess:
    """`python -m pipelines run` with the warehouse and reports under ``root/pub``."""
    args = [
        sys.executable,
        "-m",
        "pipelines",
        "run",
        "--data-dir",
        str(data),
        "--warehouse",
        str(root / "pub" / "w.duckdb"),
        "--reports-dir",
        str(root / "pub" / "reports"),
        "--as-of",
        AS_OF,
        *extra,
    ]
    proc = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(dagster_home or root / "dagster_home"),
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
    data, _ = _published_setup(root)
    acc = data / "accidents"
    (acc / "fake.xlsx").write_bytes("事故编号,发生时间\n".encode())
    (acc / "locked.xlsx").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 4088)
    (acc / "empty.csv").write_bytes(b"")
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


# the longest first: the published run takes about as long as everything else together
JOBS = {
    "rebuild": job_rebuild,
    "unreadable": job_unreadable,
    "strict": job_strict,
    "corrupt": job_corrupt,
    "disk_full": job_disk_full,
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
