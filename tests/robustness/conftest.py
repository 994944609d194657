"""The robustness corpus: fixtures, the outcome recorder and the hook that writes docs/robustness.md.

Every test records what it observed for its case with ``robust_case(case_id, ...)``. When the whole
of ``tests/robustness`` ran and passed, the session hook writes the outcomes to
``test-artifacts/robustness/outcomes.json`` and renders ``docs/robustness.md`` from them.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tests.robustness import cli as cli_runs
from tests.robustness.make_doc import OUTCOMES_JSON, write_doc

HERE = Path(__file__).resolve().parent
_OUTCOMES: dict[str, dict] = {}


def pytest_configure(config):
    config.addinivalue_line("markers", "cli: runs `python -m pipelines run` in a subprocess")
    config.addinivalue_line("markers", "cli_job(name): needs that background command-line job")
    config.addinivalue_line(
        "markers", "slow_bounded: a large case, bounded in time and memory (runs by default)"
    )


def pytest_collection_modifyitems(session, config, items):
    """Command-line cases last: their background jobs run while the in-process cases do."""
    items.sort(key=lambda item: item.get_closest_marker("cli_job") is not None)


def pytest_collection_finish(session):
    """Start the command-line jobs of the selected tests at once, in the background: they overlap
    each other and the in-process cases (each test then waits for its job)."""
    cli_runs.start_jobs(sorted({m.args[0] for item in session.items for m in item.iter_markers("cli_job")}))


def _full_corpus_ran(session) -> bool:
    opt = session.config.option
    if getattr(opt, "keyword", "") or getattr(opt, "markexpr", "") or getattr(opt, "lf", False):
        return False
    modules = {Path(str(item.fspath)).resolve() for item in session.items}
    wanted = {p.resolve() for p in HERE.glob("test_*.py")}
    return wanted <= modules


def pytest_sessionfinish(session, exitstatus):
    cli_runs.cleanup()
    if not _OUTCOMES or exitstatus != 0 or not _full_corpus_ran(session):
        return
    OUTCOMES_JSON.parent.mkdir(parents=True, exist_ok=True)
    OUTCOMES_JSON.write_text(
        json.dumps(_OUTCOMES, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
    )
    write_doc(_OUTCOMES)


@pytest.fixture
def robust_case(request):
    """``robust_case(case_id, title=..., section=..., reason_code=..., destination=..., ...)``:
    records (merges) the observed outcome of a case for docs/robustness.md."""

    def record(case_id: str, **fields) -> None:
        entry = _OUTCOMES.setdefault(case_id, {"case": case_id})
        tests = set(filter(None, (entry.get("test") or "").split(", ")))
        tests.add(fields.pop("test", None) or request.node.originalname or request.node.name)
        entry.update({k: v for k, v in fields.items() if v is not None})
        entry["test"] = ", ".join(sorted(tests))

    return record


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data_raw"
    d.mkdir()
    return d


@pytest.fixture
def con(tmp_path: Path):
    c = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield c
    c.close()
