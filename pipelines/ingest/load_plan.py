"""Planning one load of a source, inside its transaction: which files are new, changed, gone,
unchanged (skipped) or unchanged but judged again (``judgment.py``), from ``raw.files``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipelines.ingest.columns import SourceSpec
from pipelines.ingest.contracts import SPECS
from pipelines.ingest.discovery import SourceFile, ignored_entries, list_source_files
from pipelines.ingest.judgment import Judgment
from pipelines.ingest.load_summary import FileLoadReport


@dataclass
class SourcePlan:
    """What one load of a source will do, decided from ``raw.files`` inside its transaction."""

    spec: SourceSpec
    judgment: Judgment
    recorded: dict[str, tuple]  # file name -> its raw.files row
    reports: dict[str, FileLoadReport]  # removed, skipped and ignored entries
    to_delete: list[str]  # files whose rows go: removed from the folder, changed, or judged again
    to_process: list[SourceFile]  # new, changed and re-judged files, in name order
    # unchanged files judged again: name -> (their load_seq, kept; why, as (zh, en) reasons)
    revalidate: dict[str, tuple[int, list[tuple[str, str]]]] = field(default_factory=dict)

    @property
    def new_seqs(self) -> int:
        """How many load_seq numbers the plan takes (re-judged files keep theirs)."""
        return sum(1 for f in self.to_process if f.name not in self.revalidate)


_RECORDED = ("file_name, file_sha256, status, rows_read, rows_loaded, rows_zero_reports, rows_rejected, "
             "reason_zh, reason_en, load_seq, judged_against, latest_date, note_zh, note_en")


def plan_source(con, source: str, data_dir: Path, judgment: Judgment) -> SourcePlan:
    files = list_source_files(Path(data_dir), source)
    recorded = {
        r[0]: r
        for r in con.execute(f"select {_RECORDED} from raw.files where source = ?", [source]).fetchall()
    }
    present = {f.name for f in files}
    spec = SPECS[source]
    plan = SourcePlan(spec, judgment, recorded, {}, [], [])
    for entry in ignored_entries(Path(data_dir), source):
        plan.reports[entry.name] = FileLoadReport(entry.name, "", "ignored", reason_zh=entry.reason_zh,
                                                  reason_en=entry.reason_en)
    for name in sorted(set(recorded) - present):
        plan.to_delete.append(name)
        plan.reports[name] = FileLoadReport(name, recorded[name][1], "removed")
    for f in files:
        old = recorded.get(f.name)
        if old is not None and old[1] == f.sha256:
            why = judgment.changes(old[10], old[11], spec.judged_against)
            if not why:
                plan.reports[f.name] = FileLoadReport(
                    f.name, f.sha256, "skipped", old[3], old[4], old[5], old[6], old[7], old[8],
                    old[12], old[13],
                )
                continue
            plan.revalidate[f.name] = (old[9], why)
        if old is not None:
            plan.to_delete.append(f.name)
        plan.to_process.append(f)
    return plan
