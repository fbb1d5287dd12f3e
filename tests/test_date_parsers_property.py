"""No date parser ever rolls a date over (hypothesis): a string yields the day it spells or an
error naming its row; 2026-02-30 is never 2 March.

The expected days are worked out here from the numbers written into each string (and, for
arbitrary text, by Python's own ``datetime.strptime``), never through the code under test.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta, timezone

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from nbreport.sources.date_values import DateProblem
from nbreport.sources.dates import CANDIDATES, parse_dates, parse_timestamps

DATE_FORMATS = [*CANDIDATES, "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M:%S%z",
                "%d.%m.%Y %H:%M:%S %z", "%a, %d %b %Y %H:%M:%S %z", "%m/%d/%y %I:%M %p", "%Y%m%d"]
MONTHS = calendar.month_name[1:]
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def exists(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def spell(fmt: str, year: int, month: int, day: int) -> str:
    """``fmt`` with the numbers written in, whether or not that day exists (strftime cannot)."""
    weekday = calendar.day_abbr[date(year, month, day).weekday()] if exists(year, month, day) else "Mon"
    name = MONTHS[month - 1] if 1 <= month <= 12 else "January"  # named months are drawn valid
    fields = {"Y": f"{year:04d}", "y": f"{year % 100:02d}", "m": f"{month:02d}", "d": f"{day:02d}",
              "b": name[:3], "B": name, "a": weekday, "H": "14",
              "I": "02", "p": "PM", "M": "05", "S": "09", "z": "+0130", "%": "%"}
    return re.sub(r"%(.)", lambda m: fields[m[1]], fmt)


def year_for(fmt: str) -> st.SearchStrategy[int]:
    # a two-digit year reads 69-99 as 19xx and 00-68 as 20xx: spell only years it gives back
    return st.integers(1969, 2068) if "%y" in fmt else st.integers(1900, 2200)


@st.composite
def spelled(draw: st.DrawFn, fmt: str | None = None) -> tuple[str, str, int, int, int]:
    fmt = fmt or draw(st.sampled_from(DATE_FORMATS))
    year = draw(year_for(fmt))
    named_month = "%b" in fmt or "%B" in fmt
    month = draw(st.integers(1, 12) if named_month else st.integers(0, 13))
    day = draw(st.one_of(st.integers(0, 32), st.integers(28, 31)))
    return fmt, spell(fmt, year, month, day), year, month, day


def day_of(array: pa.Array, index: int = 0) -> date:
    return array[index].as_py().date()


@SETTINGS
@given(spelled())
def test_a_date_is_the_day_it_spells_or_a_row_error(case: tuple[str, str, int, int, int]) -> None:
    fmt, text, year, month, day = case
    if exists(year, month, day):
        assert day_of(parse_dates(pa.array([text]), [fmt]).values) == date(year, month, day)
    else:
        with pytest.raises(DateProblem) as caught:
            parse_dates(pa.array([text]), [fmt])
        assert caught.value.position == 0 and f"found '{text}'" in str(caught.value)
        if 1 <= month <= 12 and day <= 31:  # the format's shape: said to be no day at all
            assert "which is no day of the calendar" in str(caught.value)


@SETTINGS
@given(st.lists(spelled("%Y-%m-%d"), min_size=1, max_size=12))
def test_the_first_impossible_row_is_named(cases: list[tuple[str, str, int, int, int]]) -> None:
    texts = [text for _, text, *_ in cases]
    impossible = [i for i, (_, _, y, m, d) in enumerate(cases) if not exists(y, m, d)]
    if not impossible:
        parsed = parse_dates(pa.array(texts), ["%Y-%m-%d"]).values
        assert [day_of(parsed, i) for i in range(len(cases))] == [date(y, m, d) for _, _, y, m, d in cases]
        return
    with pytest.raises(DateProblem) as caught:
        parse_dates(pa.array(texts), ["%Y-%m-%d"])
    assert caught.value.position == impossible[0] or texts[caught.value.position] == texts[impossible[0]]


@SETTINGS
@given(spelled(), st.sampled_from(DATE_FORMATS))
def test_a_date_read_with_another_format_is_still_the_one_it_spells(
        case: tuple[str, str, int, int, int], other: str) -> None:
    """A value read with formats given in turn: whichever format reads it, Python agrees."""
    fmt, text, *_ = case
    try:
        parsed = day_of(parse_dates(pa.array([text]), [other, fmt]).values)
    except DateProblem:
        return
    assert parsed in python_readings(text, [other, fmt])


def python_readings(text: str, formats: list[str]) -> set[date]:
    """The days Python's own strptime reads from ``text`` (or from it without a time of day)."""
    found = set()
    bare = re.sub(r"[T ]\d{1,2}:\d{2}(:\d{2})?(\s?[AaPp][Mm])?(\s*(Z|UTC|[+-]\d{2}:?\d{2}))?$", "",
                  text.strip())
    for fmt in formats:
        for candidate in (text.strip(), bare):
            try:
                found.add(datetime.strptime(candidate, fmt).date())
            except ValueError:
                pass
    return found


@SETTINGS
@given(st.one_of(st.text(max_size=30),
                 st.from_regex(r"\A[0-9]{1,4}[-/. ][0-9]{1,2}[-/. ][0-9]{1,4}\Z"),
                 st.from_regex(r"\A[0-9]{8}\Z")),
       st.sampled_from(DATE_FORMATS))
def test_no_text_yields_a_day_python_would_not_read(text: str, fmt: str) -> None:
    assume("\x00" not in text)
    try:
        parsed = parse_dates(pa.array([text]), [fmt]).values
    except DateProblem:
        return
    if parsed[0].is_valid:
        assert day_of(parsed) in python_readings(text, [fmt]), (text, fmt)


@SETTINGS
@given(st.one_of(st.from_regex(r"\A[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}\Z"),
                 spelled().map(lambda case: case[1])))
def test_a_recognised_format_reads_the_day_spelled(text: str) -> None:
    """Without a format, a column's format is taken only when it reads every value one way;
    the day is then the one Python reads with that format."""
    try:
        result = parse_dates(pa.array([text]), None)
    except DateProblem:
        return
    assert result.values[0].is_valid
    used = result.format_used or "%Y-%m-%d"
    assert day_of(result.values) in python_readings(text, [used]), (text, used)


@SETTINGS
@given(st.integers(1900, 2200), st.integers(0, 13), st.integers(0, 32),
       st.sampled_from(["%d %B", "%d/%m", "%b %d"]))
def test_a_yearless_format_with_the_params_year(year: int, month: int, day: int, fmt: str) -> None:
    assume(1 <= month <= 12)
    text = spell(fmt, year, month, day)
    if exists(year, month, day):
        assert day_of(parse_dates(pa.array([text]), [fmt], year=year).values) == date(year, month, day)
    else:  # 29 February of a common year included
        with pytest.raises(DateProblem):
            parse_dates(pa.array([text]), [fmt], year=year)


@SETTINGS
@given(st.integers(1901, 2199), st.integers(0, 13), st.integers(0, 32),
       st.sampled_from(["%Y-%m-%dT%H:%M:%S%z", "%d.%m.%Y %H:%M:%S %z", None]))
def test_a_timestamp_is_the_instant_it_spells(year: int, month: int, day: int, fmt: str | None) -> None:
    text = (spell(fmt, year, month, day) if fmt
            else f"{year:04d}-{month:02d}-{day:02d}T14:05:09+01:30")  # ISO 8601, read by pandas
    if exists(year, month, day):
        written = datetime(year, month, day, 14, 5, 9, tzinfo=timezone(timedelta(hours=1, minutes=30)))
        parsed = parse_timestamps(pa.array([text]), None, [fmt] if fmt else None)
        assert parsed[0].as_py() == written.astimezone(timezone.utc).replace(tzinfo=None)
    else:
        with pytest.raises(DateProblem) as caught:
            parse_timestamps(pa.array([text]), None, [fmt] if fmt else None)
        assert caught.value.position == 0


@pytest.mark.parametrize(("text", "fmt"), [
    ("2026-02-30", "%Y-%m-%d"), ("2026-02-29", "%Y-%m-%d"), ("31/04/2026", "%d/%m/%Y"),
    ("2026-13-01", "%Y-%m-%d"), ("2026-00-10", "%Y-%m-%d"), ("2026-01-00", "%Y-%m-%d"),
    ("30 Feb 2026", "%d %b %Y"), ("02/30/26", "%m/%d/%y"), ("2026-02-30 10:00:00", "%Y-%m-%d"),
    ("20260230", "%Y%m%d"), ("2026-366", "%Y-%j"),
])
def test_the_issue_s_impossible_dates_are_row_errors(text: str, fmt: str) -> None:
    with pytest.raises(DateProblem) as caught:
        parse_dates(pa.array(["2026-02-27" if fmt == "%Y-%m-%d" else text, text]), [fmt])
    assert caught.value.position in (0, 1)
    assert f"'{text}'" in str(caught.value)


def test_an_impossible_iso_timestamp_is_a_row_error() -> None:
    with pytest.raises(DateProblem, match="'2026-02-30T10:00:00'") as caught:
        parse_timestamps(pa.array(["2026-02-28T10:00:00", "2026-02-30T10:00:00"]), None)
    assert caught.value.position == 1
