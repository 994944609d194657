"""dbt's parse of the project for a new warehouse, run while the sources load.

dbt keeps its parse of the project in the warehouse's target folder (``partial_parse.msgpack``,
:func:`~pipelines.transform.project.warehouse_target_dir`) and reuses it only for the same
profile values. The profile holds the warehouse's build file (``EM_BUILD_DB``), so the first build
of every new warehouse parses the whole project (3-7 s on a quiet machine, 20 s and more under
load), and the run waits for it. The command line starts that parse here, in a dbt process of
its own, as soon as it holds the warehouse's lock; the dbt step waits for it and then builds
from its parse instead of parsing again.

Safe by construction:

- the parse writes in a folder of its own (``.<warehouse>.dbt/parse``); only a parse that ended
  well, with the profile values the build uses, is moved into the build's folder, whole
  (``os.replace``). dbt checks that parse like any kept one (dbt's version, the profile, the
  vars, every file's checksum) and parses again what does not match, as without this module;
- a parse that fails, hangs (:data:`WAIT_LIMIT_S`) or was made for other values is stopped and
  thrown away, and the step says so: the build then parses the project itself, as before;
- no process outlives the run: :func:`parse_ahead` stops what is still running when the run
  ends, whatever happened.

Runs not started from the command line (the Dagster UI, schedules, sensors) have no parse ahead:
their build parses as before (a warehouse they build often keeps its parse anyway).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipelines.settings import DBT_PROJECT_DIR, PipelineSettings
from pipelines.transform.project import AS_OF_ENV, dbt_executable, profile_environment, warehouse_target_dir

PARSE_FILE = "partial_parse.msgpack"  # dbt's kept parse (dbt.constants.PARTIAL_PARSE_FILE_NAME)
OUTPUT_FILE = "parse-output.txt"  # the parse's stdout and stderr, read when it fails
# Longest wait of the dbt step for a parse still running (a full parse takes 3-30 s): past it the
# parse is stopped and the build parses the project itself.
WAIT_LIMIT_S = 300.0


@dataclass
class _Parse:
    process: subprocess.Popen
    folder: Path  # where this parse writes (never the build's folder)
    values: dict[str, str]  # the profile's environment it was made with


_running: dict[Path, _Parse] = {}  # the build's target folder -> its parse ahead


def parse_environment(settings: PipelineSettings) -> dict[str, str]:
    """The environment the run's dbt reads (dbt_project/profiles.yml, macros/dates.sql): the
    profile's values (project.profile_environment) and the as-of date. dbt reuses a parse only for
    the same profile values; the as-of date is read when the SQL runs, not while parsing, and is
    here so that the parse sees all that the build sees."""
    return {**profile_environment(settings), AS_OF_ENV: settings.as_of_date.isoformat()}


def has_current_parse(target: Path) -> bool:
    """Whether the build's folder holds a parse newer than the files whose change makes dbt
    parse everything again (dbt_project.yml, profiles.yml). A model changed since is parsed
    again by the build on its own, in a fraction of the time."""
    kept = target / PARSE_FILE
    if not kept.exists():
        return False
    made = kept.stat().st_mtime
    return all(made >= (DBT_PROJECT_DIR / name).stat().st_mtime
               for name in ("dbt_project.yml", "profiles.yml"))


def start(warehouse: Path, values: dict[str, str]) -> bool:
    """Start ``dbt parse`` for the warehouse's next build, unless its folder already holds a
    current parse (or a parse is running for it). True if one was started."""
    target = warehouse_target_dir(warehouse)
    if target in _running or has_current_parse(target):
        return False
    folder = warehouse_target_dir(warehouse, "parse")
    (folder / PARSE_FILE).unlink(missing_ok=True)
    # The variables dagster-dbt gives the build's dbt (DbtCliResource.cli) that dbt reads, and
    # the profile's values: dbt reuses a parse only for the same profile, target and vars.
    env = {**os.environ, **values, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
           "DBT_TARGET_PATH": str(folder), "DBT_LOG_PATH": str(folder),
           "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR), "DBT_PROJECT_DIR": str(DBT_PROJECT_DIR)}
    with (folder / OUTPUT_FILE).open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            # no manifest.json: the build writes its own; the parse it keeps is written anyway
            [dbt_executable(), "parse", "--no-write-json", "--project-dir", str(DBT_PROJECT_DIR),
             "--profiles-dir", str(DBT_PROJECT_DIR)],
            env=env, cwd=DBT_PROJECT_DIR, stdin=subprocess.DEVNULL, stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True,  # its own group: stopped whole
        )
    _running[target] = _Parse(process, folder, dict(values))
    return True


def finish(target: Path, values: dict[str, str],
           wait_limit_s: float = WAIT_LIMIT_S) -> tuple[bool, str] | None:
    """Before the build in ``target``: wait for its parse ahead and move a good one into place.

    None when no parse was started for it; else (whether the build gets the parse, a
    bilingual line saying what happened, for the step's log)."""
    parse = _running.pop(target, None)
    if parse is None:
        return None
    if parse.values != values:
        _stop(parse)
        return False, ("dbt 预先解析所用的配置与本次构建不同，已弃用，由构建自行解析。 The parse made "
                       "ahead used other profile values than the build's: discarded, dbt parses the "
                       "project itself.")
    waiting = time.monotonic()
    try:
        code = parse.process.wait(timeout=wait_limit_s)
    except subprocess.TimeoutExpired:
        _stop(parse)
        return False, (f"dbt 预先解析超过 {wait_limit_s:.0f} 秒未完成，已停止，由构建自行解析。 The parse "
                       f"made ahead did not end within {wait_limit_s:.0f} s: stopped, dbt parses the "
                       "project itself.")
    waited = time.monotonic() - waiting
    if code != 0 or not (parse.folder / PARSE_FILE).exists():
        return False, (f"dbt 预先解析失败（退出码 {code}），由构建自行解析。 The parse made ahead "
                       f"failed (exit code {code}): dbt parses the project itself. Its output:\n"
                       f"{_tail(parse)}")
    os.replace(parse.folder / PARSE_FILE, target / PARSE_FILE)
    return True, (f"dbt 项目已在加载数据时预先解析（构建等待了 {waited:.1f} 秒）。 The dbt project was "
                  f"parsed while the sources loaded (the build waited {waited:.1f} s for it).")


def stop_all() -> None:
    """Stop every parse still running and forget them (the run is ending)."""
    while _running:
        _stop(_running.popitem()[1])


@contextmanager
def parse_ahead(settings: PipelineSettings) -> Iterator[None]:
    """A run's parse ahead (the command line's): started on entry when the warehouse needs one,
    stopped on exit whatever happened."""
    start(settings.warehouse_path, parse_environment(settings))
    try:
        yield
    finally:
        stop_all()


def wait_for_parse_ahead(settings: PipelineSettings, log) -> None:
    """The dbt step, before its build: the parse ahead of its warehouse in place (or thrown
    away), and what happened in the step's log (a warning when it could not be used)."""
    outcome = finish(warehouse_target_dir(settings.warehouse_path), parse_environment(settings))
    if outcome is not None:
        used, message = outcome
        (log.info if used else log.warning)(message)


def _stop(parse: _Parse) -> None:
    if parse.process.poll() is None:
        try:
            os.killpg(parse.process.pid, signal.SIGTERM)
            parse.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(parse.process.pid, signal.SIGKILL)
            parse.process.wait()
        except ProcessLookupError:
            parse.process.wait()


def _tail(parse: _Parse, lines: int = 20) -> str:
    try:
        text = (parse.folder / OUTPUT_FILE).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"({exc})"
    return "\n".join(text.strip().splitlines()[-lines:])
