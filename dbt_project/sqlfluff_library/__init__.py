"""What dbt's Jinja gives a model and sqlfluff's dbt builtins do not: ``var()`` with the project's
declared values (so ``{{ var('volume_lookback_months') + 1 }}`` renders as dbt renders it), and
the ``modules`` / ``exceptions`` namespaces the project's macros call. Loaded by sqlfluff only
(``library_path`` in ``.sqlfluff``); dbt never reads this folder.
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


def _raise_compiler_error(message):
    raise RuntimeError(message)


modules = types.SimpleNamespace(re=re)
exceptions = types.SimpleNamespace(raise_compiler_error=_raise_compiler_error)
