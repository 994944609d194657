"""The dbt project's SQL passes sqlfluff (configuration: dbt_project/.sqlfluff), so CI lints it."""

from __future__ import annotations

import subprocess
import sys

from pipelines.settings import DBT_PROJECT_DIR

LINTED = ("models", "tests/singular")


def test_dbt_sql_passes_sqlfluff():
    sqlfluff = [sys.executable, "-m", "sqlfluff"]
    result = subprocess.run(
        [*sqlfluff, "lint", *LINTED, "--processes", "2", "--disable-progress-bar", "--nocolor"],
        cwd=DBT_PROJECT_DIR, capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, (
        "sqlfluff found problems (fix them, or run `sqlfluff fix` in dbt_project/ and review):\n"
        + result.stdout[-8000:] + result.stderr[-2000:]
    )


def test_the_linter_would_catch_an_upper_case_keyword():
    """The configuration is live: SQL in the wrong style fails (read from stdin, nothing written)."""
    result = subprocess.run(
        [sys.executable, "-m", "sqlfluff", "lint", "-", "--stdin-filename", "models/probe.sql", "--nocolor"],
        cwd=DBT_PROJECT_DIR, input="SELECT 1 AS one\n", capture_output=True, text=True, timeout=300,
        check=False,
    )
    assert result.returncode != 0 and "CP01" in result.stdout, result.stdout
