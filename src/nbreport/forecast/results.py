"""What the forecast step hands to the report, to commentary and to the next period's run.

Plain frozen dataclasses of plain values (dates, floats, strings): a section
formats them, commentary binds placeholders to them (e.g.
``report.forecasts.kpi("leads").next.probability``), and the store writes
them as JSON. Missing numbers are ``nan`` (shown as "n/a").
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


@dataclass(frozen=True)
class PeriodForecast:
    """A KPI's forecast for one period.

    Attributes
    ----------
    metric, label, unit, direction:
        The KPI (``direction``: ``higher`` or ``lower`` is better).
    period, period_label, start, end:
        The period forecast: key (``2026-11``), name (``November 2026``), first and last day.
    made_at:
        The last day of data the forecast saw.
    method:
        ``prophet``, ``seasonal-naive`` or ``mixed`` (a ratio whose parts used different methods).
    days_done, actual_to_date:
        Days of the period already in the data and the KPI over them (``nan`` when none).
    point, lower, upper, interval:
        The KPI over the whole period: the forecast and its central ``interval`` range
        (0.8: 80% of sampled outcomes inside).
    target:
        The goal for the period (``nan`` without one).
    probability:
        Share of sampled outcomes reaching the target (at or above it when higher is better,
        at or below it when lower is better); ``nan`` without a target.
    """

    metric: str
    label: str
    unit: str
    direction: str
    period: str
    period_label: str
    start: date
    end: date
    made_at: date
    method: str
    days_done: int
    actual_to_date: float
    point: float
    lower: float
    upper: float
    interval: float
    target: float
    probability: float

    def to_dict(self) -> dict[str, Any]:
        return {key: _plain(value) for key, value in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PeriodForecast:
        """Read back what :meth:`to_dict` wrote (unknown keys are ignored, for later versions)."""
        values = {}
        for item in fields(cls):
            value = data[item.name]
            if item.type == "date":
                value = date.fromisoformat(value)
            elif item.type == "float":
                value = math.nan if value is None else float(value)
            values[item.name] = value
        return cls(**values)


@dataclass(frozen=True)
class KpiForecast:
    """One KPI's forecasts, or why there are none.

    Attributes
    ----------
    method:
        ``prophet``, ``seasonal-naive``, ``mixed`` or ``none`` (no forecast).
    reason:
        Plain words: why this method, or why no forecast ("not enough history: ...").
    periods:
        The rest of the reported period (when it is not over) and the periods after it.
    set_aside:
        Days left out of the model as outliers.
    """

    metric: str
    label: str
    unit: str
    direction: str
    method: str
    reason: str
    periods: tuple[PeriodForecast, ...] = ()
    set_aside: tuple[date, ...] = ()

    @property
    def available(self) -> bool:
        return bool(self.periods)

    @property
    def next(self) -> PeriodForecast | None:
        """The forecast of the first period that is not over yet."""
        return self.periods[0] if self.periods else None


@dataclass(frozen=True)
class ForecastCheck:
    """A stored forecast held against what happened.

    Attributes
    ----------
    forecast:
        The forecast as it was stored.
    actual:
        The KPI over the forecast period, from today's data.
    error:
        Absolute percentage error ``|point - actual| / |actual|`` (``nan`` when the actual is 0).
    inside:
        Whether the actual fell inside the forecast's interval.
    reached:
        Whether the target was reached (``None`` without a target).
    """

    forecast: PeriodForecast
    actual: float
    error: float
    inside: bool
    reached: bool | None

    def to_dict(self) -> dict[str, Any]:
        return {"forecast": self.forecast.to_dict(), "actual": _plain(self.actual),
                "error": _plain(self.error), "inside": self.inside, "reached": self.reached}


@dataclass(frozen=True)
class AccuracyRecord:
    """A KPI's track record: every stored forecast whose period is over.

    Attributes
    ----------
    forecasts:
        How many forecasts were held against actuals.
    mape:
        Mean absolute percentage error over them (``nan`` when none could be computed).
    inside:
        How many actuals fell inside their interval; ``coverage`` is the share.
    periods:
        The periods covered, oldest first.
    """

    metric: str
    label: str
    forecasts: int
    mape: float
    inside: int
    periods: tuple[str, ...] = ()

    @property
    def coverage(self) -> float:
        return self.inside / self.forecasts if self.forecasts else math.nan

    def to_dict(self) -> dict[str, Any]:
        return {**{key: _plain(value) for key, value in asdict(self).items()},
                "coverage": _plain(self.coverage)}


@dataclass(frozen=True)
class SeriesPath:
    """The day-by-day point forecasts of one summed metric by each method, as stored.

    The next run compares them with what happened to choose its method without
    refitting (see :mod:`nbreport.forecast.select`).

    Attributes
    ----------
    metric:
        A summed metric (``leads``, ``spend``...).
    made_at:
        The last day of data they saw; the first forecast day is the day after.
    points:
        Method -> one point forecast per day.
    """

    metric: str
    made_at: date
    points: dict[str, tuple[float, ...]]

    def to_dict(self) -> dict[str, Any]:
        return {"metric": self.metric, "made_at": self.made_at.isoformat(),
                "points": {method: [round(v, 4) for v in values]
                           for method, values in self.points.items()}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SeriesPath:
        return cls(data["metric"], date.fromisoformat(data["made_at"]),
                   {method: tuple(float(v) for v in values)
                    for method, values in data["points"].items()})


@dataclass(frozen=True)
class ForecastResult:
    """Everything the forecast section shows.

    Attributes
    ----------
    made_at:
        The last day of data the forecasts saw (``None``: no data).
    kpis:
        One entry per KPI forecast.
    checks:
        For the reported period: the last stored forecast of each KPI against what happened.
    record:
        Each KPI's track record over every stored forecast whose period is over.
    evaluated:
        Those stored forecasts, each held against its actual (the rows of the record).
    holidays:
        Country whose public holidays were modelled (``None``: none).
    paths:
        Each forecast series' daily point forecasts by method (stored for the next run).
    notes:
        Plain sentences about the run (stored forecasts that could not be read...).
    """

    made_at: date | None
    kpis: tuple[KpiForecast, ...] = ()
    checks: tuple[ForecastCheck, ...] = ()
    record: tuple[AccuracyRecord, ...] = ()
    evaluated: tuple[ForecastCheck, ...] = ()
    holidays: str | None = None
    paths: tuple[SeriesPath, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    def kpi(self, metric: str) -> KpiForecast | None:
        """The forecast of one KPI by metric name."""
        return next((k for k in self.kpis if k.metric == metric), None)

    @property
    def period_forecasts(self) -> list[PeriodForecast]:
        return [period for kpi in self.kpis for period in kpi.periods]
