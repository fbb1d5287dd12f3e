"""Which format a date column is in, when the params do not say: taken only when provable.

A *reading* of a column is one format per shape of value in it (``1/13/2026`` and
``01-05-2026`` are two shapes; ``DD/MM/YYYY`` and ``MM/DD/YYYY`` are two formats of one
shape), each value read by the format of its shape. A column is read without asking
only when it has one shape and exactly one reading reads every value (readings that give
every value the same day count as one). Otherwise it is refused, listing each possible
reading with the rows it reads, the rows it cannot read or reads differently from another
reading, and the date it gives an example value; a fix is suggested only when one reading
reads every row and no other complete reading gives any row another date. Two complete
readings that disagree are both named, and nothing is suggested: the file cannot tell.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import numpy as np

from nbreport.sources.date_values import DateProblem, Distinct, human

MAX_SHOWN = 6


@dataclass(frozen=True)
class Reading:
    """Formats tried in turn; ``days`` is what they give each distinct value (NaT: unread)."""

    formats: tuple[str, ...]
    days: np.ndarray

    @property
    def read(self) -> np.ndarray:
        return ~np.isnat(self.days)

    @property
    def label(self) -> str:
        return " + ".join(human(fmt) for fmt in self.formats)

    @property
    def spelled(self) -> str:
        """As ``mapping.date_format`` takes it."""
        return repr(self.formats[0]) if len(self.formats) == 1 else repr(list(self.formats))


def shape(fmt: str) -> str:
    """Formats of one shape differ only in the order of day and month."""
    return re.sub(r"%[dm]", "%N", fmt)


def shapes_of(column: Distinct, parsed: dict[str, np.ndarray]) -> dict[str, list[str]]:
    """Shape -> the formats of that shape that read some value of the column."""
    shapes: dict[str, list[str]] = {}
    for fmt, days in parsed.items():
        if (~np.isnat(days) & ~column.blank).any():
            shapes.setdefault(shape(fmt), []).append(fmt)
    return shapes


def readings_of(column: Distinct, parsed: dict[str, np.ndarray]) -> list[Reading]:
    """Every reading: one format per shape found in the column."""
    shapes = shapes_of(column, parsed)
    if not shapes:
        return []
    readings = []
    for choice in itertools.product(*shapes.values()):
        days = np.full(len(column.values), np.datetime64("NaT"), dtype="datetime64[D]")
        for fmt in choice:
            days = np.where(np.isnat(days), parsed[fmt], days)
        readings.append(Reading(tuple(choice), days))
    return readings


def recognise(column: Distinct, parsed: dict[str, np.ndarray]) -> tuple[np.ndarray, str | None]:
    """The days of the column and the format taken, or a :class:`DateProblem` saying why not."""
    if column.blank.all():
        return np.full(len(column.values), np.datetime64("NaT"), dtype="datetime64[D]"), None
    readings = readings_of(column, parsed)
    if not readings:
        return np.full(len(column.values), np.datetime64("NaT"), dtype="datetime64[D]"), None
    complete = _distinct([r for r in readings if (r.read | column.blank).all()])
    one_shape = len(readings[0].formats) == 1
    if one_shape and len(complete) == 1:
        return complete[0].days, complete[0].formats[0]
    if one_shape and len(readings) == 1:  # values the one format cannot read: the caller names the row
        return readings[0].days, None
    unread_by_all = ~np.any([r.read for r in readings], axis=0) & ~column.blank
    position = column.first_row(unread_by_all) if unread_by_all.any() else None
    raise DateProblem(explain(column, parsed, readings, complete), position)


def _distinct(readings: list[Reading]) -> list[Reading]:
    """Readings that give some value another day than every earlier one."""
    kept: list[Reading] = []
    for reading in readings:
        if not any(_same(reading.days, other.days) for other in kept):
            kept.append(reading)
    return kept


def _same(days: np.ndarray, other: np.ndarray) -> bool:
    return bool(((days == other) | (np.isnat(days) & np.isnat(other))).all())


def explain(column: Distinct, parsed: dict[str, np.ndarray], readings: list[Reading],
            complete: list[Reading]) -> str:
    """Why the column is refused: each reading with its counts, then the one way out, if any."""
    example = _example(column, readings)
    complete_set = {r.formats for r in complete}
    shown = sorted(readings, key=lambda r: (r.formats not in complete_set,
                                            -int(column.rows[r.read].sum())))[:MAX_SHOWN]
    lines = [_header(column, parsed, complete, example), "possible readings:"]
    lines += [f"  - {_line(column, reading, readings, example)}" for reading in shown]
    if len(readings) > len(shown):
        lines.append(f"  - and {len(readings) - len(shown)} more readings, none reading more rows")
    lines.append(_way_out(column, readings, complete, example))
    return "\n".join(lines)


def _header(column: Distinct, parsed: dict[str, np.ndarray], complete: list[Reading],
            example: int) -> str:
    if len(complete) > 1:
        names = [r.label for r in complete]
        both = f"both {names[0]} and {names[1]}" if len(names) == 2 else (
            f"{', '.join(names[:-1])} and {names[-1]}")
        return (f"dates such as '{column.text(example)}' fit {both}; say which with "
                "mapping.date_format (the file alone cannot tell)")
    shapes = shapes_of(column, parsed)
    if len(shapes) > 1:
        parts = []
        for formats in shapes.values():
            read = np.any([~np.isnat(parsed[fmt]) for fmt in formats], axis=0)
            common = int(np.argmax(np.where(read, column.rows, -1)))
            parts.append(f"'{column.text(common)}' ({' or '.join(human(f) for f in formats)})")
        return f"the column mixes date formats: {', '.join(parts)}"
    return "no date format reads every value of the column"


def _line(column: Distinct, reading: Reading, readings: list[Reading], example: int) -> str:
    total = int(column.rows[~column.blank].sum())
    read = int(column.rows[reading.read].sum())
    unread = ~reading.read & ~column.blank
    differs = np.zeros(len(column.values), bool)
    for other in readings:
        differs |= reading.read & other.read & (other.days != reading.days)
    text = f"{reading.label} {reading.spelled}: reads {read} of {_rows(total)}"
    if unread.any():
        text += (f", cannot read {int(column.rows[unread].sum())} (e.g. "
                 f"'{column.text(int(np.argmax(np.where(unread, column.rows, -1))))}')")
    if differs.any():
        text += f", reads {int(column.rows[differs].sum())} differently from another reading"
    day = reading.days[example]
    text += (f"; '{column.text(example)}' is {_spoken(day)}" if not np.isnat(day)
             else f"; cannot read '{column.text(example)}'")
    return text


def _way_out(column: Distinct, readings: list[Reading], complete: list[Reading], example: int) -> str:
    if len(complete) == 1:
        return (f"Only {complete[0].label} reads every row, and no other reading gives any row "
                f"another date: set mapping.date_format: {complete[0].spelled}")
    if len(complete) > 1:
        disputed = np.zeros(len(column.values), bool)
        for one, other in itertools.combinations(complete, 2):
            disputed |= one.read & other.read & (one.days != other.days)
        return (f"{len(complete)} readings read every row but give {_rows(column.rows[disputed].sum())} "
                f"different dates, and nothing in the file says which is right: look up a row "
                f"such as '{column.text(example)}' in the tool that made the export and give the "
                "reading that gives its date in mapping.date_format")
    return ("No reading reads every row: give every format the export uses in mapping.date_format "
            "(a list, most common first), and correct the values no format reads")


def _example(column: Distinct, readings: list[Reading]) -> int:
    """The most common value that the readings give different dates (else that some cannot read)."""
    days = np.stack([r.days for r in readings])
    read = ~np.isnat(days)
    lowest = np.where(read, days, np.datetime64("9999-12-31")).min(axis=0)
    highest = np.where(read, days, np.datetime64("0001-01-01")).max(axis=0)
    disputed = (read.sum(axis=0) >= 2) & (lowest != highest)
    if not disputed.any():
        disputed = read.any(axis=0) & ~read.all(axis=0)
    if not disputed.any():
        disputed = ~column.blank
    return int(np.argmax(np.where(disputed, column.rows, -1)))


def _rows(count: int) -> str:
    return f"{int(count)} row{'s' * (int(count) != 1)}"


def _spoken(day: np.datetime64) -> str:
    value = day.astype("datetime64[D]").item()
    return f"{value.day} {value:%B %Y}"
