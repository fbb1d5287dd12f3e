"""prophet, imported only when a forecast is made, fitted quietly, read as predictive samples.

prophet and cmdstanpy log every fit ("Chain [1] start processing", warnings
about short histories) and prophet logs an error at import when plotly is
missing. None of that may reach a report, so their loggers are switched off
for the duration of each call here, whatever the notebook's logging says.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from nbreport.core.compute_cache import ComputeCache
from nbreport.core.errors import NbreportError
from nbreport.forecast.fit_cache import cached_fit
from nbreport.forecast.history import History
from nbreport.forecast.samples import SEED, SampleForecast

NOISY_LOGGERS = ("prophet", "prophet.plot", "prophet.models", "prophet.forecaster", "cmdstanpy")
INSTALL_HINT = ("prophet is not installed in the kernel's environment: install it with "
                "`pip install 'prophet>=1.1.5'` (or `conda install -c conda-forge prophet`)")
YEARLY_MIN_DAYS = 365 + 62  # a full year plus the longest forecast: each target day seen once before
YEARLY_FOURIER_ORDER = 6  # smooth enough for month totals; fewer columns, faster fits
WEEKLY_MIN_DAYS = 14  # two weekly cycles


class ProphetUnavailable(NbreportError):
    """prophet cannot be imported; the message says what to install."""


@dataclass(frozen=True)
class ProphetOptions:
    """How prophet is set up for one series.

    Attributes
    ----------
    samples:
        Predictive samples to draw (0: point forecast only, which is much faster).
    holidays:
        Public holidays to model (prophet's ``holiday``/``ds`` table, see
        :func:`holiday_table`); ``None``: none.
    cache:
        Where fits are kept between runs (:mod:`nbreport.forecast.fit_cache`); ``None``:
        every fit is made.
    """

    samples: int = 500
    holidays: pd.DataFrame | None = None
    cache: ComputeCache | None = None


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Switch prophet's and cmdstanpy's loggers and warnings off inside the block."""
    # ``disabled``, not the level: cmdstanpy sets its own level on first use
    loggers = [logging.getLogger(name) for name in NOISY_LOGGERS]
    states = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, state in zip(loggers, states):
            logger.disabled = state


def load_prophet() -> Any:
    """The ``Prophet`` class, imported on first use.

    Raises
    ------
    ProphetUnavailable
        prophet is not installed; the message says how to install it.
    """
    with quiet():
        try:
            from prophet import Prophet
        except ImportError as exc:
            raise ProphetUnavailable(INSTALL_HINT) from exc
    return Prophet


def quick_prophet_class() -> type:
    """prophet's ``Prophet`` without costs that each fit pays for nothing; the same model,
    fitted on the same data, gives the same numbers (a test compares them). The class is
    :func:`nbreport.speedups.prophet.quick_prophet` (it overrides undocumented methods).

    * prophet hands its data to cmdstanpy as nested lists, which cmdstanpy walks value by
      value to write Stan's JSON; as NumPy arrays they are written in one call each.
    * prophet works out which feature columns form which component (a pandas crosstab,
      slow) when fitting and again when predicting; it depends only on the model's
      structure, which every fit of a report's series shares, so it is worked out once.
    * ``predict_point`` gives ``predict``'s ``yhat`` without working out, one by one, the
      components it is the sum of.
    * The feature table (seasonality terms, holiday indicators) depends only on the days and
      the model's structure: each KPI of a report is fitted on the same days, so it is built
      once for them all.

    Raises
    ------
    ProphetUnavailable
        prophet is not installed.
    """
    from nbreport.speedups.prophet import quick_prophet

    return quick_prophet(load_prophet())


def seasonalities(history: History) -> dict[str, Any]:
    """The seasonalities the history supports: weekly from two weeks; yearly from a year plus
    the horizon, so each forecast day was seen once a year earlier; never daily."""
    if history.freq == "MS":
        return {"daily_seasonality": False, "weekly_seasonality": False,
                "yearly_seasonality": YEARLY_FOURIER_ORDER if len(history.values) >= 24 else False}
    days = len(history.values)
    return {"daily_seasonality": False,
            "weekly_seasonality": days >= WEEKLY_MIN_DAYS,
            "yearly_seasonality": YEARLY_FOURIER_ORDER if days >= YEARLY_MIN_DAYS else False}


def prophet_forecast(history: History, dates: pd.DatetimeIndex,
                     options: ProphetOptions = ProphetOptions()) -> SampleForecast:
    """Fit prophet to ``history`` and forecast ``dates`` with prophet's own predictive samples.

    prophet's samples vary the trend and add noise that is independent from
    day to day; the backtest shows what that means for the interval of a
    month's total, and :mod:`nbreport.forecast.select` says how reports get
    theirs. With ``options.cache``, a fit made before on the same inputs is read back.

    Raises
    ------
    ProphetUnavailable
        prophet is not installed.
    """
    holidays = options.holidays if history.freq == "D" else None
    if options.cache is None:
        return fit_prophet(history, dates, options.samples, holidays)
    return cached_fit(options.cache, history, dates, options.samples, holidays,
                      lambda: fit_prophet(history, dates, options.samples, holidays))


def fit_prophet(history: History, dates: pd.DatetimeIndex, samples: int,
                holidays: pd.DataFrame | None) -> SampleForecast:
    """Fit prophet to ``history`` (with ``holidays``) and forecast ``dates``, drawing
    ``samples`` predictive samples (0: the point forecast only)."""
    model_class = quick_prophet_class()
    observed = history.observed
    frame = pd.DataFrame({"ds": observed.index, "y": observed.to_numpy()})
    future = pd.DataFrame({"ds": dates})
    with quiet(), _seeded(SEED):
        model = model_class(uncertainty_samples=samples, holidays=holidays,
                            **seasonalities(history))
        model.fit(frame)
        point = model.predict_point(future)
        drawn = model.predictive_samples(future)["yhat"] if samples else point[:, None]
    return SampleForecast("prophet", dates, point, np.asarray(drawn, dtype="float64"))


def holiday_table(country: str, first_year: int, last_year: int) -> pd.DataFrame | None:
    """The public holidays of ``country`` in those years, built once per client and reused by
    every fit (``None`` when no calendar exists for the country)."""
    with quiet():
        load_prophet()
        from prophet.make_holidays import get_country_holidays_class, make_holidays_df

        try:
            get_country_holidays_class(country)
        except AttributeError:
            return None
        return make_holidays_df(list(range(first_year, last_year + 1)), country)


@contextlib.contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """prophet samples with numpy's global generator: seed it, then give back its state."""
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)
