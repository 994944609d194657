"""One direction of flow: no module of a lower layer imports a module of an upper one.

Layers, bottom to top (a module may import its own layer and the layers below it):

0. the foundation: settings, paths, errors, enumerations, sql, tables, visible, whole_run, gate_records,
   run_outcome, writer_lock (facts and helpers every room shares);
1. ingest (the load log, ``ingest/load_log.py``, included);
2. transform (dbt);
3. quality (the gate);
4. reports (read marts; they import only the foundation);
5. publish;
6. the entry points: automation (jobs, schedules, sensors), definitions, runner (with
   run_history_writes, how it has Dagster write its history), status and the command line
   (``__main__``).

The production package never imports the sample generator (``sample/``, development tooling),
except the command line's ``generate-sample`` command, which imports it when it is run.
Imports are read with ``ast`` (also those inside functions), never by importing the modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
PACKAGE_DIR = PROJECT_DIR / "pipelines"

FOUNDATION = {
    "settings", "paths", "errors", "enumerations", "sql", "tables", "visible",
    "whole_run", "gate_records", "run_outcome", "writer_lock",
}  # fmt: skip
LAYERS = {
    **dict.fromkeys(FOUNDATION, 0),
    "ingest": 1,
    "transform": 2,
    "quality": 3,
    "reports": 4,
    "publish": 5,
    "automation": 6,
    "definitions": 6,
    "runner": 6,
    "run_history_writes": 6,
    "status": 6,
    "__main__": 6,
}
LAYER_NAMES = ["foundation", "ingest", "transform", "quality", "reports", "publish", "entry points"]


def module_name(path: Path, root: Path = PROJECT_DIR) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, root: Path = PROJECT_DIR) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file that names a project module;
    ``from pipelines import enumerations`` counts as importing ``pipelines.enumerations``."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return [(line, m) for line, m in found if m.split(".")[0] in ("pipelines", "sample")]


def layer_of(module: str) -> int | None:
    """The layer of a ``pipelines`` module; None for the package itself and for names that are
    not modules (``from pipelines.settings import X`` also yields ``pipelines.settings.X``)."""
    parts = module.split(".")
    if parts[0] != "pipelines" or len(parts) == 1:
        return None
    return LAYERS.get(parts[1])


def package_files() -> list[Path]:
    return sorted(PACKAGE_DIR.rglob("*.py"))


def test_every_room_of_the_package_has_a_layer():
    rooms = {module_name(p).split(".")[1] for p in package_files() if module_name(p) != "pipelines"}
    assert rooms - LAYERS.keys() == set(), "give the new room a layer in this test (and in docs/design.md)"


def test_no_lower_layer_imports_an_upper_one():
    upward = []
    for path in package_files():
        own = layer_of(module_name(path))
        if own is None:
            continue
        for line, target in imported_modules(path):
            theirs = layer_of(target)
            if theirs is not None and theirs > own:
                upward.append(
                    f"{path.relative_to(PROJECT_DIR)}:{line} ({LAYER_NAMES[own]}) imports "
                    f"{target} ({LAYER_NAMES[theirs]})"
                )
    assert upward == []


# The two pages about the run itself (not about the data) read the run's own records: the load
# report reads the load log that ingest writes, the quality page the checks' titles. Every
# leadership report reads marts only.
RUN_PAGES = {
    "pipelines/reports/load_report.py": "pipelines.ingest.load_log",
    "pipelines/reports/quality_page.py": "pipelines.quality.checks",
}


def test_reports_import_only_the_foundation_and_themselves():
    outside = [
        f"{path.relative_to(PROJECT_DIR)}:{line} imports {target}"
        for path in sorted((PACKAGE_DIR / "reports").rglob("*.py"))
        for line, target in imported_modules(path)
        if layer_of(target) not in (None, 0, LAYERS["reports"])
        and not target.startswith(RUN_PAGES.get(str(path.relative_to(PROJECT_DIR)), "-"))
    ]
    assert outside == []


def test_the_production_package_never_imports_the_sample_generator():
    imports = [
        (path, line, node_in_function)
        for path in package_files()
        for line, target, node_in_function in _sample_imports(path)
    ]
    # only the command line, inside its generate-sample command, and nowhere at module level
    assert [(p.relative_to(PROJECT_DIR).as_posix(), in_fn) for p, _, in_fn in imports] == [
        ("pipelines/__main__.py", True)
    ]


def _sample_imports(path: Path) -> list[tuple[int, str, bool]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_function = {
        id(inner)
        for fn in ast.walk(tree)
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
        for inner in ast.walk(fn)
    }
    out = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        out += [(node.lineno, n, id(node) in in_function) for n in names if n.split(".")[0] == "sample"]
    return out


def test_the_sample_generator_imports_the_production_facts_not_the_reverse():
    """sample/ may read facts from pipelines (enumerations, settings); nothing in sample/ is
    imported by a module of pipelines/ other than the command line (test above)."""
    sample_files = sorted((PROJECT_DIR / "sample").rglob("*.py"))
    assert sample_files, "sample/ package missing"
    targets = {t for p in sample_files for _, t in imported_modules(p) if t.startswith("pipelines")}
    assert {layer_of(t) for t in targets} <= {None, 0}, sorted(targets)


def test_the_checker_sees_an_upward_import(tmp_path):
    """The check is not vacuous: absolute and relative upward imports are both resolved."""
    probe = tmp_path / "pipelines" / "enumerations.py"
    probe.parent.mkdir()
    probe.write_text("from pipelines.ingest.contracts import SOURCES\nfrom .reports import labels\n")
    found = {t for _, t in imported_modules(probe, root=tmp_path)}
    assert {"pipelines.ingest.contracts", "pipelines.reports.labels"} <= found
    assert {layer_of(t) for t in found} >= {1, 4} and layer_of("pipelines.enumerations") == 0
