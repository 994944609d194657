"""Hand-made raw and marts rows for the quality tests (defaults are valid; override a field)."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

from tests.contract_tables import create_contract_tables

LOADED_AT = datetime(2026, 3, 15, 9, 0)


def _lineage(source_file: str, row_number: int) -> dict:
    return {
        "source_file": source_file, "file_sha256": "0" * 64, "sheet_name": "Sheet1",
        "row_number": row_number, "load_seq": 1, "loaded_at": LOADED_AT,
    }


def insert(con, table: str, row: dict) -> None:
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    con.execute(f"insert into {table} ({cols}) values ({marks})", list(row.values()))


def accident(con, accident_id: str, occurred_at: datetime, region_code: str = "230502", *,
             source_file: str = "2024-03.xlsx", row_number: int = 5, **over) -> None:
    row = {
        "accident_id": accident_id, "occurred_at": occurred_at, "region_code": region_code,
        "region_name": None, "is_region_from_name": False, "unit_name": "某公司", "sector": "工贸",
        "industry_code": None, "accident_type": "机械伤害", "deaths": 1, "missing": 0,
        "serious_injuries": 0, "minor_injuries": 0, "direct_loss_10k_yuan": 12.5,
        "reported_severity": "一般", "involves_operating_vehicle": None, "summary": "",
        "status": "正常", "reported_date": occurred_at.date(),
        **_lineage(source_file, row_number),
    }
    row.update(over)
    insert(con, "raw.accidents", row)


def disaster(con, event_id: str, start: date, region_code: str = "230502", *,
             source_file: str = "2024-07.xlsx", row_number: int = 4, **over) -> None:
    row = {
        "event_id": event_id, "hazard": "洪涝", "start_date": start, "end_date": start,
        "region_code": region_code, "region_name": None, "is_region_from_name": False,
        "affected_person_times": 1200, "deaths": 0, "missing": 0, "relocated_person_times": 30,
        "needing_relief_person_times": 10, "crop_affected_ha": 100.0, "crop_failed_ha": 20.0,
        "houses_collapsed": 0, "houses_severely_damaged": 1, "houses_generally_damaged": 3,
        "direct_loss_10k_yuan": 80.0, "report_stage": "核报", "reported_date": start,
        **_lineage(source_file, row_number),
    }
    row.update(over)
    insert(con, "raw.disasters", row)


def marts_tables(con) -> None:
    """The marts a denominators check reads, built from their dbt contracts and filled by hand:
    dim_region from the regions seed, the five plan jurisdictions' county-level units all filing
    (so all are in scope); no events and no denominators (tests add them). The five 14th plans
    (2021–2025, base 2020) are raw.plans rows: dbt builds int_plan_targets from them."""
    create_contract_tables(con, [
        "dim_region", "bridge_region_rollup", "fct_accidents", "fct_disaster_losses", "fct_forest_fires",
        "fct_denominators", "fct_submission_coverage",
    ])
    regions = str(Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "regions.csv")
    con.execute("""insert into marts.dim_region (region_code, region_name, level, parent_code)
        select region_code, region_name, level, parent_code from read_csv(?, all_varchar = true)""",
                [regions])
    con.execute("""insert into marts.bridge_region_rollup (rollup_region_code, county_region_code)
        select p.region_code, c.region_code
        from marts.dim_region p join marts.dim_region c
          on c.region_code = p.region_code or c.parent_code = p.region_code
        where p.region_code in ('230500', '510802', '131100', '360281', '150781')""")
    con.execute("""insert into marts.fct_submission_coverage (region_code, source, month, is_covered)
        select distinct county_region_code, 'accidents', date '2024-01-01', true
        from marts.bridge_region_rollup""")
    fourteenth_plans(con)


def fourteenth_plans(con) -> None:
    """The five published 14th plans' targets (docs/spec/plan_targets.csv) as raw.plans rows, one
    file per plan."""
    spec = Path(__file__).resolve().parents[2] / "docs" / "spec" / "plan_targets.csv"
    with spec.open(encoding="utf-8", newline="") as fh:
        targets = list(csv.DictReader(fh))
    for i, t in enumerate(targets):
        insert(con, "raw.plans", {
            "plan_id": t["plan_id"], "plan_name": f"{t['region_code']}“十四五”规划",
            "region_code": t["region_code"],
            "is_region_from_name": False, "start_year": 2021, "end_year": 2025, "baseline_year": 2020,
            "seq": int(t["seq"]), "indicator_name_as_printed": t["indicator_name_as_printed"],
            "indicator_code": t["indicator_code"], "target_kind": t["target_kind"],
            "comparator": t["comparator"] or None,
            "target_value": float(t["target_value"]) if t["target_value"] else None, "unit": t["unit"],
            "baseline_value_printed": t["baseline_value"] or None,
            "attribute": None if t["attribute"] == "unspecified" else t["attribute"],
            "evaluation": t["evaluation"], "note": t["note"] or None,
            **_lineage(f"plan-{t['region_code']}.csv", i + 2),
        })


# What the checks on the marts read besides the hand-made marts: the catalogue, the plan targets
# (from raw.plans) and the quality views (dbt builds them on the hand-made tables).
QUALITY_VIEWS_ON_MARTS = [
    "indicators", "int_indicators_defined", "dim_indicator", "stg_plans__targets", "int_plan_versions",
    "int_plan_target_versions", "int_plan_targets",
    "qa_denominators_long", "qa_denominators", "qa_missing_event_denominators",
    "qa_missing_plan_denominators",
]
