"""A weekly and a quarterly report through real kernels: cover, targets, comparisons, trend grain,
forecasts; and a month to date that never overwrites the month's final report.

Expected values are worked out here from the params file (read as plain YAML) and the
calendar, not through the code under test.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup

from tests.approved import approve_drafts
from tests.conftest import copy_project

from nbreport.batch import run_batch
from nbreport.settings import Settings

# The KPIs of these clients that are sums (pro-rated by days); the others are ratios.
SUMMED = {"northwind-outfitters": {"revenue", "orders", "sessions"},
          "ledgerline": {"leads", "deals_won", "revenue"}}
CASES = {
    "week": ("northwind-outfitters", "2026-W43", {
        "cover": "Weekly report, 19\u201325 October 2026",
        "start": date(2026, 10, 19), "end": date(2026, 10, 25),
        "previous": (date(2026, 10, 12), date(2026, 10, 18)),
        "last_year": (date.fromisocalendar(2025, 43, 1), date.fromisocalendar(2025, 43, 7)),
        "names": ("previous week", "same week last year"),
        "grain": "day", "next": ("2026-W44", date(2026, 10, 26), date(2026, 11, 1))}),
    "quarter": ("ledgerline", "2026-Q3", {
        "cover": "Quarterly report, Q3 2026 (July\u2013September)",
        "start": date(2026, 7, 1), "end": date(2026, 9, 30),
        "previous": (date(2026, 4, 1), date(2026, 6, 30)),
        "last_year": (date(2025, 7, 1), date(2025, 9, 30)),
        "names": ("previous quarter", "same quarter last year"),
        "grain": "week", "next": ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31))}),
}


def monthly_share(target: float, start: date, end: date) -> float:
    """A monthly target over the days ``start``..``end``: each day is 1/days-in-its-month."""
    days = pd.date_range(start, end, freq="D")
    return float(sum(target / day.days_in_month for day in days))


def bars_expected(start: date, end: date, grain: str) -> int:
    days = pd.date_range(start, end, freq="D")
    if grain == "day":
        return len(days)
    iso = days.isocalendar()
    return len(set(zip(iso["year"], iso["week"])))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, demo_data_dir: Path) -> Settings:
    settings = copy_project(tmp_path_factory.mktemp("periods") / "project", demo_data_dir)
    for client, period, _ in CASES.values():
        approve_drafts(settings.project_dir, client, period)
        outcome = run_batch(settings, [client], overrides={"period": period})
        assert outcome.exit_code == 0, [r.error for r in outcome.results]
    return settings


def _report(settings: Settings, kind: str) -> tuple[dict, BeautifulSoup, dict, dict]:
    client, period, expected = CASES[kind]
    folder = settings.outputs_dir / period / client
    results = json.loads((folder / "results.json").read_text())
    soup = BeautifulSoup((folder / "report.html").read_text(), "html.parser")
    params = yaml.safe_load((settings.params_dir / f"{client}.yaml").read_text())
    return expected, soup, results, params


@pytest.mark.kernel
@pytest.mark.parametrize("kind", list(CASES))
def test_the_cover_names_the_period_and_its_grain(runs: Settings, kind: str) -> None:
    expected, soup, _, _ = _report(runs, kind)
    assert soup.select_one(".nbr-period").get_text(" ", strip=True) == expected["cover"]
    cover = soup.select_one(".nbr-cover").get_text(" ")
    assert "Monthly" not in cover and "month" not in cover.lower()


@pytest.mark.kernel
@pytest.mark.parametrize("kind", list(CASES))
def test_monthly_targets_are_pro_rated_to_the_period(runs: Settings, kind: str) -> None:
    expected, _, results, params = _report(runs, kind)
    client = CASES[kind][0]
    given = {kpi["metric"]: kpi["target"] for kpi in params["kpis"] if "target" in kpi}
    found = {kpi["metric"]: kpi for kpi in results["kpis"]}
    assert given, "the demo client has targets"
    for metric, monthly in given.items():
        if metric in SUMMED[client]:
            goal = monthly_share(monthly, expected["start"], expected["end"])
        else:  # a rate or an average holds for any period
            goal = monthly
        assert found[metric]["target"] == pytest.approx(goal), metric
        assert found[metric]["full_target"] == pytest.approx(goal), metric
    revenue = found["revenue"]
    assert revenue["attainment"] == pytest.approx(revenue["actual"] / revenue["target"])
    if "budget" in params:  # the media budget is monthly too
        planned = monthly_share(params["budget"]["amount"], expected["start"], expected["end"])
        assert results["budget"]["summary"]["planned"] == pytest.approx(planned)


@pytest.mark.kernel
@pytest.mark.parametrize("kind", list(CASES))
def test_comparisons_are_with_the_previous_and_last_years_same_period(runs: Settings,
                                                                      kind: str) -> None:
    expected, soup, results, _ = _report(runs, kind)
    windows = results["comparison_periods"]
    for key in ("previous", "last_year"):
        start, end = expected[key]
        assert (windows[key]["start"], windows[key]["end"]) == (start.isoformat(), end.isoformat())
    previous, last_year = expected["names"]
    tiles = [tile.get_text(" ", strip=True) for tile in soup.select(".nbr-tile")]
    assert any(f"vs {previous}" in tile for tile in tiles), tiles
    headers = [th.get_text(" ", strip=True) for th in soup.select("table.nbr-comparisons thead th")]
    assert f"vs {previous}" in headers and last_year.capitalize() in headers, headers
    assert not re.search(r"vs (previous|same) month", soup.get_text(" "))


@pytest.mark.kernel
@pytest.mark.parametrize("kind", list(CASES))
def test_the_trend_chart_has_one_bar_per_part_of_the_period(runs: Settings, kind: str) -> None:
    expected, soup, results, _ = _report(runs, kind)
    grain, count = expected["grain"], bars_expected(expected["start"], expected["end"], expected["grain"])
    # a caption is the chart's own, or written once below charts that share it
    captions = [c.get_text(" ", strip=True) for c in soup.select("figcaption, .nbr-chart-note")]
    trends = [c for c in captions if c.startswith("One bar per")]
    assert trends, captions
    assert all(f"One bar per {grain} " in c and f": {count} {grain}s." in c for c in trends), trends
    assert not any("calendar month" in c for c in captions)
    alts = [img.get("alt", "") for img in soup.select("img")]
    headline = results["headline"][0]["label"]
    assert any(a.startswith(f"Bar chart of {headline} by {grain}, {count} {grain}s from") for a in alts)


@pytest.mark.kernel
@pytest.mark.parametrize("kind", list(CASES))
def test_forecasts_run_period_by_period_of_the_same_kind(runs: Settings, kind: str) -> None:
    expected, _, results, params = _report(runs, kind)
    client = CASES[kind][0]
    key, start, end = expected["next"]
    forecasts = results["forecasts"]["kpis"]
    assert forecasts
    monthly = {kpi["metric"]: kpi["target"] for kpi in params["kpis"] if "target" in kpi}
    for forecast in forecasts:
        first = forecast["periods"][0]  # the reported period is over: the next one
        assert (first["period"], first["start"], first["end"]) == (key, start.isoformat(),
                                                                    end.isoformat())
        if forecast["metric"] in SUMMED[client]:
            goal = monthly_share(monthly[forecast["metric"]], start, end)
            assert first["target"] == pytest.approx(goal)


@pytest.mark.kernel
def test_a_month_to_date_never_overwrites_the_months_report(tmp_path: Path,
                                                            demo_data_dir: Path) -> None:
    settings = copy_project(tmp_path / "project", demo_data_dir)
    client = "harbourside-dental"
    approve_drafts(settings.project_dir, client, "2026-10")
    month = run_batch(settings, [client], overrides={"period": "2026-10"})
    assert month.exit_code == 0, [r.error for r in month.results]
    final = settings.outputs_dir / "2026-10" / client / "report.html"
    before = final.read_bytes()
    to_date = run_batch(settings, [client], overrides={"period": "2026-10", "as_of": "2026-10-15"})
    assert to_date.exit_code == 0, [r.error for r in to_date.results]
    assert final.read_bytes() == before
    partial = settings.outputs_dir / "2026-10-as-of-2026-10-15" / client / "report.html"
    soup = BeautifulSoup(partial.read_text(), "html.parser")
    # Harbourside's report is in German (report.language: de)
    assert soup.select_one(".nbr-period").get_text(" ", strip=True) == \
        "Monatsbericht, 1.\u201315. Oktober 2026 (bis heute)"
    manifest = json.loads((partial.parent.parent / "manifest.json").read_text())
    assert manifest["period_label"] == "October 2026 to 15 October 2026"
