"""The demo data generator: deterministic, long enough, realistic enough to report on."""

from __future__ import annotations

from pathlib import Path

from nbreport.demo import DEMO_END, DEMO_START, PROFILES, generate_demo_data
from nbreport.demo.generator import generate_client
from nbreport.params import load_client_params
from nbreport.sources import ClientData, load_sources
from tests.conftest import DEMO_CLIENTS, REPO


def test_three_clients_of_different_kinds() -> None:
    assert set(PROFILES) == set(DEMO_CLIENTS)
    assert {p.business for p in PROFILES.values()} == {"ecommerce", "b2b_leads", "local_services"}
    assert (DEMO_END - DEMO_START).days >= 18 * 30


def test_generator_is_deterministic(tmp_path: Path) -> None:
    profile = PROFILES["harbourside-dental"]
    first = {p.name: p.read_bytes() for p in generate_client(profile, tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in generate_client(profile, tmp_path / "b")}
    assert first == second


def test_regeneration_is_skipped_when_up_to_date(tmp_path: Path) -> None:
    assert len(generate_demo_data(tmp_path)) == 3
    assert generate_demo_data(tmp_path) == []


def _client_data(demo_data_dir: Path, client_id: str) -> ClientData:
    params = load_client_params(client_id, REPO / "params")
    return load_sources(list(params.sources), demo_data_dir / client_id, currency=params.client.currency)


# one file per source; ledgerline adds billing, product usage, a help desk and an effort survey
SOURCES = {"northwind-outfitters": 5, "ledgerline": 9, "harbourside-dental": 5}


def test_every_client_has_daily_data_from_several_sources(demo_data_dir: Path) -> None:
    for client_id in DEMO_CLIENTS:
        files = {p.name for p in (demo_data_dir / client_id).iterdir() if not p.name.startswith(".")}
        assert {"google-ads.csv", "web-analytics.csv"} <= files and len(files) >= SOURCES[client_id]
        data = _client_data(demo_data_dir, client_id)
        assert {"ads", "web", "survey"} <= set(data.tables) and len(data.provenance) == SOURCES[client_id]
        ads = data.table("ads")
        days = ads.loc[ads["source"] == "google-ads", "date"].nunique()
        assert days == (DEMO_END - DEMO_START).days + 1  # every day, no gaps
        assert not [w for w in data.warnings if w.check == "gap"]


def test_files_take_the_shape_of_each_tools_export(demo_data_dir: Path) -> None:
    northwind = demo_data_dir / "northwind-outfitters"
    google = (northwind / "google-ads.csv").read_text().splitlines()
    assert google[0] == "Campaign report" and google[2].startswith("Day,Campaign,Campaign type")
    assert google[-1].startswith("Total: ") and '"1,' in (northwind / "google-ads.csv").read_text()
    assert "Amount spent (USD)" in (northwind / "meta-ads.csv").read_text().splitlines()[0]
    assert (northwind / "web-analytics.csv").read_text().startswith("# ---")
    ledgerline = demo_data_dir / "ledgerline"
    assert "metrics.cost_micros" in (ledgerline / "google-ads.csv").read_text().splitlines()[0]
    assert (ledgerline / "surveys.jsonl").read_text().startswith('{"id": ')
    assert (demo_data_dir / "harbourside-dental" / "surveys.xlsx").read_bytes()[:2] == b"PK"
    assert "salesforce.com" in (demo_data_dir / "harbourside-dental" / "crm.csv").read_text()


def test_seasonality_anomaly_and_discrepancy(demo_data_dir: Path) -> None:
    data = _client_data(demo_data_dir, "northwind-outfitters")
    orders = data.table("orders")
    in_2025 = orders[orders["date"].dt.year == 2025]
    monthly = in_2025.groupby(in_2025["date"].dt.month).size()
    assert monthly[11] > 1.3 * monthly[2]  # the holiday season peaks, February is quiet
    weekly_ads = data.table("ads")[data.table("ads")["source"] == "google-ads"]
    spike_day = weekly_ads[weekly_ads["date"] == "2026-03-15"]["spend"].sum()
    normal_day = weekly_ads[weekly_ads["date"] == "2026-03-08"]["spend"].sum()
    assert spike_day > 1.8 * normal_day  # the mistyped budget
    web = data.table("web")
    october = lambda f: f[(f["date"] >= "2026-10-01") & (f["date"] <= "2026-10-31")]  # noqa: E731
    ads_conversions = data.table("ads")
    # the same metric, three sources, three answers: platforms over-report, web analytics misses some
    paid_orders = october(orders)[october(orders)["channel"].isin(["Paid Search", "Paid Social"])]
    assert october(ads_conversions)["conversions"].sum() > 1.1 * len(paid_orders)
    assert october(web)["conversions"].sum() < 0.95 * len(october(orders))
    outage = web[(web["date"] >= "2026-06-10") & (web["date"] <= "2026-06-12")]["conversions"].sum()
    assert outage < 0.2 * web[(web["date"] >= "2026-06-03") & (web["date"] <= "2026-06-05")]["conversions"].sum()
    # the data-quality checks see both anomalies: the typo'd budget and the tracking outage
    flagged = {(w.source, w.check, w.first_date) for w in data.warnings}
    assert ("google-ads", "outlier", "2026-03-15") in flagged
    assert ("web-analytics", "outlier", "2026-06-10") in flagged
