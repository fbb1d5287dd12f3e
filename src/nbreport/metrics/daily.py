"""Day-by-day sums of every summed metric, and totals and ratios over any period.

Everything the report says about a period is computed from one frame, the
*daily metric frame*: one row per day (optionally per day and channel), one
column per summed metric. Totals over a period are sums of its rows; ratio
metrics divide those totals, so a ratio is never a mean of daily ratios.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from nbreport.metrics.definitions import (
    METRICS,
    CombinedMetric,
    Provider,
    RatioMetric,
    SummedMetric,
    summed_inputs,
)
from nbreport.core.period import Period
from nbreport.sources.loader import ClientData


def daily_metrics(
    data: ClientData,
    names: Iterable[str],
    *,
    source_for: Mapping[str, str] | None = None,
    by: str | None = None,
) -> pd.DataFrame:
    """Daily sums of the summed metrics behind ``names``.

    Parameters
    ----------
    data:
        The client's canonical tables.
    names:
        Metric names; ratio metrics bring in their numerator and denominator.
    source_for:
        Summed metric -> source name to take it from (else the first provider available, every
        source of its kind summed but the alternatives set aside, see :func:`summed_rows`).
    by:
        Optional column to split by as well (e.g. ``"channel"``).

    Returns
    -------
    DataFrame
        Indexed by ``date`` (and ``by``), one float column per summed metric;
        days with no rows are 0. A metric no source can provide is absent.
    """
    source_for = source_for or {}
    needed = dict.fromkeys(m for name in names for m in summed_inputs(name))
    columns = {}
    for name in needed:
        metric = METRICS[name]
        assert isinstance(metric, SummedMetric)
        series = _sum_by_day(data, metric, source_for.get(name), by)
        if series is not None:
            columns[name] = series
    if not columns:
        return pd.DataFrame(index=_empty_index(by))
    frame = pd.concat(columns, axis=1, sort=True).fillna(0.0)
    return frame.astype("float64")


def provider_used(data: ClientData, name: str, source: str | None = None) -> Provider | None:
    """The provider a summed metric is taken from for this client (``None`` if none has data)."""
    metric = METRICS[name]
    assert isinstance(metric, SummedMetric)
    for provider in metric.providers:
        if not summed_rows(data, provider.kind, source).empty:
            return provider
    return None


def summed_rows(data: ClientData, kind: str, source: str | None = None) -> pd.DataFrame:
    """The rows of ``kind`` a summed metric adds up: those of ``source`` when one is named, else
    every source of the kind but the alternatives set aside for a truth source (params
    ``overlaps``), so that the same leads exported twice are never counted twice."""
    table = data.table(kind)
    if source is not None:
        return table[table["source"] == source]
    set_aside = list(data.alternatives)
    return table[~table["source"].isin(set_aside)] if set_aside else table


def summed_sources(data: ClientData, name: str, source: str | None = None) -> tuple[str, list[str]] | None:
    """The kind a summed metric is taken from and the sources whose rows are summed
    (``None`` when no source has data for it)."""
    provider = provider_used(data, name, source)
    if provider is None:
        return None
    sources = summed_rows(data, provider.kind, source)["source"].unique()
    return provider.kind, sorted(str(name) for name in sources)


def _sum_by_day(data: ClientData, metric: SummedMetric, source: str | None,
                by: str | None) -> pd.Series | None:
    provider = provider_used(data, metric.name, source)
    if provider is None:
        return None
    table = summed_rows(data, provider.kind, source)
    for column, accepted in provider.where:
        table = table[table[column].isin(accepted)]
    keys = [table[provider.date_column].rename("date")]
    if by is not None:
        keys.append(table[by] if by in table.columns else pd.Series("Unknown", index=table.index, name=by))
    values = table[provider.column] if provider.column else pd.Series(1.0, index=table.index)
    return values.astype("float64").groupby(keys).sum()


def _empty_index(by: str | None) -> pd.Index:
    if by is None:
        return pd.DatetimeIndex([], name="date")
    return pd.MultiIndex.from_arrays([pd.DatetimeIndex([]), pd.Index([], dtype=object)],
                                     names=["date", by])


def period_totals(daily: pd.DataFrame, period: Period) -> pd.Series | pd.DataFrame:
    """Sums of each summed metric over ``period`` (per ``by`` group when the frame has one)."""
    dates = daily.index.get_level_values("date")
    inside = (dates >= pd.Timestamp(period.start)) & (dates <= pd.Timestamp(period.end))
    rows = daily[inside]
    if isinstance(daily.index, pd.MultiIndex):
        return rows.groupby(level=1).sum()
    return rows.sum()


def metric_value(totals: pd.Series | pd.DataFrame, name: str) -> float | pd.Series:
    """A metric from period totals: the sum itself, a signed sum of sums, or a ratio of sums
    (NaN when dividing by 0, or when a part has no data)."""
    metric = METRICS[name]
    if isinstance(metric, SummedMetric):
        return totals[name] if name in _keys(totals) else np.nan
    if isinstance(metric, CombinedMetric):
        return sum(weight * metric_value(totals, part) for weight, part in metric.terms)
    assert isinstance(metric, RatioMetric)
    numerator = metric_value(totals, metric.numerator)
    denominator = metric_value(totals, metric.denominator)
    return metric.factor * safe_divide(numerator, denominator)


def _keys(totals: pd.Series | pd.DataFrame) -> pd.Index:
    return totals.columns if isinstance(totals, pd.DataFrame) else totals.index


def safe_divide(numerator, denominator):  # type: ignore[no-untyped-def]
    """``numerator / denominator`` with NaN instead of inf or an error when the denominator is 0.

    Works alike on numbers, NumPy arrays, Series and DataFrames (element-wise).
    """
    if np.ndim(numerator) == 0 and np.ndim(denominator) == 0:
        if pd.isna(numerator) or pd.isna(denominator) or denominator == 0:
            return np.nan
        return float(numerator) / float(denominator)
    with np.errstate(divide="ignore", invalid="ignore"):
        result = numerator / denominator
    if isinstance(result, (pd.Series, pd.DataFrame)):
        return result.astype("float64").mask(np.isinf(result.astype("float64")))
    result = np.asarray(result, dtype="float64")
    return np.where(np.isinf(result), np.nan, result)
