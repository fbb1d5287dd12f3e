"""From a params file to the shared HTML report, in a real kernel, checked like a client would."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from tests import raw_exports as raw
from tests.conftest import copy_project

from nbreport.batch import run_batch
from nbreport.settings import Settings

pytestmark = pytest.mark.kernel

CODE_MARKERS = ("open_report(", "client_id =", "import ", "sections.", "run_summary",
                "injected-parameters", "jp-InputArea", "In&nbsp;[", "Traceback", "papermill")


@pytest.fixture(scope="module")
def northwind(tmp_path_factory: pytest.TempPathFactory, demo_data_dir: Path) -> tuple[Settings, str]:
    settings = copy_project(tmp_path_factory.mktemp("e2e") / "project", demo_data_dir)
    outcome = run_batch(settings, ["northwind-outfitters"])
    assert outcome.exit_code == 0, outcome.results[0].error
    html = (settings.outputs_dir / "2026-10" / "northwind-outfitters" / "report.html").read_text()
    return settings, html


def test_report_names_client_and_period(northwind: tuple[Settings, str]) -> None:
    _, html = northwind
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("h1").get_text(strip=True) == "Northwind Outfitters"
    assert "October 2026" in soup.find("header").get_text()
    assert soup.title is not None and "Northwind Outfitters" in soup.title.get_text()
    logo = soup.select_one("img.nbr-logo")
    assert logo is not None and logo["src"].startswith("data:image/svg+xml;base64,")


def test_kpi_values_equal_what_the_raw_data_says(northwind: tuple[Settings, str],
                                                 demo_data_dir: Path) -> None:
    _, html = northwind
    # read the raw exports with plain pandas, as an analyst checking the report would
    folder = demo_data_dir / "northwind-outfitters"
    orders = raw.in_month(raw.shopify_orders(folder / "orders.csv"))
    spend = sum(raw.in_month(ads)["spend"].sum() for ads in (
        raw.google_ads_report(folder / "google-ads.csv"), raw.meta_ads(folder / "meta-ads.csv")))
    revenue = orders["revenue"].sum()
    tiles = {t.select_one(".nbr-tile-label").get_text(): t.select_one(".nbr-tile-value").get_text()
             for t in BeautifulSoup(html, "html.parser").select(".nbr-tile")}
    assert tiles["Revenue"] == f"${revenue:,.0f}"
    assert tiles["Orders"] == f"{len(orders):,}"
    paid = orders[orders["channel"].isin(["Paid Search", "Paid Social"])]
    assert tiles["Return on ad spend (shop revenue from paid channels)"] == \
        f"{paid['revenue'].sum() / spend:.2f}\u00d7"
    assert tiles["Cost per order from paid channels"] == f"${spend / len(paid):,.2f}"


def test_appendix_shows_provenance_and_data_quality(northwind: tuple[Settings, str]) -> None:
    _, html = northwind
    appendix = BeautifulSoup(html, "html.parser").select_one(".nbr-appendix")
    text = appendix.get_text(" ", strip=True)
    assert "google-ads.csv" in text and "Google Ads" in text and "Shopify" in text
    assert "Data quality" in text and "Rows left out" in text
    assert "30,690 rows with no Financial Status were left out." in text  # extra line items, said so
    assert "more notes about days outside the periods compared here" in text


def test_no_code_no_parameters_no_paths(northwind: tuple[Settings, str], demo_data_dir: Path) -> None:
    settings, html = northwind
    text = re.sub(r"data:[a-z+/]+;base64,[A-Za-z0-9+/=]+", "", html)
    for marker in CODE_MARKERS:
        assert marker not in text, marker
    assert str(settings.project_dir) not in text and str(demo_data_dir) not in text
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.select("pre, .highlight, .input, .prompt, script")
    assert "params_hash" not in text and "feedback@brightline.example" in text


def test_report_is_self_contained(northwind: tuple[Settings, str]) -> None:
    _, html = northwind
    soup = BeautifulSoup(html, "html.parser")
    images = soup.find_all("img")
    assert len(images) >= 3  # logo and two trend charts
    assert all(img["src"].startswith("data:image/") for img in images)
    assert all(img.get("alt") for img in images)
    assert not soup.select("link[href], script[src], iframe")
    assert "http://" not in html.replace("http://www.w3.org", "")


def test_manifest_and_index_record_the_run(northwind: tuple[Settings, str]) -> None:
    settings, _ = northwind
    period_dir = settings.outputs_dir / "2026-10"
    entry = json.loads((period_dir / "manifest.json").read_text())["clients"]["northwind-outfitters"]
    assert entry["status"] == "ok" and entry["error"] is None
    assert entry["started_at"] <= entry["finished_at"] and entry["duration_s"] > 0
    assert entry["files"] == {"html": "northwind-outfitters/report.html",
                              "notebook": "northwind-outfitters/report.ipynb",
                              "forecasts.json": "northwind-outfitters/forecasts.json",
                              "results.json": "northwind-outfitters/results.json",
                              "data.xlsx": "northwind-outfitters/data.xlsx",
                              "data.zip": "northwind-outfitters/data.zip",
                              **{f"rows-{kind}.parquet": f"northwind-outfitters/rows-{kind}.parquet"
                                 for kind in ("ads", "orders", "survey", "web")}}
    assert re.fullmatch(r"[0-9a-f]{16}", entry["params_hash"])
    assert (period_dir / "northwind-outfitters" / "report.ipynb").exists()
    results = json.loads((period_dir / "northwind-outfitters" / "results.json").read_text())
    assert results["client_id"] == "northwind-outfitters" and results["period"]["start"] == "2026-10-01"
    index = BeautifulSoup((period_dir / "index.html").read_text(), "html.parser")
    link = index.find("a", href="northwind-outfitters/report.html")
    assert link is not None and "Ready" in index.get_text()
    assert (settings.outputs_dir / "index.html").exists()


def test_one_failing_client_does_not_stop_the_others(project: Settings) -> None:
    first = run_batch(project, ["harbourside-dental"])
    assert first.exit_code == 0
    good = project.outputs_dir / "2026-10" / "harbourside-dental" / "report.html"
    good_bytes = good.read_bytes()
    params = project.params_dir / "harbourside-dental.yaml"
    params.write_text(params.read_text().replace("path: crm.csv", "path: crm-missing.csv"))
    outcome = run_batch(project, ["harbourside-dental", "ledgerline"])
    by_id = {r.client_id: r for r in outcome.results}
    assert outcome.exit_code == 1
    assert by_id["ledgerline"].ok
    failed = by_id["harbourside-dental"]
    assert failed.status == "failed" and failed.error is not None
    assert failed.error.ename == "DataError" and failed.error.cell is not None
    assert "source 'bookings', crm-missing.csv: file not found" in failed.error.message
    assert good.read_bytes() == good_bytes  # the previous good report is untouched
    assert (good.parent / "report.failed.ipynb").exists()  # the partial notebook, for debugging
    manifest = json.loads((project.outputs_dir / "2026-10" / "manifest.json").read_text())
    assert manifest["clients"]["harbourside-dental"]["status"] == "failed"
    index = (project.outputs_dir / "2026-10" / "index.html").read_text()
    assert "crm-missing.csv: file not found" in index and "Last good report" in index


def test_invalid_params_stop_before_any_kernel(project: Settings) -> None:
    params = project.params_dir / "ledgerline.yaml"
    params.write_text(params.read_text().replace("kpis:", "kpi:"))
    outcome = run_batch(project, ["ledgerline"])
    assert outcome.exit_code == 2
    assert outcome.results[0].status == "invalid"
    assert "kpi: unknown key; did you mean 'kpis'?" in outcome.results[0].error.message
    assert not (project.outputs_dir / "2026-10" / "ledgerline").exists()
