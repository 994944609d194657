"""Assumptions of the bundled sample: regions, yearly totals, denominators, hazards.

Every number here is synthetic. The accident totals of the years that the plans publish
(双鸭山市 2016–2020, 利州区 2016–2020, 衡水市 2015/2020, 满洲里市 2020) are pinned so that the
published facts come out exactly; everything else is chosen to be plausible and is documented in
the README that the generator writes beside the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.enumerations import CAPABILITY_INDICATORS

YEARS = tuple(range(2015, 2026))  # complete years
CURRENT_YEAR = 2026
CURRENT_LAST_MONTH = 10  # 2026 is filed January–October (as of 2026-11-26)
AS_OF = "2026-11-26"

# Categories used to steer the accident mix (not a contract field).
#   coal      煤矿
#   ind       other 工矿商贸 sectors
#   road_op   道路运输 with 涉及营运车辆 = 是
#   road      道路运输 with 涉及营运车辆 = 否
#   other     火灾, 农业机械, 水上运输, 铁路运输, 渔业船舶 (not 工矿商贸)
CATEGORIES = ("coal", "ind", "road_op", "road", "other")


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    pop: float  # share weight for population (and default for everything else)
    gdp: float  # GDP share weight
    coal: float = 0.0  # share of raw coal output (0: no mines)
    forest: float = 0.0  # share of forest area


@dataclass(frozen=True)
class Big:
    """A pinned accident: its category, deaths (incl. missing) and extras."""

    category: str
    deaths: int
    serious: int = 0
    loss: float | None = None  # 万元
    reported: str | None = None  # severity as reported (None: the rule's class)
    month: int | None = None
    day: int | None = None
    sector: str | None = None
    revised_from: int | None = None  # deaths in the first filing (revision later)
    note: str = ""


@dataclass
class Jurisdiction:
    code: str
    name: str
    short: str
    units: list[Unit]
    # year -> (accidents, deaths incl. missing, injured = serious + minor)
    accidents: dict[int, tuple[int, int, int]]
    pins: dict[int, dict[str, int]] = field(default_factory=dict)  # year -> category -> deaths
    bigs: dict[int, list[Big]] = field(default_factory=dict)
    category_weights: dict[str, float] = field(default_factory=dict)
    sector_weights: dict[str, dict[str, float]] = field(default_factory=dict)
    hazards: dict[str, float] = field(default_factory=dict)
    disaster_events: tuple[int, int] = (2, 4)
    fires_per_year: tuple[int, int] = (0, 1)
    fire_size: float = 5.0  # typical burned area, 公顷
    measures: tuple[str, ...] = ("gdp", "population", "workers")
    # measure -> year -> jurisdiction total
    totals: dict[str, dict[int, float]] = field(default_factory=dict)
    style: str = "A"


def _series(
    v2015: float, v2020: float, v2025: float, noise: dict[int, float] | None = None
) -> dict[int, float]:
    """Geometric interpolation 2015→2020→2025 (and on to 2026), with optional relative noise."""
    out: dict[int, float] = {}
    for y in range(2015, 2027):
        if y <= 2020:
            v = v2015 * (v2020 / v2015) ** ((y - 2015) / 5)
        else:
            v = v2020 * (v2025 / v2020) ** ((y - 2020) / 5)
        out[y] = v * (1 + (noise or {}).get(y, 0.0))
    return out


# ----------------------------------------------------------------------------------------
# 衡水市: anchors for the 2020-vs-2015 facts.
HS_GDP_2015 = 1150.00
HS_WORKERS_2015 = 60.00
# deaths per 亿元 GDP: (14 / G20) / (26 / G15) = 0.38  ->  G20 = G15 * (14/26) / 0.38
HS_GDP_2020 = round(HS_GDP_2015 * (14 / 26) / 0.38, 2)
# industrial deaths 13 -> 7 per 100k workers: (7 / W20) / (13 / W15) = 0.53
HS_WORKERS_2020 = round(HS_WORKERS_2015 * (7 / 13) / 0.53, 2)
# 满洲里市 2020: 3 deaths / 174.42 亿元 = 0.0172; 1 industrial death / 6.7843 万人 = 1.474 per 100k
MZL_GDP_2020 = 174.42
MZL_WORKERS_2020 = 6.7843


def jurisdictions() -> list[Jurisdiction]:
    sys_ = Jurisdiction(
        code="230500",
        name="双鸭山市",
        short="双鸭山",
        units=[
            Unit("230502", "尖山区", 22.0, 0.22, coal=0.20, forest=0.012),
            Unit("230503", "岭东区", 5.6, 0.06, coal=0.15, forest=0.065),
            Unit("230505", "四方台区", 6.8, 0.07, coal=0.18, forest=0.015),
            Unit("230506", "宝山区", 9.6, 0.10, coal=0.22, forest=0.054),
            Unit("230521", "集贤县", 24.5, 0.16, coal=0.15, forest=0.043),
            Unit("230522", "友谊县", 9.0, 0.09, coal=0.0, forest=0.006),
            Unit("230523", "宝清县", 33.0, 0.22, coal=0.10, forest=0.295),
            Unit("230524", "饶河县", 10.4, 0.08, coal=0.0, forest=0.510),
        ],
        accidents={
            2015: (58, 27, 60),
            2016: (50, 22, 57),
            2017: (47, 19, 51),
            2018: (109, 42, 172),
            2019: (114, 31, 144),
            2020: (45, 15, 41),
            2021: (43, 16, 40),
            2022: (38, 13, 35),
            2023: (36, 14, 33),
            2024: (33, 12, 30),
            2025: (30, 11, 27),
            2026: (24, 9, 22),
        },
        pins={
            2020: {"coal": 4, "ind": 4, "road_op": 4},
            2021: {"coal": 4},
            2022: {"coal": 3},
            2023: {"coal": 4},
            2024: {"coal": 2},
            2025: {"coal": 2, "ind": 3, "road_op": 3},
        },
        bigs={
            2016: [Big("coal", 3, serious=2, sector="煤矿", note="瓦斯")],
            2018: [
                Big("coal", 5, serious=3, sector="煤矿", note="透水"),
                Big("ind", 3, serious=1, sector="建筑业"),
            ],
            2019: [Big("coal", 2, serious=1, sector="煤矿", month=6, day=24, revised_from=1)],
            2020: [Big("road_op", 3, serious=4)],
            2021: [Big("road_op", 3, serious=2, reported="一般", note="deliberate severity mismatch")],
            2023: [Big("coal", 3, serious=1, sector="煤矿")],
            2024: [Big("ind", 2, serious=1, sector="建筑业", month=3, day=29, revised_from=1)],
        },
        category_weights={"coal": 0.24, "ind": 0.24, "road_op": 0.16, "road": 0.26, "other": 0.10},
        sector_weights={
            "ind": {
                "建筑业": 0.35,
                "工贸": 0.3,
                "金属非金属矿山": 0.1,
                "化工（危险化学品）": 0.1,
                "其他工矿商贸": 0.15,
            },
            "other": {"火灾": 0.4, "农业机械": 0.35, "水上运输": 0.15, "渔业船舶": 0.10},
        },
        hazards={"洪涝": 0.3, "风雹": 0.25, "雪灾": 0.15, "低温冷冻": 0.1, "干旱": 0.1, "森林草原火灾": 0.1},
        disaster_events=(1, 4),
        fires_per_year=(1, 3),
        fire_size=6.0,
        measures=("gdp", "population", "workers", "vehicles", "coal", "forest"),
        totals={
            "gdp": _series(433.0, 476.0, 581.0, {2016: -0.03, 2017: -0.01, 2019: 0.02, 2022: 0.01}),
            "population": _series(128.6, 120.9, 113.8),
            "workers": _series(21.6, 19.8, 19.1),
            "vehicles": _series(21300, 23000, 25400),
            "coal": _series(1850, 1600, 1700, {2016: -0.04, 2021: 0.02, 2023: -0.02}),
            "forest": _series(640000, 646000, 652000),
        },
        style="A",
    )
    lz = Jurisdiction(
        code="510802",
        name="利州区",
        short="利州",
        units=[Unit("510802", "利州区", 1.0, 1.0, coal=1.0, forest=1.0)],
        accidents={
            2015: (21, 16, 25),
            2016: (19, 14, 22),
            2017: (18, 13, 21),
            2018: (17, 12, 20),
            2019: (15, 10, 18),
            2020: (14, 9, 16),
            2021: (14, 9, 15),
            2022: (13, 10, 15),
            2023: (12, 9, 14),
            2024: (12, 10, 13),
            2025: (12, 10, 13),
            2026: (9, 7, 10),
        },
        pins={2020: {"coal": 1, "ind": 3}, 2025: {"coal": 0, "ind": 3}, 2024: {"coal": 0}},
        bigs={2016: [Big("coal", 3, serious=1, sector="煤矿")], 2019: [Big("road", 3, serious=2)]},
        category_weights={"coal": 0.08, "ind": 0.37, "road_op": 0.15, "road": 0.3, "other": 0.10},
        sector_weights={
            "ind": {
                "建筑业": 0.35,
                "金属非金属矿山": 0.2,
                "烟花爆竹": 0.1,
                "工贸": 0.2,
                "化工（危险化学品）": 0.15,
            },
            "other": {"水上运输": 0.3, "火灾": 0.5, "农业机械": 0.2},
        },
        hazards={"洪涝": 0.4, "地质灾害": 0.35, "风雹": 0.15, "地震": 0.05, "干旱": 0.05},
        disaster_events=(1, 3),
        fires_per_year=(0, 2),
        fire_size=3.0,
        measures=("gdp", "population", "workers", "coal"),
        totals={
            "gdp": _series(236.0, 340.0, 410.0, {2020: -0.01, 2022: 0.01}),
            "population": _series(50.9, 52.6, 53.4),
            "workers": _series(7.9, 8.2, 8.6),
            "coal": _series(120, 60, 30),
        },
        style="C",
    )
    hs = Jurisdiction(
        code="131100",
        name="衡水市",
        short="衡水",
        units=[
            Unit("131102", "桃城区", 100, 0.235),
            Unit("131103", "冀州区", 35, 0.070),
            Unit("131121", "枣强县", 37, 0.075),
            Unit("131122", "武邑县", 30, 0.055),
            Unit("131123", "武强县", 20, 0.040),
            Unit("131124", "饶阳县", 27, 0.050),
            Unit("131125", "安平县", 31, 0.075),
            Unit("131126", "故城县", 42, 0.070),
            Unit("131127", "景县", 48, 0.090),
            Unit("131128", "阜城县", 30, 0.050),
            Unit("131182", "深州市", 52, 0.100),
            Unit("131171", "河北衡水高新技术产业开发区", 6, 0.050),
            Unit("131172", "衡水滨湖新区", 5, 0.030),
        ],
        accidents={
            2015: (44, 26, 40),
            2016: (40, 24, 37),
            2017: (37, 22, 35),
            2018: (33, 20, 31),
            2019: (27, 17, 26),
            2020: (22, 14, 21),
            2021: (21, 13, 20),
            2022: (20, 12, 18),
            2023: (18, 12, 17),
            2024: (17, 11, 16),
            2025: (16, 10, 15),
            2026: (13, 8, 12),
        },
        pins={2015: {"ind": 13}, 2020: {"ind": 7}, 2025: {"ind": 5}},
        bigs={
            2015: [Big("ind", 4, serious=3, sector="化工（危险化学品）", note="爆炸")],
            2017: [Big("ind", 3, serious=0, sector="建筑业")],
            2020: [Big("ind", 3, serious=2, sector="化工（危险化学品）", note="中毒")],
            2023: [
                Big(
                    "ind",
                    1,
                    serious=1,
                    loss=1250.0,
                    reported="一般",
                    sector="化工（危险化学品）",
                    note="deliberate severity mismatch (loss)",
                )
            ],
        },
        category_weights={"coal": 0.0, "ind": 0.45, "road_op": 0.15, "road": 0.30, "other": 0.10},
        sector_weights={
            "ind": {"化工（危险化学品）": 0.3, "工贸": 0.3, "建筑业": 0.3, "其他工矿商贸": 0.1},
            "other": {"火灾": 0.5, "农业机械": 0.5},
        },
        hazards={"干旱": 0.25, "风雹": 0.35, "洪涝": 0.25, "低温冷冻": 0.15},
        disaster_events=(2, 5),
        fires_per_year=(0, 1),
        fire_size=1.0,
        measures=("gdp", "population", "workers"),
        totals={
            "gdp": {
                **_series(HS_GDP_2015, HS_GDP_2020, 2105.0, {2017: 0.02, 2018: 0.01, 2022: -0.01}),
                2015: HS_GDP_2015,
                2020: HS_GDP_2020,
            },
            "population": _series(436.2, 421.3, 415.0),
            "workers": {
                **_series(HS_WORKERS_2015, HS_WORKERS_2020, 63.5, {2017: 0.01}),
                2015: HS_WORKERS_2015,
                2020: HS_WORKERS_2020,
            },
        },
        style="B",
    )
    lp = Jurisdiction(
        code="360281",
        name="乐平市",
        short="乐平",
        units=[Unit("360281", "乐平市", 1.0, 1.0, forest=1.0)],
        accidents={
            2015: (16, 12, 14),
            2016: (15, 11, 13),
            2017: (14, 11, 12),
            2018: (13, 10, 12),
            2019: (12, 9, 11),
            2020: (12, 10, 12),
            2021: (11, 9, 10),
            2022: (11, 9, 10),
            2023: (10, 8, 9),
            2024: (10, 8, 8),
            2025: (9, 7, 8),
            2026: (7, 5, 6),
        },
        pins={2020: {"ind": 5}, 2025: {"ind": 3}},
        bigs={
            2020: [Big("ind", 3, serious=2, sector="烟花爆竹", note="爆炸")],
            2022: [Big("road", 3, serious=1)],
        },
        category_weights={"coal": 0.0, "ind": 0.45, "road_op": 0.12, "road": 0.3, "other": 0.13},
        sector_weights={
            "ind": {
                "化工（危险化学品）": 0.25,
                "金属非金属矿山": 0.2,
                "烟花爆竹": 0.1,
                "建筑业": 0.3,
                "工贸": 0.15,
            },
            "other": {"火灾": 0.5, "水上运输": 0.2, "农业机械": 0.3},
        },
        hazards={"洪涝": 0.45, "干旱": 0.2, "风雹": 0.2, "低温冷冻": 0.15},
        disaster_events=(1, 3),
        fires_per_year=(2, 6),
        fire_size=7.0,
        measures=("gdp", "population", "workers", "forest"),
        totals={
            "gdp": _series(212.0, 272.0, 352.0, {2019: 0.01, 2022: -0.01}),
            "population": _series(80.1, 76.5, 74.9),
            "workers": _series(10.1, 10.5, 11.0),
            "forest": _series(97200, 98600, 99800),
        },
        style="D",
    )
    mzl = Jurisdiction(
        code="150781",
        name="满洲里市",
        short="满洲里",
        units=[Unit("150781", "满洲里市", 1.0, 1.0)],
        accidents={
            2015: (5, 4, 6),
            2016: (4, 4, 5),
            2017: (4, 3, 4),
            2018: (4, 4, 5),
            2019: (3, 3, 4),
            2020: (3, 3, 3),
            2021: (3, 2, 3),
            2022: (2, 2, 2),
            2023: (3, 2, 3),
            2024: (2, 2, 2),
            2025: (2, 2, 2),
            2026: (2, 1, 2),
        },
        pins={2020: {"ind": 1}, 2025: {"ind": 0}},
        category_weights={"coal": 0.0, "ind": 0.40, "road_op": 0.2, "road": 0.3, "other": 0.10},
        sector_weights={
            "ind": {"建筑业": 0.4, "工贸": 0.2, "其他工矿商贸": 0.3, "化工（危险化学品）": 0.1},
            "other": {"铁路运输": 0.6, "火灾": 0.4},
        },
        hazards={
            "雪灾": 0.35,
            "低温冷冻": 0.2,
            "森林草原火灾": 0.15,
            "沙尘暴": 0.1,
            "干旱": 0.1,
            "风雹": 0.1,
        },
        disaster_events=(1, 3),
        fires_per_year=(0, 1),
        fire_size=2.0,
        measures=("gdp", "population", "workers"),
        totals={
            "gdp": {**_series(228.0, MZL_GDP_2020, 212.0, {2016: 0.02, 2018: 0.01}), 2020: MZL_GDP_2020},
            "population": _series(17.6, 16.2, 15.6),
            "workers": {**_series(7.02, MZL_WORKERS_2020, 7.05), 2020: MZL_WORKERS_2020},
        },
        style="E",
    )
    return [sys_, lz, hs, lp, mzl]


# Units that have not filed (source, months) of 2026 yet: the 催报 list.
MISSING_2026: dict[tuple[str, str], tuple[int, ...]] = {
    ("230524", "accidents"): (9, 10),
    ("230524", "disasters"): (9, 10),
    ("230524", "forest_fires"): (9, 10),
    ("131124", "accidents"): (10,),
    ("131172", "disasters"): (10,),
    ("150781", "forest_fires"): (10,),
}

# Disaster deaths/missing pinned by (jurisdiction, year): (deaths, missing, hazard)
DISASTER_DEATHS: dict[tuple[str, int], tuple[int, int, str]] = {
    ("510802", 2020): (1, 0, "洪涝"),
    ("360281", 2020): (0, 1, "洪涝"),
    ("131100", 2021): (1, 0, "洪涝"),
    ("150781", 2023): (1, 0, "雪灾"),
    ("230500", 2019): (1, 0, "洪涝"),
}

# Capability values (jurisdiction code -> indicator -> year -> value)
CAPABILITIES: dict[str, dict[str, dict[int, float]]] = {
    "131100": {
        "enforcement_equipment_compliance_pct": {
            2020: 72.0,
            2021: 76.5,
            2022: 81.0,
            2023: 84.5,
            2024: 88.0,
            2025: 91.5,
        },
        "warning_coverage_pct": {2020: 88.0, 2021: 90.5, 2022: 92.0, 2023: 94.0, 2024: 95.5, 2025: 97.0},
        "relief_time_hours": {2020: 14.0, 2021: 13.0, 2022: 12.0, 2023: 11.0, 2024: 10.0, 2025: 9.0},
        "professional_staff_pct": {2020: 45.0, 2021: 48.0, 2022: 51.5, 2023: 54.0, 2024: 56.0, 2025: 58.0},
        "new_worker_training_pct": {2020: 92.0, 2021: 95.0, 2022: 97.0, 2023: 98.5, 2024: 100.0, 2025: 100.0},
    },
    "360281": {"relief_time_hours": {2020: 12.0, 2021: 12.0, 2022: 11.0, 2023: 10.0, 2024: 9.0, 2025: 8.0}},
    "150781": {
        "enforcement_equipment_compliance_pct": {
            2020: 80.0,
            2021: 85.0,
            2022: 90.0,
            2023: 95.0,
            2024: 100.0,
            2025: 100.0,
        },
        "relief_time_hours": {2020: 12.0, 2021: 12.0, 2022: 11.0, 2023: 11.0, 2024: 10.0, 2025: 10.0},
    },
}

# code → Chinese name, from the indicator catalogue (dbt seed).
CAPABILITY_NAMES = {code: name for name, code in CAPABILITY_INDICATORS.items()}

# The facts the generated data must reproduce (independently re-counted by the tests).
FACTS = {
    ("230500", (2016, 2020)): {"accidents": 365, "injured": 465, "deaths": 129},
    ("230500", (2019, 2019)): {"accidents": 114, "injured": 144, "deaths": 31},
    ("230500", (2018, 2018)): {"accidents": 109, "injured": 172, "deaths": 42},
    ("510802", (2016, 2020)): {"accidents": 83, "deaths": 58},
    ("131100", (2015, 2015)): {"accidents": 44, "deaths": 26, "industrial_deaths": 13},
    ("131100", (2020, 2020)): {"accidents": 22, "deaths": 14, "industrial_deaths": 7},
    ("150781", (2020, 2020)): {"accidents": 3, "deaths": 3, "industrial_deaths": 1},
}
