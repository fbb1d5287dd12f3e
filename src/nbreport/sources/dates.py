"""Dates and timestamps, never guessed.

A date column is read with the format(s) the params or the preset give. Without
one, a format is taken only when it is the *only* known format that fits every
value of the column (and the choice is recorded in the source's provenance); a
column whose values fit two formats that disagree (``05/08/2019``: 5 August or
8 May?) or that mixes formats is an error that names the formats.

Only the distinct values of a column are parsed (three years of daily rows hold
about a thousand distinct days), so this stays fast on millions of rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

ISO_DAY = "%Y-%m-%d"
EPOCH_FORMATS = {"epoch": "s", "epoch_ms": "ms"}
CANDIDATES = (
    ISO_DAY, "%Y/%m/%d", "%Y%m%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d-%m-%Y", "%m-%d-%Y",
    "%d/%m/%y", "%m/%d/%y", "%d.%m.%y", "%b %d, %Y", "%d %b %Y", "%B %d, %Y", "%d %B %Y",
)
"""Formats a date column may be recognised in when the params give none."""

_TIME_SUFFIX = re.compile(
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[AaPp][Mm])?)?\s*(?:Z|UTC|[+-]\d{2}:?\d{2})?$")
_ZONE_SUFFIX = re.compile(r"\s*(?:Z|UTC|[+-]\d{2}:?\d{2})$")
_TIME_DIRECTIVES = ("%H", "%I", "%M", "%S", "%p", "%z", "%T")
MIN_YEAR, MAX_YEAR = 1900, 2200


class DateProblem(Exception):
    """A date column cannot be read; ``position`` is the offending row when there is one."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


@dataclass(frozen=True)
class ParsedDates:
    values: pa.Array  # timestamp[s], null where blank
    format_used: str | None  # the format recognised, when the params gave none


def human(fmt: str) -> str:
    """``%d/%m/%Y`` -> ``DD/MM/YYYY``, for messages."""
    for directive, word in (("%Y", "YYYY"), ("%y", "YY"), ("%m", "MM"), ("%d", "DD"),
                            ("%b", "Mon"), ("%B", "Month"), ("%H", "hh"), ("%M", "mm"),
                            ("%S", "ss"), ("%z", "+zone")):
        fmt = fmt.replace(directive, word)
    return fmt


def parse_dates(text: pa.Array, formats: list[str] | None) -> ParsedDates:
    """Calendar days from text (blank -> null); raises :class:`DateProblem`."""
    encoded = pc.dictionary_encode(text)
    unique = pc.utf8_trim_whitespace(encoded.dictionary)
    blank = pc.equal(unique, "").to_numpy(zero_copy_only=False)
    if formats:
        parsed = _with_formats(unique, formats)
        format_used = None
    else:
        parsed, format_used = _recognise(unique, blank, encoded.indices)
    bad = np.asarray(pc.is_null(parsed).to_numpy(zero_copy_only=False)) & ~blank
    if bad.any():
        position = _first_position(encoded.indices, bad)
        shown = " or ".join(human(f) for f in formats) if formats else "YYYY-MM-DD"
        raise DateProblem(f"found '{unique[int(np.flatnonzero(bad)[0])]}', expected a date as {shown}"
                          + ("" if formats else "; give the export's format in mapping.date_format "
                                                "(e.g. '%d/%m/%Y')"), position)
    return ParsedDates(pc.take(parsed, encoded.indices), format_used)


def _first_position(indices: pa.Array, bad_unique: np.ndarray) -> int:
    codes = indices.to_numpy(zero_copy_only=False)
    return int(np.flatnonzero(bad_unique[codes])[0])


def _with_formats(values: pa.Array, formats: list[str]) -> pa.Array:
    result = pa.nulls(len(values), pa.timestamp("s"))
    for fmt in formats:
        missing = pc.is_null(result)
        if not pc.any(missing).as_py():
            break
        result = pc.if_else(missing, _parse_one(values, fmt), result)
    return result


def _parse_one(values: pa.Array, fmt: str) -> pa.Array:
    """Parse with one format; a date format also reads values that carry a time of day, and the
    day is the one written (a zone suffix is dropped, not converted)."""
    if fmt in EPOCH_FORMATS:
        numbers = pc.cast(pc.if_else(pc.match_substring_regex(values, r"^-?\d+$"), values, None),
                          pa.int64())
        instants = pc.cast(pc.cast(numbers, pa.timestamp(EPOCH_FORMATS[fmt])), pa.timestamp("s"))
        return pc.floor_temporal(instants, unit="day")  # the day in UTC
    if "%z" in fmt:
        fmt = fmt.replace("%z", "").rstrip()
        values = pc.replace_substring_regex(values, _ZONE_SUFFIX.pattern, "")
    parsed = pc.strptime(values, format=fmt, unit="s", error_is_null=True)
    if not any(directive in fmt for directive in _TIME_DIRECTIVES):
        stripped = pc.replace_substring_regex(values, _TIME_SUFFIX.pattern, "")
        parsed = pc.if_else(pc.is_null(parsed),
                            pc.strptime(stripped, format=fmt, unit="s", error_is_null=True), parsed)
    years = pc.year(parsed)
    plausible = pc.and_(pc.greater_equal(years, MIN_YEAR), pc.less_equal(years, MAX_YEAR))
    return pc.floor_temporal(pc.if_else(plausible, parsed, None), unit="day")


def _recognise(unique: pa.Array, blank: np.ndarray, indices: pa.Array) -> tuple[pa.Array, str | None]:
    """The one candidate format that fits every value, or a :class:`DateProblem` saying why not."""
    fits: dict[str, pa.Array] = {}
    for fmt in CANDIDATES:
        parsed = _parse_one(unique, fmt)
        if pc.any(pc.is_valid(parsed)).as_py():
            fits[fmt] = parsed
    if not (~blank).any():
        return pa.nulls(len(unique), pa.timestamp("s")), None
    complete = {fmt: parsed for fmt, parsed in fits.items()
                if (np.asarray(pc.is_valid(parsed).to_numpy(zero_copy_only=False)) | blank).all()}
    if complete:
        first_fmt, first = next(iter(complete.items()))
        for fmt, parsed in complete.items():
            differs = np.asarray(pc.not_equal(first, parsed).fill_null(False).to_numpy(zero_copy_only=False))
            if differs.any():
                example = unique[int(np.flatnonzero(differs)[0])].as_py()
                raise DateProblem(
                    f"dates such as '{example}' fit both {human(first_fmt)} and {human(fmt)}; "
                    f"say which with mapping.date_format (e.g. '{first_fmt}' or '{fmt}')")
        return first, first_fmt
    covered = np.zeros(len(unique), bool)
    examples = []
    for fmt, parsed in fits.items():
        valid = np.asarray(pc.is_valid(parsed).to_numpy(zero_copy_only=False))
        new = valid & ~covered & ~blank
        if new.any():
            examples.append(f"'{unique[int(np.flatnonzero(new)[0])]}' ({human(fmt)})")
            covered |= valid
    if (covered | blank).all():
        raise DateProblem(
            f"the column mixes date formats: {', '.join(examples)}; give every format it uses "
            "as a list in mapping.date_format, most common first")
    if not fits:
        return pa.nulls(len(unique), pa.timestamp("s")), None  # the caller names the first bad row
    best = max(fits, key=lambda fmt: pc.sum(pc.is_valid(fits[fmt])).as_py())
    return fits[best], None  # the caller names the first row this format cannot read


def parse_timestamps(text: pa.Array, timezone: str | None) -> pa.Array:
    """Instants from ISO text as naive UTC ``timestamp[ns]``; see the canonical model's rule.

    Raises :class:`DateProblem` for text that is not an ISO timestamp, and for a column
    that mixes values with and without a zone when no ``timezone`` is declared.
    """
    import pandas as pd

    encoded = pc.dictionary_encode(text)
    unique = pd.Series(pc.utf8_trim_whitespace(encoded.dictionary).to_pylist(), dtype=object)
    unique = unique.str.replace(r"\s+([+-]\d{2}:?\d{2})$", r"\1", regex=True)
    blank = (unique == "").to_numpy()
    aware = unique.str.contains(_ZONE_SUFFIX.pattern, regex=True).to_numpy() & ~blank
    naive = ~aware & ~blank
    if aware.any() and naive.any() and timezone is None:
        raise DateProblem(
            f"the column mixes times with a zone ('{unique[aware].iloc[0]}') and without one "
            f"('{unique[naive].iloc[0]}'); set 'timezone' for the source (the zone of the times "
            "without one, e.g. Europe/Berlin)", _first_position(encoded.indices, naive))
    result = pd.Series(pd.NaT, index=unique.index, dtype="datetime64[ns]")
    if aware.any():
        parsed = pd.to_datetime(unique[aware], format="ISO8601", utc=True, errors="coerce")
        result[aware] = parsed.dt.tz_localize(None).astype("datetime64[ns]")
    if naive.any():
        parsed = pd.to_datetime(unique[naive], format="ISO8601", errors="coerce")
        local = parsed.dt.tz_localize(timezone or "UTC", ambiguous="NaT", nonexistent="shift_forward")
        result[naive] = local.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ns]")
    bad = result.isna().to_numpy() & ~blank
    if bad.any():
        raise DateProblem(f"found '{unique[bad].iloc[0]}', expected a timestamp such as "
                          "2026-10-31T14:05:00 (with or without a zone)",
                          _first_position(encoded.indices, bad))
    return pc.take(pa.array(result, pa.timestamp("ns")), encoded.indices)
