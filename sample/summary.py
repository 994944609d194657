"""What a generation wrote (:class:`GenerationSummary`), the scales it can write, and the marker
file that tells runs and reports the folder holds synthetic data."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipelines.settings import SAMPLE_MARKER

# national scales: the events of a synthetic country on the national division list, times the factor
SCALE_FACTORS = {"national": 1, "national-2x": 2, "national-4x": 4, "national-8x": 8, "national-16x": 16}
SCALES = ("sample", *SCALE_FACTORS)
MARKER = SAMPLE_MARKER  # reports made from a folder holding it carry a 示例数据 banner


@dataclass(frozen=True)
class GenerationSummary:
    """What ``generate_sample`` wrote."""

    out_dir: Path
    seed: int
    scale: str
    as_of: str
    files: dict[str, int] = field(default_factory=dict)  # per source
    bytes: dict[str, int] = field(default_factory=dict)  # per source
    records: dict[str, int] = field(default_factory=dict)  # data rows per source (zero reports excluded)
    zero_reports: dict[str, int] = field(default_factory=dict)
    facts: dict[str, dict[str, int]] = field(default_factory=dict)  # re-counted published facts
    notes: tuple[str, ...] = ()

    @property
    def total_files(self) -> int:
        return sum(self.files.values())

    @property
    def total_bytes(self) -> int:
        return sum(self.bytes.values())

    def describe(self) -> str:
        lines = [f"{self.scale} data (seed {self.seed}, as of {self.as_of}) in {self.out_dir}:"]
        for s in self.files:
            lines.append(
                f"  {s:<13} {self.files[s]:>5} files {self.bytes[s] / 1024:>9.1f} KiB "
                f"{self.records.get(s, 0):>8} records {self.zero_reports.get(s, 0):>8} zero reports"
            )
        lines.append(f"  total         {self.total_files:>5} files {self.total_bytes / 1024:>9.1f} KiB")
        return "\n".join(lines)
