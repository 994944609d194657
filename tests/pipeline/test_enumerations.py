"""One home for every enumeration: the dbt seeds, read by pipelines/enumerations.py.

The loaders, the quality gate, the sample generator and the reports must use those very lists
(the same objects, or equal values where a library needs its own type), and the seeds must say
what the data contracts say.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines import enumerations as en
from pipelines.ingest import column_rules, contracts, judgment, plans, raw_tables
from pipelines.quality import checks, suites
from pipelines.reports import labels
from pipelines.settings import SAMPLE_MARKER
from sample import generate, national, profiles, records
from sample import plans as sample_plans

SPEC_DIR = Path(__file__).resolve().parents[2] / "docs" / "spec"
SPEC = (SPEC_DIR / "data-contracts.md").read_text(encoding="utf-8")
PLANS_SPEC = (SPEC_DIR / "plans.md").read_text(encoding="utf-8")


def _value_sets() -> dict[tuple[str, str], list]:
    """(suite, column) → the value set of each ExpectColumnValuesToBeInSet of the gate's suites."""
    found = {}
    for spec in suites.suite_specs():
        for e in spec.expectations:
            if type(e).__name__ == "ExpectColumnValuesToBeInSet":
                found[(spec.name, e.column)] = list(e.value_set)
    return found


def test_the_loaders_use_the_seed_lists_themselves():
    acc, dis, fire = (contracts.SPECS[s] for s in ("accidents", "disasters", "forest_fires"))
    assert acc.col("sector").values is en.SECTORS
    assert acc.col("accident_type").values is en.ACCIDENT_TYPES
    assert acc.col("reported_severity").values is en.SEVERITIES_ZH
    assert fire.col("fire_grade").values is en.SEVERITIES_ZH
    assert acc.col("status").values is en.RECORD_STATUSES
    assert dis.col("hazard").values is en.HAZARDS
    assert dis.col("report_stage").values is en.REPORT_STAGES
    assert contracts.DATA_STATUSES is en.DATA_STATUSES
    assert contracts.MEASURE_COLUMNS is en.MEASURES
    assert column_rules.CAPABILITY_INDICATORS is en.CAPABILITY_INDICATORS
    assert raw_tables.SOURCES is en.SOURCES
    assert tuple(contracts.SPECS) == en.SOURCES
    # every alias maps onto a listed value
    assert set(contracts.SECTOR_ALIASES.values()) <= set(en.SECTORS)
    assert set(contracts.ACCIDENT_TYPE_ALIASES.values()) <= set(en.ACCIDENT_TYPES)
    assert set(contracts.HAZARD_ALIASES.values()) <= set(en.HAZARDS)
    assert set(contracts.SEVERITY_ALIASES.values()) <= set(en.SEVERITIES_ZH)


def test_the_plans_loader_uses_the_seed_lists_themselves():
    spec = contracts.SPECS["plans"]
    assert spec.col("target_kind").values is en.TARGET_KINDS
    assert spec.col("comparator").values is en.COMPARATORS
    assert spec.col("attribute").values is en.PLAN_ATTRIBUTES
    assert spec.col("evaluation").values is en.EVALUATIONS
    assert plans.INDICATOR_CODES is en.INDICATOR_CODES  # the codes a plan may target: the catalogue
    assert spec.title_zh == en.SOURCE_TITLE_ZH["plans"] and not spec.event_register
    # a plan table may use the seed's Chinese word for every code, and no alias leaves the list
    for col, words in (("target_kind", en.TARGET_KIND_ZH), ("comparator", en.COMPARATOR_ZH),
                       ("attribute", en.PLAN_ATTRIBUTE_ZH), ("evaluation", en.EVALUATION_ZH)):
        aliases = spec.col(col).value_aliases
        assert {zh: code for code, zh in words.items()}.items() <= aliases.items(), col
        assert set(aliases.values()) <= set(spec.col(col).values), col


def test_the_ingest_rules_fingerprint_covers_the_seeds(tmp_path, monkeypatch):
    """A seed that gains a value (a sector, an indicator a plan may target) changes what rows are
    valid: unchanged files are judged again (pipelines/ingest/judgment.py)."""
    seeds = {p.name for p in en.SEEDS_DIR.glob("*.csv")}
    assert {f"{n}.csv" for n in en.SEED_NAMES} == seeds - {"regions.csv", "national_reference.csv"}
    for path in en.seed_paths():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    monkeypatch.setattr(en, "SEEDS_DIR", tmp_path)
    judgment.rules_fingerprint.cache_clear()
    try:
        before = judgment.rules_fingerprint()
        with (tmp_path / "sectors.csv").open("a", encoding="utf-8") as fh:
            fh.write("新行业,false,99\n")
        judgment.rules_fingerprint.cache_clear()
        assert judgment.rules_fingerprint() != before
    finally:
        judgment.rules_fingerprint.cache_clear()


def test_the_quality_gate_checks_the_same_lists():
    sets = _value_sets()
    assert sets[("raw_accidents_values_valid", "sector")] == list(en.SECTORS)
    assert sets[("raw_accidents_values_valid", "accident_type")] == list(en.ACCIDENT_TYPES)
    assert sets[("raw_accidents_values_valid", "reported_severity")] == list(en.SEVERITIES_ZH)
    assert sets[("raw_accidents_values_valid", "status")] == list(en.RECORD_STATUSES)
    assert sets[("raw_forest_fires_values_valid", "fire_grade")] == list(en.SEVERITIES_ZH)
    assert sets[("raw_disasters_values_valid", "hazard")] == list(en.HAZARDS)
    assert sets[("raw_disasters_values_valid", "report_stage")] == list(en.REPORT_STAGES)
    assert sets[("raw_statistics_values_valid", "measure")] == list(en.MEASURES)
    assert sets[("raw_statistics_values_valid", "data_status")] == list(en.DATA_STATUSES)
    capabilities = list(en.CAPABILITY_INDICATORS.values())
    assert sets[("raw_capabilities_values_valid", "indicator_code")] == capabilities
    assert checks.SOURCES is en.SOURCES and checks.SOURCE_ZH is en.SOURCE_ZH
    assert sets[("raw_plans_values_valid", "indicator_code")] == list(en.INDICATOR_CODES)
    assert sets[("raw_plans_values_valid", "target_kind")] == list(en.TARGET_KINDS)
    assert sets[("raw_plans_values_valid", "comparator")] == list(en.COMPARATORS)
    assert sets[("raw_plans_values_valid", "attribute")] == list(en.PLAN_ATTRIBUTES)
    assert sets[("raw_plans_values_valid", "evaluation")] == list(en.EVALUATIONS)


def test_the_sample_generator_draws_from_the_same_lists():
    assert generate.SOURCES is en.SOURCES
    assert generate.MARKER == SAMPLE_MARKER
    assert records.INDUSTRIAL_SECTORS is en.INDUSTRIAL_SECTORS
    assert profiles.CAPABILITY_NAMES == {code: name for name, code in en.CAPABILITY_INDICATORS.items()}
    # the national generator weighs sectors, types and hazards: only listed values may be drawn
    assert set(national.SECTORS) <= set(en.SECTORS)
    assert set(national.TYPES) <= set(en.SECTORS)
    assert set(national.TYPES.values()) <= set(en.ACCIDENT_TYPES)
    assert set(national.HAZARDS) <= set(en.HAZARDS)
    # plan tables written in words use the seeds' words
    assert sample_plans.KIND_ZH is en.TARGET_KIND_ZH
    assert sample_plans.COMPARATOR_ZH is en.COMPARATOR_ZH
    assert sample_plans.EVALUATION_ZH is en.EVALUATION_ZH
    assert sample_plans.ATTRIBUTE_ZH == en.PLAN_ATTRIBUTE_ZH | {"unspecified": ""}


def test_the_reports_label_with_the_seeds_words_and_keep_only_presentation():
    # labels.py holds colours and symbols only; the words come from marts.dim_code_label (the seeds)
    words_in_python = ("SOURCE_ZH", "SEVERITY_ZH", "LEVEL_ZH", "COMPARATOR_ZH")
    assert not any(hasattr(labels, name) for name in words_in_python)
    assert set(en.PLAN_STATUS_ZH) <= set(labels.STATUS_STYLE)
    assert set(labels.SEVERITY_COLOURS) == set(en.SEVERITY_CLASSES)
    from tests.reports.conftest import code_label_rows

    rows = code_label_rows()
    words = {(r["code_kind"], r["code"]): r["label_zh"] for r in rows}
    assert {c: words[("plan_status", c)] for c in en.PLAN_STATUS_ZH} == en.PLAN_STATUS_ZH
    assert {c: words[("source", c)] for c in en.SOURCES} == en.SOURCE_ZH
    assert {c: words[("severity_class", c)] for c in en.SEVERITY_CLASSES} == en.SEVERITY_ZH
    assert {c: words[("comparator", c)] for c in en.COMPARATORS} == en.COMPARATOR_ZH


def test_record_keys_of_the_raw_tables():
    keys = {s: spec.record_key for s, spec in contracts.SPECS.items()}
    assert keys == {
        "accidents": ("accident_id",),
        "disasters": ("event_id", "region_code"),
        "forest_fires": ("fire_id",),
        "statistics": ("region_code", "year", "measure"),  # one raw row per measure of a file row
        "capabilities": ("region_code", "year", "indicator_code"),
        "plans": ("plan_id", "region_code", "seq"),  # a later file of the same key: a later version
        "quotas": ("year", "region_code", "indicator_code"),  # a later 下达日期: an adjustment
    }
    assert [s for s, spec in contracts.SPECS.items() if spec.event_register] == list(en.EVENT_SOURCES)


def _spec_list(pattern: str) -> list[str]:
    match = re.search(pattern, SPEC, re.S)
    assert match, pattern
    return [v.strip() for v in re.split(r"[,/]", match.group(1)) if v.strip()]


@pytest.mark.parametrize(
    ("pattern", "values"),
    [
        (r"Sectors \(行业领域\): (.*?) \(fires", en.SECTORS),
        (r"\| 事故类别 \| \| one of GB 6441's 20 types, optional \| (.*?) \|", en.ACCIDENT_TYPES),
        (r"\| 灾种 \| 灾害种类 \| one of: (.*?) \|", en.HAZARDS),
        (r"\| 报告阶段 \| 报告类型 \| (.*?) \|", en.REPORT_STAGES),
        (r"\| 数据状态 \| \| (.*?) \|", tuple(en.DATA_STATUSES)),
        (r"\| 事故等级 \| 事故级别 \| (.*?) \|", en.SEVERITIES_ZH),
        (r"\| 状态 \| \| (.*?) \|", en.RECORD_STATUSES),
    ],
)
def test_the_seeds_say_what_the_data_contracts_say(pattern, values):
    assert _spec_list(pattern) == list(values)


def _plans_spec_row(header: str) -> str:
    match = re.search(rf"^\| {header} \|[^|]*\| (.*?) \|$", PLANS_SPEC, re.M)
    assert match, header
    return match.group(1)


def test_the_plan_seeds_say_what_the_plans_spec_says():
    """docs/spec/plans.md: | 目标类型 | | `decline_pct` / … , or 下降 / … | and the like."""
    codes, words = _plans_spec_row("目标类型").split(", or ")
    assert re.findall(r"`(\w+)`", codes) == list(en.TARGET_KINDS)
    assert words.split(" / ") == list(en.TARGET_KIND_ZH.values())
    comparators = _plans_spec_row("比较符")
    assert re.findall(r"`([<>]=?)`", comparators.split("(or")[0]) == list(en.COMPARATORS)
    assert re.search(r"\(or (.*?)\)", comparators).group(1).split() == list(en.COMPARATOR_ZH.values())
    codes, words = _plans_spec_row("评价方式").split(", or ")
    assert re.findall(r"`(\w+)`", codes) == list(en.EVALUATIONS)
    assert words.split(" / ") == list(en.EVALUATION_ZH.values())
    attributes = re.findall(r"(\S+) \((\w+)\)", _plans_spec_row("指标属性"))
    assert attributes == [(zh, code) for code, zh in en.PLAN_ATTRIBUTE_ZH.items()]


def test_the_first_seven_sectors_are_industrial():
    # data-contracts.md: "The first seven are 工矿商贸."
    assert en.INDUSTRIAL_SECTORS == en.SECTORS[:7]


def test_indicator_catalogue_and_severities_match_the_spec():
    spec = (SPEC_DIR / "indicators.md").read_text(encoding="utf-8")
    for code in en.INDICATOR_CODES:
        assert f"| `{code}` |" in spec, code
    for name in en.CAPABILITY_INDICATORS:
        assert name in spec, name
    # the severity table: | 特别重大 | `extraordinary` | ...
    table = dict(re.findall(r"^\| (\S+) \| `(general|larger|major|extraordinary)` \|", spec, re.M))
    assert {code: zh for zh, code in table.items()} == en.SEVERITY_ZH


def test_every_label_has_one_home():
    """A code with an enumeration seed is labelled there (Chinese and English); code_labels.csv holds
    only the code lists that have no seed of their own, so no label is written twice."""
    other = {r["code_kind"] for r in en.seed_rows("code_labels")}
    assert other == {"region_level", "indicator_kind", "plan_status", "plan_version_status", "check_severity",
                     "gate_verdict", "situation_breakdown", "quota_status"}
    english = {"sources": "source_en", "sectors": "sector_en", "accident_types": "accident_type_en",
               "hazards": "hazard_en", "severities": "severity_class_en", "report_stages": "report_stage_en",
               "record_statuses": "record_status_en", "data_statuses": "data_status_en",
               "measures": "measure_en", "file_statuses": "file_status_en", "target_kinds": "target_kind_en",
               "comparators": "comparator_en", "plan_attributes": "attribute_en",
               "evaluation_methods": "evaluation_en", "situation_measures": "measure_en"}
    for seed, column in english.items():
        assert all(r[column] for r in en.seed_rows(seed)), seed
    # the file statuses the loader writes, the robustness ones included
    assert set(en.FILE_STATUS_ZH) == {"loaded", "replaced", "revalidated", "skipped", "ignored", "removed",
                                      "rejected"}
