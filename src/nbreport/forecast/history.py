"""A series made ready to forecast: a regular calendar, gaps kept as gaps, odd days set aside.

Daily sums come from the daily metric frame (days without rows are missing,
not zero); monthly series (backtests on public data) use month starts. A day
that is far from the same weekday in the weeks around it (a tracking outage,
a mistyped budget) is set aside, i.e. treated as missing, and named in the
report, so that one bad day cannot bend a forecast.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from nbreport.core.weekdays import as_days, week_rows
from nbreport.i18n import _

Frequency = Literal["D", "MS"]

SEASON_LENGTH: dict[str, int] = {"D": 7, "MS": 12}  # a week of days, a year of months
MIN_SEASONS = 2  # fewer than two full cycles: no forecast at all
OUTLIER_Z = 7.0  # robust z-score beyond which a day is set aside (3 sigma of noise is about 5)
OUTLIER_WINDOW = 7  # the day and three same weekdays either side


@dataclass(frozen=True)
class History:
    """A series on a regular calendar.

    Attributes
    ----------
    values:
        Indexed by every day (or month start) from the first to the last observation;
        ``NaN`` where nothing was observed or a value was set aside.
    freq:
        ``"D"`` (daily) or ``"MS"`` (monthly).
    set_aside:
        Dates whose values were left out as outliers.
    """

    values: pd.Series
    freq: Frequency
    set_aside: tuple[pd.Timestamp, ...] = ()

    @property
    def season(self) -> int:
        return SEASON_LENGTH[self.freq]

    @property
    def observed(self) -> pd.Series:
        return self.values.dropna()

    @property
    def is_constant(self) -> bool:
        observed = self.observed
        return len(observed) > 0 and bool(np.ptp(observed.to_numpy()) == 0)

    @property
    def non_negative(self) -> bool:
        return bool((self.observed >= 0).all())

    def until(self, last: pd.Timestamp) -> History:
        """The history up to and including ``last``."""
        return History(self.values[:last], self.freq,
                       tuple(day for day in self.set_aside if day <= last))

    def problem(self) -> str | None:
        """Why this series cannot be forecast at all, in one sentence a client reads (``None``
        when it can)."""
        needed = MIN_SEASONS * self.season
        have = len(self.observed)
        if have >= needed:
            return None
        if self.freq == "D":
            return _("Not enough history: %(have)s days of data, a forecast needs at least "
                     "%(needed)s (two weeks).", have=have, needed=needed)
        return _("Not enough history: %(have)s months of data, a forecast needs at least "
                 "%(needed)s (two years).", have=have, needed=needed)


def prepare_history(series: pd.Series, freq: Frequency = "D", *,
                    screen_outliers: bool = True) -> History:
    """Put ``series`` (dates -> values, NaN allowed) on a regular calendar and screen outliers."""
    observed = series.dropna().astype("float64").sort_index()
    observed = observed[~observed.index.duplicated(keep="last")]
    if observed.empty:
        return History(pd.Series(dtype="float64", index=pd.DatetimeIndex([], freq=freq)), freq)
    calendar = pd.date_range(observed.index[0], observed.index[-1], freq=freq)
    values = observed.reindex(calendar)
    set_aside: tuple[pd.Timestamp, ...] = ()
    if screen_outliers and freq == "D":
        flagged = outlier_days(values)
        set_aside = tuple(values.index[flagged])
        values = values.mask(flagged)
    return History(values, freq, set_aside)


def outlier_days(values: pd.Series) -> np.ndarray:
    """Days far from the same weekday in the weeks around them (``values`` has every day of
    its calendar, as :func:`prepare_history` puts it).

    Each day is compared with the median of the same weekday in the three weeks
    before and the three after (itself left out), and measured against how much
    that weekday usually varies (its median absolute deviation): a quiet Sunday
    is never an outlier, and a busy, noisy Monday needs a bigger jump than a
    steady Sunday.
    """
    grid = week_rows(values)  # one column per weekday
    reach = OUTLIER_WINDOW // 2
    padded = np.pad(grid, ((reach, reach), (0, 0)), constant_values=np.nan)
    neighbours = [padded[reach + step:reach + step + len(grid)]
                  for step in range(-reach, reach + 1) if step]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN neighbours: no reference
        deviation = grid - np.nanmedian(np.stack(neighbours), axis=0)
        spread = 1.4826 * np.nanmedian(np.abs(deviation), axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        robust_z = as_days(np.abs(deviation) / spread, values.index).to_numpy()
    # a weekday that never varies (spread 0) flags nothing: intermittent counts are not outliers
    return np.where(np.isfinite(robust_z), robust_z, 0.0) > OUTLIER_Z
