"""``datetime.strptime`` for whole columns: Python's rules, at Arrow's speed.

Python's ``datetime.strptime`` is the reference: a value is read exactly when Python
reads it, to the same date, time and offset, whatever the format and wherever ``%z``
stands in it. An impossible date (30 February, 29 February 2026) is never rolled over
into the next month: Arrow's own ``strptime`` does roll over, so it is not used.

How: the column is matched with the very regular expression Python builds for the
format (``_strptime``), run by Arrow (RE2) over the whole column at once; the fields it
captures are then assembled and checked with NumPy (day within its month, hour, offset
under 24 hours). Formats with directives whose meaning depends on other fields (week
numbers, day of the year, the locale's ``%c``) are read value by value with
``datetime.strptime`` itself. Callers pass distinct values only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_NATIVE = frozenset("YymdbBHIpMSfzaA%")
"""Directives assembled here; any other one is read by ``datetime.strptime`` itself."""
_YEAR_DIRECTIVES = frozenset("YyGcx")
_TIME_DIRECTIVES = frozenset("HIMSpfzcXT")
_UNNAMED_GROUP = re.compile(r"(?<!\\)\((?!\?)")
_MICROS = {"D": 86_400_000_000, "H": 3_600_000_000, "M": 60_000_000, "S": 1_000_000}


@dataclass(frozen=True)
class WallTimes:
    """What a column of text says, value by value.

    Attributes
    ----------
    wall:
        ``datetime64[us]``: the date and time as written (NaT where the value is not read).
    offset:
        ``int64`` microseconds east of UTC written with ``%z`` (``None`` when the format
        has no ``%z``); the instant is ``wall - offset``.
    """

    wall: np.ndarray
    offset: np.ndarray | None

    @property
    def read(self) -> np.ndarray:
        return ~np.isnat(self.wall)


def directives(fmt: str) -> set[str]:
    """The directive letters of a strftime format (``%%`` is a literal, not a directive)."""
    return set(re.findall(r"%(.)", fmt))


def has_year(fmt: str) -> bool:
    return bool(directives(fmt) & _YEAR_DIRECTIVES)


def has_time(fmt: str) -> bool:
    return bool(directives(fmt) & _TIME_DIRECTIVES)


def check_format(fmt: str) -> None:
    """Raise ``ValueError`` saying why ``datetime.strptime`` would refuse the format itself."""
    from nbreport.speedups.strptime import strptime_regex

    try:
        strptime_regex(fmt)
    except re.error as exc:  # e.g. the same directive twice
        raise ValueError(f"'{fmt}' is not a strptime format ({exc})") from None
    except (ValueError, KeyError) as exc:
        raise ValueError(f"'{fmt}' is not a strptime format ({exc})") from None


def read(values: pa.Array, fmt: str) -> WallTimes:
    """Read text values (already trimmed; nulls stay unread) with one strptime format."""
    if directives(fmt) <= _NATIVE:
        try:
            return _read_vectorised(values, fmt)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass  # a pattern RE2 cannot run: Python reads it below
    return _read_one_by_one(values, fmt)


@lru_cache(maxsize=64)
def _pattern(fmt: str) -> str:
    from nbreport.speedups.strptime import strptime_pattern

    # Arrow wants named groups only; Python's pattern has a few unnamed ones (in %z).
    return "(?i)^" + _UNNAMED_GROUP.sub("(?:", strptime_pattern(fmt)) + "$"


def _read_vectorised(values: pa.Array, fmt: str) -> WallTimes:
    from nbreport.speedups.strptime import strptime_locale

    fields = pc.extract_regex(values, _pattern(fmt))
    matched = np.asarray(fields.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    nat = np.full(len(values), np.iinfo(np.int64).min, dtype=np.int64)
    if not matched.any():
        return WallTimes(nat.astype("datetime64[us]"), None if "z" not in directives(fmt) else nat)
    found = pc.filter(fields, pa.array(matched))  # a struct of the captured text, no nulls
    names = {found.type.field(i).name for i in range(found.type.num_fields)}
    size = len(found)

    def number(name: str, default: int) -> np.ndarray:
        if name not in names:
            return np.full(size, default, dtype=np.int64)
        digits = found.field(name)
        if name == "d":  # Python also reads a space-padded day (' 5')
            digits = pc.utf8_trim_whitespace(digits)
        return np.asarray(pc.cast(digits, pa.int64()).to_numpy(zero_copy_only=False))

    def lookup(name: str, table: dict[str, int]) -> np.ndarray:
        encoded = pc.dictionary_encode(pc.utf8_lower(found.field(name)))
        codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False))
        words = np.array([table.get(word, 0) for word in encoded.dictionary.to_pylist()] or [0])
        return words[codes]

    locale = strptime_locale()
    year = number("Y", 1900)
    if "y" in names:  # POSIX and Python: 69-99 are 19xx, 00-68 are 20xx
        short = number("y", 0)
        year = np.where(short <= 68, short + 2000, short + 1900)
    month = number("m", 1)
    for name, words in (("B", locale.f_month), ("b", locale.a_month)):
        if name in names:
            month = lookup(name, {word: i for i, word in enumerate(words) if word})
    hour = number("H", 0)
    if "I" in names:  # %p counts only with %I, as in Python
        hour = number("I", 0)
        if "p" in names:
            meridian = lookup("p", {locale.am_pm[0]: 1, locale.am_pm[1]: 2})
            hour = np.where((meridian == 1) & (hour == 12), 0, hour)
            hour = np.where((meridian == 2) & (hour != 12), hour + 12, hour)
    day, second = number("d", 1), number("S", 0)
    micro = np.zeros(size, dtype=np.int64)
    if "f" in names:  # 1 to 6 digits, a fraction of a second
        padded = pc.utf8_rpad(found.field("f"), width=6, padding="0")
        micro = np.asarray(pc.cast(padded, pa.int64()).to_numpy(zero_copy_only=False))
    offset = _offsets(found.field("z")) if "z" in names else None
    months = (year - 1970) * 12 + (month - 1)
    first = months.astype("datetime64[M]").astype("datetime64[D]")
    days_in_month = ((months + 1).astype("datetime64[M]").astype("datetime64[D]") - first).astype(np.int64)
    valid = (month >= 1) & (day >= 1) & (day <= days_in_month) & (second <= 59) & (year >= 1)
    if offset is not None:
        valid &= offset != np.iinfo(np.int64).min
    micros = (first.astype("datetime64[us]").astype(np.int64) + (day - 1) * _MICROS["D"]
              + hour * _MICROS["H"] + number("M", 0) * _MICROS["M"] + second * _MICROS["S"] + micro)
    wall = nat.copy()
    wall[matched] = np.where(valid, micros, np.iinfo(np.int64).min)
    full_offset = None
    if offset is not None:
        full_offset = np.zeros(len(values), dtype=np.int64)
        full_offset[matched] = offset
    return WallTimes(wall.astype("datetime64[us]"), full_offset)


def _offsets(text: pa.Array) -> np.ndarray:
    """Microseconds east of UTC for ``%z`` text; int64 min where Python would refuse it."""
    encoded = pc.dictionary_encode(text)
    codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False))
    table = [_offset_micros(word) for word in encoded.dictionary.to_pylist()]
    return np.array(table or [0], dtype=np.int64)[codes]


def _offset_micros(word: str) -> int:
    if not word:
        return 0  # no match at all: the value is unread anyway
    try:  # Python itself decides (colons used consistently, under 24 hours)
        zone = datetime.strptime(word, "%z").utcoffset()
    except ValueError:
        return int(np.iinfo(np.int64).min)
    assert zone is not None
    return (zone.days * 86_400 + zone.seconds) * 1_000_000 + zone.microseconds


_WRITTEN = {"Y": "%Y", "m": "%m", "d": "%d", "j": "%j", "U": "%U", "W": "%W", "G": "%G", "V": "%V"}


def _fields_kept(parsed: datetime, value: str, fmt: str) -> bool:
    """Whether every calendar field written in ``value`` is the parsed date's own."""
    from nbreport.speedups.strptime import strptime_regex

    found = strptime_regex(fmt).match(value)
    assert found is not None
    return all(int(parsed.strftime(code)) == int(found[key])
               for key, code in _WRITTEN.items() if found.groupdict().get(key))


def _read_one_by_one(values: pa.Array, fmt: str) -> WallTimes:
    """``datetime.strptime`` on each value: formats with week numbers, day of year, locale."""
    nat = np.iinfo(np.int64).min
    wall = np.full(len(values), nat, dtype=np.int64)
    offset = np.zeros(len(values), dtype=np.int64) if "z" in directives(fmt) else None
    for i, value in enumerate(values.to_pylist()):
        if value is None:
            continue
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        if not _fields_kept(parsed, value, fmt):
            continue  # Python rolled it over (day 366 of 2025 is not 1 January 2026)
        wall[i] = np.datetime64(parsed.replace(tzinfo=None), "us").astype(np.int64)
        if offset is not None and parsed.utcoffset() is not None:
            delta = parsed.utcoffset()
            offset[i] = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return WallTimes(wall.astype("datetime64[us]"), offset)
