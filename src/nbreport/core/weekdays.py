"""A daily series laid out one week per row, so that each column holds one weekday.

Comparing each day with the same weekday of the weeks around it (outlying days in
the data checks and in forecast histories) then takes one operation down the
columns, not one per weekday group.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def week_rows(daily: pd.Series) -> np.ndarray:
    """``daily`` (every day of its calendar in the index, NaN where missing) as a
    (weeks, 7) float array, the last week padded with NaN."""
    weeks = -(-len(daily) // 7)
    grid = np.full(weeks * 7, np.nan)
    grid[:len(daily)] = daily.to_numpy(dtype="float64", na_value=np.nan)
    return grid.reshape(weeks, 7)


def as_days(grid: np.ndarray, index: pd.Index) -> pd.Series:
    """The inverse of :func:`week_rows`: the first ``len(index)`` cells as a daily series."""
    return pd.Series(np.asarray(grid).ravel()[:len(index)], index=index)
