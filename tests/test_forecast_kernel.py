"""Two periods through real kernels: October's exported report holds September's forecasts to account."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from nbreport.batch import run_batch
from nbreport.forecast.store import FILE_NAME, read_forecasts
from nbreport.settings import Settings
from tests.conftest import copy_project

pytestmark = pytest.mark.kernel
CLIENT = "harbourside-dental"


@pytest.fixture(scope="module")
def october(tmp_path_factory: pytest.TempPathFactory, demo_data_dir: Path) -> tuple[Settings, str]:
    settings = copy_project(tmp_path_factory.mktemp("forecast-e2e") / "project", demo_data_dir)
    for overrides in ({"period": "2026-09"}, None):
        outcome = run_batch(settings, [CLIENT], overrides=overrides)
        assert outcome.exit_code == 0, outcome.results[0].error
    html = (settings.outputs_dir / "2026-10" / CLIENT / "report.html").read_text()
    return settings, html


def test_forecasts_are_stored_beside_each_report(october: tuple[Settings, str]) -> None:
    settings, _ = october
    for period, target in (("2026-09", "2026-10"), ("2026-10", "2026-11")):
        forecasts, _ = read_forecasts(settings.outputs_dir / period / CLIENT / FILE_NAME)
        assert {f.period for f in forecasts} == {target}
        manifest = json.loads((settings.outputs_dir / period / "manifest.json").read_text())
        assert manifest["clients"][CLIENT]["files"][FILE_NAME] == f"{CLIENT}/{FILE_NAME}"


def test_october_report_shows_septembers_forecast_against_what_happened(
        october: tuple[Settings, str]) -> None:
    settings, html = october
    # the checks are in the appendix's part of the forecast (the body says the chances in words)
    section = next((s for s in BeautifulSoup(html, "html.parser").select("#appendix .nbr-forecast")
                    if s.select_one(".nbr-forecast-checks")), None)
    assert section is not None
    stored, _ = read_forecasts(settings.outputs_dir / "2026-09" / CLIENT / FILE_NAME)
    rows = {row.th.get_text(): [td.get_text() for td in row.select("td")]
            for row in section.select(".nbr-forecast-checks tbody tr")}
    assert set(rows) == {f.label for f in stored}
    booking = next(f for f in stored if f.metric == "leads")
    forecast, _, actual, error, inside, target = rows[booking.label]
    # Harbourside's report is in German, with German numbers
    assert "am 30. September 2026 erstellten" in section.select_one(".nbr-forecast-checks caption").get_text()
    assert forecast == f"{booking.point:,.0f}".replace(",", ".")
    assert re.fullmatch(r"\d+\xa0% wahrscheinlich; (erreicht|verfehlt)", target), target
    scorecard = {r.th.get_text(): r.select("td")[0].get_text()
                 for r in BeautifulSoup(html, "html.parser").select(".nbr-scorecard tbody tr")}
    assert actual == scorecard[booking.label]  # what happened, as the scorecard states it
    assert re.fullmatch(r"\d+,\d\xa0%", error) and inside in ("Ja", "Nein")  # German: 2,9 %
    # one checked forecast per KPI is no track record: the table above says it all
    assert not section.select(".nbr-forecast-record tbody tr")


def test_october_report_charts_the_kpis_least_likely_to_reach_their_target(
        october: tuple[Settings, str]) -> None:
    settings, html = october
    section = BeautifulSoup(html, "html.parser").select_one(".nbr-forecast")
    stored = json.loads((settings.outputs_dir / "2026-10" / CLIENT / "results.json").read_text())
    chances = {kpi["label"]: kpi["periods"][0]["probability"] for kpi in stored["forecasts"]["kpis"]}
    assert len(chances) == 4
    least_likely = sorted(chances, key=chances.get)[:2]
    # two charts, each titled (in the image) with its chance, captioned with forecast and range
    images = section.select("figure.chart img")
    assert len(images) == 2 and all(img["src"].startswith("data:image/png;base64,") for img in images)
    assert [next(label for label in chances if label in img["alt"]) for img in images] == \
        [label for label in chances if label in least_likely]
    captions = [fc.get_text(" ", strip=True) for fc in section.select("figure.chart figcaption")]
    assert len(captions) == 2 and all(len(re.findall(r"\d[\d.,]*", c)) >= 3 for c in captions)
    # the other two: one line each, with the chance in whole percent
    lines = [li.get_text(" ", strip=True).replace("\xa0", " ")
             for li in section.select(".nbr-forecast-statements li")]
    assert len(lines) == 2
    for label in set(chances) - set(least_likely):
        line = next(line for line in lines if line.startswith(label))
        assert f"{round(chances[label] * 100)} %" in line or re.search(r"[<>]\d+ %", line)


def test_no_forecasting_log_output_reaches_the_report(october: tuple[Settings, str]) -> None:
    settings, html = october
    for marker in ("cmdstanpy", "Chain [1]", "INFO", "Importing plotly", "prophet.forecaster"):
        assert marker not in html
    notebook = json.loads((settings.outputs_dir / "2026-10" / CLIENT / "report.ipynb").read_text())
    streams = "".join("".join(o.get("text", "")) for cell in notebook["cells"]
                      for o in cell.get("outputs", []) if o.get("output_type") == "stream")
    assert "cmdstanpy" not in streams and "Chain [1]" not in streams and "plotly" not in streams
