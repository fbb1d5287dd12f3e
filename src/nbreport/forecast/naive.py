"""The seasonal-naive forecast: the baseline every other method must beat.

Each day is forecast as the last observed value on the same weekday (each
month as the same month last year). Its uncertainty grows with every season
ahead, like a random walk per weekday: sampled paths add seasonal changes
drawn from the series' own history, a whole week at a time, so a bad week
stays a bad week in the samples.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nbreport.forecast.history import History
from nbreport.forecast.samples import SEED, SampleForecast

RECENT_SEASONS = 52  # seasonal changes drawn from the last year of weeks (all years of months)


def seasonal_naive(history: History, dates: pd.DatetimeIndex, samples: int) -> SampleForecast:
    """Seasonal-naive forecast of ``history`` for ``dates`` (all after its end)."""
    season = history.season
    grid = history.values.to_numpy()
    positions = _positions(history, dates)
    last_seen, base = _last_per_slot(grid, season)
    slots = positions % season
    steps = (positions - last_seen[slots]) // season  # seasons ahead, >= 1
    point = base[slots]

    changes = _recent_changes(grid, season)
    rng = np.random.default_rng(SEED)
    horizon = int(steps.max()) if len(steps) else 0
    drawn = rng.integers(0, len(changes), size=(samples, max(horizon, 1)))
    # cumulative[s, k, slot]: the path's change after k + 1 seasons, for each slot
    cumulative = np.cumsum(changes[drawn], axis=1)
    noise = cumulative[:, steps - 1, slots].T  # (dates, samples)
    return SampleForecast("seasonal-naive", dates, point, point[:, None] + noise)


def _positions(history: History, dates: pd.DatetimeIndex) -> np.ndarray:
    start = history.values.index[0]
    if history.freq == "D":
        return np.asarray((dates - start).days, dtype=int)
    return np.asarray((dates.year - start.year) * 12 + (dates.month - start.month), dtype=int)


def _last_per_slot(grid: np.ndarray, season: int) -> tuple[np.ndarray, np.ndarray]:
    """Position and value of the last observation in each seasonal slot."""
    last_seen = np.full(season, -season, dtype=int)  # a slot never seen: NaN value, far back
    base = np.full(season, np.nan)
    for position in np.flatnonzero(~np.isnan(grid)):
        last_seen[position % season] = position
        base[position % season] = grid[position]
    return last_seen, base


def _recent_changes(grid: np.ndarray, season: int) -> np.ndarray:
    """Seasonal changes ``y[t] - y[t - season]``, one row per season, centred per slot.

    A change that cannot be computed (a missing day) is replaced by another
    change of the same slot, so gaps neither add nor remove uncertainty.
    """
    if len(grid) < 2 * season:
        return np.zeros((1, season))
    padded = np.concatenate([grid, np.full(-len(grid) % season, np.nan)])  # row r, column = slot
    rows = padded.reshape(-1, season)
    changes = np.diff(rows, axis=0)[-RECENT_SEASONS:]
    rng = np.random.default_rng(SEED + 1)
    for slot in range(season):
        column = changes[:, slot]
        known = column[~np.isnan(column)]
        if known.size == 0:
            changes[:, slot] = 0.0
            continue
        missing = np.isnan(column)
        column[missing] = rng.choice(known, size=int(missing.sum()))
        changes[:, slot] = column - known.mean()
    return changes
