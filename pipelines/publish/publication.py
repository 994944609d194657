"""Publication: the only step that touches what analysts and leaders see, as one unit.

A run publishes three things: the warehouse file, its Parquet export (``parquet/`` beside it) and
the reports folder. They must change together: analysts compare the Parquet files with the
warehouse, leaders read reports made from it. Each is first written completely in its staging place
beside its target (the private build file, ``.parquet.building``, ``.<reports>.building``), then the
three are swapped in under a journal, ``.<warehouse>.publishing.json`` beside the warehouse:

1. the journal is written (state ``swapping``, the list of moves) and synced;
2. each published item is moved aside to its backup (``.<name>.previous``) and its new version
   moved in (a stale DuckDB WAL beside the published file is moved aside with the old file: it
   belongs to the old file and would make the new one fail to open);
3. the journal is marked ``committed``; the backups are deleted; the journal is deleted.

A run killed during 2 leaves the journal ``swapping``: :func:`recover_publication`, which every run
calls before it reads the published files, moves the backups back — the old set, whole. Killed
during 3, it finishes the clean-up — the new set, whole. Until a run recovers it,
:func:`publication_state` tells ``status`` exactly which items are old and which new.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import duckdb


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(path: Path) -> None:
    """Flush a file, or every file and folder of a tree, to disk before it is published."""
    if path.is_file():
        with open(path, "rb+") as fh:
            os.fsync(fh.fileno())
        return
    for folder, _dirs, files in os.walk(path):
        for name in files:
            with open(Path(folder) / name, "rb") as fh:
                os.fsync(fh.fileno())
        _fsync_dir(Path(folder))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def journal_path(warehouse: Path) -> Path:
    return warehouse.with_name(f".{warehouse.name}.publishing.json")


def backup_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.previous")


def wal_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".wal")


@dataclass
class Item:
    """One published thing: ``target`` is replaced by ``staged`` (None: only moved aside)."""

    label: str  # warehouse / parquet / reports / stale WAL
    target: str
    staged: str | None
    backup: str
    had_target: bool = False


def _write_journal(path: Path, state: str, items: list[Item], run_id: str | None) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({
        "state": state, "run_id": run_id, "at": datetime.now().isoformat(timespec="seconds"),
        "items": [asdict(i) for i in items],
    }, ensure_ascii=False, indent=1), encoding="utf-8")
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _read_journal(path: Path) -> tuple[str, list[Item], str | None, str | None]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["state"], [Item(**i) for i in data["items"]], data.get("run_id"), data.get("at")


def checkpoint(build: Path) -> None:
    """Fold the build file's WAL into it: the published file is a single file."""
    con = duckdb.connect(str(build))
    try:
        con.execute("checkpoint")
    finally:
        con.close()


WAREHOUSE_LABEL = "数据仓库 warehouse"
STALE_WAL_LABEL = "WAL"


def publish_together(warehouse: Path, build: Path, folders: list[tuple[str, Path, Path]],
                     run_id: str | None = None, swap=os.replace) -> None:
    """Publish the build file as ``warehouse`` and each folder ``(label, target, staged)`` as
    ``target``, as one unit (module docstring). Everything staged must be complete. ``swap`` is the
    rename used for the moves (the tests kill the process there)."""
    recover_publication(warehouse)  # a journal left by a crash is settled first
    checkpoint(build)
    for _, _, staged in folders:
        _fsync_tree(staged)
    _fsync_tree(build)
    items = [Item(WAREHOUSE_LABEL, str(warehouse), str(build), str(backup_path(warehouse))),
             Item(STALE_WAL_LABEL, str(wal_path(warehouse)), None, str(backup_path(wal_path(warehouse))))]
    items += [Item(label, str(target), str(staged), str(backup_path(target)))
              for label, target, staged in folders]
    for item in items:
        item.had_target = os.path.lexists(item.target)
        _remove(Path(item.backup))  # a leftover of an older version's crash: not ours to keep
        Path(item.target).parent.mkdir(parents=True, exist_ok=True)
    journal = journal_path(warehouse)
    _write_journal(journal, "swapping", items, run_id)
    for item in items:
        if item.had_target:
            swap(item.target, item.backup)
        if item.staged is not None:
            swap(item.staged, item.target)
        _fsync_dir(Path(item.target).parent)
    _write_journal(journal, "committed", items, run_id)
    _finish(journal, items)


def _finish(journal: Path, items: list[Item]) -> None:
    for item in items:
        _remove(Path(item.backup))
    journal.unlink(missing_ok=True)
    _fsync_dir(journal.parent)


def _roll_back(journal: Path, items: list[Item]) -> None:
    for item in reversed(items):
        target, backup = Path(item.target), Path(item.backup)
        if item.had_target and os.path.lexists(backup):
            if os.path.lexists(target) and item.staged is not None:
                _remove(target)  # the new version: the run that wrote it did not publish
            os.replace(backup, target)
        elif not item.had_target and item.staged is not None and os.path.lexists(target) \
                and not os.path.lexists(item.staged):
            _remove(target)  # first publication: there was nothing before
        _fsync_dir(target.parent)
    journal.unlink(missing_ok=True)
    _fsync_dir(journal.parent)


def recover_publication(warehouse: Path) -> str | None:
    """Settle a publication a crash interrupted: 'rolled back' (all old), 'completed' (all new), or
    None when there was nothing to do. Call it under the writer's lock."""
    journal = journal_path(warehouse)
    if not journal.exists():
        return None
    try:
        state, items, _, _ = _read_journal(journal)
    except (OSError, ValueError, KeyError, TypeError):
        # a journal is written by rename: a damaged one was never acted upon
        journal.unlink(missing_ok=True)
        return None
    if state == "committed":
        _finish(journal, items)
        return "completed"
    _roll_back(journal, items)
    return "rolled back"


def publication_state(warehouse: Path) -> list[tuple[str, str]]:
    """For ``status``: (zh, en) lines describing an interrupted publication, [] when there is none."""
    journal = journal_path(warehouse)
    if not journal.exists():
        return []
    try:
        state, items, run_id, at = _read_journal(journal)
    except (OSError, ValueError, KeyError, TypeError):
        return [("发布日志已损坏，下次运行会忽略它",
                 "a damaged publication journal; the next run ignores it")]
    if state == "committed":
        return [(
            f"上次发布（运行 {run_id}，{at}）已全部切换为新版本，仅剩旧副本待清理："
            "已发布的内容一致（全部为新版本）",
            f"the last publication (run {run_id}, {at}) swapped everything in; only the old copies are "
            "left to clean up: what is published is consistent (all new)",
        )]
    items = [i for i in items if i.staged is not None]  # the stale WAL is not a published item
    new, missing, old = [], [], []
    for i in items:
        target, backup = os.path.lexists(i.target), os.path.lexists(i.backup)
        if i.had_target:
            (new if backup and target else missing if backup else old).append(i.label)
        elif target and not os.path.lexists(i.staged):
            new.append(i.label)
        else:
            missing.append(i.label)  # first publication: not there yet

    def listed(labels: list[str], sep: str, none: str) -> str:
        return sep.join(labels) or none

    return [(
        f"上次发布（运行 {run_id}，{at}）在切换过程中被中断：已换成新版本的有 {listed(new, '、', '无')}；"
        f"已移开、暂缺的有 {listed(missing, '、', '无')}；仍为旧版本的有 {listed(old, '、', '无')}。"
        "下次运行开始时会全部恢复为旧版本",
        f"the last publication (run {run_id}, {at}) was interrupted while swapping: new now: "
        f"{listed(new, ', ', 'none')}; moved aside, missing: {listed(missing, ', ', 'none')}; still old: "
        f"{listed(old, ', ', 'none')}. The next run restores the old set, all of it, before it starts",
    )]


def publish_warehouse(build: Path, warehouse: Path) -> int:
    """Publish the build file alone (a unit of one). Returns its size."""
    publish_together(warehouse, build, [])
    return warehouse.stat().st_size


def publish_reports(build_dir: Path, reports_dir: Path) -> None:
    """Swap a freshly written folder into place and drop the previous one (not a unit with the
    warehouse: used for folders published on their own)."""
    reports_dir.parent.mkdir(parents=True, exist_ok=True)
    old = backup_path(reports_dir)
    _remove(old)
    if reports_dir.exists():
        os.replace(reports_dir, old)
    os.replace(build_dir, reports_dir)
    _fsync_dir(reports_dir.parent)
    _remove(old)
