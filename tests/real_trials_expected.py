"""What a report on a real file should say, computed with plain pandas and babel, never nbreport.

The rules (issue 16) these expectations encode:

- a complete period is compared with the whole previous period and the whole same period
  last year;
- a period cut short by ``as_of`` (N days) is compared with days 1..N of the previous period
  and of the same period last year;
- a comparison window a source does not cover (no rows, and the window lies wholly outside the
  source's first..last date) has no value: ``None``, and so no change; a covered window without
  rows is a real 0;
- a ratio is a ratio of sums over the window (``None`` when its denominator is 0 or missing).

Used by ``test_real_trials.py``; see there for the files and the trials.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from babel import Locale
from babel.numbers import format_currency, format_decimal, format_percent


@dataclass(frozen=True)
class Window:
    """An inclusive range of days."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True)
class Windows:
    """The reported window and the two it is compared with; ``partial`` for as-of reports,
    ``whole`` the period it is a part of."""

    now: Window
    previous: Window
    last_year: Window
    partial: bool
    kind: str  # month or week
    whole: Window


def _month(year: int, month: int) -> Window:
    return Window(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


def _iso_week(year: int, week: int) -> Window:
    monday = date.fromisocalendar(year, week, 1)
    return Window(monday, monday + timedelta(days=6))


def _first_days(window: Window, days: int) -> Window:
    return Window(window.start, min(window.end, window.start + timedelta(days=days - 1)))


def windows_for(period: str, as_of: str | None = None) -> Windows:
    """The windows of a month ``YYYY-MM`` or an ISO week ``YYYY-Www``, cut at ``as_of``."""
    if match := re.fullmatch(r"(\d{4})-W(\d{2})", period):
        year, week = int(match[1]), int(match[2])
        whole = _iso_week(year, week)
        before = Window(whole.start - timedelta(days=7), whole.start - timedelta(days=1))
        weeks_last_year = date(year - 1, 12, 28).isocalendar().week
        year_ago = _iso_week(year - 1, min(week, weeks_last_year))
        kind = "week"
    else:
        year, month = map(int, period.split("-"))
        whole = _month(year, month)
        before = _month(year - 1, 12) if month == 1 else _month(year, month - 1)
        year_ago = _month(year - 1, month)
        kind = "month"
    if as_of is None or date.fromisoformat(as_of) >= whole.end:
        return Windows(whole, before, year_ago, partial=False, kind=kind, whole=whole)
    now = Window(whole.start, date.fromisoformat(as_of))
    return Windows(now, _first_days(before, now.days), _first_days(year_ago, now.days),
                   partial=True, kind=kind, whole=whole)


@dataclass(frozen=True)
class KpiExpectation:
    """A KPI as the test computes it: the sum of ``numerator`` (a column of the raw rows), or
    ``factor x sum(numerator) / sum(denominator)`` when a denominator is given."""

    metric: str
    label: str
    unit: str  # count, currency, percent, score, number: how the report writes it
    numerator: str
    denominator: str | None = None
    factor: float = 1.0


def window_sum(rows: pd.DataFrame, column: str, window: Window) -> float | None:
    """Sum of ``column`` over the window across the sources that cover it; ``None`` when none does.

    ``rows`` holds one row per raw record with ``date`` (midnight timestamps), ``source`` and the
    measure columns; a blank measure is NaN and adds nothing.
    """
    total, covered = 0.0, False
    for _, own in rows.groupby("source"):
        if _cuts_a_monthly_row(own, window):
            return None  # a row dated on the 1st holds its whole month: no value for part of it
        first, last = own["date"].min().date(), own["date"].max().date()
        inside = own[(own["date"].dt.date >= window.start) & (own["date"].dt.date <= window.end)]
        if len(inside) or not (window.end < first or window.start > last):
            covered = True
            total += float(inside[column].sum(skipna=True))
    return total if covered else None


def _cuts_a_monthly_row(own: pd.DataFrame, window: Window) -> bool:
    """Whether the source has one row per month (all dated on the 1st) and the window does not
    hold whole months."""
    monthly = own["date"].nunique() >= 3 and bool((own["date"].dt.day == 1).all())
    month_end = calendar.monthrange(window.end.year, window.end.month)[1]
    return monthly and (window.start.day != 1 or window.end.day != month_end)


def kpi_value(rows: pd.DataFrame, kpi: KpiExpectation, window: Window) -> float | None:
    numerator = window_sum(rows, kpi.numerator, window)
    if kpi.denominator is None or numerator is None:
        return numerator
    denominator = window_sum(rows, kpi.denominator, window)
    if not denominator:
        return None
    return kpi.factor * numerator / denominator


def relative_change(now: float | None, before: float | None) -> float | None:
    if now is None or before is None or before == 0:
        return None
    return (now - before) / abs(before)


@dataclass(frozen=True)
class ExpectedKpi:
    label: str
    unit: str
    actual: float | None
    previous: float | None
    last_year: float | None

    @property
    def change_pct(self) -> float | None:
        return relative_change(self.actual, self.previous)

    @property
    def yoy_pct(self) -> float | None:
        return relative_change(self.actual, self.last_year)


def expected_kpi(rows: pd.DataFrame, kpi: KpiExpectation, windows: Windows) -> ExpectedKpi:
    previous = kpi_value(rows, kpi, windows.previous)
    last_year = kpi_value(rows, kpi, windows.last_year)
    return ExpectedKpi(kpi.label, kpi.unit, kpi_value(rows, kpi, windows.now), previous, last_year)


def is_covered(rows: pd.DataFrame, window: Window) -> bool:
    """Whether any source covers the window (the report then has a comparison period for it)."""
    return window_sum(rows.assign(_one=1.0), "_one", window) is not None


# --- how the client reads the numbers: babel in the client's locale ---------------------------

def _with_one_decimal(pattern: str) -> str:
    return re.sub(r"0(?=\s*%)", "0.0", pattern, count=1)


def formatted(value: float, unit: str, locale: str, currency: str) -> str:
    """A value as the report should write it: counts whole, money whole from 1,000 up (cents
    below), shares with one decimal in the locale's percent pattern, other numbers up to two
    decimals."""
    if unit == "count":
        return format_decimal(round(value), format="#,##0", locale=locale)
    if unit == "currency":
        pattern = Locale.parse(locale).currency_formats["standard"].pattern.split(";")[0]
        if abs(value) >= 1000:
            pattern = re.sub(r"\.0+", "", pattern)
        return format_currency(value, currency, format=pattern, locale=locale,
                               currency_digits=False)
    if unit == "percent":
        return _percent(value, locale)
    if unit == "score":  # NPS: a signed whole number
        whole = round(value)
        return _signed(whole, format_decimal(abs(whole), format="#,##0", locale=locale), zero="")
    return format_decimal(value, format="#,##0.0", locale=locale)  # a plain number: one decimal


def _percent(share: float, locale: str) -> str:
    pattern = Locale.parse(locale).percent_formats[None].pattern.split(";")[0]
    return format_percent(share, format=_with_one_decimal(pattern), locale=locale)


def _signed(value: float, text: str, zero: str = "\u00b1") -> str:
    """A true minus sign; no sign (``zero``) when the text shows nothing but zeros."""
    if value == 0 or not re.search(r"[1-9]", text):
        return zero + text
    return ("+" if value > 0 else "\u2212") + text


def formatted_change(change: float, locale: str) -> str:
    """``+12.3%``, ``\u221212.3%`` (a true minus sign), ``\u00b10.0%``."""
    return _signed(change, _percent(abs(change), locale))


def formatted_kpi_change(want: ExpectedKpi, compared: float | None, locale: str) -> str | None:
    """The change on ``compared`` as the scorecard should write it: shares and scores in points
    (``+2.8 pts``, ``+3 pts``: a difference, never a percent of a percent), others relative."""
    if compared is None or want.actual is None:
        return None
    difference = want.actual - compared
    if want.unit == "percent":
        return _signed(difference, format_decimal(abs(difference) * 100, format="#,##0.0",
                                                  locale=locale) + " pts")
    if want.unit == "score":
        whole = round(difference)
        return _signed(whole, format_decimal(abs(whole), format="#,##0", locale=locale) + " pts")
    change = relative_change(want.actual, compared)
    return None if change is None else formatted_change(change, locale)


# --- how periods are named -------------------------------------------------------------------

_DASH = r"\s*[-\u2013\u2014]\s*"


def label_pattern(window: Window, kind: str, partial: bool) -> str:
    """A regular expression for the name of a window: ``June 2003``, ``Week 31, 2003`` (or
    ``2003-W31``); the first days of a month as ``1\u201315 June 2003`` or ``1 Jun \u2013 15 Jun
    2003`` (how the days are written is a matter of style, which days they are is not)."""
    month = calendar.month_name[window.start.month]
    if partial and kind == "month":
        name = f"({month}|{calendar.month_abbr[window.start.month]})"
        return (rf"\b{window.start.day}(\s{name})?{_DASH}{window.end.day}\s{name}\s"
                rf"{window.end.year}\b")
    if kind == "month":
        return rf"\b{month} {window.start.year}\b"
    iso = window.start.isocalendar()
    return rf"(Week {iso.week}\b,? {iso.year}|{iso.year}-W{iso.week:02d})"


_MONTHS = "|".join(calendar.month_name[1:] + calendar.month_abbr[1:])
_PERIOD_WORDS = re.compile(
    rf"\b\d{{1,2}}(?=({_DASH}\d{{1,2}})?\s+({_MONTHS})\b)"  # the days of "1\u201315 June"
    rf"|{_DASH}\d{{1,2}}(?=\s+({_MONTHS})\b)"
    rf"|\b({_MONTHS})\s+\d{{4}}\b|\bWeek \d{{1,2}}\b|\b\d{{4}}-W\d{{2}}\b|\b(19|20)\d{{2}}\b")


def shows_no_number(text: str | None) -> bool:
    """True when a cell says no number: empty, ``n/a``, a dash, or words such as "no data for
    October 2025" (period names are not numbers)."""
    if text is None:
        return True
    return not re.search(r"\d", _PERIOD_WORDS.sub("", text))
