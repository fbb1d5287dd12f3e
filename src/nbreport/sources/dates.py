"""Dates and timestamps, never guessed and never rolled over.

A date column is read with the format(s) the params or the preset give. Without
one, a format is taken only when it is the *only* reading of the column that reads
every value, and reads it one way (the choice is recorded in the source's
provenance); otherwise the column is refused with every possible reading, what it
reads and how (:mod:`nbreport.sources.date_readings`).

Every format reads exactly what Python's ``datetime.strptime`` reads
(:mod:`nbreport.sources.strptime`), for date and timestamp columns alike; an
impossible date (``2026-02-30``) is an error naming its row, never the next month. A
format without a year (``%d %B``) needs the year from the params.

Only the distinct values of a column are parsed (three years of daily rows hold
about a thousand distinct days), so this stays fast on millions of rows.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from nbreport.sources import strptime
from nbreport.sources.date_values import EPOCH_FORMATS, DateProblem, Distinct, human

ISO_DAY = "%Y-%m-%d"
CANDIDATES = (
    ISO_DAY, "%Y/%m/%d", "%Y%m%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d-%m-%Y", "%m-%d-%Y",
    "%d/%m/%y", "%m/%d/%y", "%d.%m.%y", "%b %d, %Y", "%d %b %Y", "%B %d, %Y", "%d %B %Y",
    "%d-%b-%Y",
)
"""Formats a date column may be recognised in when the params give none."""

TIME_SUFFIX = re.compile(
    r"(?:[T ](?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:\s?[AaPp][Mm])?)?"
    r"\s*(?:Z|UTC|[+-]\d{2}:?\d{2})?$")
_ZONE_SUFFIX = re.compile(r"\s*(?:Z|UTC|[+-]\d{2}:?\d{2})$")
MIN_YEAR, MAX_YEAR = 1900, 2200
_NAT = np.datetime64("NaT", "us")


@dataclass(frozen=True)
class ParsedDates:
    values: pa.Array  # timestamp[s], null where blank
    format_used: str | None  # the format recognised, when the params gave none


def year_problem(fmt: str, year: int | None) -> str | None:
    """Why ``fmt`` cannot be used with ``year`` (a format without a year needs one), or None."""
    if fmt in EPOCH_FORMATS or strptime.has_year(fmt):
        return None
    if year is None:
        return (f"the date format '{fmt}' has no year, so every date would be read in 1900: "
                "add the year of the export's dates as mapping.year (e.g. year: 2026)")
    return None


def parse_dates(text: pa.Array, formats: list[str] | None, year: int | None = None) -> ParsedDates:
    """Calendar days from text (blank -> null); raises :class:`DateProblem`."""
    column = Distinct.of(text)
    if formats:
        days = _with_formats(column, formats, year)
        format_used = None
    else:
        from nbreport.sources.date_readings import recognise

        parsed = {fmt: read_days(column.values, fmt, None) for fmt in CANDIDATES}
        days, format_used = recognise(column, parsed)
    bad = np.isnat(days) & ~column.blank
    if bad.any():
        shown = " or ".join(human(f) for f in formats) if formats else human(ISO_DAY)
        hint = "" if formats else ("; give the export's format in mapping.date_format "
                                   "(e.g. '%d/%m/%Y')")
        raise _unread(column, bad, f"a date as {shown}", hint, formats or [ISO_DAY])
    values = pa.array(days.astype("datetime64[s]"), pa.timestamp("s"), mask=np.isnat(days))
    return ParsedDates(pc.take(values, column.indices), format_used)


def read_days(values: pa.Array, fmt: str, year: int | None) -> np.ndarray:
    """Days (``datetime64[D]``, NaT where unread) with one format. A date format also reads
    values that carry a time of day; the day is the one written (a zone is dropped, not
    converted: see the canonical model)."""
    if fmt in EPOCH_FORMATS:
        return _epoch(values, fmt).astype("datetime64[D]")
    wall = _read_wall(values, fmt, year).wall
    if not strptime.has_time(fmt) and np.isnat(wall).any():
        stripped = pc.replace_substring_regex(values, TIME_SUFFIX.pattern, "")
        retry = np.isnat(wall) & _mask(pc.not_equal(stripped, values))  # values with a time
        if retry.any():
            wall[retry] = _read_wall(pc.filter(stripped, pa.array(retry)), fmt, year).wall
    return wall.astype("datetime64[D]")


def _mask(array: pa.Array) -> np.ndarray:
    return np.asarray(array.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def _read_wall(values: pa.Array, fmt: str, year: int | None) -> strptime.WallTimes:
    """One strptime format, the params' year added to a format that has none, implausible
    years (a two-digit year read as 1900, 0026) unread."""
    problem = year_problem(fmt, year)
    if problem:
        raise DateProblem(problem)
    if not strptime.has_year(fmt):  # the year joins before parsing: 29 February needs it
        values = pc.binary_join_element_wise(values, pa.scalar(str(year)), " ")
        fmt = f"{fmt} %Y"
    read = strptime.read(values, fmt)
    return strptime.WallTimes(_plausible(read.wall), read.offset)


def _plausible(wall: np.ndarray) -> np.ndarray:
    years = wall.astype("datetime64[Y]").astype(np.int64) + 1970
    return np.where((years >= MIN_YEAR) & (years <= MAX_YEAR), wall, _NAT)


def _epoch(values: pa.Array, fmt: str) -> np.ndarray:
    """Instants (``datetime64[us]``, UTC) from Unix timestamps in seconds or milliseconds."""
    whole = pc.if_else(pc.match_substring_regex(values, r"^-?\d{1,15}$"), values, None)
    numbers = pc.cast(whole, pa.int64()).fill_null(np.iinfo(np.int64).min).to_numpy()
    unit = EPOCH_FORMATS[fmt]
    low, high = (np.datetime64(f"{year}-01-01", unit).astype(np.int64)
                 for year in (MIN_YEAR, MAX_YEAR + 1))
    inside = (numbers >= low) & (numbers < high)  # checked before any unit change can overflow
    instants = np.where(inside, numbers, np.iinfo(np.int64).min).astype(f"datetime64[{unit}]")
    return instants.astype("datetime64[us]")


def _with_formats(column: Distinct, formats: list[str], year: int | None) -> np.ndarray:
    """Each value read by the first format that reads it."""
    result = np.full(len(column.values), np.datetime64("NaT"), dtype="datetime64[D]")
    for fmt in formats:
        missing = np.isnat(result) & ~column.blank
        if not missing.any():
            break
        result[missing] = read_days(pc.filter(column.values, pa.array(missing)), fmt, year)
    return result


def _unread(column: Distinct, bad: np.ndarray, shown: str, hint: str,
            formats: list[str]) -> DateProblem:
    """The row error for values nothing reads, saying so when the date does not exist."""
    first = int(np.flatnonzero(bad)[0])
    value = column.text(first)
    count = int(column.rows[bad].sum())
    more = f" ({count} rows like this)" if count > 1 else ""
    impossible = [f for f in formats if _shaped_like(value, f)]
    zone_names = [f for f in impossible if "%Z" in f]
    if zone_names:  # Python's %Z reads UTC and GMT only: CEST, EST... are not dates gone wrong
        return DateProblem(f"found '{value}': %Z in '{zone_names[0]}' reads only the zone names UTC "
                           "and GMT, not others such as CEST; read the offset with %z and leave the "
                           "name out of the format (a derive step can cut it: regexp_replace(column, "
                           "'\\s*\\(.*\\)$', ''))", column.first_row(bad))
    if impossible:
        return DateProblem(f"found '{value}', which is no day of the calendar (it is written as "
                           f"{human(impossible[0])}, but no such date or time exists){more}; "
                           "correct it in the export", column.first_row(bad))
    return DateProblem(f"found '{value}', expected {shown}{more}{hint}", column.first_row(bad))


def _shaped_like(value: str, fmt: str) -> bool:
    """Whether ``value`` has the shape of ``fmt`` (so a failure means the date is impossible)."""
    if fmt in EPOCH_FORMATS:
        return False
    from nbreport.speedups.strptime import strptime_regex

    for pattern in (strptime_regex(fmt), _loose_shape(fmt)):
        shaped = pattern.fullmatch(value)
        if shaped is None and not strptime.has_time(fmt):
            shaped = pattern.fullmatch(TIME_SUFFIX.sub("", value))
        if shaped is not None:
            year = shaped.groupdict().get("Y")
            return year is None or MIN_YEAR <= int(year) <= MAX_YEAR
    return False


_LOOSE = {"Y": r"(?P<Y>\d{4})", "y": r"\d{2}", "m": r"(?:0?\d|1[0-2])", "d": r"(?:[0-2]?\d|3[01])",
          "H": r"\d{1,2}",
          "I": r"\d{1,2}", "M": r"\d{1,2}", "S": r"\d{1,2}", "j": r"\d{1,3}"}


@functools.lru_cache(maxsize=64)
def _loose_shape(fmt: str) -> re.Pattern[str]:
    """``fmt`` with day 0 and month 0 allowed: ``2026-00-10`` and ``2026-01-00`` have the shape
    of ``%Y-%m-%d`` (impossible dates, not another format); ``31/10/2026`` has no shape of
    ``%m/%d/%Y`` (another format)."""
    parts = re.split(r"(%.)", fmt)
    return re.compile("".join(
        (_LOOSE.get(part[1], r".+?") if part.startswith("%") and len(part) == 2 else re.escape(part))
        for part in parts), re.I)


def parse_timestamps(text: pa.Array, timezone: str | None, formats: list[str] | None = None,
                     year: int | None = None) -> pa.Array:
    """Instants as naive UTC ``timestamp[ns]``; see the canonical model's rule.

    Each value is read with the first of ``formats`` that reads it (``%z`` anywhere), else
    as ISO 8601. Raises :class:`DateProblem` for a value nothing reads (an impossible date
    included), and for a column that mixes values with and without a zone when no
    ``timezone`` is declared.
    """
    column = Distinct.of(text)
    formats = formats or []
    instant = np.full(len(column.values), _NAT)  # UTC, for values written with a zone
    wall = np.full(len(column.values), _NAT)  # as written, for values without one
    for fmt in formats:
        missing = np.isnat(instant) & np.isnat(wall) & ~column.blank
        if missing.any():
            subset = pc.filter(column.values, pa.array(missing))
            instant[missing], wall[missing] = _read_instants(subset, fmt, year)
    missing = np.isnat(instant) & np.isnat(wall) & ~column.blank
    if missing.any():
        instant[missing], wall[missing] = _read_iso(pc.filter(column.values, pa.array(missing)))
    result = np.where(np.isnat(instant), _localise(column, wall, timezone, instant), instant)
    bad = np.isnat(result) & ~column.blank
    if bad.any():
        shown = " or ".join([human(f) for f in formats] + [ISO_EXAMPLE])
        hint = "" if formats else ("; give the export's format in mapping.date_format "
                                   "(e.g. '%d/%m/%Y %H:%M')")
        raise _unread(column, bad, f"a timestamp as {shown}", hint, formats + [ISO_DAY])
    values = pa.array(result.astype("datetime64[ns]"), pa.timestamp("ns"), mask=np.isnat(result))
    return pc.take(values, column.indices)


ISO_EXAMPLE = "ISO 8601 (2026-10-31T14:05:00, with or without a zone)"


def _read_instants(values: pa.Array, fmt: str, year: int | None) -> tuple[np.ndarray, np.ndarray]:
    """(UTC instant where the value has a zone, wall time where it has none) with one format."""
    if fmt in EPOCH_FORMATS:
        return _epoch(values, fmt), np.full(len(values), _NAT)
    read = _read_wall(values, fmt, year)
    if read.offset is None:
        return np.full(len(values), _NAT), read.wall
    return read.wall - read.offset.astype("timedelta64[us]"), np.full(len(values), _NAT)


def _read_iso(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """ISO 8601 through pandas, which refuses impossible dates (never rolls them over)."""
    import pandas as pd

    text = pd.Series(values.to_pylist(), dtype=object).str.replace(
        r"\s+([+-]\d{2}:?\d{2})$", r"\1", regex=True)
    aware = text.str.contains(_ZONE_SUFFIX.pattern, regex=True).to_numpy(dtype=bool)
    instant = np.full(len(text), _NAT)
    wall = np.full(len(text), _NAT)
    if aware.any():
        parsed = pd.to_datetime(text[aware], format="ISO8601", utc=True, errors="coerce")
        instant[aware] = _plausible(parsed.dt.tz_localize(None).to_numpy("datetime64[us]"))
    if (~aware).any():
        parsed = pd.to_datetime(text[~aware], format="ISO8601", errors="coerce")
        wall[~aware] = _plausible(parsed.to_numpy("datetime64[us]"))
    return instant, wall


def _localise(column: Distinct, wall: np.ndarray, timezone: str | None,
              instant: np.ndarray) -> np.ndarray:
    """UTC instants of wall times read in ``timezone`` (UTC when not given)."""
    import pandas as pd

    naive, aware = ~np.isnat(wall), ~np.isnat(instant)
    if aware.any() and naive.any() and timezone is None:
        raise DateProblem(
            f"the column mixes times with a zone ('{column.text(int(np.flatnonzero(aware)[0]))}') "
            f"and without one ('{column.text(int(np.flatnonzero(naive)[0]))}'); set 'timezone' for "
            "the source (the zone of the times without one, e.g. Europe/Berlin)",
            column.first_row(naive))
    if not naive.any() or timezone in (None, "UTC"):
        return wall
    local = pd.Series(wall).dt.tz_localize(timezone, ambiguous="NaT", nonexistent="shift_forward")
    result = local.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[us]")
    twice = naive & np.isnat(result)
    if twice.any():
        raise DateProblem(
            f"found '{column.text(int(np.flatnonzero(twice)[0]))}', a time that happened twice in "
            f"{timezone} (the clocks went back): the export must write it with its offset "
            "(e.g. +01:00)", column.first_row(twice))
    return result
