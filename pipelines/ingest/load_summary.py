"""What a load did, file by file and source by source (written to raw.files and the load log,
shown by the load report)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FileLoadReport:
    file_name: str
    sha256: str
    status: str  # loaded / skipped / replaced / revalidated / removed / rejected / ignored
    rows_read: int = 0
    rows_loaded: int = 0
    rows_zero_reports: int = 0
    rows_rejected: int = 0
    reason_zh: str | None = None  # why the file was rejected whole (or ignored)
    reason_en: str | None = None
    note_zh: str | None = None  # e.g. hidden sheets not read; why an unchanged file was judged again
    note_en: str | None = None


@dataclass
class SourceLoadReport:
    source: str
    files: list[FileLoadReport] = field(default_factory=list)

    def _sum(self, attr: str, statuses=("loaded", "replaced", "revalidated", "rejected")) -> int:
        return sum(getattr(f, attr) for f in self.files if f.status in statuses)

    @property
    def rows_read(self) -> int:
        return self._sum("rows_read")

    @property
    def rows_loaded(self) -> int:
        return self._sum("rows_loaded")

    @property
    def rows_zero_reports(self) -> int:
        return self._sum("rows_zero_reports")

    @property
    def rows_rejected(self) -> int:
        return self._sum("rows_rejected")

    @property
    def files_rejected(self) -> int:
        return sum(1 for f in self.files if f.status == "rejected")

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)
