"""prophet's model and Stan backend, without costs each fit pays for nothing.

See :func:`nbreport.forecast.prophet_model.quick_prophet_class` for what is saved; the same
model, fitted on the same data, gives the same numbers (``tests/test_forecast.py``).

Undocumented API touched: ``CmdStanPyBackend.prepare_data`` (a static method), the ``Prophet``
methods ``regressor_column_matrix``, ``make_all_seasonality_features`` (and what it
returns), ``setup_dataframe``, ``predict_trend`` and ``predictive_samples``, and the model's
fields (``stan_backend``, ``train_holiday_names``, ``holidays``, ``extra_regressors``,
``seasonalities``, ``component_modes``, ``y_scale``, ``params`` ...).
"""

from __future__ import annotations

import copy
import functools
import hashlib
from typing import Any

import numpy as np
import pandas as pd

FEATURE_TABLES_KEPT = 16  # a report needs four or so (check and final fits, their forecasts)


@functools.cache


def quick_prophet(prophet_class: type) -> type:
    """``prophet_class`` (prophet's ``Prophet``) with the overrides described in
    :func:`nbreport.forecast.prophet_model.quick_prophet_class`."""
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
