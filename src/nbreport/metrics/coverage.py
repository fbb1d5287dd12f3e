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

import numpy as np
import pandas as pd

from nbreport.core.period import Period
from nbreport.i18n import _

Grain = Literal["day", "week", "month"]
Cover = Literal["all", "part", "none"]
# Fewest distinct dates that make a grain coarser than a day believable: a few survey answers
# that happen to fall on Mondays are not a weekly export.
MIN_DATES_FOR_MONTHS = 3
MIN_DATES_FOR_WEEKS = 4
MAX_SLACK_DAYS = 6  # quiet days in a row that are usual (weekends, holidays), at most
SLACK_QUANTILE = 0.95  # the gap between dated days that 95% of gaps do not exceed


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
    slack:
        Days without rows the source usually has in a row (2 for a business closed at
        weekends): a period starting on a Saturday before the first Monday of data is covered.
    """

    source: str
    grain: Grain
    first: date
    last: date
    anchor: int = 0
    slack: int = 0

    def cover(self, period: Period) -> Cover:
        """Whether the source's days hold all, part or none of ``period``."""
        first = self.first - timedelta(days=self.slack)
        last = self.last + timedelta(days=self.slack)
        if period.end < self.first or period.start > self.last:
            return "none"
        if period.start >= first and period.end <= last:
            return "all"
        return "part"

    def cuts_rows(self, period: Period) -> bool:
        """Whether ``period`` starts or ends inside one row's span (a week of monthly rows)."""
        if self.grain == "month":
            return period.start.day != 1 or period.end.day != _month_days(period.end)
        if self.grain == "week":
            return period.start.weekday() != self.anchor or period.days % 7 != 0
        return False

    def cut_words(self, period: Period) -> str:
        """Why ``period`` cannot be summed from this source's rows, for the client."""
        if self.grain == "week":
            return _("%(source)s reports by week, and %(period)s does not hold whole weeks",
                     source=self.source, period=period.label)
        if self.grain == "month":
            return _("%(source)s reports by month, and %(period)s does not hold whole months",
                     source=self.source, period=period.label)
        return _("%(source)s reports by day, and %(period)s does not hold whole days",
                 source=self.source, period=period.label)


@dataclass(frozen=True)
class PeriodValue:
    """Whether a metric has a value over a period and, when it has none (or one that holds only
    part of the period), why, in words for the client."""

    available: bool
    reason: str = ""


AVAILABLE = PeriodValue(True)


def _month_days(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def detect_grain(days: pd.Series) -> tuple[Grain, int]:
    """The grain of a source from its rows' dates, and the weekday of weekly rows.

    Monthly: at least three distinct dates, all on the 1st (or all on the last day of their
    month), at least 28 days apart. Weekly: at least four, all on one weekday, at least 7 days
    apart. Anything else is daily.
    """
    distinct = pd.DatetimeIndex(pd.unique(days.dropna())).sort_values()
    if len(distinct) < MIN_DATES_FOR_MONTHS:
        return "day", 0
    smallest = (distinct[1:] - distinct[:-1]).min().days
    if smallest >= 28 and ((distinct.day == 1).all() or distinct.is_month_end.all()):
        return "month", 0
    weekdays = set(distinct.day_of_week)
    if len(distinct) >= MIN_DATES_FOR_WEEKS and smallest >= 7 and len(weekdays) == 1:
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
    slack = _usual_quiet_days(dated) if chosen == "day" else 0
    return SourceCoverage(source, chosen, first, last, anchor, slack)


def _usual_quiet_days(days: pd.Series) -> int:
    """Days without rows a daily source usually has in a row: the gap between its dated days
    that 95% of gaps do not exceed, less one (2 for weekdays only), at most a week's worth."""
    distinct = pd.DatetimeIndex(pd.unique(days)).sort_values()
    if len(distinct) < MIN_DATES_FOR_WEEKS:
        return 0
    gaps = (distinct[1:] - distinct[:-1]).days
    return int(min(max(np.quantile(gaps, SLACK_QUANTILE, method="inverted_cdf") - 1, 0), MAX_SLACK_DAYS))


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
        return PeriodValue(False, _("no data for %(period)s", period=period.label))
    for coverage in coverages:
        if coverage.cuts_rows(period):
            return PeriodValue(False, coverage.cut_words(period))
    covers = [coverage.cover(period) for coverage in coverages]
    if all(cover == "none" for cover in covers):
        return PeriodValue(False, _("no data for %(period)s", period=period.label))
    partial = next((c for c, cover in zip(coverages, covers) if cover != "all"), None)
    if partial is None:
        return AVAILABLE
    if whole:
        return PeriodValue(False, _("data for %(period)s is incomplete (%(source)s covers %(span)s)",
                                    period=period.label, source=partial.source, span=_span(partial)))
    return PeriodValue(True, _partial_words(partial, period))


def _partial_words(coverage: SourceCoverage, period: Period) -> str:
    """Why a value over ``period`` holds only part of it, with the dates."""
    if coverage.last < period.end:
        return _("%(source)s data ends on %(date)s, before %(period)s ends",
                 source=coverage.source, date=coverage.last.isoformat(), period=period.label)
    return _("%(source)s data starts on %(date)s, after %(period)s starts",
             source=coverage.source, date=coverage.first.isoformat(), period=period.label)


def _span(coverage: SourceCoverage) -> str:
    return _("%(first)s to %(last)s", first=coverage.first.isoformat(), last=coverage.last.isoformat())
