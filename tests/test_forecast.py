"""Forecasts: robustness of the methods, probabilities from samples, the store and the record."""

from __future__ import annotations

import json
import logging
import math
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nbreport.core.errors import ParamsError
from nbreport.forecast.history import prepare_history
from nbreport.forecast.naive import seasonal_naive
from nbreport.forecast.prophet_model import INSTALL_HINT, ProphetOptions, ProphetUnavailable, load_prophet
from nbreport.forecast.results import ForecastResult, KpiForecast, PeriodForecast, SeriesPath
from nbreport.forecast.samples import (
    SampleForecast,
    interval,
    paired,
    probability_of_reaching,
)
from nbreport.forecast.select import PROPHET, SEASONAL_NAIVE, CheckWindow, forecast_series
from nbreport.forecast.store import (
    FILE_NAME,
    accuracy_record,
    hold_to_account,
    latest_before,
    read_forecasts,
    save_forecasts,
    stored_forecasts,
)
from nbreport.core.formatting import Formatter
from nbreport.params import Period, params_from_plain

FUTURE = pd.date_range("2026-11-01", "2026-11-30")


def weekly_series(days: int, *, end: str = "2026-10-31", level: float = 100.0,
                  seed: int = 1) -> pd.Series:
    """Daily values with a weekly pattern and a little noise, ending on ``end``."""
    dates = pd.date_range(end=end, periods=days)
    pattern = np.array([1.1, 1.05, 1.0, 1.0, 0.95, 0.6, 0.5])[dates.day_of_week]
    noise = np.random.default_rng(seed).normal(1, 0.05, days)
    return pd.Series(level * pattern * noise, index=dates)


def forecast_of(series: pd.Series, **kwargs: object) -> tuple[SampleForecast | None, object]:
    return forecast_series(prepare_history(series), FUTURE, options=ProphetOptions(samples=200),
                           **kwargs)  # type: ignore[arg-type]


# --- robustness -------------------------------------------------------------------------------

def test_too_short_history_says_so_plainly() -> None:
    forecast, choice = forecast_of(weekly_series(10))
    assert forecast is None and choice.method == "none"
    assert choice.reason.startswith("Not enough history: 10 days of data")


def test_short_history_falls_back_to_seasonal_naive() -> None:
    forecast, choice = forecast_of(weekly_series(20))
    assert forecast is not None and choice.method == SEASONAL_NAIVE
    assert "Too little history" in choice.reason
    assert forecast.samples.shape == (len(FUTURE), 200) and np.isfinite(forecast.point).all()


def test_constant_series_is_carried_forward_with_no_spread() -> None:
    forecast, choice = forecast_of(pd.Series(50.0, index=pd.date_range(end="2026-10-31", periods=120)))
    assert forecast is not None and choice.method == SEASONAL_NAIVE and "not changed" in choice.reason
    assert np.allclose(forecast.point, 50) and np.allclose(forecast.samples, 50)


def test_all_zero_series_forecasts_zero_and_cannot_reach_a_target() -> None:
    forecast, _ = forecast_of(pd.Series(0.0, index=pd.date_range(end="2026-10-31", periods=90)))
    assert forecast is not None
    totals = forecast.sample_totals(np.ones(len(FUTURE), dtype=bool))
    assert probability_of_reaching(totals, 10, "higher") == 0.0


def test_gaps_are_kept_as_gaps_and_forecast_through() -> None:
    series = weekly_series(200)
    series = series.drop(series.index[50:80])  # a month without data
    history = prepare_history(series)
    assert history.values.isna().sum() >= 30
    forecast, choice = forecast_series(history, FUTURE, options=ProphetOptions(samples=200))
    assert forecast is not None and choice.method in (PROPHET, SEASONAL_NAIVE)
    assert np.isfinite(forecast.samples).all() and (forecast.samples >= 0).all()


def test_a_single_outlier_is_set_aside_and_does_not_bend_the_forecast() -> None:
    clean = weekly_series(200)
    spiked = clean.copy()
    spiked.iloc[150] *= 40  # a mistyped day
    history = prepare_history(spiked)
    assert history.set_aside == (clean.index[150],)
    quiet_days = prepare_history(clean).set_aside
    assert clean.index[150] not in quiet_days
    with_spike, _ = forecast_series(history, FUTURE, method=PROPHET, options=ProphetOptions(samples=0))
    without, _ = forecast_series(prepare_history(clean).until(clean.index[-1]), FUTURE,
                                 method=PROPHET, options=ProphetOptions(samples=0))
    assert with_spike is not None and without is not None
    assert abs(with_spike.point.sum() / without.point.sum() - 1) < 0.03


def test_weekends_are_not_outliers() -> None:
    assert prepare_history(weekly_series(300)).set_aside == ()


def test_outlier_screen_matches_its_definition_weekday_by_weekday() -> None:
    """The vectorised screen flags exactly what the definition flags, weekday group by group:
    the median of the three same weekdays either side, against that weekday's median
    absolute deviation (gaps and the ends of the series included)."""
    import warnings

    from nbreport.forecast.history import OUTLIER_Z, outlier_days

    def by_definition(values: pd.Series) -> np.ndarray:
        def neighbours(same_day: pd.Series) -> pd.Series:
            shifted = [same_day.shift(step) for step in (-3, -2, -1, 1, 2, 3)]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                return pd.Series(np.nanmedian(np.vstack(shifted), axis=0), index=same_day.index)

        weekday = values.index.day_of_week
        deviation = values - values.groupby(weekday).transform(neighbours)
        spread = 1.4826 * deviation.abs().groupby(weekday).transform("median")
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (deviation.abs() / spread).to_numpy()
        return np.where(np.isfinite(z), z, 0.0) > OUTLIER_Z

    rng = np.random.default_rng(3)
    flagged = 0
    for days in (5, 30, 200, 401):
        values = weekly_series(days, seed=days).reindex(pd.date_range(end="2026-10-31", periods=days))
        values.iloc[rng.integers(0, days, days // 10)] = np.nan
        values.iloc[rng.integers(0, days, days // 20 + 1)] *= 30
        expected = by_definition(values)
        assert np.array_equal(outlier_days(values), expected)
        flagged += expected.sum()
    assert flagged > 0


def test_quick_prophet_fits_the_same_model_as_prophet() -> None:
    """Data handed to Stan as arrays and the component matrix worked out once per structure:
    the same fit, to the last digit, with holidays and with prophet's own samples; and the
    point forecast worked out from its two sums is predict's."""
    from nbreport.forecast.prophet_model import holiday_table, quick_prophet_class, quiet, seasonalities

    history = prepare_history(weekly_series(500))
    frame = pd.DataFrame({"ds": history.observed.index, "y": history.observed.to_numpy()})
    future = pd.DataFrame({"ds": FUTURE})
    options = {"holidays": holiday_table("US", 2025, 2026), **seasonalities(history)}
    results, points = [], []
    for model_class in (load_prophet(), quick_prophet_class(), quick_prophet_class()):
        with quiet():
            model = model_class(uncertainty_samples=50, **options)
            model.fit(frame)
            np.random.seed(0)
            results.append((model.predict(future)["yhat"].to_numpy(),
                            model.predictive_samples(future)["yhat"]))
            if model_class is not load_prophet():
                model.uncertainty_samples = 0
                points.append((model.predict_point(future), model.predict(future)["yhat"].to_numpy()))
    for point, samples in results[1:]:
        assert np.array_equal(point, results[0][0]) and np.array_equal(samples, results[0][1])
    for quick, full in points:  # the same sums, added in another order: equal to rounding
        np.testing.assert_allclose(quick, full, rtol=1e-12, atol=1e-9)
    # another KPI on the same days (the feature table is reused): still prophet's own fit
    other = frame.assign(y=frame["y"] * 3 + np.arange(len(frame)) % 5)
    again = []
    for model_class in (load_prophet(), quick_prophet_class()):
        with quiet():
            model = model_class(uncertainty_samples=0, **options)
            again.append(model.fit(other).predict(future)["yhat"].to_numpy())
    assert np.array_equal(again[0], again[1])


def test_prophet_missing_falls_back_and_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "prophet", None)  # import prophet now fails
    with pytest.raises(ProphetUnavailable, match="pip install 'prophet"):
        load_prophet()
    assert "conda install" in INSTALL_HINT
    forecast, choice = forecast_of(weekly_series(200), method=PROPHET)
    assert forecast is not None and choice.method == SEASONAL_NAIVE
    assert "prophet is not installed" in choice.reason


def test_prophet_and_cmdstanpy_say_nothing(capfd: pytest.CaptureFixture[str],
                                            caplog: pytest.LogCaptureFixture) -> None:
    logging.getLogger().setLevel(logging.DEBUG)
    with caplog.at_level(logging.DEBUG):
        forecast, _ = forecast_of(weekly_series(200), method=PROPHET)
    assert forecast is not None
    noisy = [r for r in caplog.records if r.name.split(".")[0] in ("prophet", "cmdstanpy")]
    assert noisy == []
    out, err = capfd.readouterr()
    assert "cmdstanpy" not in out + err and "Chain" not in out + err and "plotly" not in out + err


def test_auto_checks_prophet_against_seasonal_naive_on_the_check_window() -> None:
    series = weekly_series(300)
    check = CheckWindow(pd.Timestamp("2026-10-01"), pd.Timestamp("2026-10-31"), "October 2026")
    forecast, choice = forecast_of(series, check=check)
    assert forecast is not None and set(choice.check_errors) == {PROPHET, SEASONAL_NAIVE}
    assert choice.method == min(choice.check_errors, key=choice.check_errors.get)
    assert "October 2026" in choice.reason


def test_stored_forecasts_replace_the_check_fit() -> None:
    series = weekly_series(300)
    october = pd.date_range("2026-10-01", "2026-10-31")
    truth = series[october]
    stored = {PROPHET: truth * 1.5, SEASONAL_NAIVE: truth * 1.01}  # naive was far closer
    check = CheckWindow(october[0], october[-1], "October 2026", stored)
    forecast, choice = forecast_of(series, check=check)
    assert choice.method == SEASONAL_NAIVE and "stored with the previous report" in choice.reason
    assert choice.check_errors[SEASONAL_NAIVE] == pytest.approx(0.01)


# --- probabilities from samples ----------------------------------------------------------------

def test_probability_of_a_total_matches_the_known_answer() -> None:
    """30 days, each independently N(10, 2): the total is N(300, 2*sqrt(30))."""
    rng = np.random.default_rng(7)
    days = pd.date_range("2026-11-01", periods=30)
    samples = rng.normal(10, 2, size=(30, 100_000))
    forecast = SampleForecast("test", days, np.full(30, 10.0), samples)
    totals = forecast.sample_totals(forecast.between(days[0], days[-1]))
    scale = 2 * math.sqrt(30)
    expected = 0.5 * math.erfc(10 / scale / math.sqrt(2))  # P(N(300, scale) >= 310)
    assert probability_of_reaching(totals, 310, "higher") == pytest.approx(expected, abs=0.005)
    assert probability_of_reaching(totals, 310, "lower") == pytest.approx(1 - expected, abs=0.005)
    low, high = interval(totals, 0.8)
    z90 = 1.2815515655446004  # the standard normal's 90th percentile
    assert (low, high) == pytest.approx((300 - z90 * scale, 300 + z90 * scale), abs=0.3)


def test_a_sample_without_a_value_never_reaches_the_target() -> None:
    values = np.array([1.0, np.nan, 3.0, 4.0])
    assert probability_of_reaching(values, 2.5, "higher") == 0.5
    assert probability_of_reaching(values, 2.5, "lower") == 0.25
    assert math.isnan(probability_of_reaching(values, math.nan, "higher"))


def test_pairing_keeps_each_distribution_and_sets_the_rank_correlation() -> None:
    rng = np.random.default_rng(3)
    first, second = rng.gamma(2, size=5000), rng.normal(size=5000)
    a, b = paired(first, second, 0.8, rng)
    assert np.array_equal(np.sort(a), np.sort(first)) and np.array_equal(np.sort(b), np.sort(second))
    ranks = np.argsort(np.argsort(np.vstack([a, b]), axis=1), axis=1)
    assert np.corrcoef(ranks)[0, 1] == pytest.approx(0.8, abs=0.03)


def test_seasonal_naive_repeats_last_week_and_widens_with_the_horizon() -> None:
    history = prepare_history(weekly_series(120))
    forecast = seasonal_naive(history, FUTURE, 500)
    last_week = history.values.iloc[-7:]
    for day, value in zip(FUTURE[:7], forecast.point[:7]):
        assert value == last_week[last_week.index.day_of_week == day.day_of_week].iloc[0]
    spread = forecast.samples.std(axis=1)
    assert spread[-1] > spread[0] > 0


def test_probability_is_written_in_whole_percent_never_certain() -> None:
    german, english = Formatter("EUR", "de_DE"), Formatter("USD", "en_US")
    assert [german.probability(p) for p in (0.62, 0.001, 1.0, math.nan)] == [
        "62\u00a0%", "<1\u00a0%", ">99\u00a0%", "n/a"]  # the locale's percent: "62 %" in German
    assert [english.probability(p) for p in (0.62, 0.001, 1.0)] == ["62%", "<1%", ">99%"]


# --- store, read-back, accountability, record --------------------------------------------------

def period_forecast(metric: str = "leads", period: str = "2026-10", *, point: float = 100.0,
                    made_at: date = date(2026, 9, 30), target: float = 110.0,
                    direction: str = "higher") -> PeriodForecast:
    span = Period.parse(period)
    return PeriodForecast(
        metric=metric, label=metric.title(), unit="count", direction=direction, period=span.key,
        period_label=span.label, start=span.start, end=span.end, made_at=made_at,
        method=PROPHET, days_done=0, actual_to_date=math.nan, point=point, lower=point * 0.9,
        upper=point * 1.1, interval=0.8, target=target, probability=0.25)


def daily_frame(per_day: float, start: str = "2026-09-01", end: str = "2026-11-30") -> pd.DataFrame:
    index = pd.date_range(start, end, name="date")
    return pd.DataFrame({"leads": per_day, "spend": 10.0 * per_day}, index=index)


def test_forecasts_are_stored_and_read_back_unchanged(tmp_path: Path) -> None:
    forecast = period_forecast()
    result = ForecastResult(
        date(2026, 9, 30),
        (KpiForecast("leads", "Leads", "count", "higher", PROPHET, "why", (forecast,)),),
        paths=(SeriesPath("leads", date(2026, 9, 30), {PROPHET: (1.5, 2.25)}),))
    path = save_forecasts(result, "acme", "2026-09", tmp_path)
    assert path.name == FILE_NAME
    forecasts, paths = read_forecasts(path)
    assert forecasts == [forecast]
    assert paths == [SeriesPath("leads", date(2026, 9, 30), {PROPHET: (1.5, 2.25)})]
    document = json.loads(path.read_text())
    assert document["client_id"] == "acme" and document["forecasts"][0]["actual_to_date"] is None


def test_a_stored_forecast_is_held_against_what_happened() -> None:
    daily = daily_frame(per_day=3.5)  # October: 108.5 leads
    [check] = hold_to_account([period_forecast(point=100.0)], daily, cutoff=date(2026, 10, 31))
    assert check.actual == pytest.approx(108.5)
    assert check.error == pytest.approx(8.5 / 108.5)
    assert check.inside is True and check.reached is False
    cost = period_forecast("cost_per_lead", point=9.5, target=11.0, direction="lower")
    [ratio] = hold_to_account([cost], daily, cutoff=date(2026, 10, 31))
    assert ratio.actual == pytest.approx(10.0)  # spend / leads, a ratio of the month's sums
    assert ratio.reached is True and ratio.inside is True


def test_only_periods_that_are_over_and_forecast_before_they_ended_count() -> None:
    daily = daily_frame(per_day=3.0)
    stored = [period_forecast(period="2026-10"), period_forecast(period="2026-11"),
              period_forecast(period="2026-10", made_at=date(2026, 11, 2))]
    checks = hold_to_account(stored, daily, cutoff=date(2026, 10, 31))
    assert [(c.forecast.period, c.forecast.made_at) for c in checks] == [("2026-10", date(2026, 9, 30))]


def test_the_last_forecast_made_before_the_period_is_the_one_shown() -> None:
    daily = daily_frame(per_day=3.0)
    early = period_forecast(made_at=date(2026, 8, 31), point=80)
    late = period_forecast(made_at=date(2026, 9, 30), point=95)
    during = period_forecast(made_at=date(2026, 10, 15), point=92)
    checks = hold_to_account([early, late, during], daily, cutoff=date(2026, 10, 31))
    [shown] = latest_before(checks, Period.parse("2026-10"))
    assert shown.forecast == late


def test_accuracy_record_over_several_periods(tmp_path: Path) -> None:
    daily = pd.concat([daily_frame(4.0, "2026-08-01", "2026-08-31"),
                       daily_frame(5.0, "2026-09-01", "2026-09-30"),
                       daily_frame(2.0, "2026-10-01", "2026-10-31")])
    runs = {"2026-07": period_forecast(period="2026-08", made_at=date(2026, 7, 31), point=124),
            "2026-08": period_forecast(period="2026-09", made_at=date(2026, 8, 31), point=160),
            "2026-09": period_forecast(period="2026-10", made_at=date(2026, 9, 30), point=50)}
    for run, forecast in runs.items():
        result = ForecastResult(forecast.made_at, (KpiForecast(
            "leads", "Leads", "count", "higher", PROPHET, "", (forecast,)),))
        save_forecasts(result, "acme", run, tmp_path / run / "acme")
    (tmp_path / "2026-06" / "acme").mkdir(parents=True)
    (tmp_path / "2026-06" / "acme" / FILE_NAME).write_text("{ broken")
    stored = stored_forecasts(tmp_path, "acme")
    assert len(stored.forecasts) == 3 and len(stored.notes) == 1 and "2026-06" in stored.notes[0]
    checks = hold_to_account(stored.forecasts, daily, cutoff=date(2026, 10, 31))
    [record] = accuracy_record(checks)
    errors = [0.0, 10 / 150, 12 / 62]  # Aug 124 vs 124, Sep 160 vs 150, Oct 50 vs 62
    assert record.forecasts == 3 and record.mape == pytest.approx(np.mean(errors))
    assert record.inside == 2 and record.coverage == pytest.approx(2 / 3)
    assert record.periods == ("2026-08", "2026-09", "2026-10")
    saved = save_forecasts(ForecastResult(date(2026, 10, 31), record=(record,)), "acme", "2026-10",
                           tmp_path / "2026-10" / "acme")
    assert json.loads(saved.read_text())["accuracy"][0]["coverage"] == pytest.approx(2 / 3)


# --- params -----------------------------------------------------------------------------------

def plain_params(**forecast: object) -> dict[str, object]:
    return {"client": {"id": "acme", "name": "Acme"}, "period": "2026-10",
            "sources": [{"name": "crm", "kind": "crm", "path": "crm.csv"}],
            "kpis": [{"metric": "leads", "target": 100, "headline": True}],
            "forecast": forecast}


def test_forecast_settings_default_and_validate() -> None:
    params = params_from_plain(plain_params())
    assert params.forecast.method == "auto" and params.forecast.periods_ahead == 1
    with pytest.raises(ParamsError, match="forecast names deals_won, which is not among"):
        params_from_plain(plain_params(kpis=["deals_won"]))
    with pytest.raises(ParamsError, match="forecast.method"):
        params_from_plain(plain_params(method="arima"))
    with pytest.raises(ParamsError, match="forecast.horizon: unknown key"):
        params_from_plain(plain_params(horizon=3))


def test_seasonalities_follow_the_history() -> None:
    from nbreport.forecast.prophet_model import seasonalities

    short = seasonalities(prepare_history(weekly_series(20)))
    assert short["weekly_seasonality"] is True and short["yearly_seasonality"] is False
    assert seasonalities(prepare_history(weekly_series(500)))["yearly_seasonality"] == 6
    months = pd.Series(1.0, index=pd.date_range("2024-01-01", periods=30, freq="MS"))
    monthly = seasonalities(prepare_history(months, "MS"))
    assert monthly["weekly_seasonality"] is False and monthly["yearly_seasonality"] == 6


def test_holidays_of_the_clients_country() -> None:
    from nbreport.forecast.prophet_model import holiday_table

    german = holiday_table("DE", 2025, 2026)
    assert german is not None and {"ds", "holiday"} <= set(german.columns)
    assert pd.Timestamp("2026-10-03") in set(german["ds"])  # Tag der Deutschen Einheit
    assert holiday_table("ZZ", 2025, 2026) is None
