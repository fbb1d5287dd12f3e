"""KPIs for a period against the previous period, the same period last year and the target.

Comparison periods are aligned by day count (:func:`comparison_periods`): a
month-to-date of 15 days is compared with the first 15 days of the previous
month and of the same month last year. Whole months of different lengths are
compared whole (October's 31 days with September's 30) and the per-day change
is given beside the plain change, so a longer month never passes for growth.
Targets of additive metrics are pro-rated by days for partial periods, and
pacing projects the period-to-date linearly to the period's end.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any, Literal

import pandas as pd

from nbreport.metrics.daily import metric_value, period_totals, safe_divide
from nbreport.metrics.definitions import METRICS, is_additive
from nbreport.metrics.spec import KpiSpec, StatusThresholds
from nbreport.params.period import Period

Status = Literal["green", "amber", "red", "none"]
NAN = math.nan


@dataclass(frozen=True)
class KpiResult:
    """One KPI row of the scorecard. Missing values are ``nan`` (shown as "n/a").

    Attributes
    ----------
    actual, previous, last_year:
        The metric over the reported period, the previous period and the same period last year
        (comparison periods aligned by :func:`comparison_periods`).
    change_abs, change_pct:
        ``actual - previous`` and ``(actual - previous) / |previous|``.
    yoy_pct:
        ``(actual - last_year) / |last_year|``.
    target:
        The target for the reported days: pro-rated by days for additive metrics when the
        period is partial, unchanged for ratios.
    attainment:
        ``actual / target`` when higher is better, ``target / actual`` when lower is better.
    status:
        ``green``/``amber``/``red`` from attainment and the thresholds; ``none`` without a target.
    yoy_abs:
        ``actual - last_year``.
    change_per_day_pct, yoy_per_day_pct:
        For additive metrics, the relative change of the *daily average*
        (``actual / days`` against ``previous / previous_days``): fair between months of
        different lengths. Equal to the plain change for ratios and for periods of equal length.
    target_gap:
        ``actual - target``.
    full_target:
        The target for the whole period as params give it.
    projected:
        Pacing: the value expected at the period's end if the days to come run at the
        period-to-date's daily rate (``actual x period days / reported days`` for additive
        metrics; ratios keep their current value). Equals ``actual`` for a complete period.
    pace:
        Attainment of ``projected`` against ``full_target``.
    days, previous_days, last_year_days:
        Days in the reported period and in each comparison period.
    """

    metric: str
    label: str
    unit: str
    direction: str
    actual: float
    previous: float
    last_year: float
    change_abs: float
    change_pct: float
    yoy_pct: float
    target: float
    attainment: float
    status: Status
    yoy_abs: float = NAN
    change_per_day_pct: float = NAN
    yoy_per_day_pct: float = NAN
    target_gap: float = NAN
    full_target: float = NAN
    projected: float = NAN
    pace: float = NAN
    days: int = 0
    previous_days: int = 0
    last_year_days: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {key: (None if isinstance(value, float) and math.isnan(value) else value)
                for key, value in asdict(self).items()}


def relative_change(current: float, before: float) -> float:
    """``(current - before) / |before|``; NaN when ``before`` is 0 or missing."""
    return safe_divide(current - before, abs(before)) if not pd.isna(before) else math.nan


def comparison_periods(full: Period, reported: Period) -> dict[str, Period]:
    """The reported period and the periods it is compared with, aligned by day count.

    Returns ``{"now": reported, "previous": ..., "last_year": ...}``: the period before
    ``full`` and the same period a year earlier, each cut to the first ``reported.days``
    days when ``reported`` is a part of ``full`` (month-to-date), whole otherwise.
    """
    return {
        "now": reported,
        "previous": _aligned(full.previous(), reported.days),
        "last_year": _aligned(full.same_period_last_year(), reported.days),
    }


def pro_rated_target(kpi: KpiSpec, full: Period, reported: Period) -> float:
    """The target for the days reported: additive metrics scale by days, ratios do not."""
    if kpi.target is None:
        return math.nan
    if is_additive(kpi.metric):
        return kpi.target * reported.days / full.days
    return kpi.target


def projected_value(metric: str, actual: float, full: Period, reported: Period) -> float:
    """Linear run-rate to the period's end: ``actual x full.days / reported.days`` for
    additive metrics; a ratio keeps its current value."""
    if is_additive(metric):
        return actual * full.days / reported.days
    return actual


def attainment(actual: float, target: float, better: str) -> float:
    """``actual / target`` (higher is better) or ``target / actual`` (lower is better)."""
    if better == "lower":
        return safe_divide(target, actual)
    return safe_divide(actual, target)


def status_for(value: float, thresholds: StatusThresholds) -> Status:
    """Status from an attainment: ``green`` at or above ``thresholds.green``, ``amber`` at or
    above ``thresholds.amber``, else ``red``; ``none`` when missing."""
    if pd.isna(value):
        return "none"
    if value >= thresholds.green:
        return "green"
    return "amber" if value >= thresholds.amber else "red"


def kpi_status(actual: float, target: float, better: str, thresholds: StatusThresholds) -> Status:
    """Status of ``actual`` against ``target``; a lower-is-better KPI at 0 meets any target."""
    if pd.isna(actual) or pd.isna(target):
        return "none"
    if better == "lower" and actual == 0:
        return "green"
    return status_for(attainment(actual, target, better), thresholds)


def scorecard(
    daily: pd.DataFrame,
    kpis: list[KpiSpec],
    full_period: Period,
    reported: Period,
    thresholds: StatusThresholds,
) -> list[KpiResult]:
    """Every KPI over ``reported`` (the period, or its part up to the as-of day).

    Comparison periods come from :func:`comparison_periods`; see :class:`KpiResult` for the
    definition of every field.
    """
    periods = comparison_periods(full_period, reported)
    totals = {key: period_totals(daily, period) for key, period in periods.items()}
    return [_kpi_result(kpi, totals, periods, full_period, thresholds) for kpi in kpis]


def _kpi_result(kpi: KpiSpec, totals: dict[str, pd.Series], periods: dict[str, Period],
                full: Period, thresholds: StatusThresholds) -> KpiResult:
    reported = periods["now"]
    actual = float(metric_value(totals["now"], kpi.metric))
    before = float(metric_value(totals["previous"], kpi.metric))
    year_ago = float(metric_value(totals["last_year"], kpi.metric))
    target = pro_rated_target(kpi, full, reported)
    full_target = math.nan if kpi.target is None else float(kpi.target)
    projected = projected_value(kpi.metric, actual, full, reported)
    return KpiResult(
        metric=kpi.metric, label=kpi.display_label, unit=METRICS[kpi.metric].unit,
        direction=kpi.better, actual=actual, previous=before, last_year=year_ago,
        change_abs=actual - before, change_pct=relative_change(actual, before),
        yoy_pct=relative_change(actual, year_ago), target=target,
        attainment=attainment(actual, target, kpi.better),
        status=kpi_status(actual, target, kpi.better, thresholds),
        yoy_abs=actual - year_ago,
        change_per_day_pct=_per_day_change(kpi.metric, actual, before, periods, "previous"),
        yoy_per_day_pct=_per_day_change(kpi.metric, actual, year_ago, periods, "last_year"),
        target_gap=actual - target, full_target=full_target, projected=projected,
        pace=attainment(projected, full_target, kpi.better),
        days=reported.days, previous_days=periods["previous"].days,
        last_year_days=periods["last_year"].days)


def _per_day_change(metric: str, actual: float, before: float, periods: dict[str, Period],
                    compared: str) -> float:
    if not is_additive(metric):
        return relative_change(actual, before)
    return relative_change(actual / periods["now"].days, before / periods[compared].days)


def _aligned(period: Period, days: int) -> Period:
    """The first ``days`` days of ``period`` (all of it when it is not longer)."""
    if days >= period.days:
        return period
    return Period(period.start, period.start + timedelta(days=days - 1), "custom")
