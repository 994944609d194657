"""Hypothesis properties of the number, date and region parsers.

Complements ``tests/ingest/test_parsing.py`` (integer, date and region-name round trips are there):
here totality (any text: never raises, exactly one outcome), batch consistency (the parsers parse
each distinct text once and map results back: order, duplicates and nulls must survive), decimals,
negatives, impossible dates and times, and region codes written in every accepted way.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.ingest.parsing import parse_datetime, parse_month, parse_number, region_index, resolve_regions

FW = {str(i): chr(0xFF10 + i) for i in range(10)} | {".": "．", ",": "，", "-": "－"}
PROPS = settings(max_examples=60, deadline=None)
N_EXAMPLES = 60
CELL_TEXT = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.text(alphabet="0123456789０１２３４５６７８９,.，．-－+ 　年月日时分:/约人三%", max_size=14),
)


def _num(values, **kw) -> list[dict]:
    df = pl.DataFrame({"v": pl.Series(values, dtype=pl.String)})
    p = parse_number(pl.col("v"), **kw)
    return df.select(value=p.value, blank=p.blank, invalid=p.invalid).to_dicts()


def _dt(values) -> list[dict]:
    df = pl.DataFrame({"v": pl.Series(values, dtype=pl.String)})
    p = parse_datetime(pl.col("v"))
    return df.select(value=p.value, blank=p.blank, invalid=p.invalid).to_dicts()


def _fw(text: str) -> str:
    return "".join(FW.get(c, c) for c in text)


def _record(robust_case, case, title, parser, examples, test):
    robust_case(
        case,
        section="property",
        title=title,
        parser=parser,
        examples=examples,
        test=test,
        order=_ORDER.setdefault(case, len(_ORDER)),
    )


_ORDER: dict[str, int] = {}


# --------------------------------------------------------------------------- numbers


@PROPS
@given(st.lists(CELL_TEXT, max_size=12))
def test_number_parser_is_total_and_batch_consistent(values):
    together = _num(values)
    assert len(together) == len(values)
    for v, r in zip(values, together, strict=True):
        assert r == _num([v])[0]  # parsed alone or among duplicates: the same
        outcomes = [r["value"] is not None, bool(r["blank"]), bool(r["invalid"])]
        assert sum(outcomes) == 1, (v, r)  # exactly one of: a number, blank, invalid


def test_record_number_totality(robust_case):
    _record(
        robust_case,
        "prop_number_total",
        "Any text (or null, in any batch with duplicates) gives exactly one of "
        "value / blank / invalid, the same as when parsed alone; never raises",
        "parse_number",
        N_EXAMPLES,
        "test_number_parser_is_total_and_batch_consistent",
    )


@PROPS
@given(
    st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_decimals_round_trip(d, thousands, fullwidth, negative):
    text = f"{d:,}" if thousands else f"{d}"
    if negative:
        text = "-" + text
    if fullwidth:
        text = _fw(text)
    r = _num([f" {text}\u3000"])[0]
    expected = float(d) * (-1 if negative else 1)
    assert r["invalid"] is False and r["blank"] is False
    assert r["value"] == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_record_decimals(robust_case):
    _record(
        robust_case,
        "prop_number_decimals",
        "Decimals with thousands separators, full-width digits and "
        "punctuation, surrounding spaces, a sign: parsed to the same value (negatives are then rejected by "
        "the validator)",
        "parse_number",
        N_EXAMPLES,
        "test_decimals_round_trip",
    )


@PROPS
@given(
    st.integers(0, 10**6),
    st.sampled_from(
        [
            "约{a}人",
            "{a}人",
            "{a}余",
            "{a}左右",
            "{a}-{b}",
            "{a}~{b}",
            "{a}/{b}",
            "N{a}",
            "{a}..",
            "{a},{c:02d}",
            "{a}万",
        ]
    ),
)
def test_numbers_with_words_are_invalid(n, fmt):
    text = fmt.format(a=n, b=n + 1, c=n % 100)
    assert _num([text])[0]["invalid"] is True


def test_record_number_words(robust_case):
    _record(
        robust_case,
        "prop_number_words",
        "A number with words or ranges around it (`约3人`, `3余`, `3-4`, "
        "`3/4`, `3~4`, `1,23`) is invalid, never a number",
        "parse_number",
        N_EXAMPLES,
        "test_numbers_with_words_are_invalid",
    )


# --------------------------------------------------------------------------- dates


@PROPS
@given(st.lists(CELL_TEXT, max_size=12))
def test_date_parser_is_total_and_batch_consistent(values):
    together = _dt(values)
    for v, r in zip(values, together, strict=True):
        assert r == _dt([v])[0]
        assert sum([r["value"] is not None, bool(r["blank"]), bool(r["invalid"])]) == 1, (v, r)


@PROPS
@given(
    st.integers(1900, 2099),
    st.integers(1, 12),
    st.integers(29, 35),
    st.sampled_from(["{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "{y}.{m}.{d}", "{y}年{m}月{d}日"]),
)
def test_impossible_days_are_invalid(y, m, d, fmt):
    text = fmt.format(y=y, m=m, d=d)
    r = _dt([text])[0]
    if d <= calendar.monthrange(y, m)[1]:
        assert r["value"] == datetime(y, m, d)
    else:
        assert r["invalid"] is True and r["value"] is None, text


@PROPS
@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(0, 99),
    st.integers(0, 99),
    st.booleans(),
)
def test_times_out_of_range_are_invalid(day, hour, minute, chinese):
    clock = f"{hour}时{minute}分" if chinese else f"{hour}:{minute:02d}"
    r = _dt([f"{day.isoformat()} {clock}"])[0]
    if hour < 24 and minute < 60:
        assert r["value"] == datetime(day.year, day.month, day.day, hour, minute)
    else:
        assert r["invalid"] is True


@PROPS
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_fullwidth_dates_and_months(day):
    text = _fw(f"{day.year}年{day.month}月{day.day}日")
    assert _dt([text])[0]["value"] == datetime(day.year, day.month, day.day)
    df = pl.DataFrame({"v": [f"{day.year}-{day.month:02d}", f"{day.year}年{day.month}月", day.isoformat()]})
    months = df.select(m=parse_month(pl.col("v")).value)["m"].to_list()
    assert months == [day.replace(day=1)] * 3


@PROPS
@given(st.integers(1000, 1899), st.integers(1, 12), st.integers(1, 28))
def test_years_before_1900_are_invalid(y, m, d):
    assert _dt([f"{y}-{m:02d}-{d:02d}"])[0]["invalid"] is True


def test_record_dates(robust_case):
    _record(
        robust_case,
        "prop_date_total",
        "Any text gives exactly one of value / blank / invalid, batch consistent; never raises",
        "parse_datetime",
        N_EXAMPLES,
        "test_date_parser_is_total_and_batch_consistent",
    )
    _record(
        robust_case,
        "prop_date_impossible",
        "Day 29–35 of any month of 1900–2099 in every written form: "
        "valid exactly when the calendar has that day (2023-02-30, 2024-04-31 invalid; 2024-02-29 valid)",
        "parse_datetime",
        N_EXAMPLES,
        "test_impossible_days_are_invalid",
    )
    _record(
        robust_case,
        "prop_time_range",
        "Times `H:MM` and `H时M分` with H, M in 0–99: valid exactly when H < 24 and M < 60",
        "parse_datetime",
        N_EXAMPLES,
        "test_times_out_of_range_are_invalid",
    )
    _record(
        robust_case,
        "prop_date_fullwidth",
        "Full-width digits in `YYYY年M月D日`; months `YYYY-MM`, "
        "`YYYY年M月` or any day of the month give the month's first day",
        "parse_datetime, parse_month",
        N_EXAMPLES,
        "test_fullwidth_dates_and_months",
    )
    _record(
        robust_case,
        "prop_year_floor",
        "Years before 1900 are invalid (not a typo'd date silently kept)",
        "parse_datetime",
        N_EXAMPLES,
        "test_years_before_1900_are_invalid",
    )


# --------------------------------------------------------------------------- regions

_IDX = region_index()
_CODES = _IDX.codes["region_code"].to_list()
_KNOWN = set(_CODES)
_AMBIGUOUS = _IDX.names.filter(pl.col("n_candidates") > 1)["name_key"].to_list()
_UNIQUE = _IDX.names.filter(pl.col("n_candidates") == 1).select("name_key", "name_code").rows()


def _regions(codes, names) -> list[dict]:
    df = pl.DataFrame({"code": pl.Series(codes, dtype=pl.String), "name": pl.Series(names, dtype=pl.String)})
    return resolve_regions(df, "code", "name").select("_rcode", "_rfrom_name", "_rerr").to_dicts()


@PROPS
@given(st.sampled_from(_CODES), st.sampled_from(["{}", "{}.0", " {} ", "\u3000{}", "{}.00"]), st.booleans())
def test_known_codes_in_every_written_form(code, fmt, fullwidth):
    text = fmt.format(_fw(code) if fullwidth else code)
    assert _regions([text], [None])[0] == {"_rcode": code, "_rfrom_name": False, "_rerr": None}


@PROPS
@given(st.integers(0, 999_999))
def test_unknown_codes_never_resolve(n):
    code = f"{n:06d}"
    r = _regions([code], ["宝山区"])[0]
    if code in _KNOWN:
        assert r["_rcode"] == code
    else:
        assert r == {"_rcode": None, "_rfrom_name": False, "_rerr": "unknown_region_code"}  # name never used


@PROPS
@given(st.sampled_from(_CODES), st.sampled_from(_AMBIGUOUS))
def test_a_code_wins_over_an_ambiguous_name(code, name):
    assert _regions([code], [name])[0] == {"_rcode": code, "_rfrom_name": False, "_rerr": None}


@PROPS
@given(st.sampled_from(_UNIQUE), st.lists(st.sampled_from([" ", "\u3000", "\n"]), max_size=3), st.data())
def test_unique_names_with_spaces_inside_resolve(pair, spaces, data):
    name, code = pair
    chars = list(name)
    for s in spaces:
        chars.insert(data.draw(st.integers(0, len(chars))), s)
    assert _regions([None], ["".join(chars)])[0] == {"_rcode": code, "_rfrom_name": True, "_rerr": None}


@PROPS
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.sampled_from(_CODES[:50]), st.just("999999")),
            st.one_of(st.none(), st.sampled_from(_AMBIGUOUS[:20] + [n for n, _ in _UNIQUE[:20]])),
        ),
        max_size=25,
    )
)
def test_region_resolution_is_row_by_row(pairs):
    codes, names = [p[0] for p in pairs], [p[1] for p in pairs]
    together = _regions(codes, names)
    assert together == [_regions([c], [n])[0] for c, n in pairs]


def test_record_regions(robust_case):
    _record(
        robust_case,
        "prop_region_code_forms",
        "Every known code written plain, with `.0`, padded, with full-width digits: resolves to itself",
        "resolve_regions",
        N_EXAMPLES,
        "test_known_codes_in_every_written_form",
    )
    _record(
        robust_case,
        "prop_region_unknown",
        "Any 6-digit code not in the list: `unknown_region_code`, and "
        "the name beside it is never used instead",
        "resolve_regions",
        N_EXAMPLES,
        "test_unknown_codes_never_resolve",
    )
    _record(
        robust_case,
        "prop_region_code_wins",
        "A known code with an ambiguous name beside it: the code, not flagged as from the name",
        "resolve_regions",
        N_EXAMPLES,
        "test_a_code_wins_over_an_ambiguous_name",
    )
    _record(
        robust_case,
        "prop_region_name_spaces",
        "A unique name with half-/full-width spaces or line breaks "
        "inside: resolves, flagged as from the name",
        "resolve_regions",
        N_EXAMPLES,
        "test_unique_names_with_spaces_inside_resolve",
    )
    _record(
        robust_case,
        "prop_region_rowwise",
        "Resolution of a batch equals row-by-row resolution (joins keep order, duplicates and nulls)",
        "resolve_regions",
        N_EXAMPLES,
        "test_region_resolution_is_row_by_row",
    )
