"""Reporting periods and the comparison periods derived from them.

A period is written in a params file or on the command line as one of::

    2026-10                      a calendar month
    2026-Q3                      a calendar quarter
    2026-W42                     an ISO week (Monday to Sunday)
    2026                         a calendar year
    2026-10-01..2026-10-15       explicit start and end, both inclusive
    last-month, last-quarter,    relative to the day of the run
    last-week, this-month, this-quarter

or, in YAML, as a mapping ``{start: 2026-10-01, end: 2026-10-15}``.
Comparison periods are derived, never typed: the previous period of the same
kind and length, and the same period a year earlier.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar, Literal

from nbreport.core.errors import EXIT_USAGE, NbreportError

PeriodKind = Literal["month", "quarter", "week", "year", "custom"]

PERIOD_FORMATS_HELP = (
    "a month '2026-10', a quarter '2026-Q3', an ISO week '2026-W42', a year '2026', "
    "an explicit range '2026-10-01..2026-10-15' (or {start: ..., end: ...}), "
    "or one of last-month, last-quarter, last-week, this-month, this-quarter"
)

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:\.\.|/|_)\s*(\d{4}-\d{2}-\d{2})$")


class PeriodParseError(NbreportError, ValueError):
    """The text does not describe a period; the message says which forms are accepted."""

    exit_code: ClassVar[int] = EXIT_USAGE


@dataclass(frozen=True, order=True)
class Period:
    """An inclusive date range with a kind that decides how it is named and compared.

    Attributes
    ----------
    start, end:
        First and last day, both inclusive.
    kind:
        ``month``, ``quarter``, ``week``, ``year`` or ``custom``.
    """

    start: date
    end: date
    kind: PeriodKind = "custom"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodParseError(
                f"period ends ({self.end}) before it starts ({self.start}); swap the two dates"
            )

    # --- construction -------------------------------------------------------------------
    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last), "month")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first_month = 3 * (quarter - 1) + 1
        last = calendar.monthrange(year, first_month + 2)[1]
        return cls(date(year, first_month, 1), date(year, first_month + 2, last), "quarter")

    @classmethod
    def iso_week(cls, year: int, week: int) -> Period:
        monday = date.fromisocalendar(year, week, 1)
        return cls(monday, monday + timedelta(days=6), "week")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), "year")

    @classmethod
    def parse(cls, value: Any, *, today: date | None = None) -> Period:
        """Build a period from its written form (see the module docstring).

        Raises
        ------
        PeriodParseError
            With the accepted forms, when ``value`` matches none of them.
        """
        if isinstance(value, Period):
            return value
        if isinstance(value, dict):
            return cls._from_mapping(value)
        if isinstance(value, date):
            raise PeriodParseError(
                f"a single date ({value}) is not a period; write a month such as "
                f"'{value:%Y-%m}' or a range '{value}..{value}'"
            )
        if not isinstance(value, str):
            raise PeriodParseError(f"expected {PERIOD_FORMATS_HELP}; got {value!r}")
        text = value.strip()
        relative = _relative_period(text, today or date.today())
        if relative is not None:
            return relative
        try:
            return cls._from_text(text)
        except ValueError as exc:  # out-of-range month, week 54, 2026-02-30 ...
            if isinstance(exc, PeriodParseError):
                raise
            raise PeriodParseError(f"'{text}' is not a valid period: {exc}") from None

    @classmethod
    def _from_text(cls, text: str) -> Period:
        if m := _MONTH.match(text):
            year, month = int(m[1]), int(m[2])
            if not 1 <= month <= 12:
                raise PeriodParseError(f"'{text}': month must be 01..12")
            return cls.month(year, month)
        if m := _QUARTER.match(text):
            return cls.quarter(int(m[1]), int(m[2]))
        if m := _WEEK.match(text):
            return cls.iso_week(int(m[1]), int(m[2]))
        if m := _YEAR.match(text):
            return cls.year(int(m[1]))
        if m := _RANGE.match(text):
            return cls.between(date.fromisoformat(m[1]), date.fromisoformat(m[2]))
        raise PeriodParseError(f"expected {PERIOD_FORMATS_HELP}; got '{text}'")

    @classmethod
    def _from_mapping(cls, value: dict[str, Any]) -> Period:
        unknown = set(value) - {"start", "end"}
        if unknown or not {"start", "end"} <= set(value):
            raise PeriodParseError(
                "a period mapping needs exactly the keys 'start' and 'end' "
                f"(got {sorted(value)})"
            )
        try:
            start = _as_date(value["start"])
            end = _as_date(value["end"])
        except ValueError as exc:
            raise PeriodParseError(f"period start/end must be dates YYYY-MM-DD: {exc}") from None
        return cls.between(start, end)

    @classmethod
    def between(cls, start: date, end: date) -> Period:
        """A range; recognised as a month, quarter or year when it is exactly one."""
        for kind in ("month", "quarter", "year"):
            calendar_period = _calendar_period_containing(start, kind)
            if (calendar_period.start, calendar_period.end) == (start, end):
                return calendar_period
        return cls(start, end, "custom")

    # --- naming -------------------------------------------------------------------------
    @property
    def key(self) -> str:
        """Short, path-safe name: ``2026-10``, ``2026-Q3``, ``2026-W42``, ``2026``, ``2026-10-01_2026-10-15``."""
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "week":
            iso = self.start.isocalendar()
            return f"{iso.year}-W{iso.week:02d}"
        if self.kind == "year":
            return f"{self.start.year}"
        return f"{self.start:%Y-%m-%d}_{self.end:%Y-%m-%d}"

    @property
    def label(self) -> str:
        """Human name: ``October 2026``, ``Q3 2026``, ``Week 42, 2026``, ``1–15 October 2026``,
        ``28 Sep – 4 Oct 2026``; in the report's language when it is not English
        (:func:`nbreport.i18n.dates.period_label`: ``Oktober 2026``)."""
        from nbreport.i18n import SOURCE_LANGUAGE, current_language

        if current_language().split("-")[0] != SOURCE_LANGUAGE:
            from nbreport.i18n.dates import period_label

            return period_label(self.kind, self.start, self.end)
        if self.kind == "month":
            return f"{calendar.month_name[self.start.month]} {self.start.year}"
        if self.kind == "quarter":
            return f"Q{(self.start.month - 1) // 3 + 1} {self.start.year}"
        if self.kind == "week":
            iso = self.start.isocalendar()
            return f"Week {iso.week}, {iso.year}"
        if self.kind == "year":
            return str(self.start.year)
        month = calendar.month_name[self.end.month]
        if self.start == self.end:
            return f"{self.end.day} {month} {self.end.year}"
        if (self.start.year, self.start.month) == (self.end.year, self.end.month):
            return f"{self.start.day}\u2013{self.end.day} {month} {self.end.year}"
        left = f"{self.start.day} {self.start:%b}"
        if self.start.year != self.end.year:
            left += f" {self.start.year}"
        return f"{left} \u2013 {self.end.day} {self.end:%b} {self.end.year}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return self.key

    # --- comparisons --------------------------------------------------------------------
    def previous(self) -> Period:
        """The period of the same kind just before (same length for custom ranges)."""
        if self.kind in ("month", "quarter", "year"):
            return _calendar_period_containing(self.start - timedelta(days=1), self.kind)
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1), self.kind)

    def same_period_last_year(self) -> Period:
        """The same calendar period one year earlier (ISO week number for weeks)."""
        if self.kind == "week":
            iso = self.start.isocalendar()
            week = min(iso.week, date(iso.year - 1, 12, 28).isocalendar().week)
            return Period.iso_week(iso.year - 1, week)
        if self.kind in ("month", "quarter", "year"):
            return _calendar_period_containing(_one_year_earlier(self.start), self.kind)
        return Period(_one_year_earlier(self.start), _one_year_earlier(self.end), "custom")

    def to_date(self, as_of: date | None) -> Period:
        """The part of this period up to ``as_of`` (month-to-date); the whole period if later."""
        if as_of is None or as_of >= self.end:
            return self
        if as_of < self.start:
            raise PeriodParseError(f"as-of date {as_of} is before the period starts ({self.start})")
        return Period(self.start, as_of, "custom")


def _as_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def _one_year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _calendar_period_containing(day: date, kind: str) -> Period:
    if kind == "month":
        return Period.month(day.year, day.month)
    if kind == "quarter":
        return Period.quarter(day.year, (day.month - 1) // 3 + 1)
    if kind == "year":
        return Period.year(day.year)
    iso = day.isocalendar()
    return Period.iso_week(iso.year, iso.week)


def _relative_period(text: str, today: date) -> Period | None:
    name = text.lower().replace("_", "-")
    if name == "this-month":
        return Period.month(today.year, today.month)
    if name == "last-month":
        return _calendar_period_containing(today.replace(day=1) - timedelta(days=1), "month")
    if name == "this-quarter":
        return _calendar_period_containing(today, "quarter")
    if name == "last-quarter":
        return _calendar_period_containing(today, "quarter").previous()
    if name == "last-week":
        return _calendar_period_containing(today, "week").previous()
    return None
