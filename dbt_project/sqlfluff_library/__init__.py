"""What dbt's Jinja gives a model and sqlfluff's dbt builtins do not: ``var()`` with the project's
declared values (so ``{{ var('volume_lookback_months') + 1 }}`` renders as dbt renders it), the
``modules`` / ``exceptions`` namespaces and ``env_var()`` the project's macros call, and ``execute`` /
``run_query`` for a model whose columns follow a table (rpt_region_year: one column group per
indicator). Loaded by sqlfluff only (``library_path`` in ``.sqlfluff``); dbt never reads this folder.
"""

import re
import types
from pathlib import Path

import yaml

_PROJECT_FILE = Path(__file__).resolve().parents[1] / "dbt_project.yml"
_PROJECT_VARS = yaml.safe_load(_PROJECT_FILE.read_text("utf-8"))["vars"]


def var(name, default=None):
    """The var as declared in dbt_project.yml (a run overrides only as_of)."""
    return _PROJECT_VARS.get(name, default)


def env_var(name, default=None):
    """No environment for the linter: the default (as_of_date() then falls back to var('as_of'))."""
    return default


def _raise_compiler_error(message):
    raise RuntimeError(message)


modules = types.SimpleNamespace(re=re)
exceptions = types.SimpleNamespace(raise_compiler_error=_raise_compiler_error)


# The parse phase has no database: a run_query result stands for two rows, so a loop over it renders
# its body twice and the linter sees both the body and the separators between iterations.
execute = True


class _QueryColumn:
    def values(self):
        return ("first_code", "second_code")


class _QueryResult:
    columns = (_QueryColumn(),)


def run_query(sql):
    return _QueryResult()


class _Adapter:
    """``adapter.get_relation``: a relation is there (sqlfluff renders ``is_incremental()`` as true, so
    the linter sees a model's incremental branch: fct_monthly_situation's years to build)."""

    @staticmethod
    def get_relation(database, schema, identifier):
        return f"{schema}.{identifier}"


adapter = _Adapter()
