"""Rolling-origin backtests: how good the forecasts would have been, next to a seasonal-naive baseline.

Each origin cuts the series, forecasts the next ``horizon`` steps from what
came before, and compares with what happened: MAPE of each step, coverage of
the pointwise intervals, and the same two for the horizon's total (what a
report's "period total" and "chance of reaching the target" rest on). Every
method is measured on the same origins in the same run. ``auto`` is what the
report does: check prophet against seasonal naive on the window just before
the origin, use the better one, and take the range as the report does; the
``prophet`` rows are prophet alone, with its own intervals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from nbreport.forecast.history import Frequency, History, prepare_history
from nbreport.forecast.prophet_model import ProphetOptions, prophet_forecast
from nbreport.forecast.samples import SampleForecast, interval
from nbreport.forecast.select import METHOD_NAMES, PROPHET, SEASONAL_NAIVE, CheckWindow, forecast_series
from nbreport.metrics.definitions import summed_inputs

if TYPE_CHECKING:
    from nbreport.settings import Settings

AUTO = "auto"
METHODS = (PROPHET, SEASONAL_NAIVE, AUTO)


@dataclass(frozen=True)
class BacktestSeries:
    """A series to backtest.

    Attributes
    ----------
    name:
        Shown in the table.
    values:
        Dates -> values; missing dates are gaps.
    freq:
        ``"D"`` or ``"MS"``.
    horizon:
        Steps forecast from each origin (30 days, 6 months...).
    origins:
        How many origins, one horizon apart, ending at the last observation.
    log_scale:
        The values are logarithms; errors are measured after ``exp`` (on the real scale).
    """

    name: str
    values: pd.Series
    freq: Frequency = "D"
    horizon: int = 30
    origins: int = 6
    log_scale: bool = False


@dataclass(frozen=True)
class BacktestScore:
    """One method on one series over all origins.

    Attributes
    ----------
    mape:
        Mean absolute percentage error of each forecast step (steps with an actual of 0 skipped).
    coverage:
        Share of steps whose actual fell inside the interval.
    total_mape:
        Mean absolute percentage error of each origin's horizon total.
    total_coverage:
        Share of origins whose actual total fell inside the total's interval.
    chosen:
        For ``auto``: how often each method was chosen.
    """

    series: str
    method: str
    origins: int
    mape: float
    coverage: float
    total_mape: float
    total_coverage: float
    chosen: str = ""


def backtest(series: BacktestSeries, *, methods: Sequence[str] = METHODS, width: float = 0.8,
             samples: int = 500) -> list[BacktestScore]:
    """Score each method on ``series`` over the same rolling origins."""
    steps = _step(series.freq)
    observed = series.values.dropna().sort_index()
    last = observed.index[-1]
    origins = [last - steps * series.horizon * k for k in range(series.origins, 0, -1)]
    scores = []
    for method in methods:
        rows, chosen = [], []
        for origin in origins:
            history = prepare_history(observed[:origin], series.freq)
            actual = observed[origin + steps:origin + steps * series.horizon]  # type: ignore[misc]
            if actual.empty:
                continue
            forecast, used = _forecast(history, pd.DatetimeIndex(actual.index), method, samples,
                                       CheckWindow(origin - steps * (series.horizon - 1), origin,
                                                   "the window before"))
            if forecast is None:
                continue
            chosen.append(used)
            rows.append(_errors(_real_scale(forecast, series.log_scale),
                                np.exp(actual) if series.log_scale else actual, width))
        scores.append(_score(series.name, method, rows, chosen))
    return scores


def _forecast(history: History, dates: pd.DatetimeIndex, method: str, samples: int,
              check: CheckWindow) -> tuple[SampleForecast | None, str]:
    """``prophet``: prophet alone, with its own samples; the others as a report makes them."""
    options = ProphetOptions(samples=samples)
    if method == PROPHET:
        return (None, "none") if history.problem() else (prophet_forecast(history, dates, options), PROPHET)
    forecast, choice = forecast_series(history, dates, method=method, options=options,
                                       check=check if method == AUTO else None)
    return forecast, choice.method


def _step(freq: Frequency) -> pd.DateOffset | pd.Timedelta:
    return pd.Timedelta(days=1) if freq == "D" else pd.DateOffset(months=1)


def _real_scale(forecast: SampleForecast, log_scale: bool) -> SampleForecast:
    if not log_scale:
        return forecast
    return SampleForecast(forecast.method, forecast.dates, np.exp(forecast.point),
                          np.exp(forecast.samples))


def _errors(forecast: SampleForecast, actual: pd.Series, width: float) -> dict[str, float]:
    truth = actual.to_numpy(dtype="float64")
    tail = (1 - width) / 2
    low, high = np.quantile(forecast.samples, [tail, 1 - tail], axis=1)
    nonzero = truth != 0
    ape = np.abs(forecast.point[nonzero] - truth[nonzero]) / np.abs(truth[nonzero])
    total_low, total_high = interval(forecast.samples.sum(axis=0), width)
    total = truth.sum()
    return {
        "mape": float(np.mean(ape)) if ape.size else np.nan,
        "coverage": float(np.mean((truth >= low) & (truth <= high))),
        "total_ape": abs(forecast.point.sum() - total) / abs(total) if total else np.nan,
        "total_inside": float(total_low <= total <= total_high),
    }


def _score(name: str, method: str, rows: list[dict[str, float]], chosen: list[str]) -> BacktestScore:
    frame = pd.DataFrame(rows, columns=["mape", "coverage", "total_ape", "total_inside"])
    counts = pd.Series(chosen, dtype=object).value_counts()
    used = ", ".join(f"{METHOD_NAMES.get(m, m)} {n}x" for m, n in counts.items()) if method == AUTO else ""
    return BacktestScore(name, method, len(frame), float(frame["mape"].mean()),
                         float(frame["coverage"].mean()), float(frame["total_ape"].mean()),
                         float(frame["total_inside"].mean()), used)


def better_method(scores: Iterable[BacktestScore]) -> str:
    """prophet or seasonal naive, whichever had the lower total MAPE (prophet on a tie)."""
    by_method = {s.method: s.total_mape for s in scores}
    prophet, naive = by_method.get(PROPHET, np.inf), by_method.get(SEASONAL_NAIVE, np.inf)
    return PROPHET if prophet <= naive else SEASONAL_NAIVE


def table_header(width: float = 0.8) -> str:
    """Column titles of the backtest table, underlined."""
    header = (f"{'series':<40} {'method':<15} {'origins':>7} {'MAPE':>7} "
              f"{f'in {width:.0%}':>7} {'total MAPE':>10} {f'total in {width:.0%}':>12}  chosen")
    return f"{header}\n{'-' * len(header)}"


def table_block(scores: Sequence[BacktestScore]) -> str:
    """One series' rows (all scores share the series), then which method was better."""
    lines = []
    for position, score in enumerate(scores):
        lines.append(
            f"{score.series if position == 0 else '':<40} {method_label(score.method):<15} "
            f"{score.origins:>7} {_pct(score.mape):>7} {_pct(score.coverage):>7} "
            f"{_pct(score.total_mape):>10} {_pct(score.total_coverage):>12}  {score.chosen}")
    lines.append(f"{'':<40} better: {METHOD_NAMES[better_method(scores)]} (lower total MAPE)")
    return "\n".join(lines)


def format_table(scores: Sequence[BacktestScore], width: float = 0.8) -> str:
    """All scores as a plain-text table, one block per series."""
    blocks = [table_block([s for s in scores if s.series == name])
              for name in dict.fromkeys(s.series for s in scores)]
    return "\n".join([table_header(width), *blocks])


def method_label(method: str) -> str:
    return {PROPHET: "prophet alone", AUTO: "report (auto)"}.get(method, METHOD_NAMES.get(method, method))


def _pct(value: float) -> str:
    return "n/a" if not np.isfinite(value) else f"{value:.1%}"


# --- the public real-world series (read from a folder; never shipped) ---------------------

PEYTON = "prophet_example_wp_log_peyton_manning.csv"
RETAIL = "prophet_example_retail_sales.csv"
BANK_CALLS = "bank_call_centre_5min.csv"


def real_series(folder: Path) -> list[BacktestSeries]:
    """The real series found in ``folder`` (each file is optional)."""
    readers = ((PEYTON, peyton_manning), (RETAIL, retail_sales), (BANK_CALLS, bank_calls))
    return [reader(folder / name) for name, reader in readers if (folder / name).is_file()]


def peyton_manning(path: Path) -> BacktestSeries:
    """Daily Wikipedia views of Peyton Manning; the file holds log views with 59 days missing."""
    frame = pd.read_csv(path, parse_dates=["ds"])
    values = frame.set_index("ds")["y"].astype("float64")
    return BacktestSeries("peyton-manning (daily views)", values, "D", horizon=30, log_scale=True)


def retail_sales(path: Path) -> BacktestSeries:
    """Monthly US retail sales."""
    frame = pd.read_csv(path, parse_dates=["ds"])
    values = frame.set_index("ds")["y"].astype("float64")
    return BacktestSeries("retail-sales (monthly)", values, "MS", horizon=6)


def bank_calls(path: Path) -> BacktestSeries:
    """Calls to a bank's call centre per day, from 5-minute counts on weekdays.

    ``DateTime`` ends in ``Z`` but holds local clock times: the day is the
    date as written, never converted from UTC (which would move late calls
    to the next day). ``rownames`` is R's row index and is ignored.
    """
    frame = pd.read_csv(path, usecols=["DateTime", "Calls"], dtype={"DateTime": str})
    days = pd.to_datetime(frame["DateTime"].str.slice(0, 10), format="%Y-%m-%d")
    values = frame["Calls"].astype("float64").groupby(days).sum()
    values.index.name = "date"
    return BacktestSeries("bank-calls (calls per weekday)", values, "D", horizon=28)


# --- the clients' own series ----------------------------------------------------------------

def client_series(settings: Settings, client_ids: Iterable[str], *, origins: int = 6,
                  horizon: int = 30) -> list[BacktestSeries]:
    """Each summed metric behind a client's forecast KPIs, up to its report's cut-off."""
    from nbreport.forecast.engine import selected_kpis
    from nbreport.metrics.daily import daily_metrics
    from nbreport.report.analysis import sources_for_kpis
    from nbreport.report.inputs import load_inputs  # the client's data as a report reads it

    series = []
    for client_id in client_ids:
        inputs = load_inputs(client_id, project_dir=settings.project_dir, data_dir=settings.data_dir)
        params = inputs.params
        daily = daily_metrics(inputs.data, [kpi.metric for kpi in params.kpis],
                              source_for=sources_for_kpis(params.kpis))
        daily = daily.loc[:pd.Timestamp(params.report_period.end)]  # type: ignore[misc]
        kpis = selected_kpis(list(params.kpis), params.forecast)
        for name in dict.fromkeys(n for kpi in kpis for n in summed_inputs(kpi.metric)):
            if name in daily.columns:
                series.append(BacktestSeries(f"{client_id} {name}", daily[name], "D",
                                             horizon=horizon, origins=origins))
    return series
