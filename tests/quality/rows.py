"""Hand-made raw and marts rows for the quality tests (defaults are valid; override a field)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

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
    """The marts a denominators check reads, shaped like docs/design.md (only the columns used)."""
    con.execute("create schema if not exists marts")
    con.execute("""create table marts.dim_region as
        select region_code, region_name, level, parent_code from read_csv(?, all_varchar = true)""",
                [str(Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "regions.csv")])
    con.execute("""create table marts.fct_accidents (accident_id varchar, region_code varchar,
        year integer, deaths integer, is_written_off boolean)""")
    con.execute("""create table marts.fct_disaster_losses (event_id varchar, region_code varchar,
        year integer, dead_missing integer)""")
    con.execute("""create table marts.fct_forest_fires (fire_id varchar, region_code varchar,
        year integer, damaged_forest_ha double)""")
    con.execute("""create table marts.fct_denominators (region_code varchar, year integer,
        gdp_100m_yuan double, gdp_data_status varchar, population_10k double,
        industrial_workers_10k double, operating_vehicles bigint, coal_output_10k_tonnes double,
        forest_area_ha double)""")
    # The five 14th plans' targets (docs/spec/plan_targets.csv) as dbt's int_plan_targets holds them.
    spec = Path(__file__).resolve().parents[2] / "docs" / "spec" / "plan_targets.csv"
    con.execute("create schema if not exists intermediate")
    con.execute("""create table intermediate.int_plan_targets as
        select * exclude (baseline_year, baseline_value), 2021 as start_year, 2025 as end_year,
               2020 as baseline_year, 2016 as previous_first_year, 2020 as previous_last_year
        from read_csv(?, header = true, types = {'region_code': 'varchar'})""", [str(spec)])
    # Every county-level unit of the five jurisdictions filed something (so all are in scope).
    con.execute("""create table marts.bridge_region_rollup as
        select p.region_code as rollup_region_code, c.region_code as county_region_code
        from marts.dim_region p join marts.dim_region c
          on c.region_code = p.region_code or c.parent_code = p.region_code
        where p.region_code in ('230500', '510802', '131100', '360281', '150781')""")
    con.execute("""create table marts.fct_submission_coverage as
        select distinct county_region_code as region_code, 'accidents' as source,
               date '2024-01-01' as month, true as is_covered
        from marts.bridge_region_rollup""")
