"""Small statistical tools the metrics use: intervals and tests, standard library only.

* :func:`wilson_interval` — the Wilson score interval for a proportion
  (Wilson 1927, "Probable inference, the law of succession, and statistical
  inference", JASA 22(158): 209-212).
* :func:`ratio_of_sums` — a ratio of period totals with its variance, days
  taken as the sampling units: the ratio estimator's linearised (delta-method)
  variance, Cochran (1977), *Sampling Techniques*, 3rd ed., section 6.3,
  ``v(R) = sum((y_j - R x_j)^2) / (n (n - 1) xbar^2)``. A total (a summed
  metric) is the special case ``x_j = 1``: the daily mean and its standard
  error. Because day-to-day swings are part of the variance, busy accounts
  with millions of impressions do not turn every wobble into a "significant"
  change, as a binomial test on impressions would.
* :func:`compare_ratios` — a two-sided z-test of the difference of two such
  ratios from independent periods.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

_NORMAL = NormalDist()


def z_for(confidence: float) -> float:
    """The two-sided normal quantile for ``confidence`` (1.96 for 0.95)."""
    return _NORMAL.inv_cdf(0.5 + confidence / 2)


def two_sided_p(z: float) -> float:
    """Two-sided p-value of a standard normal statistic; NaN stays NaN."""
    if math.isnan(z):
        return math.nan
    return 2.0 * (1.0 - _NORMAL.cdf(abs(z)))


def wilson_interval(successes: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of the proportion ``successes / n``; ``(nan, nan)`` when ``n`` is 0."""
    if n <= 0:
        return math.nan, math.nan
    z = z_for(confidence)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def mean_interval(values: np.ndarray, confidence: float = 0.95) -> tuple[float, float]:
    """Normal-approximation interval of a mean (``mean +- z s / sqrt(n)``); NaN below 2 values."""
    n = len(values)
    if n < 2:
        return math.nan, math.nan
    mean = float(np.mean(values))
    half = z_for(confidence) * float(np.std(values, ddof=1)) / math.sqrt(n)
    return mean - half, mean + half


@dataclass(frozen=True)
class RatioEstimate:
    """A ratio of totals over ``days`` days and the variance of that ratio."""

    value: float
    variance: float
    days: int


def ratio_of_sums(numerators: np.ndarray, denominators: np.ndarray | None = None) -> RatioEstimate:
    """``sum(numerators) / sum(denominators)`` with its ratio-estimator variance (see module).

    Without ``denominators`` the estimate is the daily mean of ``numerators``.
    """
    y = np.asarray(numerators, dtype="float64")
    x = np.ones_like(y) if denominators is None else np.asarray(denominators, dtype="float64")
    n = len(y)
    total_x = float(x.sum())
    if n < 2 or total_x == 0:
        return RatioEstimate(math.nan, math.nan, n)
    ratio = float(y.sum()) / total_x
    residuals = y - ratio * x
    variance = float((residuals ** 2).sum()) / (n * (n - 1) * (total_x / n) ** 2)
    return RatioEstimate(ratio, variance, n)


@dataclass(frozen=True)
class ChangeTest:
    """A z-test of ``after - before``."""

    before: float
    after: float
    z: float
    p_value: float


def compare_ratios(before: RatioEstimate, after: RatioEstimate) -> ChangeTest:
    """Two-sided z-test of the difference of two independent ratio estimates.

    A difference with zero variance on both sides (identical constant days) is not
    evidence of anything: its p-value is 1 when the values are equal, else NaN.
    """
    spread = before.variance + after.variance
    difference = after.value - before.value
    if math.isnan(spread) or math.isnan(difference):
        return ChangeTest(before.value, after.value, math.nan, math.nan)
    if spread == 0:
        return ChangeTest(before.value, after.value, 0.0, 1.0 if difference == 0 else math.nan)
    z = difference / math.sqrt(spread)
    return ChangeTest(before.value, after.value, z, two_sided_p(z))


def compare_proportions(successes_before: float, n_before: float, successes_after: float,
                        n_after: float) -> ChangeTest:
    """Two-sided pooled two-proportion z-test (e.g. churned / customers in two periods)."""
    if n_before <= 0 or n_after <= 0:
        return ChangeTest(math.nan, math.nan, math.nan, math.nan)
    before, after = successes_before / n_before, successes_after / n_after
    pooled = (successes_before + successes_after) / (n_before + n_after)
    spread = pooled * (1 - pooled) * (1 / n_before + 1 / n_after)
    if spread == 0:
        return ChangeTest(before, after, 0.0, 1.0)
    z = (after - before) / math.sqrt(spread)
    return ChangeTest(before, after, z, two_sided_p(z))
