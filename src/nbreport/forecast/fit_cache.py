"""prophet fits, kept in the project's compute cache: a re-run refits only series that changed.

A fit is a pure function of what :func:`nbreport.forecast.prophet_model.prophet_forecast`
is given: the series (every day of its calendar, gaps included, since the calendar's length
chooses the seasonalities), the dates to forecast, the number of samples, the holiday table,
and the code and libraries that fit (nbreport's forecast code, prophet, cmdstanpy, NumPy,
pandas). The entry's name is a digest of all of them, so a hit is the fit's own result:
its point forecast and samples, stored as NumPy arrays (``.npz``, no pickle) and read back
bit for bit. An entry that cannot be decoded is a miss.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable

import numpy as np
import pandas as pd

from nbreport.core.code_digest import code_digest
from nbreport.core.compute_cache import ComputeCache, cache_key, library_versions
from nbreport.forecast.history import History
from nbreport.forecast.samples import SampleForecast

log = logging.getLogger(__name__)

KIND = "prophet-fits"
SUFFIX = ".npz"
FIT_MODULE = "nbreport.forecast.prophet_model"  # its import closure is the code of a fit
FIT_LIBRARIES = ("prophet", "cmdstanpy", "numpy", "pandas")


def cached_fit(cache: ComputeCache, history: History, dates: pd.DatetimeIndex, samples: int,
               holidays: pd.DataFrame | None, fit: Callable[[], SampleForecast]) -> SampleForecast:
    """The cached result of ``fit()`` for these inputs, or ``fit()`` itself, then stored."""
    key = fit_key(history, dates, samples, holidays)
    stored = cache.read(KIND, key, SUFFIX)
    found = decode(stored, dates) if stored is not None else None
    if found is not None:
        return found
    if stored is not None:
        log.info("compute cache: undecodable prophet fit %s, fitting again", key[:12])
    forecast = fit()
    cache.write(KIND, key, SUFFIX, encode(forecast))
    return forecast


def fit_key(history: History, dates: pd.DatetimeIndex, samples: int,
            holidays: pd.DataFrame | None) -> str:
    """The digest of everything a prophet fit's result depends on."""
    values = history.values.to_numpy(dtype="float64")
    values = np.where(np.isnan(values), np.nan, values)  # one bit pattern for every gap
    return cache_key(
        KIND, code_digest(FIT_MODULE), library_versions(*FIT_LIBRARIES),
        history.freq, _index_bytes(history.values.index), values.tobytes(),
        _index_bytes(dates), str(samples),
        "" if holidays is None else holidays.to_csv(index=False, date_format="%Y-%m-%d"))


def encode(forecast: SampleForecast) -> bytes:
    """A fit's result as an ``.npz`` archive (its dates are the caller's, part of the key)."""
    buffer = io.BytesIO()
    np.savez(buffer, method=np.array(forecast.method), point=forecast.point,
             samples=forecast.samples)
    return buffer.getvalue()


def decode(content: bytes, dates: pd.DatetimeIndex) -> SampleForecast | None:
    """The stored fit, or ``None`` when the entry is damaged or does not fit ``dates``."""
    try:
        with np.load(io.BytesIO(content), allow_pickle=False) as archive:
            method = str(archive["method"])
            point, samples = archive["point"], archive["samples"]
    except Exception:  # noqa: BLE001 - whatever is wrong with an entry, it is a miss
        return None
    if point.shape != (len(dates),) or samples.ndim != 2 or samples.shape[0] != len(dates):
        return None
    return SampleForecast(method, dates, point, samples)


def _index_bytes(index: pd.DatetimeIndex) -> bytes:
    """The dates as their dtype (its unit) and integers: equal bytes, equal dates."""
    return str(index.dtype).encode() + b"\0" + np.asarray(index.asi8, dtype="int64").tobytes()
