"""prophet, imported only when a forecast is made, fitted quietly, read as predictive samples.

prophet and cmdstanpy log every fit ("Chain [1] start processing", warnings
about short histories) and prophet logs an error at import when plotly is
missing. None of that may reach a report, so their loggers are switched off
for the duration of each call here, whatever the notebook's logging says.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import logging
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from nbreport.core.errors import NbreportError
from nbreport.forecast.history import History
from nbreport.forecast.samples import SEED, SampleForecast

NOISY_LOGGERS = ("prophet", "prophet.plot", "prophet.models", "prophet.forecaster", "cmdstanpy")
INSTALL_HINT = ("prophet is not installed in the kernel's environment: install it with "
                "`pip install 'prophet>=1.1.5'` (or `conda install -c conda-forge prophet`)")
YEARLY_MIN_DAYS = 365 + 62  # a full year plus the longest forecast: each target day seen once before
YEARLY_FOURIER_ORDER = 6  # smooth enough for month totals; fewer columns, faster fits
WEEKLY_MIN_DAYS = 14  # two weekly cycles
FEATURE_TABLES_KEPT = 16  # a report needs four or so (check and final fits, their forecasts)


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
    """

    samples: int = 500
    holidays: pd.DataFrame | None = None


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
    """prophet's ``Prophet`` without two costs that each fit pays for nothing; the same model,
    fitted on the same data, gives the same numbers (a test compares them).

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
    return _quick(load_prophet())


@functools.cache
def _quick(prophet_class: type) -> type:
    from prophet.models import CmdStanPyBackend

    class ArrayBackend(CmdStanPyBackend):  # type: ignore[misc]
        @staticmethod
        def prepare_data(init: dict[str, Any], data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
            inits, prepared = CmdStanPyBackend.prepare_data(init, data)
            return inits, {key: np.asarray(data[key]) if isinstance(value, list) else value
                           for key, value in prepared.items()}

    class QuickProphet(prophet_class):  # type: ignore[misc, valid-type]
        # prophet's structure (feature columns, components) -> its component matrix: the same
        # for every fit of the same kind of model, so worked out once per process
        component_columns: dict[tuple[Any, ...], tuple[pd.DataFrame, dict[str, list[str]]]] = {}
        # (days, seasonalities, holidays) -> prophet's feature table for them, and the holiday
        # names a fit records with it: a report fits each KPI on the same days
        feature_tables: dict[tuple[Any, ...], tuple[tuple[Any, ...], pd.Series | None]] = {}

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.stan_backend = ArrayBackend()

        def regressor_column_matrix(self, seasonal_features: pd.DataFrame,
                                    modes: dict[str, list[str]]) -> tuple[pd.DataFrame, dict[str, list[str]]]:
            holidays = self.train_holiday_names
            key = (tuple(seasonal_features.columns), repr(modes), self.holidays_mode,
                   None if holidays is None else tuple(holidays.unique()),
                   repr(sorted((name, props["mode"]) for name, props in self.extra_regressors.items())))
            if key not in self.component_columns:
                self.component_columns[key] = super().regressor_column_matrix(seasonal_features, modes)
            columns, modes = self.component_columns[key]
            return columns.copy(), copy.deepcopy(modes)

        def make_all_seasonality_features(self, df: pd.DataFrame) -> tuple[Any, ...]:
            key = self._feature_key(df)
            if key is None:
                return super().make_all_seasonality_features(df)
            if key not in self.feature_tables:
                made = super().make_all_seasonality_features(df)
                if len(self.feature_tables) >= FEATURE_TABLES_KEPT:  # a backtest makes many
                    del self.feature_tables[next(iter(self.feature_tables))]
                self.feature_tables[key] = (made, self.train_holiday_names)
            (features, priors, columns, modes), holiday_names = self.feature_tables[key]
            if self.train_holiday_names is None and holiday_names is not None:
                self.train_holiday_names = holiday_names.copy()  # as a first fit records them
            return features.copy(), list(priors), columns.copy(), copy.deepcopy(modes)

        def _feature_key(self, df: pd.DataFrame) -> tuple[Any, ...] | None:
            """What the feature table is made from; ``None`` when it also depends on other
            columns of ``df`` (extra regressors, conditional seasonalities)."""
            if self.extra_regressors or any(props["condition_name"] is not None
                                            for props in self.seasonalities.values()):
                return None
            days = hashlib.blake2b(df["ds"].to_numpy(dtype="datetime64[ns]").tobytes()).digest()
            holidays = None if self.holidays is None else hashlib.blake2b(
                pd.util.hash_pandas_object(self.holidays, index=False).to_numpy().tobytes()).digest()
            names = None if self.train_holiday_names is None else tuple(self.train_holiday_names)
            return (days, len(df), repr(sorted(self.seasonalities.items())), holidays,
                    self.holidays_mode, self.holidays_prior_scale, self.country_holidays, names)

        def predict_point(self, future: pd.DataFrame) -> np.ndarray:
            """``predict(future)["yhat"]`` without samples, worked out from the two sums it
            is made of; ``predict`` computes, and puts in a table, every component
            (each holiday, each seasonality) only for them to be added up."""
            frame = self.setup_dataframe(future.copy())
            trend = np.asarray(self.predict_trend(frame), dtype="float64")
            features, _, columns, _ = self.make_all_seasonality_features(frame)
            matrix = features.to_numpy()

            def total(component: str) -> np.ndarray:
                summed = np.nanmean(matrix @ (self.params["beta"] * columns[component].to_numpy()).T,
                                    axis=1)
                return summed * self.y_scale if component in self.component_modes["additive"] else summed

            return trend * (1 + total("multiplicative_terms")) + total("additive_terms")

    return QuickProphet


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
    theirs.

    Raises
    ------
    ProphetUnavailable
        prophet is not installed.
    """
    model_class = quick_prophet_class()
    observed = history.observed
    frame = pd.DataFrame({"ds": observed.index, "y": observed.to_numpy()})
    future = pd.DataFrame({"ds": dates})
    with quiet(), _seeded(SEED):
        holidays = options.holidays if history.freq == "D" else None
        model = model_class(uncertainty_samples=options.samples, holidays=holidays,
                            **seasonalities(history))
        model.fit(frame)
        point = model.predict_point(future)
        samples = model.predictive_samples(future)["yhat"] if options.samples else point[:, None]
    return SampleForecast("prophet", dates, point, np.asarray(samples, dtype="float64"))


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
