"""A KPI's goal for any period: a week, a month, a quarter, a year or a custom range.

A KPI's ``target`` in params is per calendar month. For a summed KPI (revenue, orders,
spend...) it is spread evenly over the days of each month, and a period's goal is the sum over
its days: a week in October gets 7/31 of October's goal, a week across two months a share of
each, a quarter three months, a year twelve. ``targets_by_period`` gives goals per kind of
period (``{week: 250, month: 1000, quarter: 3000, year: 12000}``): the goal of the period's own
kind is used as it stands; without one, the finest goal given is spread by days the same way.
A ratio (a rate, an average, a cost per...) is never pro-rated: its goal holds for any period.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Protocol

from nbreport.core.period import Period
from nbreport.metrics.definitions import is_additive


class KpiSpec(Protocol):
    """What pro-rating reads of a KPI (:class:`nbreport.metrics.spec.KpiSpec`)."""

    metric: str
    target: float | None
    targets_by_period: Mapping[str, float]

    @property
    def display_label(self) -> str: ...


GRAINS = ("week", "month", "quarter", "year")  # finest first
_WORDS = {"weekly": "week", "weeks": "week", "monthly": "month", "months": "month",
          "quarterly": "quarter", "quarters": "quarter", "yearly": "year", "years": "year",
          "annual": "year", "annually": "year", "q": "quarter", "w": "week", "m": "month",
          "y": "year"}


def check_grains(targets: Mapping[str, float]) -> dict[str, float]:
    """``targets`` when every key is a kind of period; else an error with the closest one."""
    for key in targets:
        if key in GRAINS:
            continue
        close = _WORDS.get(key.lower()) or next(iter(difflib.get_close_matches(key, GRAINS, n=1)), None)
        hint = f"; did you mean '{close}'?" if close else ""
        raise ValueError(f"'{key}' is not a kind of period{hint} "
                         f"(targets_by_period takes {', '.join(GRAINS)})")
    return dict(targets)


def base_goal(kpi: KpiSpec) -> tuple[str, float] | None:
    """The goal periods are pro-rated from: ``("month", target)``, else the finest of
    ``targets_by_period``; ``None`` without any goal."""
    if kpi.target is not None:
        return "month", float(kpi.target)
    for grain in GRAINS:
        if grain in kpi.targets_by_period:
            return grain, float(kpi.targets_by_period[grain])
    return None


def period_target(kpi: KpiSpec, period: Period) -> float:
    """The goal for the whole of ``period`` (NaN without a goal); see the module docstring."""
    if period.kind in kpi.targets_by_period:
        return float(kpi.targets_by_period[period.kind])
    base = base_goal(kpi)
    if base is None:
        return math.nan
    grain, amount = base
    if not is_additive(kpi.metric):
        return amount
    return spread(amount, grain, period)


def monthly_goal(metric: str, amount: float, period: Period) -> float:
    """A goal written per month (as ``target`` is) for the whole of ``period``: pro-rated
    when the metric adds up over days, the same value otherwise (a rate, a ratio)."""
    return spread(amount, "month", period) if is_additive(metric) else amount


def spread(amount: float, grain: str, period: Period) -> float:
    """``amount`` per ``grain`` (a calendar week, month, quarter or year) summed over the days
    of ``period``, each day getting ``amount / days of its own week/month/...``."""
    total, day = 0.0, period.start
    while day <= period.end:
        unit = unit_containing(day, grain)
        last = min(unit.end, period.end)
        total += amount * ((last - day).days + 1) / unit.days
        day = last + timedelta(days=1)
    return total


def unit_containing(day: date, grain: str) -> Period:
    """The calendar week (ISO), month, quarter or year that holds ``day``."""
    if grain == "week":
        iso = day.isocalendar()
        return Period.iso_week(iso.year, iso.week)
    if grain == "month":
        return Period.month(day.year, day.month)
    if grain == "quarter":
        return Period.quarter(day.year, (day.month - 1) // 3 + 1)
    return Period.year(day.year)


def target_explained(kpi: KpiSpec, period: Period) -> str | None:
    """How ``period``'s goal comes about, for ``validate``: "560000 per month, pro-rated to
    126451.61 for 2026-W43 (7 days)"; ``None`` when nothing is pro-rated."""
    if period.kind in kpi.targets_by_period:
        return None
    base = base_goal(kpi)
    if base is None or not is_additive(kpi.metric) or base[0] == period.kind:
        return None
    grain, amount = base
    note = (f"{kpi.display_label}: target {amount:,.2f} per {grain}, pro-rated to "
            f"{period_target(kpi, period):,.2f} for {period.key} ({period.days} days)")
    if period.kind != "custom":
        note += f"; give targets_by_period.{period.kind} to set it yourself"
    return note
