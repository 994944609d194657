"""Rows of one file that repeat a record key and 填报日期 with different values: ambiguous, so none
of them is loaded (each goes to quarantine naming the others).

A conflict is within one file. In batch mode (several files validated together, ``_file``
column) the groups are per file too.
"""

from __future__ import annotations

import polars as pl

from pipelines.ingest.columns import SourceSpec
from pipelines.ingest.contracts import MEASURE_COLUMNS
from pipelines.ingest.messages import Check, build_messages
from pipelines.ingest.normalise import printable_expr


def _value_columns(spec: SourceSpec) -> list[str]:
    # names as written are not values: the same quota under two spellings of its name is no conflict
    names = ("region_name", "indicator_name_as_printed")
    return [c.name for c in spec.columns if c.name not in names] + ["is_region_from_name"]


def _conflict_messages(rows: pl.DataFrame, spec: SourceSpec, file_name: str | None) -> pl.DataFrame:
    """rows: _sheet, _row, _key (display), _others (list of row numbers), _others_zh / _others_en
    (the same rows with their sheet, when they lie in several sheets) + _raw_record, _deaths_in_row."""
    key_label = "、".join(spec.col(k).header for k in spec.key if k != "region_code") or "行政区划代码"
    if "region_code" in spec.key and spec.key != ("region_code",):
        key_label += "、行政区划代码"
    date_label = next((c.header for c in spec.columns if c.name == spec.dated_by), "填报日期")
    rows = rows.with_columns(
        _where_zh=pl.when(pl.col("_others_zh").is_not_null()).then(pl.col("_others_zh")).otherwise(
            pl.lit("第 ") + pl.col("_others").cast(pl.List(pl.String)).list.join("、") + pl.lit(" 行")
        ),
        _where_en=pl.when(pl.col("_others_en").is_not_null()).then(pl.col("_others_en")).otherwise(
            pl.lit("rows ") + pl.col("_others").cast(pl.List(pl.String)).list.join(", ")
        ),
    )
    checks_zh = pl.concat_str(
        [
            pl.lit(f"同一文件中{key_label}（"),
            pl.col("_key"),
            pl.lit(f"）与{date_label}都相同的记录出现多次且数值不同（"),
            pl.col("_where_zh"),
            pl.lit("），无法判断哪一条正确，均不入库"),
        ]
    )
    checks_en = pl.concat_str(
        [
            pl.lit(f"the same key {key_label} ("),
            pl.col("_key"),
            pl.lit(f") with the same {date_label} appears more than once in this file with different values"),
            pl.lit(" ("),
            pl.col("_where_en"),
            pl.lit("); ambiguous, none of them is loaded"),
        ]
    )
    rows = rows.with_columns(_e_conflict=pl.lit(True))
    check = Check(
        "_e_conflict", "conflicting_duplicate", spec.col(spec.key[0]).header, None, checks_zh, checks_en
    )
    return build_messages(rows, [check], file_name)


def _find_conflicts(
    records: pl.DataFrame, spec: SourceSpec, group_cols: list[str], value_cols: list[str],
    rows_id: list[str],
) -> pl.DataFrame:
    """Rows (rows_id: [_file,] _sheet, _row) whose key + 填报日期 repeats with different values;
    with _others (the rows of the group) and, when they lie in more than one sheet, _others_zh /
    _others_en naming each row's sheet."""
    none = records.select(rows_id).head(0).with_columns(
        _others=pl.lit(None, pl.List(pl.Int32)), _others_zh=pl.lit(None, pl.String),
        _others_en=pl.lit(None, pl.String),
    )
    if records.height == 0:
        return none
    # only a repeated key can conflict: compare values on those rows alone
    repeated = records.filter(pl.struct(group_cols).is_duplicated())
    if repeated.height == 0:
        return none
    sheet = printable_expr(pl.col("_sheet"))
    h = repeated.with_columns(
        _h=pl.struct(value_cols).hash(),
        _at_zh=pl.concat_str([pl.lit("工作表 "), sheet, pl.lit(" 第 "), pl.col("_row").cast(pl.String),
                              pl.lit(" 行")]),
        _at_en=pl.concat_str([pl.lit("sheet "), sheet, pl.lit(" row "), pl.col("_row").cast(pl.String)]),
    )
    groups = (
        h.sort("_sheet", "_row", nulls_last=False)
        .group_by(group_cols)
        .agg(
            _n=pl.col("_h").n_unique(), _others=pl.col("_row").unique().sort(),
            _sheets=pl.col("_sheet").n_unique(), _at_zh=pl.col("_at_zh").unique(maintain_order=True),
            _at_en=pl.col("_at_en").unique(maintain_order=True),
        )
        .filter(pl.col("_n") > 1)
    )
    if groups.height == 0:
        return none
    several = pl.col("_sheets") > 1
    groups = groups.with_columns(
        _others_zh=pl.when(several).then(pl.col("_at_zh").list.join("、")),
        _others_en=pl.when(several).then(pl.col("_at_en").list.join(", ")),
    )
    return (
        h.drop("_at_zh", "_at_en")
        .join(groups, on=group_cols, how="inner", nulls_equal=True)
        .select(*rows_id, "_others", "_others_zh", "_others_en")
        .unique(rows_id)
    )


def split_conflicts(
    parts: list[pl.DataFrame], spec: SourceSpec, file_name: str | None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(records without ambiguous duplicates, quarantine rows for them).

    ``parts``: validated records (SheetResult.records), each with its own ``_cells``; the
    records come back concatenated, without ``_cells``. A conflict is within one file:
    ``file_name=None`` (batch mode) groups by ``_file`` too."""
    per_file = ["_file"] if file_name is None else []
    rows_id = per_file + ["_sheet", "_row"]
    bare = [p.drop("_cells") for p in parts]
    records = pl.concat(bare, how="diagonal_relaxed") if len(bare) > 1 else bare[0]
    if spec.source == "statistics":
        long = statistics_long(records, per_file)
        bad = _find_conflicts(
            long, spec, per_file + ["region_code", "year", "measure", "data_status", "reported_date"],
            ["value"], rows_id,
        )
    else:
        dated = [spec.dated_by] if spec.dated_by in records.columns else []  # plans have none
        group = per_file + list(spec.key) + dated
        bad = _find_conflicts(records, spec, group, _value_columns(spec), rows_id)
    if bad.height == 0:
        return records, records.head(0)
    raw = pl.concat(
        [
            p.join(bad.select(rows_id), on=rows_id, how="semi", nulls_equal=True).select(
                *rows_id, _raw_record=pl.col("_cells").struct.json_encode()
            )
            for p in parts
        ]
    )
    hit = records.join(bad, on=rows_id, how="inner", nulls_equal=True).join(
        raw, on=rows_id, how="left", nulls_equal=True
    )
    key = pl.concat_str([pl.col(k).cast(pl.String) for k in spec.key], separator=" / ")
    q = _conflict_messages(hit.with_columns(_key=key), spec, file_name)
    keep = records.join(bad.select(rows_id), on=rows_id, how="anti", nulls_equal=True)
    return keep, q


def statistics_long(records: pl.DataFrame, extra: list[str] | None = None) -> pl.DataFrame:
    idx = (extra or []) + [
        "region_code",
        "region_name",
        "is_region_from_name",
        "year",
        "data_status",
        "vintage_rank",
        "reported_date",
        "_sheet",
        "_row",
    ]
    return (
        records.select(idx + list(MEASURE_COLUMNS))
        .unpivot(index=idx, on=list(MEASURE_COLUMNS), variable_name="measure", value_name="value")
        .filter(pl.col("value").is_not_null())
    )
