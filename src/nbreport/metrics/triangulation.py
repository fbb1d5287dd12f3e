"""Triangulation: the same quantity measured by two or more sources, reconciled.

For every period, each measure is compared with the first one, *the truth*:

* ``difference = value - truth``;
* ``difference_pct = (value - truth) / |truth|`` (NaN when the truth is 0);
* ``within = |difference_pct| <= tolerance`` (or no difference at all); a measure with a
  value while the truth is 0 is outside any tolerance.

Ad platforms typically over-count (view-through and modelled conversions,
several platforms claiming the same sale) and web analytics under-count
(consent banners, blockers, broken tags): the report says so in plain words
and names the source taken as the truth.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from nbreport.core.formatting import Formatter
from nbreport.i18n import _
from nbreport.metrics.daily import daily_metrics, metric_value, period_totals
from nbreport.metrics.definitions import METRICS, summed_inputs
from nbreport.metrics.spec import MeasureSpec, TriangulationSpec
from nbreport.core.period import Period
from nbreport.sources.loader import ClientData

HISTORY = 6


def reconcile(values: pd.DataFrame, tolerance: float) -> pd.DataFrame:
    """Compare every column of ``values`` with its first column, row by row.

    Parameters
    ----------
    values:
        One row per period, one column per measure; the first column is the truth.
    tolerance:
        Largest accepted ``|difference_pct|``.

    Returns
    -------
    DataFrame
        Long form, one row per period and measure other than the truth, with ``period``,
        ``measure``, ``value``, ``truth``, ``difference``, ``difference_pct`` and ``within``.
    """
    truth = values.iloc[:, 0]
    others = values.iloc[:, 1:]
    difference = others.sub(truth, axis=0)
    pct = difference.div(truth.abs().where(truth != 0), axis=0)  # NaN, never inf, at a zero truth
    long = pd.DataFrame({
        "period": others.index.repeat(others.shape[1]),
        "measure": list(others.columns) * len(others),
        "value": others.to_numpy().ravel(),
        "truth": truth.to_numpy().repeat(others.shape[1]),
        "difference": difference.to_numpy().ravel(),
        "difference_pct": pct.to_numpy().ravel(),
    })
    close = (long["difference_pct"].abs() <= tolerance) | (long["difference"] == 0)
    within = pd.array(close, dtype="boolean")
    within[long[["value", "truth"]].isna().any(axis=1).to_numpy()] = pd.NA
    long["within"] = within
    return long


def history_periods(full: Period, reported: Period, count: int = HISTORY) -> list[Period]:
    """The reported period, then the ``count - 1`` whole periods before it, newest first."""
    periods = [reported]
    previous = full
    for _ in range(count - 1):
        previous = previous.previous()
        periods.append(previous)
    return periods


def measure_values(data: ClientData, measure: MeasureSpec, periods: list[Period]) -> pd.Series:
    """The measure's value in each period (indexed by period key), from its source and channels."""
    source_for = ({name: measure.source for name in summed_inputs(measure.metric)}
                  if measure.source else None)
    daily = daily_metrics(data, [measure.metric], source_for=source_for,
                          by="channel" if measure.channels else None)
    if measure.channels and not daily.empty:
        inside = daily.index.get_level_values("channel").isin(measure.channels)
        daily = daily[inside].groupby(level="date").sum()
    values = {period.key: float(metric_value(period_totals(daily, period), measure.metric))
              if not daily.empty else math.nan for period in periods}
    return pd.Series(values, dtype="float64")


@dataclass(frozen=True)
class TriangulationResult:
    """One check: the reported period's comparison, its history and plain sentences.

    Attributes
    ----------
    label, unit, tolerance, truth:
        The quantity, its unit, the accepted difference and the label of the truth.
    current:
        :func:`reconcile` rows of the reported period (one per measure other than the truth).
    truth_value:
        The truth's value in the reported period.
    history:
        ``difference_pct`` per period (rows, newest first) and measure (columns).
    sentences:
        One plain sentence per measure, saying whether it agrees and which source is the truth.
    flagged:
        Whether any measure is outside the tolerance in the reported period.
    """

    label: str
    unit: str
    tolerance: float
    truth: str
    truth_value: float
    current: pd.DataFrame
    history: pd.DataFrame
    sentences: list[str]
    flagged: bool


def triangulate(data: ClientData, spec: TriangulationSpec, full: Period, reported: Period,
                fmt: Formatter) -> TriangulationResult:
    """Reconcile the measures of ``spec`` over the reported period and the periods before it."""
    periods = history_periods(full, reported)
    values = pd.DataFrame({measure.display_label: measure_values(data, measure, periods)
                           for measure in spec.measures})
    long = reconcile(values, spec.tolerance)
    current = long[long["period"] == reported.key].reset_index(drop=True)
    history = long.pivot(index="period", columns="measure", values="difference_pct")
    history = history.reindex(index=[p.key for p in periods], columns=values.columns[1:])
    history.index = [p.label for p in periods]
    truth = spec.measures[0]
    unit = METRICS[truth.metric].unit
    notes = {m.display_label: m.note for m in spec.measures[1:]}
    sentences = [_sentence(row, truth.display_label, unit, spec, notes.get(row["measure"]), fmt)
                 for row in current.to_dict("records")]
    flagged = bool((~current["within"]).fillna(False).any())
    return TriangulationResult(spec.label, unit, spec.tolerance, truth.display_label,
                               float(values.iloc[0, 0]), current, history, sentences, flagged)


def _sentence(row: dict, truth: str, unit: str, spec: TriangulationSpec, note: str | None,
              fmt: Formatter) -> str:
    """E.g. "Ad platforms: 412, 28.4% more than CRM (321); more than the 15.0% difference we
    accept. ..." (a client reads it among the challenges)."""
    measure = row["measure"]
    if pd.isna(row["value"]) or pd.isna(row["truth"]):
        return _("%(measure)s: no data in this period, so it cannot be checked against %(truth)s.",
                 measure=measure, truth=truth)
    gap = _gap(row, truth, unit, fmt)
    tolerance = fmt.value(spec.tolerance, "percent")
    if row["within"] is not pd.NA and bool(row["within"]):
        return _("%(measure)s: %(gap)s; within the %(tolerance)s difference we accept.",
                 measure=measure, gap=gap, tolerance=tolerance)
    outside = _("%(measure)s: %(gap)s; more than the %(tolerance)s difference we accept.",
                measure=measure, gap=gap, tolerance=tolerance)
    reason = f" {note.rstrip('.')}." if note else ""  # the analyst's note, as written
    taken = (_("%(truth)s is taken as the truth: %(reason)s.", truth=truth,
               reason=spec.truth_reason.rstrip(".")) if spec.truth_reason
             else _("%(truth)s is taken as the truth.", truth=truth))
    return f"{outside}{reason} {taken}"


def _gap(row: dict, truth: str, unit: str, fmt: Formatter) -> str:
    """The measure's value against the truth's, e.g. "412, 28.4% more than CRM (321)"."""
    amount, base = fmt.value(row["value"], unit), fmt.value(row["truth"], unit)
    pct = row["difference_pct"]
    if math.isnan(pct):
        return _("%(amount)s while %(truth)s has none", amount=amount, truth=truth)
    if pct == 0:
        return _("%(amount)s, the same as %(truth)s", amount=amount, truth=truth)
    values = {"amount": amount, "pct": fmt.value(abs(pct), "percent"), "truth": truth, "base": base}
    if unit == "count":
        return (_("%(amount)s, %(pct)s more than %(truth)s (%(base)s)", **values) if pct > 0
                else _("%(amount)s, %(pct)s fewer than %(truth)s (%(base)s)", **values))
    return (_("%(amount)s, %(pct)s higher than %(truth)s (%(base)s)", **values) if pct > 0
            else _("%(amount)s, %(pct)s lower than %(truth)s (%(base)s)", **values))
