"""Scale mode: a synthetic country on the national division list."""

from __future__ import annotations

import csv
import time
from collections import Counter

import pytest

from sample import generate_sample

from .reader import ALIASES, read_table


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    out = tmp_path_factory.mktemp("national") / "data"
    t0 = time.perf_counter()
    summary = generate_sample(out, scale="national")
    return out, summary, time.perf_counter() - t0


def test_national_volume_and_speed(national):
    out, s, seconds = national
    assert seconds < 120
    years = 2026 - 2016 + 10 / 12
    assert 15_000 < s.records["accidents"] / years < 25_000
    assert (out / "SAMPLE_DATA.txt").exists() and (out / "README.md").exists()
    with (out / "statistics" / "2020年社会经济统计.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 2978 and all(r["地区生产总值（亿元）"] and r["年末常住人口（万人）"] for r in rows)


def test_national_files_follow_the_contracts(national):
    out, _, _ = national
    deaths = 0
    for source in ("accidents", "disasters", "forest_fires"):
        t = read_table(source, out / source / "2020_130000_河北省.csv")
        assert set(h for h in t.headers if h) <= set(ALIASES[source])
        months = Counter()
        for _, r in t.records:
            code = r["行政区划代码"]
            date_col = "开始日期" if source == "disasters" else "发生时间"
            months[(code, r[date_col][:7])] += 1
            if source == "accidents" and r["事故编号"] != "零报告":
                deaths += int(r["死亡人数"]) + int(r["失踪人数"])
        counties = {c for c, _ in months}
        assert len(counties) > 150  # 河北 has about 170 county-level units
        assert all((c, f"2020-{m:02d}") in months for c in counties for m in range(1, 13))
    assert 500 < deaths < 2500


def test_national_plans(national):
    """Every prefecture gets the standard 14th plan and an illustrative 15th plan, as plan files."""
    out, summary, _ = national
    files = sorted((out / "plans").glob("*.csv"))
    assert summary.files["plans"] == len(files) == 62  # 31 provinces × 2 plans
    plans = {}
    for path in files:
        t = read_table("plans", path)
        for _, r in t.records:
            plans.setdefault((r["规划编号"], r["行政区划代码"]), set()).add(
                (r["规划期起始年"], r["规划期终止年"], r["基期年"], r["规划名称"]))
    assert len({code for _, code in plans}) == 342
    assert {p for p, _ in plans} == {"14fyp", "15fyp"}
    for (plan_id, _), cells in plans.items():
        assert len(cells) == 1  # plan-level cells equal on every row
        first, last, base, name = next(iter(cells))
        years = ("2021", "2025", "2020") if plan_id == "14fyp" else ("2026", "2030", "2025")
        assert (first, last, base) == years
        assert ("示例" in name) == (plan_id == "15fyp")
