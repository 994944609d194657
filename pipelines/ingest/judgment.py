"""What a file's rows were judged against, and when an unchanged file must be judged again.

A row's validity depends on more than its cells: a date is "in the future" only against the run's
as-of date, a region code is "unknown" only against the region list, a unit's quota only against
the plan it belongs to, and every verdict against the rules (the contracts and the validation code).
A file whose bytes did not change is skipped, so without this module a row rejected as future-dated
at ``--as-of 2026-11-30`` would stay rejected at 2026-12-31, its reason still citing 2026-11-30.

Each load records, per file in ``raw.files``:

- ``judged_against``: JSON of the fingerprints of the reference inputs the source's rows are judged
  against (``SourceSpec.judged_against``: by default the ingest rules and the region list) and the
  as-of date, e.g. ``{"as_of": "2026-11-30", "regions": "3f9a…", "rules": "b21c…"}``;
- ``latest_date``: the latest date in the file that a rule compares with the as-of date (dates,
  times, 零报告 months, years as 1 January), over every row read, rejected rows included.

An unchanged file is judged again (status ``revalidated``, its ``load_seq`` kept, so revisions
resolve as before) when a reference input's fingerprint changed, or when the as-of date moved
across its latest date (``min(old, new) < latest_date``: some row may change sides). A file whose
dates all lie on or before both as-of dates is not touched: daily runs stay incremental.

A new kind of reference input (the plan files, the control quotas) plugs in with
:func:`register_reference_input` and is named in the ``judged_against`` of the sources that
depend on it; nothing else changes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from pipelines import enumerations
from pipelines.settings import REGIONS_CSV


@dataclass(frozen=True)
class ReferenceInput:
    """Something rows are judged against: ``fingerprint(data_dir)`` changes when it changes."""

    name: str
    fingerprint: Callable[[Path], str]
    label_zh: str  # "行政区划代码表"
    label_en: str  # "the region list"


REFERENCE_INPUTS: dict[str, ReferenceInput] = {}


def register_reference_input(name: str, fingerprint: Callable[[Path], str], label_zh: str,
                             label_en: str) -> None:
    """Add (or replace) a reference input; sources name it in ``SourceSpec.judged_against``."""
    REFERENCE_INPUTS[name] = ReferenceInput(name, fingerprint, label_zh, label_en)


def file_fingerprint(path: Path) -> str:
    """SHA-256 of a file's bytes (first 16 hex digits); "absent" when there is no such file."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    except FileNotFoundError:
        return "absent"


def folder_fingerprint(folder: Path, suffixes: tuple[str, ...] = (".xlsx", ".csv")) -> str:
    """Fingerprint of the files of a folder (names and contents): for reference inputs that are
    data files themselves, e.g. ``data_dir / "plans"``."""
    digest = hashlib.sha256()
    folder = Path(folder)
    if folder.is_dir():
        for path in sorted(folder.iterdir(), key=lambda p: p.name):
            if path.is_file() and path.suffix.lower() in suffixes and not path.name.startswith(("~$", ".")):
                digest.update(path.name.encode("utf-8", "surrogateescape") + b"\0")
                digest.update(file_fingerprint(path).encode() + b"\0")
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def rules_fingerprint() -> str:
    """The ingest code (contracts, parsers, validation, reading, loading) and the lists it checks
    cells against (the enumeration seeds and the indicator catalogue, ``pipelines/enumerations.py``):
    any change to them may change a verdict, so every file is judged again once after an upgrade or
    after a seed gains a value (a new sector, a new indicator code a plan may target)."""
    digest = hashlib.sha256()
    code = sorted(Path(__file__).resolve().parent.glob("*.py")) + [Path(enumerations.__file__).resolve()]
    for path in [*code, *enumerations.seed_paths()]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


register_reference_input("rules", lambda _data_dir: rules_fingerprint(), "校验规则（程序已更新）",
                         "the validation rules (the software was updated)")
register_reference_input("regions", lambda _data_dir: file_fingerprint(REGIONS_CSV), "行政区划代码表",
                         "the region list")


@dataclass(frozen=True)
class Judgment:
    """What this run judges rows against: its as-of date and the reference inputs' fingerprints."""

    as_of: date
    fingerprints: dict[str, str]

    @classmethod
    def current(cls, as_of: date, data_dir: Path, names: set[str] | None = None) -> Judgment:
        wanted = REFERENCE_INPUTS if names is None else {n: REFERENCE_INPUTS[n] for n in names}
        return cls(as_of, {n: ref.fingerprint(Path(data_dir)) for n, ref in wanted.items()})

    def record(self, judged_against: tuple[str, ...]) -> str:
        """The ``raw.files.judged_against`` value for a file of a source judged against these."""
        return json.dumps(
            {"as_of": self.as_of.isoformat()} | {n: self.fingerprints[n] for n in judged_against},
            sort_keys=True,
        )

    def changes(self, recorded: str | None, latest_date: date | None,
                judged_against: tuple[str, ...]) -> list[tuple[str, str]]:
        """Why a file recorded with ``recorded`` must be judged again ((zh, en) reasons; empty: it
        need not)."""
        if not recorded:
            return [("此前的载入未记录其校验依据",
                     "its earlier load did not record what it was judged against")]
        try:
            old = json.loads(recorded)
        except json.JSONDecodeError:
            old = {}
        reasons = [
            (f"{REFERENCE_INPUTS[n].label_zh}已变化", f"{REFERENCE_INPUTS[n].label_en} changed")
            for n in judged_against
            if old.get(n) != self.fingerprints[n]
        ]
        try:
            old_as_of = date.fromisoformat(old.get("as_of", ""))
        except (TypeError, ValueError):
            old_as_of = None
        if old_as_of is None:
            reasons.append(("此前的数据截止日期未记录", "the earlier as-of date was not recorded"))
        elif old_as_of != self.as_of and latest_date is not None and min(old_as_of, self.as_of) < latest_date:
            reasons.append((
                f"数据截止日期由 {old_as_of.isoformat()} 改为 {self.as_of.isoformat()}",
                f"the as-of date moved from {old_as_of.isoformat()} to {self.as_of.isoformat()}",
            ))
        return reasons


__all__ = [
    "REFERENCE_INPUTS", "Judgment", "ReferenceInput", "file_fingerprint", "folder_fingerprint",
    "register_reference_input", "rules_fingerprint",
]
