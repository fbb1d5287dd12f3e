"""Forecasts kept per client and period, and held to account by later runs.

Every run writes ``forecasts.json`` into the kernel's working folder; the
batch engine moves it beside the report, to ``outputs/<period>/<client>/``.
A later run reads every such file of the same client, holds each forecast
whose period is over against today's data and builds the track record. The
record is recomputed from the stored forecasts each time (never carried
forward), so a re-run or a missing month cannot corrupt it.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nbreport.forecast.results import (
    AccuracyRecord,
    ForecastCheck,
    ForecastResult,
    PeriodForecast,
    SeriesPath,
)
from nbreport.core.layout import FORECASTS_FILE, ProjectLayout
from nbreport.metrics.daily import metric_value, period_totals
from nbreport.core.period import Period
from nbreport.core.files import write_atomic
from nbreport.i18n import _

log = logging.getLogger(__name__)

FILE_NAME = FORECASTS_FILE  # a run's stored forecasts, in its working folder, then beside the report
SCHEMA_VERSION = 1


def forecast_document(result: ForecastResult, client_id: str, period: str) -> dict[str, Any]:
    """The stored form of a run's forecasts and of the track record as seen by this run."""
    return {
        "schema": SCHEMA_VERSION,
        "client_id": client_id,
        "period": period,
        "made_at": result.made_at.isoformat() if result.made_at else None,
        "forecasts": [forecast.to_dict() for forecast in result.period_forecasts],
        "accuracy": [record.to_dict() for record in result.record],
        "evaluated": [check.to_dict() for check in result.evaluated],
        "paths": [path.to_dict() for path in result.paths],
    }


def save_forecasts(result: ForecastResult, client_id: str, period: str, folder: Path) -> Path:
    """Write ``forecasts.json`` into ``folder`` (atomically) and return its path."""
    path = folder / FILE_NAME
    write_atomic(path, json.dumps(forecast_document(result, client_id, period), indent=1) + "\n")
    return path


def read_forecasts(path: Path) -> tuple[list[PeriodForecast], list[SeriesPath]]:
    """The forecasts and series paths stored in one file.

    Raises
    ------
    ValueError
        The file is not a forecasts file this version can read.
    """
    document = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or document.get("schema") != SCHEMA_VERSION:
        raise ValueError(f"not a forecasts file of schema version {SCHEMA_VERSION}")
    return ([PeriodForecast.from_dict(item) for item in document["forecasts"]],
            [SeriesPath.from_dict(item) for item in document.get("paths", [])])


@dataclass
class Stored:
    """Everything stored for one client under ``outputs/``."""

    forecasts: list[PeriodForecast] = field(default_factory=list)
    paths: list[SeriesPath] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def stored_forecasts(outputs_dir: Path, client_id: str) -> Stored:
    """Every forecast stored for ``client_id`` under ``outputs_dir``, with notes on unreadable files.

    A broken file never breaks the report: it is skipped and named in a note.
    """
    forecasts: dict[tuple[str, str, date], PeriodForecast] = {}
    stored = Stored()
    for path in sorted(ProjectLayout(outputs_dir).stored_forecasts(client_id)):
        try:
            period_forecasts, paths = read_forecasts(path)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("skipping %s: %s", path, exc)
            stored.notes.append(_("Stored forecasts of %(period)s could not be read and were "
                                  "left out of the track record.", period=path.parent.parent.name))
            continue
        for forecast in period_forecasts:
            forecasts[(forecast.metric, forecast.period, forecast.made_at)] = forecast
        stored.paths.extend(paths)
    stored.forecasts = list(forecasts.values())
    return stored


def stored_points(paths: Iterable[SeriesPath], metric: str, made_at: date) -> dict[str, pd.Series]:
    """Method -> daily point forecasts of ``metric`` made at ``made_at`` (empty when none stored)."""
    for path in paths:
        if path.metric == metric and path.made_at == made_at:
            start = pd.Timestamp(made_at) + pd.Timedelta(days=1)
            return {method: pd.Series(values, index=pd.date_range(start, periods=len(values)))
                    for method, values in path.points.items()}
    return {}


def hold_to_account(stored: Iterable[PeriodForecast], daily: pd.DataFrame,
                    cutoff: date) -> list[ForecastCheck]:
    """Each stored forecast whose period is over by ``cutoff`` (and made before it), against the data."""
    checks = []
    for forecast in stored:
        if forecast.end > cutoff or forecast.made_at >= forecast.end:
            continue
        totals = period_totals(daily, Period(forecast.start, forecast.end))
        actual = float(metric_value(totals, forecast.metric))
        if math.isnan(actual):
            continue
        checks.append(_check(forecast, actual))
    return sorted(checks, key=lambda c: (c.forecast.metric, c.forecast.start, c.forecast.made_at))


def _check(forecast: PeriodForecast, actual: float) -> ForecastCheck:
    error = abs(forecast.point - actual) / abs(actual) if actual else math.nan
    inside = bool(forecast.lower <= actual <= forecast.upper)
    reached = None
    if not math.isnan(forecast.target):
        reached = actual <= forecast.target if forecast.direction == "lower" else actual >= forecast.target
    return ForecastCheck(forecast, actual, error, inside, reached)


def latest_before(checks: Iterable[ForecastCheck], period: Period) -> list[ForecastCheck]:
    """For ``period``: per KPI, the last forecast made before the period began (else the last one)."""
    chosen: dict[str, ForecastCheck] = {}
    for check in checks:
        forecast = check.forecast
        if (forecast.start, forecast.end) != (period.start, period.end):
            continue
        current = chosen.get(forecast.metric)
        if current is None or _preference(forecast, period) > _preference(current.forecast, period):
            chosen[forecast.metric] = check
    return list(chosen.values())


def _preference(forecast: PeriodForecast, period: Period) -> tuple[bool, date]:
    return forecast.made_at < period.start, forecast.made_at


def accuracy_record(checks: Iterable[ForecastCheck]) -> list[AccuracyRecord]:
    """Per KPI: how many forecasts were held to account, their MAPE, how many actuals fell inside."""
    by_metric: dict[str, list[ForecastCheck]] = {}
    for check in checks:
        by_metric.setdefault(check.forecast.metric, []).append(check)
    records = []
    for metric, group in by_metric.items():
        errors = np.array([c.error for c in group], dtype="float64")
        records.append(AccuracyRecord(
            metric=metric, label=group[-1].forecast.label, forecasts=len(group),
            mape=float(np.nanmean(errors)) if np.isfinite(errors).any() else math.nan,
            inside=sum(c.inside for c in group),
            periods=tuple(dict.fromkeys(c.forecast.period for c in group))))
    return records
