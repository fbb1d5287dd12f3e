"""A client's forecasts: each selected KPI to the end of the reported period and through the next.

The forecasts see only data up to the report's cut-off (the last day with
data, never after the reported period): a September report run in November
forecasts October without knowing it. Summed KPIs are forecast directly;
a ratio KPI (cost per lead, ROAS...) from forecasts of its numerator and
denominator, whose samples are paired by how the two series have moved
together, so the ratio is a ratio of forecast totals, like every ratio in
the report.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from nbreport.forecast.history import History, prepare_history
from nbreport.forecast.prophet_model import ProphetOptions, ProphetUnavailable, holiday_table
from nbreport.forecast.naive import seasonal_naive
from nbreport.forecast.results import ForecastResult, KpiForecast, PeriodForecast, SeriesPath
from nbreport.forecast.samples import (
    SEED,
    SampleForecast,
    co_movement,
    interval,
    paired,
    probability_of_reaching,
)
from nbreport.forecast.select import (
    METHOD_NAMES,
    SEASONAL_NAIVE,
    CheckWindow,
    MethodChoice,
    forecast_series,
)
from nbreport.forecast.spec import ForecastSpec
from nbreport.forecast.store import (
    accuracy_record,
    hold_to_account,
    latest_before,
    stored_points,
)
from nbreport.metrics.daily import metric_value, period_totals
from nbreport.metrics.definitions import METRICS, RatioMetric, summed_inputs
from nbreport.metrics.spec import KpiSpec
from nbreport.metrics.targets import monthly_goal, period_target
from nbreport.core.period import Period
from nbreport.i18n import _
from nbreport.metrics.names import label_of

if TYPE_CHECKING:
    from nbreport.core.compute_cache import ComputeCache
    from nbreport.forecast.store import Stored
    from nbreport.params.schema import ClientParams

log = logging.getLogger(__name__)

CO_MOVEMENT_DAYS = 365


@dataclass(frozen=True)
class SeriesForecast:
    """One summed metric's history, forecast (``None``: none possible) and method choice.

    ``paths`` holds the daily point forecasts by method, stored for the next run's check.
    """

    history: History
    forecast: SampleForecast | None
    choice: MethodChoice
    paths: dict[str, tuple[float, ...]]


def forecast_report(params: ClientParams, daily: pd.DataFrame, stored: Stored,
                    cache: ComputeCache | None = None) -> ForecastResult:
    """Forecast the selected KPIs of a client from its ``daily`` sums and hold the forecasts
    earlier reports ``stored`` (:func:`nbreport.forecast.store.stored_forecasts`) to account;
    ``cache`` keeps prophet's fits between runs (:mod:`nbreport.forecast.fit_cache`)."""
    spec, period = params.forecast, params.period
    cutoff = _cutoff(daily, params.report_period.end)
    if cutoff is None:
        return ForecastResult(None, notes=(_("There is no data to forecast from yet."),))
    notes = stored.notes
    evaluated = hold_to_account(stored.forecasts, daily, cutoff)
    accountability = {
        "checks": tuple(latest_before(evaluated, period)),
        "record": tuple(accuracy_record(evaluated)),
        "evaluated": tuple(evaluated),
    }
    if not spec.enabled:
        switched_off = _("Forecasts are switched off for this client.")
        return ForecastResult(cutoff, notes=(switched_off, *notes),
                              **accountability)
    periods = target_periods(period, cutoff, spec.periods_ahead)
    kpis = selected_kpis(list(params.kpis), spec)
    if not periods or not kpis:
        reason = (_("No KPI with a target to forecast; name KPIs under forecast.kpis.") if not kpis
                  else _("The period is over and no later period is asked for "
                         "(forecast.periods_ahead)."))
        return ForecastResult(cutoff, notes=(reason, *notes), **accountability)
    history = daily.loc[:pd.Timestamp(cutoff)]  # type: ignore[misc]
    dates = pd.date_range(cutoff + timedelta(days=1), periods[-1].end, freq="D")
    check = _check_window(period, cutoff)
    country, holidays = _holidays(params.client.country, spec, history.index[0], dates[-1])
    options = ProphetOptions(samples=spec.samples, holidays=holidays, cache=cache)
    names = dict.fromkeys(n for kpi in kpis for n in summed_inputs(kpi.metric))
    series = {name: _forecast_one(history, name, dates, spec.method, options,
                                  replace(check, stored=stored_points(
                                      stored.paths, name, check.start.date() - timedelta(days=1))))
              for name in names}
    results = tuple(_kpi_forecast(kpi, spec, series, history, periods, period, cutoff)
                    for kpi in kpis)
    paths = tuple(SeriesPath(name, cutoff, s.paths) for name, s in series.items() if s.paths)
    return ForecastResult(cutoff, results, holidays=country, paths=paths, notes=tuple(notes),
                          **accountability)


def selected_kpis(kpis: list[KpiSpec], spec: ForecastSpec) -> list[KpiSpec]:
    """The KPIs named in ``forecast.kpis``, else the headline KPIs that have a target."""
    if spec.kpis is not None:
        return [kpi for kpi in kpis if kpi.metric in spec.kpis]
    return [kpi for kpi in kpis if kpi.headline and kpi.has_target]


def target_periods(period: Period, cutoff: date, ahead: int) -> list[Period]:
    """The reported period when it is not over by ``cutoff``, then ``ahead`` periods after it."""
    periods = [period] if cutoff < period.end else []
    following = period
    for _ in range(ahead):
        following = next_period(following)
        periods.append(following)
    return periods


def next_period(period: Period) -> Period:
    """The period of the same kind right after ``period`` (same length for custom ranges)."""
    day = period.end + timedelta(days=1)
    if period.kind == "month":
        return Period.month(day.year, day.month)
    if period.kind == "quarter":
        return Period.quarter(day.year, (day.month - 1) // 3 + 1)
    if period.kind == "year":
        return Period.year(day.year)
    if period.kind == "week":
        iso = day.isocalendar()
        return Period.iso_week(iso.year, iso.week)
    return Period(day, day + timedelta(days=period.days - 1), "custom")


def _cutoff(daily: pd.DataFrame, reported_end: date) -> date | None:
    dates = daily.index[daily.index <= pd.Timestamp(reported_end)]
    return dates.max().date() if len(dates) else None


def _check_window(period: Period, cutoff: date) -> CheckWindow:
    """The last complete period by ``cutoff``: the reported one when it is over, else the one before."""
    complete = period if cutoff >= period.end else period.previous()
    return CheckWindow(pd.Timestamp(complete.start), pd.Timestamp(complete.end), complete.label)


def _holidays(country: str | None, spec: ForecastSpec, first: pd.Timestamp,
              last: pd.Timestamp) -> tuple[str | None, pd.DataFrame | None]:
    """The client's country and its holiday table, when asked for and known."""
    if not (spec.holidays and country):
        return None, None
    try:
        table = holiday_table(country, first.year, last.year)
    except ProphetUnavailable:
        return None, None
    if table is None:
        log.info("no public-holiday calendar for %s; forecasting without holidays", country)
        return None, None
    return country, table


def _forecast_one(history: pd.DataFrame, name: str, dates: pd.DatetimeIndex, method: str,
                  options: ProphetOptions, check: CheckWindow) -> SeriesForecast:
    values = history[name] if name in history.columns else pd.Series(dtype="float64")
    prepared = prepare_history(values)
    forecast, choice = forecast_series(prepared, dates, method=method, options=options, check=check)
    paths: dict[str, tuple[float, ...]] = {}
    if forecast is not None:
        paths[forecast.method] = tuple(forecast.point)
        if forecast.method != SEASONAL_NAIVE:
            paths[SEASONAL_NAIVE] = tuple(seasonal_naive(prepared, dates, 1).clipped().point)
    return SeriesForecast(prepared, forecast, choice, paths)


def _kpi_forecast(kpi: KpiSpec, spec: ForecastSpec, series: dict[str, SeriesForecast],
                  history: pd.DataFrame, periods: list[Period], reported: Period,
                  cutoff: date) -> KpiForecast:
    metric = METRICS[kpi.metric]
    inputs = {name: series[name] for name in summed_inputs(kpi.metric)}
    identity = {"metric": kpi.metric, "label": kpi.display_label, "unit": metric.unit,
                "direction": kpi.better}
    set_aside = tuple(sorted({day.date() for s in inputs.values() for day in s.history.set_aside}))
    missing = [name for name, s in inputs.items() if s.forecast is None]
    if missing:
        reason = " ".join(_described(name, inputs[name].choice, len(inputs)) for name in missing)
        return KpiForecast(**identity, method="none", reason=reason, set_aside=set_aside)
    methods = {s.choice.method for s in inputs.values()}
    method = methods.pop() if len(methods) == 1 else "mixed"
    reason = " ".join(_described(name, s.choice, len(inputs)) for name, s in inputs.items())
    correlation = _correlation(kpi.metric, inputs)
    forecasts = tuple(_period_forecast(kpi, spec, inputs, history, period, reported, cutoff,
                                       method, correlation) for period in periods)
    return KpiForecast(**identity, method=method, reason=reason, periods=forecasts,
                       set_aside=set_aside)


def _described(name: str, choice: MethodChoice, parts: int) -> str:
    if parts == 1:
        return choice.reason
    return _("%(metric)s: %(method)s. %(reason)s", metric=label_of(name),
             method=_(METHOD_NAMES[choice.method]), reason=choice.reason)


def _correlation(metric: str, inputs: dict[str, SeriesForecast]) -> float:
    definition = METRICS[metric]
    if not isinstance(definition, RatioMetric):
        return 0.0
    numerator = inputs[definition.numerator].history.values[-CO_MOVEMENT_DAYS:]
    denominator = inputs[definition.denominator].history.values[-CO_MOVEMENT_DAYS:]
    return co_movement(numerator, denominator, season=7)


def _period_forecast(kpi: KpiSpec, spec: ForecastSpec, inputs: dict[str, SeriesForecast],
                     history: pd.DataFrame, period: Period, reported: Period, cutoff: date,
                     method: str, correlation: float) -> PeriodForecast:
    done = Period(period.start, cutoff) if period.start <= cutoff else None
    to_date = period_totals(history, done) if done else None
    samples, points = {}, {}
    for name, part in inputs.items():
        assert part.forecast is not None
        mask = part.forecast.between(pd.Timestamp(max(period.start, cutoff + timedelta(days=1))),
                                     pd.Timestamp(period.end))
        already = float(to_date[name]) if to_date is not None and name in to_date.index else 0.0
        samples[name] = already + part.forecast.sample_totals(mask)
        points[name] = already + part.forecast.point_total(mask)
    outcomes = _kpi_outcomes(kpi.metric, samples, correlation)
    low, high = interval(outcomes, spec.interval)
    target = period_target(kpi, period)
    if period != reported and kpi.metric in spec.next_targets:
        # a monthly goal like `target`, pro-rated the same way to a week, a quarter...
        target = monthly_goal(kpi.metric, float(spec.next_targets[kpi.metric]), period)
    return PeriodForecast(
        metric=kpi.metric, label=kpi.display_label, unit=METRICS[kpi.metric].unit,
        direction=kpi.better, period=period.key, period_label=period.label, start=period.start,
        end=period.end, made_at=cutoff, method=method,
        days_done=done.days if done else 0,
        actual_to_date=float(metric_value(to_date, kpi.metric)) if to_date is not None else math.nan,
        point=float(metric_value(pd.Series(points), kpi.metric)), lower=low, upper=high,
        interval=spec.interval, target=target,
        probability=probability_of_reaching(outcomes, target, kpi.better))


def _kpi_outcomes(metric: str, samples: dict[str, np.ndarray], correlation: float) -> np.ndarray:
    """Sampled outcomes of the KPI: the total itself, or a ratio of paired sampled totals."""
    definition = METRICS[metric]
    if isinstance(definition, RatioMetric):
        numerator, denominator = paired(samples[definition.numerator],
                                        samples[definition.denominator], correlation,
                                        np.random.default_rng(SEED))
        samples = {definition.numerator: numerator, definition.denominator: denominator}
    values = metric_value(pd.DataFrame(samples), metric)
    return np.asarray(values, dtype="float64")
