"""Forecasts of a real report (demo data, no kernel), and backtests on the public real series."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from nbreport.cli import cli
from nbreport.forecast.backtest import (
    BacktestSeries,
    backtest,
    bank_calls,
    format_table,
    peyton_manning,
    real_series,
    retail_sales,
)
from nbreport.forecast.engine import next_period, target_periods
from nbreport.forecast.select import PROPHET, SEASONAL_NAIVE
from nbreport.forecast.store import FILE_NAME
from nbreport.params import Period
from nbreport.report import open_report, sections
from tests.conftest import REPO


def ledgerline(demo_data_dir: Path, outputs: Path, **options: object):  # type: ignore[no-untyped-def]
    return open_report("ledgerline", project_dir=REPO, data_dir=demo_data_dir, outputs_dir=outputs,
                       **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def two_periods(tmp_path_factory: pytest.TempPathFactory, demo_data_dir: Path):  # type: ignore[no-untyped-def]
    """Ledgerline's September report (its forecasts stored), then October's."""
    outputs = tmp_path_factory.mktemp("outputs")
    work = tmp_path_factory.mktemp("kernel-cwd")
    september = ledgerline(demo_data_dir, outputs, period="2026-09", artifacts_dir=work)
    sections.forecast(september)
    (outputs / "2026-09" / "ledgerline").mkdir(parents=True)
    (work / FILE_NAME).replace(outputs / "2026-09" / "ledgerline" / FILE_NAME)
    october = ledgerline(demo_data_dir, outputs)
    fragment = sections.forecast(october)
    return september, october, fragment


def test_september_forecasts_october_without_seeing_it(two_periods) -> None:  # type: ignore[no-untyped-def]
    september, _, _ = two_periods
    result = september.results.forecasts
    assert result.made_at == date(2026, 9, 30) and result.holidays == "GB"
    assert [k.metric for k in result.kpis] == ["leads", "deals_won", "revenue", "cost_per_paid_lead"]
    for kpi in result.kpis:
        [october] = kpi.periods
        assert october.period == "2026-10" and october.made_at == date(2026, 9, 30)
        assert october.lower <= october.point <= october.upper
        assert 0 <= october.probability <= 1 and october.target == next(
            k for k in september.inputs.params.kpis if k.metric == kpi.metric).target


def test_ratio_kpi_is_a_ratio_of_forecast_totals(two_periods) -> None:  # type: ignore[no-untyped-def]
    _, october, _ = two_periods
    cost = october.results.forecasts.kpi("cost_per_paid_lead").next
    assert cost.direction == "lower" and cost.unit == "currency"
    # total spend / total paid leads; neither is a KPI here, both are forecast for this one
    totals = {}
    for metric in ("spend", "paid_leads"):
        points = next(p for p in october.results.forecasts.paths if p.metric == metric).points
        used = points[PROPHET] if PROPHET in points else points[SEASONAL_NAIVE]  # prophet's: when chosen
        totals[metric] = sum(used)
    assert cost.point == pytest.approx(totals["spend"] / totals["paid_leads"], rel=1e-6)


def test_october_holds_septembers_forecasts_to_account(two_periods) -> None:  # type: ignore[no-untyped-def]
    september, october, fragment = two_periods
    stored = {p.metric: p for kpi in september.results.forecasts.kpis for p in kpi.periods}
    checks = {c.forecast.metric: c for c in october.results.forecasts.checks}
    assert set(checks) == set(stored)
    scorecard = {k.metric: k.actual for k in october.results.kpis}
    for metric, check in checks.items():
        assert check.forecast == stored[metric]
        assert check.actual == pytest.approx(scorecard[metric])
        assert check.error == pytest.approx(abs(check.forecast.point - check.actual) / check.actual)
    record = {r.metric: r for r in october.results.forecasts.record}
    assert all(r.forecasts == 1 and r.periods == ("2026-10",) for r in record.values())
    assert "stored with the previous report" in october.results.forecasts.kpi("leads").reason
    # the checks are the appendix's (forecast_record); the body says how close they came
    record_html = sections.forecast_record(october).html
    assert "nbr-forecast-checks" in record_html and "made on 30 September 2026" in record_html
    assert "nbr-forecast-checks" not in fragment.html
    assert FILE_NAME in september.artifacts


def test_the_section_states_chances_in_plain_words(two_periods) -> None:  # type: ignore[no-untyped-def]
    _, october, fragment = two_periods
    kpis = sorted(october.results.forecasts.kpis, key=lambda k: k.periods[0].probability)
    charted, listed = kpis[:2], kpis[2:]  # the two least likely to reach their target are drawn
    soup = BeautifulSoup(fragment.html, "html.parser")
    alts = [img["alt"] for img in soup.select("figure.chart img")]
    assert len(alts) == 2 and all(any(k.label in alt for alt in alts) for k in charted)
    lines = [li.get_text(" ", strip=True).replace("\xa0", " ")
             for li in soup.select(".nbr-forecast-statements li")]
    assert len(lines) == len(listed) == 2
    for kpi in listed:
        line = next(line for line in lines if line.startswith(kpi.label))
        assert re.search(r"\d+% likely to (reach|stay at or below) £?[\d,.]+ ", line), line
        assert "in November 2026" in line


def test_a_period_in_progress_adds_the_rest_to_what_is_in(demo_data_dir: Path, tmp_path: Path) -> None:
    report = _as_of(demo_data_dir, tmp_path, date(2026, 10, 15))
    leads = report.results.forecasts.kpi("leads")
    october, november = leads.periods
    assert (october.period, october.days_done, november.period) == ("2026-10", 15, "2026-11")
    so_far = report.results.daily.loc["2026-10-01":"2026-10-15", "leads"].sum()
    assert october.actual_to_date == so_far and october.lower >= so_far
    assert october.target == 900  # the whole month's target, not pro-rated: it is the month's total


def _as_of(demo_data_dir: Path, outputs: Path, as_of: date):  # type: ignore[no-untyped-def]
    from nbreport.params import load_client_params

    params = load_client_params("ledgerline", REPO / "params", overrides={"as_of": as_of.isoformat()})
    return open_report("ledgerline", params=params.model_dump(mode="json"), project_dir=REPO,
                       data_dir=demo_data_dir, outputs_dir=outputs)


def test_too_little_history_never_breaks_the_report(demo_data_dir: Path, tmp_path: Path) -> None:
    report = ledgerline(demo_data_dir, tmp_path, period="2025-01-01..2025-01-10",
                        artifacts_dir=tmp_path)
    fragment = sections.forecast(report)
    assert all(not k.available for k in report.results.forecasts.kpis)
    assert "Not enough history: 10 days of data" in fragment.html
    assert (tmp_path / FILE_NAME).is_file()


def test_periods_ahead() -> None:
    october = Period.parse("2026-10")
    assert [p.key for p in target_periods(october, date(2026, 10, 31), 2)] == ["2026-11", "2026-12"]
    assert [p.key for p in target_periods(october, date(2026, 10, 9), 1)] == ["2026-10", "2026-11"]
    assert next_period(Period.parse("2026-Q4")).key == "2027-Q1"
    assert next_period(Period.parse("2026-W53")).key == "2027-W01"


# --- backtests on the public real series (skipped when ../shared/data/real is absent) ---------

@pytest.mark.realdata
def test_real_series_are_read_with_their_traps(real_data: Path) -> None:
    peyton = peyton_manning(real_data / "prophet_example_wp_log_peyton_manning.csv")
    days = pd.date_range(peyton.values.index.min(), peyton.values.index.max())
    assert len(peyton.values) == 2905 and len(days) - len(peyton.values) == 59
    assert peyton.log_scale and peyton.values.max() < 15  # logs, judged after exp()
    calls = bank_calls(real_data / "bank_call_centre_5min.csv")
    raw = pd.read_csv(real_data / "bank_call_centre_5min.csv")
    first_day = raw[raw["DateTime"].str.startswith("2003-03-03")]["Calls"].sum()
    assert calls.values.iloc[0] == first_day  # local clock times: the day as written, never shifted
    assert set(calls.values.index.day_of_week) <= {0, 1, 2, 3, 4}
    retail = retail_sales(real_data / "prophet_example_retail_sales.csv")
    assert retail.freq == "MS" and len(retail.values) == 293


@pytest.mark.realdata
def test_backtest_on_real_series_against_seasonal_naive(real_data: Path) -> None:
    series = [BacktestSeries(s.name, s.values, s.freq, s.horizon, origins=2, log_scale=s.log_scale)
              for s in real_series(real_data)]
    assert len(series) == 3
    scores = [score for s in series for score in backtest(s, samples=200)]
    assert {(s.series, s.method) for s in scores} == {
        (s.name, m) for s in series for m in (PROPHET, SEASONAL_NAIVE, "auto")}
    for score in scores:
        assert score.origins == 2
        assert np.isfinite(score.mape) and 0 <= score.coverage <= 1 and 0 <= score.total_coverage <= 1
    table = format_table(scores)
    assert table.count("better: ") == 3 and "seasonal naive" in table and "report (auto)" in table


@pytest.mark.realdata
def test_backtest_command_prints_the_table(real_data: Path) -> None:
    result = CliRunner().invoke(cli, ["--project", str(REPO), "backtest", "--no-clients",
                                      "--real-data", str(real_data), "--origins", "1"])
    assert result.exit_code == 0, result.output
    assert "total MAPE" in result.output and "retail-sales (monthly)" in result.output
    assert "better:" in result.output


def test_next_targets_are_monthly_and_pro_rated_to_the_next_week(demo_data_dir: Path, tmp_path: Path) -> None:
    import yaml

    plain = yaml.safe_load((REPO / "params" / "ledgerline.yaml").read_text(encoding="utf-8"))
    plain["period"] = "2026-W43"
    plain.setdefault("forecast", {})["next_targets"] = {"leads": 3100}
    report = open_report("ledgerline", params=plain, project_dir=REPO, data_dir=demo_data_dir,
                         outputs_dir=tmp_path)
    following = report.results.forecasts.kpi("leads").next
    # 2026-W44 is 26 October to 1 November: six days of a 31-day month and one of a 30-day one
    assert following.period == "2026-W44"
    assert following.target == pytest.approx(3100 * 6 / 31 + 3100 / 30)
