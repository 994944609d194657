"""dbt re-parses nothing between two runs of a warehouse, and the as-of date still reaches the
models: it goes through the environment (EM_DBT_AS_OF, read when the SQL is compiled for
execution), not a --vars that would change dbt's parse state every run."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from pipelines.settings import DBT_PROJECT_DIR
from pipelines.transform.project import (
    AS_OF_ENV,
    as_of_in_environment,
    dbt_executable,
    dbt_vars,
    warehouse_target_dir,
)

COMPILED = Path("compiled") / "em_warehouse" / "models" / "intermediate" / "int_calendar_years.sql"


def _compile(target: Path, database: Path, as_of: str | None) -> tuple[str, str]:
    """``dbt compile`` of int_calendar_years (its years end at the as-of year) into ``target``:
    (dbt's log, the compiled SQL)."""
    env = {**os.environ, "EM_BUILD_DB": str(database), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    env.pop(AS_OF_ENV, None)
    if as_of is not None:
        env[AS_OF_ENV] = as_of
    proc = subprocess.run(
        [dbt_executable(), "compile", "--select", "int_calendar_years", "--project-dir",
         str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(target),
         "--log-path", str(target / "logs")],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    return proc.stdout, (target / COMPILED).read_text(encoding="utf-8")


def test_a_second_run_reuses_the_parse_and_takes_its_own_date(tmp_path):
    target = warehouse_target_dir(tmp_path / "w.duckdb")
    assert target == tmp_path / ".w.duckdb.dbt" / "build" and target.is_dir()
    database = tmp_path / "compile.duckdb"
    _, sql_first = _compile(target, database, "2026-03-31")  # the first run parses everything
    assert (target / "partial_parse.msgpack").exists()
    log_second, sql_second = _compile(target, database, "2027-01-15")
    assert "Unable to do partial parsing" not in log_second, log_second
    assert "Found" in log_second  # dbt did run (its summary line)
    assert "2026-03-31" in sql_first and "2027-01-15" not in sql_first
    assert "2027-01-15" in sql_second and "2026-03-31" not in sql_second
    # without the environment variable: the var of dbt_project.yml, as an ad-hoc dbt run gives it
    log_third, sql_third = _compile(target, database, None)
    default = re.search(r'as_of: "(\d{4}-\d{2}-\d{2})"', (DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    assert default and default.group(1) in sql_third
    assert "Unable to do partial parsing" not in log_third


def test_the_date_is_set_for_the_dbt_process_only():
    assert AS_OF_ENV not in os.environ
    with as_of_in_environment("2026-11-26"):
        assert os.environ[AS_OF_ENV] == "2026-11-26"
    assert AS_OF_ENV not in os.environ
    assert dbt_vars("2026-11-26", Path(".")) == {}  # no --vars: they would force a full re-parse


def test_models_read_the_as_of_date_through_the_macros_only():
    """A model reading var('as_of') directly would get dbt_project.yml's default date, not the
    run's: every read goes through as_of_date() / as_of_year() / through_month()."""
    offenders = []
    for folder in ("models", "macros", "tests", "snapshots"):
        for path in (DBT_PROJECT_DIR / folder).rglob("*.sql"):
            if path.name == "dates.sql":
                continue
            if re.search(r"""var\(\s*['"]as_of['"]""", path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(DBT_PROJECT_DIR)))
    assert offenders == []
