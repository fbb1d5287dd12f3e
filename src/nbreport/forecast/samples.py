"""Forecasts as predictive samples, and what follows from them: intervals, totals, probabilities.

Every method returns a :class:`SampleForecast`: for each future date, many
possible values drawn from the method's predictive distribution. Period
totals are sums of each sampled path, ratios divide paired totals, and the
chance of reaching a target is the share of sampled outcomes that reach it,
so no normal approximation or rule of thumb enters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

SEED = 20260101  # fixed: the same data gives the same report


@dataclass(frozen=True)
class SampleForecast:
    """One series' forecast.

    Attributes
    ----------
    method:
        ``"prophet"`` or ``"seasonal-naive"``.
    dates:
        The forecast dates.
    point:
        The method's own point forecast for each date.
    samples:
        Shape ``(len(dates), n_samples)``: sampled paths, one per column.
    """

    method: str
    dates: pd.DatetimeIndex
    point: np.ndarray
    samples: np.ndarray

    def between(self, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
        """A boolean mask of the dates from ``start`` to ``end`` (inclusive)."""
        return np.asarray((self.dates >= start) & (self.dates <= end))

    def point_total(self, mask: np.ndarray) -> float:
        return float(self.point[mask].sum())

    def sample_totals(self, mask: np.ndarray) -> np.ndarray:
        """Each sampled path's total over the masked dates, shape ``(n_samples,)``."""
        return self.samples[mask].sum(axis=0)

    def clipped(self) -> SampleForecast:
        """The forecast with negative values set to 0 (for series that cannot go below 0)."""
        return SampleForecast(self.method, self.dates, np.clip(self.point, 0, None),
                              np.clip(self.samples, 0, None))


def interval(values: np.ndarray, width: float) -> tuple[float, float]:
    """The central ``width`` interval of sampled values (NaN samples are ignored)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return float("nan"), float("nan")
    tail = (1 - width) / 2
    low, high = np.quantile(finite, [tail, 1 - tail])
    return float(low), float(high)


def probability_of_reaching(values: np.ndarray, target: float, better: str) -> float:
    """Share of sampled outcomes that reach ``target``.

    ``better="higher"``: at or above the target; ``"lower"``: at or below it. A
    sample without a value (e.g. a cost per lead with no leads) does not reach it.
    """
    if values.size == 0 or not np.isfinite(target):
        return float("nan")
    with np.errstate(invalid="ignore"):
        reached = values <= target if better == "lower" else values >= target
    return float(np.mean(reached & np.isfinite(values)))


def paired(first: np.ndarray, second: np.ndarray, correlation: float,
           rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Reorder two sets of samples so their rank correlation is about ``correlation``.

    Numerator and denominator of a ratio are forecast separately; their samples
    are independent draws, but the real series move together (more clicks, more
    spend). The Iman-Conover method pairs them through the ranks of correlated
    normal scores, keeping each set's own distribution intact.
    """
    size = len(first)
    rho = float(np.clip(np.nan_to_num(correlation), -0.99, 0.99))
    scores = rng.standard_normal((2, size))
    scores[1] = rho * scores[0] + np.sqrt(1 - rho**2) * scores[1]
    ranks = scores.argsort(axis=1).argsort(axis=1)
    return np.sort(first)[ranks[0]], np.sort(second)[ranks[1]]


def co_movement(first: pd.Series, second: pd.Series, season: int) -> float:
    """Correlation of two series' seasonal differences (how their surprises move together)."""
    both = pd.concat([first.diff(season), second.diff(season)], axis=1).dropna()
    if len(both) < 3 or (both.std() == 0).any():
        return 0.0
    return float(both.corr().iloc[0, 1])

