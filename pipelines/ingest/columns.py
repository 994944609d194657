"""What a source's contract says about one column of its files (:class:`Col`) and about the source
(:class:`SourceSpec`); the contracts themselves are in ``contracts.py``."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.enumerations import EVENT_SOURCES, SOURCE_TITLE_ZH


@dataclass(frozen=True)
class Col:
    """One column of a source file.

    kind: text | code | region_name | datetime | date | count | amount | area | enum | bool |
          year | measure | pct_number; the plans' own kinds (ingest/plans.py): plan_code |
          plan_year | plan_seq | plan_indicator | plan_enum | target_number; the quotas' own
          (ingest/quotas.py): quota_year | quota_indicator | quota_number
    required: the cell must not be empty (rows with an empty cell are rejected).
    mandatory: the header must be present (else the whole file is rejected).
    detect: used to find the header row.
    """

    name: str
    header: str
    kind: str
    aliases: tuple[str, ...] = ()
    unit_family: str | None = None
    required: bool = False
    mandatory: bool = False
    detect: bool = False
    values: tuple[str, ...] = ()
    value_aliases: dict[str, str] = field(default_factory=dict)
    default: str | None = None  # value used for an empty enum cell


@dataclass(frozen=True)
class SourceSpec:
    source: str
    columns: tuple[Col, ...]
    key: tuple[str, ...] = ()  # record key within a file (with reported_date)
    key_column: str | None = None  # column holding 零报告
    zero_date_column: str | None = None
    # reference inputs (pipelines/ingest/judgment.py) the rows are judged against besides the as-of
    # date: a change to any of them re-validates the source's unchanged files
    judged_against: tuple[str, ...] = ("rules", "regions")
    # the date that tells two filings of one key apart (the same key and date twice in a file with
    # different values rejects both rows); a source without this column has none
    dated_by: str = "reported_date"

    def col(self, name: str) -> Col:
        return next(c for c in self.columns if c.name == name)

    @property
    def title_zh(self) -> str:
        return SOURCE_TITLE_ZH[self.source]

    @property
    def event_register(self) -> bool:
        """A monthly register of events, complete with a record or 零报告 every month."""
        return self.source in EVENT_SOURCES

    @property
    def record_key(self) -> tuple[str, ...]:
        """The key of one record in ``raw.<source>``: the file's key, plus ``measure`` where the
        loader turns a wide row into one row per measure (statistics)."""
        if any(c.kind == "measure" for c in self.columns):
            return (*self.key, "measure")
        return self.key
