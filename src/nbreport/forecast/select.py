"""Which method forecasts a series, the forecast it makes, and how wide its range is.

prophet is held to account before it is trusted. Both prophet and the
seasonal-naive baseline forecast a recent window (the last complete period)
from the data before it; with ``auto`` the one whose daily forecasts came
closer is used.

The range of a prophet forecast: prophet's own samples treat each day's
noise as independent, so the range of a month's total comes out far too
narrow (the backtest measures it: its 80% intervals held the actual total in
well under half of the months). The seasonal-naive errors, in contrast, are
real out-of-sample errors (how much each weekday changed from one week to the
next, drawn a whole week at a time). A prophet forecast therefore takes its
spread from those, scaled by how much closer prophet came than seasonal naive
on the check window. Every path falls back to something simpler rather than
fail: prophet missing, a fit that breaks, a constant series, a short history.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nbreport.forecast.history import History
from nbreport.forecast.naive import seasonal_naive
from nbreport.forecast.prophet_model import ProphetOptions, ProphetUnavailable, prophet_forecast
from nbreport.forecast.samples import SampleForecast
from nbreport.i18n import N_, _

log = logging.getLogger(__name__)

PROPHET = "prophet"
SEASONAL_NAIVE = "seasonal-naive"
# marked for the catalogue: the reasons a report shows name the methods in the client's language
METHOD_NAMES = {PROPHET: N_("prophet"), SEASONAL_NAIVE: N_("seasonal naive"), "none": N_("none")}
MIN_SEASONS_FOR_PROPHET = 8  # eight weeks of days (eight years of months) before prophet is tried


@dataclass(frozen=True)
class CheckWindow:
    """A recent stretch forecast from the data before it, to compare the methods.

    Attributes
    ----------
    start, end, label:
        The window (e.g. the last complete month) and its name.
    stored:
        Method -> daily point forecasts of the window made the day before it began and
        stored by that run; when both methods are there, nothing is refitted.
    """

    start: pd.Timestamp
    end: pd.Timestamp
    label: str
    stored: dict[str, pd.Series] = field(default_factory=dict)


@dataclass(frozen=True)
class MethodChoice:
    """The method used for one series and why, in words a client can read.

    Attributes
    ----------
    method:
        ``"prophet"``, ``"seasonal-naive"`` or ``"none"`` (no forecast possible).
    reason:
        One sentence on why.
    check_errors:
        Method -> its error on the check window: the absolute errors of each step summed
        and divided by the sum of the actuals (a weighted MAPE). Empty without a check.
    """

    method: str
    reason: str
    check_errors: dict[str, float] = field(default_factory=dict)

    @property
    def spread_ratio(self) -> float:
        """prophet's check error over seasonal naive's, at most 1 (1 without a check)."""
        prophet, naive = self.check_errors.get(PROPHET), self.check_errors.get(SEASONAL_NAIVE)
        if not prophet or not naive:
            return 1.0
        return min(prophet / naive, 1.0)


def forecast_series(history: History, dates: pd.DatetimeIndex, *, method: str = "auto",
                    options: ProphetOptions = ProphetOptions(),
                    check: CheckWindow | None = None) -> tuple[SampleForecast | None, MethodChoice]:
    """Forecast ``dates`` from ``history`` with ``method`` (``auto``, ``prophet``, ``seasonal-naive``).

    Returns ``(None, choice)`` when the series cannot be forecast; ``choice.reason`` says why.
    """
    problem = history.problem()
    if problem:
        return None, MethodChoice("none", problem)
    if history.is_constant:
        value = format(history.observed.iloc[-1], "g")
        reason = _("The series has not changed (every value %(value)s), so it is carried "
                   "forward.", value=value)
        return _naive(history, dates, options), MethodChoice(SEASONAL_NAIVE, reason)
    if method == SEASONAL_NAIVE:
        return _naive(history, dates, options), MethodChoice(SEASONAL_NAIVE,
                                                             _("Chosen in the parameters."))
    if len(history.observed) < MIN_SEASONS_FOR_PROPHET * history.season:
        return _naive(history, dates, options), MethodChoice(
            SEASONAL_NAIVE, _("Too little history to fit a trend and seasonality; the simpler "
                              "seasonal-naive method is used."))
    choice = _checked(history, check, options) if check else None
    if choice is None:
        choice = MethodChoice(PROPHET, _("No earlier period to check it on; prophet is used."))
    if method == PROPHET:
        choice = MethodChoice(PROPHET, _("Chosen in the parameters."), choice.check_errors)
    if choice.method == SEASONAL_NAIVE:
        return _naive(history, dates, options), choice
    return _prophet_or_naive(history, dates, options, choice)


def _checked(history: History, check: CheckWindow, options: ProphetOptions) -> MethodChoice | None:
    """Forecast the check window from the data before it with both methods; the closer wins."""
    before = history.until(check.start - pd.Timedelta(days=1))
    actual = history.values[check.start:check.end].dropna()  # type: ignore[misc]
    if (len(before.observed) < MIN_SEASONS_FOR_PROPHET * history.season or actual.empty
            or actual.abs().sum() == 0 or before.is_constant):
        return None
    dates = pd.DatetimeIndex(actual.index)
    candidates = _stored_candidates(check, dates)
    stored = candidates is not None
    if candidates is None:
        try:
            # without holidays: a month's check barely depends on them, and it halves the extra cost
            candidates = {PROPHET: prophet_forecast(before, dates, ProphetOptions(
                samples=0, cache=options.cache)).point,
                          SEASONAL_NAIVE: seasonal_naive(before, dates, 1).point}
        except (ProphetUnavailable, RuntimeError) as exc:
            log.info("method check failed: %s", exc)
            return None
    truth = actual.to_numpy()
    errors = {name: float(np.nansum(np.abs(point - truth)) / np.abs(truth).sum())
              for name, point in candidates.items()}
    winner = PROPHET if errors[PROPHET] <= errors[SEASONAL_NAIVE] else SEASONAL_NAIVE
    loser = SEASONAL_NAIVE if winner == PROPHET else PROPHET
    how = {"period": check.label, "winner": _(METHOD_NAMES[winner]),
           "loser": _(METHOD_NAMES[loser]),
           "winner_error": f"{errors[winner]:.1%}", "loser_error": f"{errors[loser]:.1%}"}
    reason = (_("In the forecasts of %(period)s stored with the previous report, %(winner)s was "
                "off by %(winner_error)s a day on average, %(loser)s by %(loser_error)s.", **how)
              if stored else
              _("Forecasting %(period)s from the data before it, %(winner)s was off by "
                "%(winner_error)s a day on average, %(loser)s by %(loser_error)s.", **how))
    return MethodChoice(winner, reason, errors)


def _stored_candidates(check: CheckWindow, dates: pd.DatetimeIndex) -> dict[str, np.ndarray] | None:
    """Both methods' stored forecasts of the check window's days, when the store has them all."""
    if not {PROPHET, SEASONAL_NAIVE} <= check.stored.keys():
        return None
    points = {method: check.stored[method].reindex(dates).to_numpy()
              for method in (PROPHET, SEASONAL_NAIVE)}
    return None if any(np.isnan(p).any() for p in points.values()) else points


def _prophet_or_naive(history: History, dates: pd.DatetimeIndex, options: ProphetOptions,
                      choice: MethodChoice) -> tuple[SampleForecast, MethodChoice]:
    """prophet's point forecast with the seasonal-naive spread scaled by the check; naive on failure."""
    try:
        point = prophet_forecast(history, dates, _point_only(options)).point
    except ProphetUnavailable as exc:
        log.warning("%s", exc)
        return _naive(history, dates, options), MethodChoice(
            SEASONAL_NAIVE, _("prophet is not installed here; the seasonal-naive method is used."))
    except RuntimeError as exc:  # cmdstan could not optimise
        log.warning("prophet failed: %s", exc)
        return _naive(history, dates, options), MethodChoice(
            SEASONAL_NAIVE, _("prophet could not fit this series; the seasonal-naive method is "
                              "used."))
    naive = seasonal_naive(history, dates, options.samples)
    spread = np.nan_to_num(naive.samples - naive.point[:, None])
    forecast = SampleForecast(PROPHET, dates, point, point[:, None] + choice.spread_ratio * spread)
    return _bounded(history, forecast), choice


def _point_only(options: ProphetOptions) -> ProphetOptions:
    return ProphetOptions(samples=0, holidays=options.holidays, cache=options.cache)


def _naive(history: History, dates: pd.DatetimeIndex, options: ProphetOptions) -> SampleForecast:
    return _bounded(history, seasonal_naive(history, dates, max(options.samples, 1)))


def _bounded(history: History, forecast: SampleForecast) -> SampleForecast:
    """Counts and money never go below zero: neither may their forecasts."""
    return forecast.clipped() if history.non_negative else forecast
