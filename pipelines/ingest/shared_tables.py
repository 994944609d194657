"""The raw tables every loader writes besides its own, as assets of the graph (group ``ingest``).

``raw.files``, ``raw.quarantine`` and ``raw.zero_reports`` are written by the ``raw_sources`` step
together with ``raw.<source>``; dbt's staging models read them. Declared here so that the graph
shows where they come from and what they hold. They cannot be materialized on their own: a run of
``full_run`` writes them.
"""

from __future__ import annotations

import dagster as dg

from pipelines.ingest.raw_tables import SOURCES

SHARED_TABLES: dict[str, str] = {
    "files": "数据目录中每个文件一行：最近一次加载的状态（载入/整体拒收）、"
    "读取/入库/零报告/拒收行数与拒收原因。"
    " One row per file of the data folder: its latest load (loaded or rejected whole), rows read, "
    "loaded, zero reports and rejected, and why a file was rejected.",
    "quarantine": "隔离区：被拒收的每一行及原因（文件、工作表、行号、列，中英文原因，原始单元格）；"
    "不计入任何指标。"
    " Quarantine: every rejected row with its reason (file, sheet, row, column, reason in Chinese and "
    "English, the original cells); it counts in no indicator until the file is corrected.",
    "zero_reports": "零报告：某单位声明某月某来源无事项可报（计入报送完整性）。"
    " Zero reports: a unit's statement that it had nothing to report for a month and source (it counts "
    "as filed in the submission coverage).",
}

# 零报告 are filed for the monthly registers only.
WRITERS = {"zero_reports": ("accidents", "disasters", "forest_fires")}

shared_raw_table_specs: list[dg.AssetSpec] = [
    dg.AssetSpec(
        dg.AssetKey(["raw", name]),
        group_name="ingest",
        deps=[dg.AssetKey(["raw", source]) for source in WRITERS.get(name, SOURCES)],
        description=f"{text} 由 raw_sources 步骤与各来源表一同写入。 Written by the raw_sources step.",
        kinds={"duckdb"},
    )
    for name, text in SHARED_TABLES.items()
]
