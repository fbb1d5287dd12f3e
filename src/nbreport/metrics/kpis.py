"""KPIs for a period against the previous period, the same period last year and the target.

Comparison periods (:func:`comparison_periods`): a complete period is compared with the
*whole* previous period and the *whole* same period last year (June with all of May, October
with all 30 days of September, the per-day change given beside the plain change so that a
longer month never passes for growth). Only a partial period (``as_of``: a month to date) is
aligned by day of the period: 1-15 June with 1-15 May and 1-15 June last year, and its label
says so. A comparison period that the KPI's sources do not cover entirely has no value (see
:mod:`nbreport.metrics.coverage`): missing is never shown as 0.
A KPI's goal for the period comes from :func:`nbreport.metrics.targets.period_target` (a
monthly target pro-rated to a week, a quarter...); for a partial period the goal of additive
metrics is pro-rated again to the days reported, and pacing projects the period-to-date
linearly to the period's end.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import timedelta
from typing import Any, Literal

import pandas as pd

from nbreport.i18n import N_
from nbreport.metrics.coverage import AVAILABLE, PeriodValue, SourceCoverage, value_over
from nbreport.metrics.daily import metric_value, period_totals, safe_divide
from nbreport.metrics.definitions import METRICS, is_additive
from nbreport.metrics.spec import KpiSpec, StatusThresholds
from nbreport.metrics.targets import period_target
from nbreport.core.period import Period

Status = Literal["green", "amber", "red", "none"]
# Shown with _(STATUS_WORDS[status]) where the scorecard is drawn (marked here, translated there)
STATUS_WORDS = {"green": N_("On target"), "amber": N_("Close to target"), "red": N_("Off target"),
                "none": N_("No target")}
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
        The target for the reported days: the period's goal (a monthly target pro-rated to a
        week, a quarter...), pro-rated again by days for additive metrics when the period is
        partial; unchanged for ratios.
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
        The target for the whole period (:func:`nbreport.metrics.targets.period_target`).
    projected:
        Pacing: the value expected at the period's end if the days to come run at the
        period-to-date's daily rate (``actual x period days / reported days`` for additive
        metrics; ratios keep their current value). Equals ``actual`` for a complete period.
    pace:
        Attainment of ``projected`` against ``full_target``.
    days, previous_days, last_year_days:
        Days in the reported period and in each comparison period.
    periods:
        ``now``, ``previous`` and ``last_year``: the bounds each value was summed over
        (``None`` for a comparison that has no value; ``now`` is always the reported period).
    notes:
        Why a value is missing, per period key ("no data for October 2025").
    caveats:
        What a value holds less than its period, per period key ("web data ends on 2026-10-20").
    inputs:
        Summed metric -> the kind of data and the sources its rows came from.
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
    periods: Mapping[str, Period | None] = field(default_factory=dict)
    notes: Mapping[str, str] = field(default_factory=dict)
    caveats: Mapping[str, str] = field(default_factory=dict)
    inputs: Mapping[str, SummedFrom] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values: NaN as ``None``, periods as ``{"start", "end"}``."""
        plain: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, float) and math.isnan(value):
                value = None
            elif item.name == "periods":
                value = {key: None if p is None else {"start": p.start.isoformat(),
                                                      "end": p.end.isoformat()}
                         for key, p in value.items()}
            elif item.name == "inputs":
                value = {key: {"kind": v.kind, "sources": list(v.sources)} for key, v in value.items()}
            elif isinstance(value, Mapping):
                value = dict(value)
            plain[item.name] = value
        return plain

    def note(self, key: str) -> str:
        """Why the value of period ``key`` is missing ("" when it has one)."""
        return self.notes.get(key, "")


def relative_change(current: float, before: float) -> float:
    """``(current - before) / |before|``; NaN when ``before`` is 0 or missing."""
    return safe_divide(current - before, abs(before)) if not pd.isna(before) else math.nan


def comparison_periods(full: Period, reported: Period) -> dict[str, Period]:
    """The reported period and the periods it is compared with.

    Returns ``{"now": reported, "previous": ..., "last_year": ...}``: the whole period before
    ``full`` and the whole same period a year earlier when ``reported`` is all of ``full``;
    when it is a part (month to date), the same days of each (the first ``reported.days``).
    """
    if reported == full:
        return {"now": reported, "previous": full.previous(),
                "last_year": full.same_period_last_year()}
    return {
        "now": reported,
        "previous": _aligned(full.previous(), reported.days),
        "last_year": _aligned(full.same_period_last_year(), reported.days),
    }


def pro_rated_target(kpi: KpiSpec, full: Period, reported: Period) -> float:
    """The target for the days reported: the goal for ``full`` (a monthly target pro-rated to
    its days, see :mod:`nbreport.metrics.targets`), scaled by days for additive metrics when
    only part of it is reported; ratios are not scaled."""
    goal = period_target(kpi, full)
    if is_additive(kpi.metric):
        return goal * reported.days / full.days
    return goal


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


@dataclass(frozen=True)
class SummedFrom:
    """The canonical kind a summed metric is taken from and the sources whose rows are summed."""

    kind: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class KpiInputs:
    """Where one KPI's rows come from: summed metric -> kind and sources, and their coverage."""

    sources: Mapping[str, SummedFrom]
    coverage: Sequence[SourceCoverage]

    def availability(self, periods: Mapping[str, Period]) -> dict[str, PeriodValue]:
        """Per period key, whether the KPI has a value there (a comparison needs all of it)."""
        if not self.coverage:  # no dated rows to judge by: trust the sums
            return {key: AVAILABLE for key in periods}
        return {key: value_over(period, list(self.coverage), whole=key != "now")
                for key, period in periods.items()}


def scorecard(
    daily: pd.DataFrame,
    kpis: list[KpiSpec],
    full_period: Period,
    reported: Period,
    thresholds: StatusThresholds,
    inputs: Sequence[KpiInputs] | None = None,
) -> list[KpiResult]:
    """Every KPI over ``reported`` (the period, or its part up to the as-of day).

    Comparison periods come from :func:`comparison_periods`; ``inputs`` (one per KPI) say
    which sources feed each KPI and what they cover, so that a period they do not cover has
    no value. See :class:`KpiResult` for the definition of every field.
    """
    periods = comparison_periods(full_period, reported)
    totals = {key: period_totals(daily, period) for key, period in periods.items()}
    inputs = inputs or [KpiInputs({}, ()) for _ in kpis]
    return [_kpi_result(kpi, totals, periods, full_period, thresholds, found)
            for kpi, found in zip(kpis, inputs)]


def _kpi_result(kpi: KpiSpec, totals: dict[str, pd.Series], periods: dict[str, Period],
                full: Period, thresholds: StatusThresholds, inputs: KpiInputs) -> KpiResult:
    reported = periods["now"]
    available = inputs.availability(periods)

    def value(key: str) -> float:
        return float(metric_value(totals[key], kpi.metric)) if available[key].available else NAN

    actual, before, year_ago = value("now"), value("previous"), value("last_year")
    target = pro_rated_target(kpi, full, reported)
    full_target = period_target(kpi, full)
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
        last_year_days=periods["last_year"].days,
        periods={key: period if available[key].available or key == "now" else None
                 for key, period in periods.items()},
        notes={key: found.reason for key, found in available.items() if not found.available},
        caveats={key: found.reason for key, found in available.items()
                 if found.available and found.reason},
        inputs=inputs.sources)


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
