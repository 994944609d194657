"""Carrying unchanged plan reports over from the published reports folder.

The published folder holds ``reports.json`` beside the reports: for each report its file, its
fingerprint (``fingerprint.py``), the run that generated it and when, and its line of the index.
It is written into the build folder with the reports and published with them in one swap, so the
published state describes itself. A report whose fingerprint equals the recorded one is copied
byte for byte (it still names the run and time that generated it); the others are rendered.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

log = logging.getLogger(__name__)

MANIFEST = "reports.json"
FORMAT = 1


class Published:
    """The plan reports recorded in a published folder (none if ``folder`` is None or unreadable)."""

    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder is not None else None
        self.records: dict[str, dict] = {}
        if self.folder is None:
            return
        try:
            doc = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # no manifest (first run, or a folder from before fingerprints): render all
        if isinstance(doc, dict) and doc.get("format") == FORMAT:
            self.records = {r["file"]: r for r in doc.get("reports", [])}

    def carry(self, file: str, fingerprint: str, out_dir: Path) -> dict | None:
        """Copy ``file`` into ``out_dir`` if it was published with ``fingerprint``; its record, or None."""
        record = self.records.get(file)
        if record is None or record.get("fingerprint") != fingerprint or self.folder is None:
            return None
        source = self.folder / file
        if not source.is_file():
            return None
        shutil.copyfile(source, Path(out_dir) / file)
        return record


def write_manifest(out_dir: Path, records: list[dict]) -> Path:
    path = Path(out_dir) / MANIFEST
    doc = {"format": FORMAT, "reports": records}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return path
