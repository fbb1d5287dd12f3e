"""The demo data generator: deterministic, long enough, realistic enough to report on."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nbreport.demo import DEMO_END, DEMO_START, PROFILES, generate_demo_data
from nbreport.demo.generator import generate_client
from tests.conftest import DEMO_CLIENTS


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


def test_every_client_has_daily_data_from_several_sources(demo_data_dir: Path) -> None:
    for client_id in DEMO_CLIENTS:
        files = {p.name for p in (demo_data_dir / client_id).glob("*.csv")}
        assert "google-ads.csv" in files and "web-analytics.csv" in files and "surveys.csv" in files
        assert len(files) >= 5
        ads = pd.read_csv(demo_data_dir / client_id / "google-ads.csv", parse_dates=["date"])
        days = ads["date"].dt.normalize().nunique()
        assert days == (DEMO_END - DEMO_START).days + 1  # every day, no gaps


def test_seasonality_anomaly_and_discrepancy(demo_data_dir: Path) -> None:
    folder = demo_data_dir / "northwind-outfitters"
    orders = pd.read_csv(folder / "orders.csv", parse_dates=["date"])
    in_2025 = orders[orders["date"].dt.year == 2025]
    monthly = in_2025.groupby(in_2025["date"].dt.month).size()
    assert monthly[11] > 1.3 * monthly[2]  # the holiday season peaks, February is quiet
    weekly_ads = pd.read_csv(folder / "google-ads.csv", parse_dates=["date"])
    spike_day = weekly_ads[weekly_ads["date"] == "2026-03-15"]["spend"].sum()
    normal_day = weekly_ads[weekly_ads["date"] == "2026-03-08"]["spend"].sum()
    assert spike_day > 1.8 * normal_day  # the mistyped budget
    web = pd.read_csv(folder / "web-analytics.csv", parse_dates=["date"])
    october = lambda f: f[(f["date"] >= "2026-10-01") & (f["date"] <= "2026-10-31")]  # noqa: E731
    ads_conversions = pd.concat([pd.read_csv(folder / f"{p}.csv", parse_dates=["date"])
                                 for p in ("google-ads", "meta-ads")])
    # the same metric, three sources, three answers: platforms over-report, web analytics misses some
    paid_orders = october(orders)[october(orders)["channel"].isin(["Paid Search", "Paid Social"])]
    assert october(ads_conversions)["conversions"].sum() > 1.1 * len(paid_orders)
    assert october(web)["conversions"].sum() < 0.95 * len(october(orders))
    outage = web[(web["date"] >= "2026-06-10") & (web["date"] <= "2026-06-12")]["conversions"].sum()
    assert outage < 0.2 * web[(web["date"] >= "2026-06-03") & (web["date"] <= "2026-06-05")]["conversions"].sum()
