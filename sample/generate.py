"""``generate_sample``: the bundled synthetic sample (and, by scale, a synthetic country)."""

from __future__ import annotations

import random
import shutil
from datetime import timedelta
from pathlib import Path

from pipelines.enumerations import SOURCES

from .layout import (
    FULLWIDTH,
    Out,
    unit_values,
    write_accidents,
    write_capabilities,
    write_disasters,
    write_fires,
    write_statistics,
)
from .national import generate_national
from .plans import write_plans
from .profiles import AS_OF, FACTS, YEARS, jurisdictions
from .quotas import quotas_section, write_quotas
from .readme import marker_text, sample_readme
from .records import (
    Accident,
    Fire,
    accidents_for,
    disasters_for,
    fire_grade,
    fires_for,
    special_accidents,
)
from .summary import MARKER, SCALE_FACTORS, SCALES, GenerationSummary


def _prepare(out_dir: Path) -> None:
    """Clear what a previous generation wrote; refuse to touch a folder of real data."""
    out_dir.mkdir(parents=True, exist_ok=True)
    has_data = any((out_dir / s).is_dir() and any((out_dir / s).iterdir()) for s in SOURCES)
    if has_data and not (out_dir / MARKER).exists():
        raise FileExistsError(
            f"{out_dir} already holds data files and no {MARKER}: refusing to overwrite real data "
            f"（目标目录已有数据文件且不是示例数据，拒绝覆盖）"
        )
    for s in SOURCES:
        if (out_dir / s).is_dir():
            shutil.rmtree(out_dir / s)
    for name in (MARKER, "README.md", "plan_targets.csv"):
        if (out_dir / name).exists():
            (out_dir / name).unlink()


def count_facts(accidents: list[Accident]) -> dict[str, dict[str, int]]:
    """The published facts, counted from the generated (valid, latest, not written-off) accidents."""
    latest: dict[str, Accident] = {}
    for a in accidents:
        if a.overrides.get("deaths", "").startswith("约") or a.code == "230599":
            continue
        cur = latest.get(a.id)
        if cur is None or a.reported_date >= cur.reported_date:
            latest[a.id] = a
    out: dict[str, dict[str, int]] = {}
    for (code, (y0, y1)), _ in FACTS.items():
        sel = [
            a
            for a in latest.values()
            if a.jurisdiction == code and y0 <= a.occurred.year <= y1 and a.status != "核销"
        ]
        out[f"{code} {y0}-{y1}"] = {
            "accidents": len(sel),
            "deaths": sum(a.deaths + a.missing for a in sel),
            "injured": sum(a.serious + a.minor for a in sel),
            "industrial_deaths": sum(a.deaths + a.missing for a in sel if a.is_industrial),
        }
    return out


def _sample(out_dir: Path, seed: int) -> GenerationSummary:
    rng = random.Random(seed)
    jurs = jurisdictions()
    out = Out(out_dir)
    all_accidents: list[Accident] = []
    values: dict = {}
    per_jur = []
    for jur in jurs:
        accs = accidents_for(rng, jur)
        accs += special_accidents(rng, jur)
        vals = unit_values(rng, jur)
        values.update(vals)
        pops = {(c, y): v for (c, y, m), v in vals.items() if m == "population"}
        gdps = {(c, y): v for (c, y, m), v in vals.items() if m == "gdp"}
        dis = disasters_for(rng, jur, pops, gdps)
        fires = fires_for(rng, jur)
        per_jur.append((jur, accs, dis, fires))
        all_accidents += accs

    # A few hand-placed imperfections in otherwise valid rows.
    placed: list[str] = []
    for jur, accs, dis, _fires in per_jur:
        valid = [a for a in accs if a.counted]
        if jur.code == "131100":
            a = next(a for a in valid if a.occurred.year == 2023)
            a.overrides["code"] = ""  # code left empty: resolved from 行政区划名称
            a.note = "region from name"
            placed.append(
                f"accident `{a.id}` ({a.name}, 衡水 2023): 行政区划代码 left empty, resolved from the name"
            )
            a = next(a for a in valid if a.occurred.year == 2022 and a.deaths >= 1)
            a.overrides["deaths"] = str(a.deaths).translate(FULLWIDTH)  # full-width digits
            placed.append(
                f"accident `{a.id}` (衡水 2022): 死亡人数 in full-width digits `{a.overrides['deaths']}`"
            )
            r = next(r for r in dis if r.start.year == 2021 and r.stage == "初报")
            r.overrides["affected"] = "约500"  # a text count: this 初报 row is rejected
            placed.append(f"disaster `{r.event_id}` × {r.code} 初报 ({r.start}): 受灾人次 `约500` → rejected")
        if jur.code == "230500":
            a = next(a for a in valid if a.occurred.year == 2023)
            a.summary += " 备注：<b>现场</b>已处置 & <script>alert('x')</script>"
            placed.append(f"accident `{a.id}` (双鸭山 2023): 事故简况 with markup (`<b>`, `<script>`, `&`)")
    revisions: dict[str, list[Fire]] = {j.code: [] for j in jurs}
    for jur, _accs, _dis, fires in per_jur:
        if jur.code == "360281":
            cands = [f for f in fires if f.occurred.year == 2023]
            if cands:
                f = max(cands, key=lambda f: f.occurred)
                burned = round(f.burned * 1.35, 2)
                damaged = round(f.damaged * 1.3, 2)
                revisions[jur.code].append(
                    Fire(
                        id=f.id,
                        occurred=f.occurred,
                        code=f.code,
                        name=f.name,
                        burned=burned,
                        damaged=damaged,
                        grade=fire_grade(damaged, 0, f.injuries),
                        deaths=0,
                        injuries=f.injuries,
                        reported_date=f.occurred.date() + timedelta(days=20),
                        jurisdiction=f.jurisdiction,
                    )
                )
                placed.append(
                    f"forest fire `{f.id}` (乐平 {f.occurred.date()}): re-filed 20 days later with a larger "
                    f"area ({f.burned:g} → {burned:g} 公顷 burned)"
                )

    # GDP revision of 2024 (最终核实), per unit
    revised = {}
    for jur in jurs:
        for u in jur.units:
            revised[(u.code, 2024)] = round(values[(u.code, 2024, "gdp")] * (1 + rng.uniform(0.004, 0.03)), 2)

    for jur, accs, dis, fires in per_jur:
        write_accidents(out, rng, jur, accs)
        write_disasters(out, rng, jur, dis)
        write_fires(out, rng, jur, fires, revisions[jur.code])
    write_statistics(out, jurs, values, revised)
    write_capabilities(out)
    write_plans(out)
    write_quotas(out, jurs, all_accidents)

    facts = count_facts(all_accidents)
    (out_dir / MARKER).write_text(marker_text(AS_OF), encoding="utf-8")
    (out_dir / "README.md").write_text(
        sample_readme(seed, jurs, values, revised, facts, placed) + "\n"
        + quotas_section(jurs, all_accidents),
        encoding="utf-8",
    )
    return GenerationSummary(
        out_dir=out_dir,
        seed=seed,
        scale="sample",
        as_of=AS_OF,
        files=dict(out.files),
        bytes=dict(out.bytes),
        records=dict(out.rows),
        zero_reports=dict(out.zero_reports),
        facts=facts,
        notes=(f"years {YEARS[0]}–{YEARS[-1]} complete, 2026 January–October",),
    )


def generate_sample(out_dir: Path, seed: int = 20261126, scale: str = "sample") -> GenerationSummary:
    """Write the synthetic raw files into ``out_dir/<source>/`` plus SAMPLE_DATA.txt and README.md.

    Deterministic: the same seed and scale give byte-identical files. ``scale`` is ``sample``
    (the five plan jurisdictions, committed in ``data_raw/``) or ``national`` / ``national-2x`` /
    ``national-4x`` … ``national-16x`` (a synthetic country on the national division list, its
    events times the factor, for benchmarks).
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    out_dir = Path(out_dir)
    _prepare(out_dir)
    if scale == "sample":
        return _sample(out_dir, seed)
    return generate_national(out_dir, seed, SCALE_FACTORS[scale])
