"""KPIs for a period against the previous period, the same period last year and the target."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Literal

import pandas as pd

from nbreport.metrics.daily import metric_value, period_totals, safe_divide
from nbreport.metrics.definitions import METRICS, SummedMetric
from nbreport.metrics.spec import KpiSpec, StatusThresholds
from nbreport.params.period import Period

Status = Literal["green", "amber", "red", "none"]


@dataclass(frozen=True)
class KpiResult:
    """One KPI row of the scorecard. Missing values are ``nan`` (shown as "n/a").

    Attributes
    ----------
    actual, previous, last_year:
        The metric over the reported period, the previous period and the same period last year.
    change_abs, change_pct:
        ``actual - previous`` and ``(actual - previous) / previous``.
    yoy_pct:
        ``(actual - last_year) / last_year``.
    target:
        The target for the reported days: pro-rated by days for summed metrics when the
        period is partial, unchanged for ratios.
    attainment:
        ``actual / target`` when higher is better, ``target / actual`` when lower is better.
    status:
        ``green``/``amber``/``red`` from attainment and the thresholds; ``none`` without a target.
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

    def to_dict(self) -> dict[str, Any]:
        return {key: (None if isinstance(value, float) and math.isnan(value) else value)
                for key, value in asdict(self).items()}


def relative_change(current: float, before: float) -> float:
    """``(current - before) / |before|``; NaN when ``before`` is 0 or missing."""
    return safe_divide(current - before, abs(before)) if not pd.isna(before) else math.nan


def pro_rated_target(kpi: KpiSpec, full: Period, reported: Period) -> float:
    """The target for the days reported: summed metrics scale by days, ratios do not."""
    if kpi.target is None:
        return math.nan
    if isinstance(METRICS[kpi.metric], SummedMetric):
        return kpi.target * reported.days / full.days
    return kpi.target


def attainment(actual: float, target: float, better: str) -> float:
    if better == "lower":
        return safe_divide(target, actual)
    return safe_divide(actual, target)


def status_for(value: float, thresholds: StatusThresholds) -> Status:
    if pd.isna(value):
        return "none"
    if value >= thresholds.green:
        return "green"
    return "amber" if value >= thresholds.amber else "red"


def scorecard(
    daily: pd.DataFrame,
    kpis: list[KpiSpec],
    full_period: Period,
    reported: Period,
    thresholds: StatusThresholds,
) -> list[KpiResult]:
    """Every KPI over ``reported`` (the period, or its part up to the as-of day).

    Comparison periods have the same length: a month-to-date of 15 days is
    compared with the first 15 days of the previous month and of the same
    month last year.
    """
    previous = _aligned(full_period.previous(), reported.days)
    last_year = _aligned(full_period.same_period_last_year(), reported.days)
    totals = {name: period_totals(daily, p) for name, p in
              (("now", reported), ("previous", previous), ("last_year", last_year))}
    results = []
    for kpi in kpis:
        actual = float(metric_value(totals["now"], kpi.metric))
        before = float(metric_value(totals["previous"], kpi.metric))
        year_ago = float(metric_value(totals["last_year"], kpi.metric))
        target = pro_rated_target(kpi, full_period, reported)
        reached = attainment(actual, target, kpi.better)
        results.append(KpiResult(
            metric=kpi.metric, label=kpi.display_label, unit=METRICS[kpi.metric].unit,
            direction=kpi.better, actual=actual, previous=before, last_year=year_ago,
            change_abs=actual - before, change_pct=relative_change(actual, before),
            yoy_pct=relative_change(actual, year_ago), target=target, attainment=reached,
            status=status_for(reached, thresholds)))
    return results


def _aligned(period: Period, days: int) -> Period:
    """The first ``days`` days of ``period`` (all of it when it is not longer)."""
    if days >= period.days:
        return period
    return Period(period.start, period.start + pd.Timedelta(days=days - 1).to_pytimedelta(), "custom")
