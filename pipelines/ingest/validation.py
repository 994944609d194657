"""Turning the text cells of one sheet into parsed, validated rows (vectorised).

Stage 1 parses every column and computes one boolean flag per check; stage 2 builds the
bilingual reasons only for the rows that failed (so the hot path — valid rows and zero reports —
never formats a message).

A validator runs on one sheet of one file, or — batch mode, ``file_name=None`` — on the sheets of
many files that share one header layout, stacked with a ``_file`` and a ``_sheet`` column: each
polars query has a fixed cost of ~1 ms, so validating 30 files at once costs little more than one.
Everything that depends on the file (footers, messages, row counts) then reads ``_file``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl

from pipelines.ingest.cell_checks import out_of_range, problem_cell_checks
from pipelines.ingest.column_rules import COLUMN_RULES
from pipelines.ingest.columns import Col, SourceSpec
from pipelines.ingest.contracts import DATA_STATUSES, ZERO_REPORT_TOKEN
from pipelines.ingest.messages import QUARANTINE_COLUMNS, Check, build_messages
from pipelines.ingest.normalise import clean_text, printable
from pipelines.ingest.parsing import Parsed, parse_month, parse_year, resolve_regions
from pipelines.ingest.reading import SheetData
from pipelines.ingest.row_kinds import data_rows

YEAR_RANGE = (1950, 2100)  # a plan or quota year outside it is a typo


# Rules between two columns of an event row: (flag, reason code, column blamed, failed, zh, en).
CROSS_COLUMN_RULES: dict[str, tuple[tuple[str, str, str, pl.Expr, str, str], ...]] = {
    "disasters": (
        (
            "_e_end_before_start", "end_before_start", "end_date",
            pl.col("end_date") < pl.col("start_date"),
            "结束日期不能早于开始日期", "expected an end date on or after the start date",
        ),
        (
            "_e_crop", "inconsistent_values", "crop_failed_ha",
            pl.col("crop_failed_ha") > pl.col("crop_affected_ha") + 1e-9,
            "绝收面积不能大于受灾面积", "expected crop failure area not above the crop area affected",
        ),
    ),
    "forest_fires": (
        (
            "_e_forest", "inconsistent_values", "damaged_forest_ha",
            pl.col("damaged_forest_ha") > pl.col("burned_area_ha") + 1e-9,
            "受害森林面积不能大于过火面积", "expected the damaged forest area not above the burned area",
        ),
    ),
}


@dataclass
class SheetResult:
    # valid parsed records, with _sheet, _row, _deaths_in_row and _cells (the row's cells under
    # the sheet's header labels, a struct: JSON-encoded only for the rows that need it)
    records: pl.DataFrame
    zero: pl.DataFrame  # valid zero reports: region_code, month, _sheet, _row
    rejects: pl.DataFrame  # quarantine rows (without file-level lineage)
    rows_read: int
    checks: list[Check] = field(default_factory=list)
    rows_read_by_file: dict[str, int] | None = None  # batch mode: rows_read per _file
    # the latest date compared with the as-of date, per _file (key None for a single file)
    latest_dates: dict[str | None, date] = field(default_factory=dict)


def _header_label(text: str | None, fallback: str) -> str:
    if not text:
        return fallback
    return printable("".join(str(text).split()))


def _rejected_and_kept(df: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(rows with ``_bad``, the others); no copy when nothing is rejected, the usual case."""
    if not df["_bad"].any():
        return df.head(0), df
    return df.filter(pl.col("_bad")), df.filter(~pl.col("_bad"))


class SheetValidator:
    """Validates the rows of one sheet of one source."""

    def __init__(self, spec: SourceSpec, sheet: SheetData, file_name: str | None, as_of: date):
        self.spec = spec
        self.sheet = sheet
        self.file_name = file_name
        self.as_of = as_of
        self.checks: list[Check] = []
        self.stage1: dict[str, pl.Expr] = {}
        self.footer_seen = False
        self.as_of_dates: list[pl.Expr] = []  # dates the rules compare with the as-of date
        self.colmap: dict[str, tuple[str, float, str]] = {}  # name -> (cell column, factor, header label)
        self.extras: list[tuple[str, str]] = []  # (header label, cell column)
        labels_seen: set[str] = set()
        self.record_fields: list[tuple[str, str]] = []  # raw_record: (label, cell column)
        for i, (h, m) in enumerate(zip(sheet.headers, sheet.matches, strict=True)):
            cell = f"c{i}"
            label = _header_label(h, f"第{i + 1}列")
            base = label
            k = 2
            while label in labels_seen:
                label = f"{base}_{k}"
                k += 1
            labels_seen.add(label)
            self.record_fields.append((label, cell))
            if m is not None:
                self.colmap[m.col.name] = (cell, m.factor, label)
            elif h is not None:
                self.extras.append((label, cell))

    # ------------------------------------------------------------------ helpers
    def stage(self, name: str, parsed: Parsed) -> Parsed:
        """Parse into a temporary column first (so the parser runs once), then read its fields."""
        self.stage1[f"_p_{name}"] = parsed.struct
        return Parsed.of(f"_p_{name}")

    def text(self, name: str) -> pl.Expr:
        if name in self.colmap:
            return pl.col(self.colmap[name][0])
        return pl.repeat(None, pl.len(), dtype=pl.String)  # full height: parsers run on batches

    def label(self, name: str) -> str:
        return self.colmap[name][2] if name in self.colmap else self.spec.col(name).header

    def has(self, name: str) -> bool:
        return name in self.colmap

    def factor(self, name: str) -> float:
        """The factor converting the column's values from the file's unit to the raw unit."""
        return self.colmap[name][1] if name in self.colmap else 1.0

    def flag(self, name: str, suffix: str, failed: pl.Expr, code: str, expected_zh, expected_en) -> pl.Expr:
        """The flag ``_e_<name>_<suffix>`` of a check on a column, registered with its reason."""
        flag = f"_e_{name}_{suffix}"
        self.add(flag, code, name, expected_zh, expected_en)
        return failed.alias(flag)

    def range_check(self, name: str, value: pl.Expr) -> pl.Expr:
        """A number within the range of its raw column's DuckDB type (cell_checks.py)."""
        failed, expected_zh, expected_en = out_of_range(value, self.spec.source, name)
        return self.flag(name, "range", failed, "out_of_range", expected_zh, expected_en)

    def four_digit_year(self, n: str, t: pl.Expr, example: int, exprs: list[pl.Expr]) -> Parsed:
        """A year cell of a plan or quota table: parsed into column n, invalid outside YEAR_RANGE."""
        p = self.stage(n, parse_year(t))
        low, high = YEAR_RANGE
        exprs.append(p.value.alias(n))
        outside = ~p.value.is_between(low, high)
        exprs.append((p.invalid | outside).fill_null(p.invalid).alias(f"_e_{n}_invalid"))
        self.add(
            f"_e_{n}_invalid",
            "invalid_year",
            n,
            f"应为四位年份（如 {example}）",
            f"expected a 4-digit year such as {example}",
        )
        return p

    def add(self, flag: str, code: str, name: str | None, expected_zh, expected_en, show_value: bool = True):
        column = self.label(name) if name else None
        value = self.colmap[name][0] if (name and show_value and name in self.colmap) else None
        self.checks.append(Check(flag, code, column, value, expected_zh, expected_en))

    # ------------------------------------------------------------------ classify rows
    def classify(self) -> pl.DataFrame:
        """The data rows (blank, total and footer rows dropped, row_kinds.py), with _sheet and
        _is_zero (a 零报告 in the key column, cleaned once into _key)."""
        df, self.footer_seen = data_rows(self.sheet.data, batch=self.file_name is None)
        is_zero = pl.lit(False)
        if self.spec.key_column and self.has(self.spec.key_column):
            # the key cleaned once, here: it says 零报告 or is the record's key (column_rules.py)
            df = df.with_columns(_key=clean_text(self.text(self.spec.key_column)))
            is_zero = (pl.col("_key") == ZERO_REPORT_TOKEN).fill_null(False)
        if self.file_name is not None:
            df = df.with_columns(_sheet=pl.lit(self.sheet.sheet_name, pl.String))
        return df.with_columns(_is_zero=is_zero)

    def cells(self) -> pl.Expr:
        """The row's cells under the sheet's header labels (a struct)."""
        return pl.struct([pl.col(c).alias(lbl) for lbl, c in self.record_fields])

    def raw_record(self) -> pl.Expr:
        return self.cells().struct.json_encode()

    def extra_columns(self) -> pl.Expr:
        if not self.extras:
            return pl.lit(None, pl.String)
        return pl.struct([pl.col(c).alias(lbl) for lbl, c in self.extras]).struct.json_encode()

    # ------------------------------------------------------------------ region
    def regions(self, df: pl.DataFrame) -> pl.DataFrame:
        code_col = self.colmap["region_code"][0] if self.has("region_code") else None
        name_col = self.colmap["region_name"][0] if self.has("region_name") else None
        df = resolve_regions(df, code_col, name_col)
        df = df.with_columns(
            region_code=pl.col("_rcode"),
            is_region_from_name=pl.col("_rfrom_name"),
            region_name=pl.col("_rname"),
            _e_rcode=pl.col("_rerr") == "unknown_region_code",
            _e_rmissing=pl.col("_rerr") == "missing_region",
            _e_rname=pl.col("_rerr") == "unknown_region_name",
            _e_ramb=pl.col("_rerr") == "ambiguous_region_name",
        )
        code_label = "region_code" if self.has("region_code") else "region_name"
        candidates = pl.col("_rcands")  # ambiguous names: the codes they match
        zh_then, en_then = "），应填写行政区划代码", "); expected the region code"
        for flag, code, column, zh, en in (
            (
                "_e_rcode", "unknown_region_code", "region_code",
                "应为已知的县级或地市级行政区划代码（6 位数字）",
                "expected a known 6-digit code of a county-level unit or prefecture",
            ),
            (
                "_e_rmissing", "missing_region", code_label,
                "应填写行政区划代码，或填写能唯一确定区划的行政区划名称",
                "expected a region code, or a region name that identifies exactly one unit",
            ),
            (
                "_e_rname", "unknown_region_name", "region_name",
                "行政区划代码为空时，名称应为已知的县级或地市级行政区划名称",
                "with the region code empty, expected the name of a known county-level unit or prefecture",
            ),
            (
                "_e_ramb", "ambiguous_region_name", "region_name",
                pl.concat_str([pl.lit("名称对应多个行政区划（"), candidates, pl.lit(zh_then)]),
                pl.concat_str([pl.lit("the name matches several regions ("), candidates, pl.lit(en_then)]),
            ),
        ):
            self.add(flag, code, column, zh, en)
        return df

    # ------------------------------------------------------------------ columns
    def parse_column(self, col: Col) -> list[pl.Expr]:
        """Expressions for the parsed value (named col.name) and its flags (column_rules.py)."""
        if col.kind not in COLUMN_RULES:  # pragma: no cover - contract error
            raise ValueError(f"unknown column kind {col.kind}")
        return COLUMN_RULES[col.kind](self, col, self.text(col.name))

    def problem_cell_checks(self, df: pl.DataFrame) -> None:
        """Formula cells without a saved result and error values (cell_checks.py)."""
        for ch in problem_cell_checks(df.columns, [label for label, _ in self.record_fields]):
            self.checks.append(Check(ch.flag, ch.code, ch.column, None, ch.expected_zh, ch.expected_en))
            self.stage1[ch.flag] = ch.expr

    def cross_checks(self) -> list[pl.Expr]:
        """Rules between two columns of a row (CROSS_COLUMN_RULES)."""
        out = []
        for flag, code, column, expr, zh, en in CROSS_COLUMN_RULES.get(self.spec.source, ()):
            out.append(expr.fill_null(False).alias(flag))
            self.add(flag, code, column, zh, en)
        return out

    def deaths_in_row(self) -> pl.Expr:
        parts = []
        for n in ("deaths", "missing"):
            if self.has(n):
                p = Parsed.of(f"_p_{n}")
                parts.append(pl.when(p.blank).then(pl.lit(0.0)).otherwise(p.value))
        if not parts:
            return pl.lit(None, pl.Int32)
        total = parts[0] if len(parts) == 1 else parts[0] + parts[1]
        return pl.when(total == total.floor()).then(total).cast(pl.Int32, strict=False)

    # ------------------------------------------------------------------ run
    def run(self) -> SheetResult:
        df = self.classify()
        rows_read = df.height
        by_file = None
        if self.file_name is None:
            by_file = dict(df.group_by("_file").len().iter_rows())
        per_file = ["_file"] if by_file is not None else []
        ids = per_file + ["_sheet", "_row"]
        rows = df.filter(~pl.col("_is_zero"))
        # zero reports need only their region, month and position (all cells only when rejected)
        date_col = self.spec.zero_date_column
        zero_cells = [self.colmap[n][0] for n in ("region_code", "region_name", date_col) if n in self.colmap]
        zeros = df.select(*ids, *dict.fromkeys(zero_cells), "_is_zero").filter(pl.col("_is_zero"))

        # records
        self.checks = []
        self.stage1 = {}
        self.problem_cell_checks(rows)  # first: they say why such a cell reads as empty
        rows = self.regions(rows)
        exprs: list[pl.Expr] = []
        for col in self.spec.columns:
            exprs.extend(self.parse_column(col))
        rows = rows.with_columns(**self.stage1)  # each parser runs once per column
        rows = rows.with_columns(exprs)
        rows = rows.with_columns(self.cross_checks())
        if self.spec.source == "statistics":
            rows = rows.with_columns(
                vintage_rank=pl.col("data_status").replace_strict(
                    DATA_STATUSES, default=None, return_dtype=pl.Int32
                )
            )
        flags = [c.flag for c in self.checks]
        latest = []
        if self.as_of_dates:
            latest.append(self._latest_dates(rows, pl.max_horizontal(self.as_of_dates), per_file))
        rows = rows.with_columns(
            _bad=pl.any_horizontal(flags).fill_null(False) if flags else pl.lit(False),
            _cells=self.cells(),
            _deaths_in_row=self.deaths_in_row(),
            extra_columns=self.extra_columns(),
        )
        record_checks = list(self.checks)
        bad, good = _rejected_and_kept(rows)
        bad = build_messages(
            bad.with_columns(_raw_record=pl.col("_cells").struct.json_encode()), record_checks, self.file_name
        )
        keep = [c.name for c in self.spec.columns] + [
            "is_region_from_name",
            "extra_columns",
            "vintage_rank",
            "_sheet",
            "_row",
            "_cells",
            "_deaths_in_row",
            "_file",
        ]
        good = good.select([c for c in keep if c in rows.columns])

        # zero reports
        self.checks = []
        zbad = zgood = None
        zeros = self.regions(zeros)
        if zeros.height and date_col:
            zeros = zeros.with_columns(_p_zmonth=parse_month(self.text(date_col)).struct)
            p = Parsed.of("_p_zmonth")
            as_of_month = self.as_of.replace(day=1)
            zeros = zeros.with_columns(
                month=p.value,
                _e_zmonth=p.invalid | p.blank,
                _e_zfuture=(p.value > pl.lit(as_of_month)).fill_null(False),
            )
            self.add(
                "_e_zmonth",
                "invalid_date",
                date_col,
                "零报告应在此列填写所报告的月份（如 2024-03）或该月中的某一日期",
                "a zero report needs the month it covers (e.g. 2024-03) or a date in that month",
            )
            self.add(
                "_e_zfuture",
                "future_date",
                date_col,
                f"零报告的月份不能晚于数据截止日期 {self.as_of.isoformat()} 所在月份",
                f"expected a month not after the as-of date {self.as_of.isoformat()}",
            )
            flags = [c.flag for c in self.checks]
            latest.append(self._latest_dates(zeros, pl.col("month"), per_file))
            zeros = zeros.with_columns(_bad=pl.any_horizontal(flags).fill_null(False))
            zb, zgood = _rejected_and_kept(zeros)
            if zb.height:  # the rejected rows' other cells, for their raw record
                others = [c for _, c in self.record_fields if c not in zb.columns]
                zb = zb.join(
                    df.select(*ids, *others), on=ids, how="left", nulls_equal=True, maintain_order="left"
                )
                zb = zb.with_columns(_raw_record=self.raw_record(), _deaths_in_row=pl.lit(None, pl.Int32))
            zbad = build_messages(zb, list(self.checks), self.file_name)
            zgood = zgood.select("region_code", "month", "_sheet", "_row", *per_file)
        if zgood is None:
            zgood = pl.DataFrame(
                schema={"region_code": pl.String, "month": pl.Date, "_sheet": pl.String, "_row": pl.Int32}
                | dict.fromkeys(per_file, pl.String)
            )
        qcols = QUARANTINE_COLUMNS + per_file
        rejects = [bad.select(qcols)] + ([zbad.select(qcols)] if zbad is not None and zbad.height else [])
        self.checks = record_checks
        latest_dates: dict[str | None, date] = {}
        for part in latest:
            for key, day in part.items():
                if day is not None and (key not in latest_dates or day > latest_dates[key]):
                    latest_dates[key] = day
        return SheetResult(
            records=good, zero=zgood, rejects=pl.concat(rejects, how="vertical_relaxed"), rows_read=rows_read,
            rows_read_by_file=by_file, latest_dates=latest_dates,
        )

    @staticmethod
    def _latest_dates(df: pl.DataFrame, day: pl.Expr, per_file: list[str]) -> dict[str | None, date]:
        """The latest of ``day`` over the rows, per file (judgment.py: when the as-of date matters)."""
        if df.height == 0:
            return {}
        if not per_file:
            return {None: df.select(day.max()).item()}
        return dict(df.group_by("_file").agg(day.max()).iter_rows())
