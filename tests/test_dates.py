"""Dates that never lie: written dates read as written, impossible ones refused, guesses never made.

Expected dates come from the generating ``datetime`` (or from Python's own ``datetime.strptime``),
never from the code under test.
"""

from __future__ import annotations

import random
import re
from calendar import isleap, monthrange
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from nbreport.core.errors import DataError
from nbreport.sources import SourceSpec, load_source
from nbreport.sources.dates import CANDIDATES, DateProblem, parse_dates, parse_timestamps
from nbreport.sources.strptime import read

DAY_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%y", "%d.%m.%y", "%B %d, %Y", "%d %b %Y",
               "%a, %d %b %Y", "%Y%m%d", "%d-%b-%y", "%Y/%m/%d")
TIME_FORMATS = ("%Y-%m-%dT%H:%M:%S%z", "%z %d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S %z",
                "%a, %d %b %Y %H:%M:%S %z", "%m/%d/%y %I:%M %p", "%Y-%m-%d %H:%M:%S.%f",
                "%d %B %Y, %H:%M (%z)", "%B %d, %Y %I:%M:%S %p %z", "%Y-%m-%d %H:%M")
NUMERIC_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y/%m/%d")
SETTINGS = settings(max_examples=150, deadline=None)

offsets = st.integers(-(23 * 60 + 59), 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
written = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2068, 12, 31),
                       timezones=offsets)


def written_in(moment: datetime, fmt: str) -> tuple[str, datetime]:
    """The text ``fmt`` writes for ``moment``, and the moment that text spells (its precision)."""
    kept = moment.replace(second=moment.second if "%S" in fmt else 0,
                          microsecond=moment.microsecond if "%f" in fmt else 0)
    if "%M" not in fmt:
        kept = kept.replace(minute=0, hour=0)
    return moment.strftime(fmt), kept


def days_of(parsed: pa.Array) -> list[date | None]:
    return [None if value is None else value.date() for value in parsed.to_pylist()]


# --- property tests -----------------------------------------------------------------------
@SETTINGS
@given(moment=written, fmt=st.sampled_from(DAY_FORMATS + TIME_FORMATS))
def test_a_date_column_reads_the_day_written(moment: datetime, fmt: str) -> None:
    text, _ = written_in(moment, fmt)
    assert days_of(parse_dates(pa.array([text]), [fmt]).values) == [moment.date()]


@SETTINGS
@given(moment=written, fmt=st.sampled_from(TIME_FORMATS))
def test_a_timestamp_column_reads_the_instant_in_utc(moment: datetime, fmt: str) -> None:
    text, kept = written_in(moment, fmt)
    expected = (kept.astimezone(timezone.utc) if "%z" in fmt else kept).replace(tzinfo=None)
    assert parse_timestamps(pa.array([text]), None, [fmt]).to_pylist() == [expected]


@SETTINGS
@given(moments=st.lists(written, min_size=1, max_size=12),
       fmts=st.lists(st.sampled_from(CANDIDATES), min_size=1, max_size=2, unique=True),
       picks=st.randoms(), blanks=st.integers(0, 2))
def test_without_a_format_a_column_is_read_as_written_or_refused(
        moments: list[datetime], fmts: list[str], picks: random.Random, blanks: int) -> None:
    """The column holds dates in one or two known formats (and maybe blanks): it is read right
    or refused, and a suggested fix reads every row right."""
    # a column written half day-first, half month-first (01/02 as 1 February and as 2 January)
    # has no right reading for its ambiguous rows: no reader could know, so it is not asked
    assume(not _day_and_month_swapped(fmts))
    rows = [(moment.date(), picks.choice(fmts)) for moment in moments]
    texts = [day.strftime(fmt) for day, fmt in rows]
    truth: list[date | None] = [day for day, _ in rows]
    for _ in range(blanks):
        where = picks.randint(0, len(texts))
        texts.insert(where, "")
        truth.insert(where, None)
    try:
        result = parse_dates(pa.array(texts), None)
    except DateProblem as problem:
        suggested = re.search(r"set mapping\.date_format: (.+)$", str(problem))
        if suggested:
            formats = eval(suggested.group(1))  # noqa: S307 (a Python literal the test reads back)
            formats = [formats] if isinstance(formats, str) else formats
            assert days_of(parse_dates(pa.array(texts), formats).values) == truth
            assert all(_python_reads(text, formats) == day for text, day in zip(texts, truth) if text)
        return
    assert days_of(result.values) == truth


def _day_and_month_swapped(fmts: list[str]) -> bool:
    """Whether two of ``fmts`` differ only by the order of day and month (%d/%m/%Y, %m/%d/%Y)."""
    shapes = [fmt.replace("%d", "%D").replace("%m", "%D") for fmt in fmts]
    return len(set(shapes)) < len(shapes)


def _python_reads(text: str, formats: list[str]) -> date | None:
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


impossible_days = st.one_of(
    st.tuples(st.integers(1901, 2199), st.just(2), st.sampled_from([30, 31])),
    st.tuples(st.integers(1901, 2199), st.sampled_from([4, 6, 9, 11]), st.just(31)),
    st.tuples(st.integers(1901, 2199).filter(lambda y: not isleap(y)), st.just(2), st.just(29)),
    st.tuples(st.integers(1901, 2199), st.just(13), st.integers(1, 28)),
    st.tuples(st.integers(1901, 2199), st.integers(1, 12), st.just(0)),
)


def write_fields(year: int, month: int, day: int, fmt: str) -> str:
    return (fmt.replace("%Y", f"{year:04d}").replace("%m", f"{month:02d}")
            .replace("%d", f"{day:02d}"))


@SETTINGS
@given(bad=impossible_days, fmt=st.sampled_from(NUMERIC_FORMATS),
       good=st.lists(st.dates(date(1990, 1, 1), date(2100, 12, 31)), min_size=0, max_size=8),
       where=st.integers(0, 8), declared=st.booleans())
def test_an_impossible_date_is_an_error_at_its_row(bad: tuple[int, int, int], fmt: str,
                                                   good: list[date], where: int, declared: bool) -> None:
    texts = [day.strftime(fmt) for day in good]
    position = min(where, len(texts))
    texts.insert(position, write_fields(*bad, fmt))
    if not declared:  # '01/13/2026' is no date as DD/MM/YYYY, but a fine one as MM/DD/YYYY
        assume(_python_reads(texts[position], list(CANDIDATES)) is None)
    with pytest.raises(DateProblem) as caught:
        parse_dates(pa.array(texts), [fmt] if declared else None)
    assert caught.value.position == position


@SETTINGS
@given(bad=impossible_days, hour=st.integers(0, 23), declared=st.booleans())
def test_an_impossible_timestamp_is_an_error_at_its_row(bad: tuple[int, int, int], hour: int,
                                                        declared: bool) -> None:
    text = write_fields(*bad, "%Y-%m-%dT") + f"{hour:02d}:30:00+02:00"
    values = pa.array(["2026-10-31T10:00:00Z", text])
    with pytest.raises(DateProblem) as caught:
        parse_timestamps(values, None, ["%Y-%m-%dT%H:%M:%S%z"] if declared else None)
    assert caught.value.position == 1


@SETTINGS
@given(moment=written, fmt=st.sampled_from(DAY_FORMATS + TIME_FORMATS + ("%I%p %d %B %Y",)),
       cut=st.integers(0, 3), day=st.integers(0, 40))
def test_the_column_strptime_agrees_with_pythons_on_every_value(moment: datetime, fmt: str,
                                                                cut: int, day: int) -> None:
    """Valid values, values with another day written (30 February...) and truncated ones."""
    text = moment.strftime(fmt)
    variants = [text, text[:len(text) - cut], re.sub(r"\b\d\d\b", f"{day:02d}", text, count=1)]
    parsed = read(pa.array(variants), fmt)
    for i, value in enumerate(variants):
        try:
            expected = datetime.strptime(value, fmt)
        except ValueError:
            expected = None
        got = parsed.wall[i]
        if expected is None:
            assert str(got) == "NaT", value
        else:
            assert got.item() == expected.replace(tzinfo=None), value
            if expected.utcoffset() is not None:
                assert parsed.offset is not None
                assert int(parsed.offset[i]) == expected.utcoffset() // timedelta(microseconds=1)


# --- the exports that went wrong ----------------------------------------------------------
HEADER = "date,campaign,impressions,clicks,spend\n"


def ads(**fields: object) -> SourceSpec:
    return SourceSpec.model_validate({"name": "ads-export", "kind": "ads", "path": "ads.csv", **fields})


def mixed_column(extra: list[str] = ()) -> tuple[list[str], list[date]]:
    """M/D/YYYY rows (some with a day over 12) and ~850 MM-DD-YYYY rows that fit DD-MM too."""
    generator = random.Random(16)
    rows: list[tuple[str, date]] = []
    for _ in range(150):
        day = date(2026, generator.randint(1, 12), generator.randint(1, 28))
        rows.append((f"{day.month}/{day.day}/{day.year}", day))
    for _ in range(852):
        day = date(2026, generator.randint(1, 12), generator.randint(1, 12))
        rows.append((day.strftime("%m-%d-%Y"), day))
    rows += [(text, datetime.strptime(text, "%m-%d-%Y").date()) for text in extra]
    generator.shuffle(rows)
    return [text for text, _ in rows], [day for _, day in rows]


def write_ads(folder: Path, dates: list[str]) -> None:
    lines = [f"{text},C{i},1,1,1\n" for i, text in enumerate(dates)]
    (folder / "ads.csv").write_text(HEADER + "".join(lines))


def reading_line(message: str, formats: list[str]) -> str:
    spelled = repr(formats)
    lines = [line for line in message.splitlines() if spelled + ":" in line]
    assert len(lines) == 1, (spelled, message)
    return lines[0]


def test_a_mixed_column_lists_each_reading_with_its_counts_and_suggests_nothing_unproven(
        tmp_path: Path) -> None:
    texts, truth = mixed_column()
    write_ads(tmp_path, texts)
    with pytest.raises(DataError) as caught:
        load_source(ads(), tmp_path)
    message = str(caught.value)
    assert message.startswith("source 'ads-export', ads.csv, column 'date': dates such as ")
    total = len(texts)
    slash = [t for t in texts if "/" in t]
    dash = [t for t in texts if "-" in t]
    slash_dm = sum(_python_reads(t, ["%d/%m/%Y"]) is not None for t in slash)
    dash_differ = sum(t[:2] != t[3:5] for t in dash)  # the day is not the month: DD-MM reads another day
    slash_differ = sum(_python_reads(t, ["%d/%m/%Y"]) not in (None, _python_reads(t, ["%m/%d/%Y"]))
                       for t in slash)
    for formats, read, differ in (
            (["%m/%d/%Y", "%m-%d-%Y"], total, dash_differ + slash_differ),
            (["%m/%d/%Y", "%d-%m-%Y"], total, dash_differ + slash_differ),
            (["%d/%m/%Y", "%m-%d-%Y"], len(dash) + slash_dm, dash_differ + slash_differ),
            (["%d/%m/%Y", "%d-%m-%Y"], len(dash) + slash_dm, dash_differ + slash_differ)):
        line = reading_line(message, formats)
        assert f"reads {read} of {total} rows" in line
        if read < total:
            assert f"cannot read {total - read} " in line
        assert f"reads {differ} differently from another reading" in line
        example, spoken = re.search(r"'([^']+)' is (\d+ \w+ \d{4})", line).groups()
        assert datetime.strptime(spoken, "%d %B %Y").date() == _python_reads(example, formats)
    assert f"2 readings read every row but give {dash_differ} rows different dates" in message
    assert "set mapping.date_format" not in message  # two complete readings disagree: no pick
    # the old advice, followed, corrupted these rows; the right reading reads every one as written
    frame, _ = load_source(ads(mapping={"date_format": ["%m/%d/%Y", "%m-%d-%Y"]}), tmp_path)
    assert [d.date() for d in frame["date"]] == truth
    assert dash_differ > 700


def test_a_mixed_column_with_one_provable_reading_suggests_exactly_it(tmp_path: Path) -> None:
    texts, truth = mixed_column(extra=["01-13-2026"])  # a dash row only MM-DD reads
    write_ads(tmp_path, texts)
    with pytest.raises(DataError) as caught:
        load_source(ads(), tmp_path)
    message = str(caught.value)
    assert "the column mixes date formats:" in message
    suggested = re.search(r"set mapping\.date_format: (\[.*\])", message).group(1)
    formats = eval(suggested)  # noqa: S307
    assert formats == ["%m/%d/%Y", "%m-%d-%Y"]
    assert [_python_reads(text, formats) for text in texts] == truth
    frame, _ = load_source(ads(mapping={"date_format": formats}), tmp_path)
    assert [d.date() for d in frame["date"]] == truth


@pytest.mark.parametrize("content, fields", [
    (HEADER + "2026-02-28,A,1,1,1\n2026-02-30,A,1,1,1\n", {}),
    (HEADER + "2026-02-28,A,1,1,1\n2026-02-30,A,1,1,1\n", {"mapping": {"date_format": "%Y-%m-%d"}}),
    (HEADER + "28/02/2026,A,1,1,1\n31/04/2026,A,1,1,1\n", {}),
    ("Day,Campaign,Impr.,Clicks,Cost\n\"Feb 28, 2026\",A,1,1,1\n\"Feb 29, 2026\",A,1,1,1\n",
     {"preset": "google_ads"}),
    (HEADER + "1772236800,A,1,1,1\n99999999999999,A,1,1,1\n", {"mapping": {"date_format": "epoch"}}),
], ids=["recognised", "declared", "recognised-dd-mm", "preset", "epoch-out-of-range"])
def test_an_impossible_date_names_source_file_row_and_column(tmp_path: Path, content: str,
                                                            fields: dict) -> None:
    (tmp_path / "ads.csv").write_text(content)
    with pytest.raises(DataError) as caught:
        load_source(ads(**fields), tmp_path)
    assert (caught.value.source, caught.value.path, caught.value.row) == ("ads-export", "ads.csv", 3)
    assert caught.value.column in ("date", "Day")


def support(**fields: object) -> SourceSpec:
    return SourceSpec.model_validate({"name": "desk", "kind": "support", "path": "tickets.csv", **fields})


@pytest.mark.parametrize("fmt, created", [
    ("%z %d/%m/%Y %H:%M", "+0200 31/10/2026 14:05"),
    ("%d/%m/%Y %H:%M:%S %z", "31/10/2026 14:05:00 +02:00"),
    ("%Y-%m-%dT%H:%M:%S%z", "2026-10-31T14:05:00+0200"),
    ("%a, %d %b %Y %H:%M:%S %z", "Sat, 31 Oct 2026 14:05:00 +0200"),
])
def test_date_format_reads_timestamp_columns_with_the_offset_anywhere(tmp_path: Path, fmt: str,
                                                                      created: str) -> None:
    (tmp_path / "tickets.csv").write_text(f'date,created_at\n"{created}","{created}"\n')
    frame, _ = load_source(support(mapping={"date_format": fmt}), tmp_path)
    assert frame["created_at"].iloc[0] == datetime(2026, 10, 31, 12, 5)  # 14:05 at +02:00, in UTC
    assert frame["date"].iloc[0] == datetime(2026, 10, 31)  # the day written


def test_a_timestamp_on_an_impossible_day_is_an_error_at_its_row(tmp_path: Path) -> None:
    (tmp_path / "tickets.csv").write_text("date,created_at\n2026-02-28,2026-02-28 10:00\n"
                                          "2026-02-28,2026-02-29 10:00\n")
    with pytest.raises(DataError, match="found '2026-02-29 10:00', which is no day of the calendar"
                       ) as caught:
        load_source(support(), tmp_path)
    assert (caught.value.row, caught.value.column) == (3, "created_at")


def test_a_format_without_a_year_needs_mapping_year(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"source 'ads-export': mapping.date_format '%B %d' "
                                              r"has no year.*add mapping.year"):
        ads(mapping={"date_format": "%B %d"})
    with pytest.raises(ValidationError, match="year is only for a date_format without a year"):
        ads(mapping={"date_format": "%d/%m/%Y", "year": 2026})
    with pytest.raises(ValidationError, match="year"):
        ads(mapping={"date_format": "%d/%m", "year": 26})
    with pytest.raises(ValidationError, match="'%Q' is not a strptime format"):
        ads(mapping={"date_format": "%Q"})
    (tmp_path / "ads.csv").write_text(HEADER + '"February 29",A,1,1,1\n"October 5",A,1,1,1\n')
    frame, _ = load_source(ads(mapping={"date_format": "%B %d", "year": 2024}), tmp_path)
    assert [d.date() for d in frame["date"]] == [date(2024, 2, 29), date(2024, 10, 5)]
    with pytest.raises(DataError, match="found 'February 29', which is no day of the calendar"
                       ) as caught:
        load_source(ads(mapping={"date_format": "%B %d", "year": 2026}), tmp_path)
    assert caught.value.row == 2


def test_days_of_the_month_are_checked_for_every_month() -> None:
    """Every last day of every month of a leap and a common year, and the day after it."""
    for year in (2024, 2026):
        for month in range(1, 13):
            last = monthrange(year, month)[1]
            ok = parse_dates(pa.array([f"{year}-{month:02d}-{last:02d}"]), ["%Y-%m-%d"])
            assert days_of(ok.values) == [date(year, month, last)]
            with pytest.raises(DateProblem):
                parse_dates(pa.array([f"{year}-{month:02d}-{last + 1:02d}"]), ["%Y-%m-%d"])


def test_python_rolling_over_day_366_is_refused_too() -> None:
    assert datetime.strptime("366/2025", "%j/%Y").date() == date(2026, 1, 1)  # why the check
    parsed = read(pa.array(["366/2025", "366/2024", "060/2024"]), "%j/%Y")
    assert [str(v)[:10] for v in parsed.wall] == ["NaT", "2024-12-31", "2024-02-29"]
