"""Number, date and region parsers (examples + hypothesis properties)."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.ingest.contracts import SPECS
from pipelines.ingest.headers import match_header
from pipelines.ingest.parsing import (
    parse_datetime,
    parse_month,
    parse_number,
    region_index,
    resolve_regions,
)


def num(values, **kw):
    s = pl.DataFrame({"v": pl.Series(values, dtype=pl.String)})
    p = parse_number(pl.col("v"), **kw)
    out = s.select(value=p.value, blank=p.blank, invalid=p.invalid)
    return out.to_dicts()


def dt(values):
    s = pl.DataFrame({"v": pl.Series(values, dtype=pl.String)})
    p = parse_datetime(pl.col("v"))
    return s.select(value=p.value, invalid=p.invalid)["value"].to_list()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,234", 1234.0),
        ("１２３", 123.0),
        (" 12 ", 12.0),
        ("1 234", 1234.0),
        ("１，２３４．５", 1234.5),
        ("0.5", 0.5),
        ("-3", -3.0),
        ("12,345,678", 12345678.0),
    ],
)
def test_numbers_parse(text, value):
    assert num([text])[0] == {"value": value, "blank": False, "invalid": False}


@pytest.mark.parametrize("text", [None, "", "—", "-", "/", "无", "  ", "－", "——"])
def test_zero_tokens_are_blank(text):
    assert num([text])[0] == {"value": None, "blank": True, "invalid": False}


@pytest.mark.parametrize("text", ["约3人", "三", "N/A", "1,23", "3人", "1.2.3", "abc"])
def test_non_numbers_are_invalid(text):
    r = num([text])[0]
    assert r["invalid"] is True and r["value"] is None


def test_percent_sign_allowed_only_when_asked():
    assert num(["95.5%"], percent=True)[0]["value"] == 95.5
    assert num(["95.5%"])[0]["invalid"] is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05", datetime(2024, 3, 5)),
        ("2024/3/5", datetime(2024, 3, 5)),
        ("2024.3.5", datetime(2024, 3, 5)),
        ("2024年3月5日", datetime(2024, 3, 5)),
        ("2024-03-05 00:00:00", datetime(2024, 3, 5)),  # an Excel date cell as read
        ("2024-03-05 14:20", datetime(2024, 3, 5, 14, 20)),
        ("2024年3月5日14时20分", datetime(2024, 3, 5, 14, 20)),
        ("2024年3月5日 14时20分", datetime(2024, 3, 5, 14, 20)),
        ("２０２４年３月５日", datetime(2024, 3, 5)),
        ("2024/3/5 9:05", datetime(2024, 3, 5, 9, 5)),
    ],
)
def test_dates_parse(text, expected):
    assert dt([text]) == [expected]


@pytest.mark.parametrize("text", ["2024-02-30", "2024-13-01", "昨天", "2024", "3/5/2024", "2024-03-05 25:00"])
def test_bad_dates_are_invalid(text):
    s = pl.DataFrame({"v": [text]})
    p = parse_datetime(pl.col("v"))
    assert s.select(p.invalid).item() is True


def test_month_from_month_or_any_day():
    s = pl.DataFrame({"v": ["2024-03", "2024年3月", "2024-03-17", "2024/3", "2024-3-31 10:00"]})
    p = parse_month(pl.col("v"))
    assert s.select(m=p.value)["m"].to_list() == [date(2024, 3, 1)] * 5


def test_headers_match_with_spaces_brackets_and_units():
    acc = SPECS["accidents"]
    assert match_header(acc, "直接经济损失\n(万元)").col.name == "direct_loss_10k_yuan"
    assert match_header(acc, " 死 亡　人 数 ").col.name == "deaths"
    assert match_header(acc, "重伤（含急性工业中毒）").col.name == "serious_injuries"
    dis = SPECS["disasters"]
    m = match_header(dis, "农作物受灾面积（千公顷）")
    assert (m.col.name, m.factor) == ("crop_affected_ha", 1000.0)
    m = match_header(dis, "直接经济损失(亿元)")
    assert (m.col.name, m.factor) == ("direct_loss_10k_yuan", 10000.0)
    m = match_header(SPECS["statistics"], "地区生产总值（万元）")
    assert (m.col.name, m.factor) == ("gdp_100m_yuan", 1e-4)
    assert match_header(acc, "备注") is None


def regions(codes, names):
    df = pl.DataFrame({"code": pl.Series(codes, dtype=pl.String), "name": pl.Series(names, dtype=pl.String)})
    return resolve_regions(df, "code", "name").select("_rcode", "_rfrom_name", "_rerr", "_rcands").to_dicts()


def test_region_code_and_name_resolution():
    out = regions(
        ["230506", "230506.0", "999999", None, None, None, None, None, "１３１１７１"],
        [None, None, None, "乐平市", "乐平", "宝山区", "不存在县", None, None],
    )
    assert [(r["_rcode"], r["_rfrom_name"], r["_rerr"]) for r in out] == [
        ("230506", False, None),
        ("230506", False, None),
        (None, False, "unknown_region_code"),
        ("360281", True, None),
        ("360281", True, None),
        (None, False, "ambiguous_region_name"),
        (None, False, "unknown_region_name"),
        (None, False, "missing_region"),
        ("131171", False, None),  # full-width digits; development-zone code
    ]
    assert out[5]["_rcands"] == "230506 黑龙江省双鸭山市宝山区；310113 上海市宝山区"


def test_province_code_is_not_a_county_or_prefecture():
    assert regions(["230000"], [None])[0]["_rerr"] == "unknown_region_code"


# --------------------------------------------------------------------------- properties

FW = {str(i): chr(0xFF10 + i) for i in range(10)}


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12), st.booleans(), st.booleans(), st.booleans())
def test_property_integers_round_trip(n, thousands, fullwidth, spaces):
    text = f"{n:,}" if thousands else str(n)
    if fullwidth:
        text = "".join(FW.get(c, c) for c in text)
    if spaces:
        text = f"  {text}\u3000"
    r = num([text])[0]
    assert r == {"value": float(n), "blank": False, "invalid": False}


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="约人三零个左右abcN/A?！", min_size=1, max_size=6))
def test_property_text_without_digits_never_becomes_a_number(text):
    r = num([text])[0]
    assert r["value"] is None
    assert r["blank"] or r["invalid"]


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)),
    st.sampled_from(["{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "{y}.{m}.{d}", "{y}年{m}月{d}日"]),
    st.one_of(st.none(), st.tuples(st.integers(0, 23), st.integers(0, 59))),
    st.booleans(),
)
def test_property_dates_round_trip(day, fmt, time, cn_time):
    text = fmt.format(y=day.year, m=day.month, d=day.day)
    expected = datetime(day.year, day.month, day.day)
    if time is not None:
        h, mi = time
        text += f" {h}时{mi}分" if cn_time else f" {h}:{mi:02d}"
        expected = expected.replace(hour=h, minute=mi)
    assert dt([text]) == [expected]


_IDX = region_index()
_UNIQUE = _IDX.names.filter(pl.col("n_candidates") == 1)
_AMBIGUOUS = _IDX.names.filter(pl.col("n_candidates") > 1)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=_UNIQUE.height - 1))
def test_property_unique_names_resolve_to_their_code(i):
    key, code = _UNIQUE.row(i)[0], _UNIQUE.row(i)[2]
    r = regions([None], [key])[0]
    assert (r["_rcode"], r["_rfrom_name"], r["_rerr"]) == (code, True, None)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=_AMBIGUOUS.height - 1))
def test_property_ambiguous_names_never_resolve(i):
    key = _AMBIGUOUS.row(i)[0]
    r = regions([None], [key])[0]
    assert r["_rcode"] is None and r["_rerr"] == "ambiguous_region_name"
    assert r["_rcands"].count("；") == _AMBIGUOUS.row(i)[1] - 1


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=_IDX.codes.height - 1))
def test_property_every_known_code_is_accepted(i):
    code = _IDX.codes.row(i)[0]
    assert regions([code], ["whatever"])[0]["_rcode"] == code


_CANONICAL_EDGES = [
    "2024-03-05 14:20", "2024-03-05 14:20:59", "2024-03-05", "2024-02-29 23:59", "2023-02-29 10:00",
    "2024-03-05 24:00", "2024-03-05 23:60", "2024-03-05 14:20:60", "2024-13-01", "2024-00-10",
    "2024-03-00 10:00", "1899-12-31 10:00", "0016-10-17 21:00", " 2024-03-05 14:20", "2024-03-05 14:20 ",
    "2024-3-5 14:20", "2024-03-05T14:20", "２０２４-03-05 14:20", "", None,
]


@pytest.mark.parametrize("text", _CANONICAL_EDGES)
def test_canonical_dates_take_a_shortcut_to_the_same_answer(text):
    from pipelines.ingest.parsing import _datetime_frame, _datetime_frame_general

    df = pl.DataFrame({"s": [text]}, schema={"s": pl.String})
    assert _datetime_frame(df).to_dicts() == _datetime_frame_general(df).to_dicts()


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1800, 2100), st.integers(0, 13), st.integers(0, 32), st.integers(0, 25),
    st.integers(0, 61), st.one_of(st.none(), st.integers(0, 61)),
)
def test_canonical_shortcut_agrees_with_the_general_parser(y, mo, d, h, mi, sec):
    from pipelines.ingest.parsing import _datetime_frame, _datetime_frame_general

    text = f"{y:04d}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}" + ("" if sec is None else f":{sec:02d}")
    df = pl.DataFrame({"s": [text, text[:10]]})
    assert _datetime_frame(df).sort("s").to_dicts() == _datetime_frame_general(df).sort("s").to_dicts()
