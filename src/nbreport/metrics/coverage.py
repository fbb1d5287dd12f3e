"""What each source covers: its grain, its first and last day, and whether a period can be read
from it at all.

Missing is not zero. A comparison period that no source of a metric covers has no value ("no
data for October 2025"), never 0; a period a source covers but where it has no rows is a real 0.

Every row stands for a span of days, its *grain*: a day, a week (the seven days from the row's
date) or a calendar month (rows dated on the 1st or on the last day of their month). The grain
is detected from the dates (``grain:`` in a source's params overrides it). A period is never cut
inside one row's span: a week read from monthly rows, or a month to date from a monthly export,
has no value, and the report says why.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import pandas as pd

from nbreport.params.period import Period

Grain = Literal["day", "week", "month"]
Cover = Literal["all", "part", "none"]
MIN_ROWS_FOR_GRAIN = 2  # a single dated row says nothing about the span it stands for


@dataclass(frozen=True)
class SourceCoverage:
    """The days one source's rows stand for.

    Attributes
    ----------
    grain:
        ``day``, ``week`` or ``month``: the span of one row.
    first, last:
        First day of the first row's span and last day of the last row's span.
    anchor:
        For weekly rows, the weekday (0 = Monday) their dates fall on.
    """

    source: str
    grain: Grain
    first: date
    last: date
    anchor: int = 0

    def cover(self, period: Period) -> Cover:
        """Whether the source's days hold all, part or none of ``period``."""
        if period.end < self.first or period.start > self.last:
            return "none"
        if period.start >= self.first and period.end <= self.last:
            return "all"
        return "part"

    def cuts_rows(self, period: Period) -> bool:
        """Whether ``period`` starts or ends inside one row's span (a week of monthly rows)."""
        if self.grain == "month":
            return period.start.day != 1 or period.end.day != _month_days(period.end)
        if self.grain == "week":
            return period.start.weekday() != self.anchor or period.days % 7 != 0
        return False

    @property
    def grain_words(self) -> str:
        return {"day": "by day", "week": "by week", "month": "by month"}[self.grain]


@dataclass(frozen=True)
class PeriodValue:
    """Whether a metric has a value over a period and, when it has none, why (for the client)."""

    available: bool
    reason: str = ""


AVAILABLE = PeriodValue(True)


def _month_days(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def detect_grain(days: pd.Series) -> tuple[Grain, int]:
    """The grain of a source from its rows' dates, and the weekday of weekly rows.

    Monthly: at least two distinct dates, all on the 1st (or all on the last day of their
    month), at least 28 days apart. Weekly: all on one weekday, at least 7 days apart.
    Anything else is daily.
    """
    distinct = pd.DatetimeIndex(pd.unique(days.dropna())).sort_values()
    if len(distinct) < MIN_ROWS_FOR_GRAIN:
        return "day", 0
    gaps = distinct[1:] - distinct[:-1]
    smallest = gaps.min().days
    if smallest >= 28 and ((distinct.day == 1).all() or distinct.is_month_end.all()):
        return "month", 0
    weekdays = set(distinct.weekday)
    if smallest >= 7 and len(weekdays) == 1:
        return "week", weekdays.pop()
    return "day", 0


def source_coverage(source: str, days: pd.Series, grain: str = "auto") -> SourceCoverage | None:
    """Coverage of one source from its rows' dates (``None`` when it has no dated row)."""
    dated = days.dropna()
    if dated.empty:
        return None
    detected, anchor = detect_grain(dated)
    chosen: Grain = detected if grain == "auto" else grain  # type: ignore[assignment]
    if chosen == "week" and grain != "auto":
        anchor = int(pd.Timestamp(dated.min()).weekday())
    first, last = pd.Timestamp(dated.min()).date(), pd.Timestamp(dated.max()).date()
    if chosen == "month":
        first, last = first.replace(day=1), last.replace(day=_month_days(last))
    elif chosen == "week":
        last = last + timedelta(days=6)
    return SourceCoverage(source, chosen, first, last, anchor)


def coverage_by_source(tables: dict[str, pd.DataFrame],
                       grains: dict[str, str] | None = None) -> dict[str, SourceCoverage]:
    """Coverage of every source of every canonical table (``source`` and ``date`` columns)."""
    grains = grains or {}
    found: dict[str, SourceCoverage] = {}
    for table in tables.values():
        if table.empty or "source" not in table or "date" not in table:
            continue
        for source, days in table.groupby("source", observed=True, sort=False)["date"]:
            coverage = source_coverage(str(source), days, grains.get(str(source), "auto"))
            if coverage is not None:
                found[str(source)] = coverage
    return found


def value_over(period: Period, coverages: list[SourceCoverage], *, whole: bool) -> PeriodValue:
    """Whether a metric fed by sources of ``coverages`` has a value over ``period``.

    ``whole``: the period must be covered entirely (a comparison period: a part of it would be
    compared as if it were all of it). The reported period itself only needs some coverage; a
    source ending early is told by the freshness warning.
    """
    if not coverages:
        return PeriodValue(False, f"no data for {period.label}")
    for coverage in coverages:
        if coverage.cuts_rows(period):
            return PeriodValue(False, f"{coverage.source} reports {coverage.grain_words}, and "
                                      f"{period.label} does not hold whole {coverage.grain}s")
    covers = [coverage.cover(period) for coverage in coverages]
    if all(cover == "none" for cover in covers):
        return PeriodValue(False, f"no data for {period.label}")
    if whole and any(cover != "all" for cover in covers):
        partial = next(c for c, cover in zip(coverages, covers) if cover != "all")
        return PeriodValue(False, f"data for {period.label} is incomplete ({partial.source} covers "
                                  f"{_span(partial)})")
    return AVAILABLE


def _span(coverage: SourceCoverage) -> str:
    return f"{coverage.first.isoformat()} to {coverage.last.isoformat()}"
