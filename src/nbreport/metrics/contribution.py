"""Contribution analysis: which channels or campaigns drove the change in a KPI.

The change of a KPI between two periods is split into one part per segment
(channel, campaign...) so that **the parts add up exactly to the total change**.

* Additive metric (a sum): a segment's part is its own change, ``y1_i - y0_i``.
* Ratio ``R = N / D`` of sums (CPA, conversion rate, ROAS...): the two-factor
  Shapley decomposition (Shorrocks 2013, "Decomposition procedures for
  distributional analysis: a unified framework based on the Shapley value",
  Journal of Economic Inequality 11(1): 99-126) of ``R1 - R0`` into a
  numerator effect ``(N1 - N0)(1/D0 + 1/D1) / 2`` and a denominator effect
  ``-(N0 + N1)(D1 - D0) / (2 D0 D1)``, each linear in the totals and so shared
  among segments in proportion to their own change of that total::

      part_i = (dN_i (1/D0 + 1/D1) - dD_i (N0 + N1) / (D0 D1)) / 2

  The parts sum to ``N1/D1 - N0/D0`` exactly, whatever the segments' sizes; a
  segment with no denominator of its own (organic revenue in ROAS) still gets
  its share, and a segment that appears or disappears needs no special case.
  The result is symmetric: swapping the periods flips every sign.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nbreport.metrics.daily import metric_value
from nbreport.metrics.definitions import METRICS, RatioMetric, is_additive


def decompose_change(before: pd.DataFrame, after: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Each segment's part of the change of ``metric`` between two periods.

    Parameters
    ----------
    before, after:
        Period totals of the summed metrics behind ``metric``, one row per segment.

    Returns
    -------
    DataFrame
        Indexed by segment, biggest part first: ``before`` and ``after`` (the metric within
        the segment), ``numerator_effect`` and ``denominator_effect`` (for sums, all of the
        part is numerator effect), ``contribution`` (their sum: the segment's part; the parts
        add up to ``total_after - total_before``) and ``share`` (part / total change).
        ``frame.attrs`` holds ``total_before``, ``total_after`` and ``total_change``.
    """
    segments = before.index.union(after.index, sort=False)
    before = before.reindex(segments).fillna(0.0)
    after = after.reindex(segments).fillna(0.0)
    definition = METRICS[metric]
    if is_additive(metric):
        numerator = _additive(after, metric) - _additive(before, metric)
        parts = pd.DataFrame({"numerator_effect": numerator, "denominator_effect": 0.0})
    else:
        assert isinstance(definition, RatioMetric)
        parts = _ratio_parts(before, after, definition)
    total_before = float(_total(before, metric))
    total_after = float(_total(after, metric))
    frame = pd.DataFrame({
        "before": metric_value(before, metric),
        "after": metric_value(after, metric),
        "numerator_effect": parts["numerator_effect"],
        "denominator_effect": parts["denominator_effect"],
    }, index=segments)
    frame["contribution"] = frame["numerator_effect"] + frame["denominator_effect"]
    change = total_after - total_before
    frame["share"] = frame["contribution"] / change if change else np.nan
    biggest_first = frame["contribution"].abs().sort_values(ascending=False, kind="stable").index
    frame = frame.reindex(biggest_first)
    frame.attrs.update(total_before=total_before, total_after=total_after, total_change=change)
    return frame


def _additive(totals: pd.DataFrame, metric: str) -> pd.Series:
    value = metric_value(totals, metric)
    return value if isinstance(value, pd.Series) else pd.Series(np.nan, index=totals.index)


def _total(totals: pd.DataFrame, metric: str) -> float:
    return metric_value(totals.sum(), metric)


def _ratio_parts(before: pd.DataFrame, after: pd.DataFrame, metric: RatioMetric) -> pd.DataFrame:
    n0, n1 = _additive(before, metric.numerator), _additive(after, metric.numerator)
    d0, d1 = _additive(before, metric.denominator), _additive(after, metric.denominator)
    total_n0, total_n1, total_d0, total_d1 = n0.sum(), n1.sum(), d0.sum(), d1.sum()
    if total_d0 == 0 or total_d1 == 0:  # the ratio itself is undefined in one period
        return pd.DataFrame({"numerator_effect": np.nan, "denominator_effect": np.nan},
                            index=before.index)
    numerator = (n1 - n0) * (1 / total_d0 + 1 / total_d1) / 2
    denominator = -(d1 - d0) * (total_n0 + total_n1) / (2 * total_d0 * total_d1)
    return pd.DataFrame({"numerator_effect": metric.factor * numerator,
                         "denominator_effect": metric.factor * denominator})

