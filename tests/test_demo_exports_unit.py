"""demo/exports: each writer's file read back with plain pandas (tests/raw_exports.py) and with its preset."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import raw_exports
from nbreport.demo import exports
from nbreport.sources import SourceSpec, load_source

ADS = pd.DataFrame({
    "date": ["2026-10-01", "2026-10-01", "2026-10-02"], "campaign": ["Brand", "Shop", "Brand"],
    "campaign_type": ["Search", "Shopping", "Search"], "impressions": [12408, 900, 1500],
    "clicks": [1210, 40, 75], "spend": [2146.3, 65.12, 140.0], "conversions": [48.5, 2.0, 3.0],
    "conversion_value": [3880.0, 120.0, 210.5],
})
CRM = pd.DataFrame({"lead_id": ["d1", "d2", "d3"], "stage": ["lead", "won", "lost"],
                    "amount": [np.nan, 1200.0, 300.0], "date": ["2026-10-01", "2026-10-02", "2026-10-03"],
                    "close_date": ["", "2026-10-20", "2026-10-21"], "channel": ["Paid Search", "Email", "Direct"]})
SURVEYS = pd.DataFrame({"response_id": ["r1", "r2"], "scale": ["nps", "nps"], "score": [9, 3],
                        "comment": ["great", ""], "segment": ["Pro", "Free"], "date": ["2026-10-01", "2026-10-02"]})


def loaded(folder: Path, name: str, kind: str, preset: str, **fields: object) -> pd.DataFrame:
    frame, _ = load_source(SourceSpec.model_validate({"name": "s", "kind": kind, "path": name,
                                                      "preset": preset, **fields}), folder)
    return frame


@pytest.mark.parametrize(("writer", "reader", "preset"), [
    (exports.google_ads_report, raw_exports.google_ads_report, "google_ads"),
    (exports.google_ads_api, raw_exports.google_ads_api, "google_ads_api"),
    (exports.meta_ads_export, raw_exports.meta_ads, "meta_ads"),
    (exports.linkedin_ads_export, raw_exports.linkedin_ads, "linkedin_ads"),
])
def test_ads_exports_keep_every_number(tmp_path: Path, writer, reader, preset: str) -> None:  # noqa: ANN001
    path = writer(ADS, "EUR", tmp_path / "ads.csv")
    plain = reader(path)
    assert plain["date"].tolist() == ADS["date"].tolist()
    assert plain["spend"].astype(float).tolist() == pytest.approx(ADS["spend"].tolist())
    assert plain["conversions"].astype(float).tolist() == pytest.approx(ADS["conversions"].tolist())
    frame = loaded(tmp_path, "ads.csv", "ads", preset)
    assert frame["spend"].tolist() == pytest.approx(ADS["spend"].tolist())
    assert frame["clicks"].tolist() == ADS["clicks"].astype(float).tolist()
    assert frame["impressions"].tolist() == ADS["impressions"].astype(float).tolist()


def test_google_ads_report_totals_are_the_sums(tmp_path: Path) -> None:
    path = exports.google_ads_report(ADS, "EUR", tmp_path / "ads.csv")
    raw = pd.read_csv(path, skiprows=2, thousands=",")
    totals = raw[raw["Day"].str.startswith("Total")].set_index("Day")
    assert totals.loc["Total: Account", "Cost"] == pytest.approx(ADS["spend"].sum())
    assert totals.loc["Total: Search", "Clicks"] == ADS.loc[ADS["campaign_type"] == "Search", "clicks"].sum()
    assert path.read_text().splitlines()[1] == f'"{exports.RANGE_TEXT}"'


def test_ga4_export(tmp_path: Path) -> None:
    web = pd.DataFrame({"date": ["2026-10-01", "2026-10-02"], "channel": ["Email", "Direct"],
                        "sessions": [120, 80], "users": [100, 70], "new_users": [20, 10],
                        "conversions": [3, 1], "revenue": [250.5, 99.0]})
    path = exports.ga4_export(web, "Acme", tmp_path / "ga4.csv")
    plain = raw_exports.ga4(path)
    assert plain[["date", "channel", "sessions"]].values.tolist() == web[["date", "channel", "sessions"]].values.tolist()
    frame = loaded(tmp_path, "ga4.csv", "web", "ga4")
    assert frame["revenue"].tolist() == web["revenue"].tolist()


def test_shopify_orders_put_order_fields_on_the_first_line_item(tmp_path: Path) -> None:
    orders = pd.DataFrame({"order_id": [f"{1000 + i}" for i in range(40)],
                           "date": ["2026-10-01"] * 20 + ["2026-10-02"] * 20,
                           "revenue": np.linspace(10, 400, 40).round(2), "channel": ["Email"] * 40})
    path = exports.shopify_orders(orders, "USD", "America/New_York", np.random.default_rng(1), tmp_path / "o.csv")
    raw = pd.read_csv(path, keep_default_na=False)
    assert len(raw) > len(orders)  # gift-wrapping lines added
    plain = raw_exports.shopify_orders(path)
    assert plain["revenue"].tolist() == orders["revenue"].tolist()
    assert plain["date"].tolist() == orders["date"].tolist()  # local times keep the day
    assert loaded(tmp_path, "o.csv", "orders", "shopify_orders")["revenue"].sum() == pytest.approx(orders["revenue"].sum())


def test_crm_exports_use_each_tool_words(tmp_path: Path) -> None:
    path = exports.hubspot_deals(CRM, "USD", np.random.default_rng(2), tmp_path / "h.csv")
    plain = raw_exports.hubspot_deals(path)
    assert plain["stage"].tolist() == [exports.HUBSPOT_STAGES[s] for s in CRM["stage"]]
    assert plain["date"].tolist() == CRM["date"].tolist()
    assert loaded(tmp_path, "h.csv", "crm", "hubspot_deals")["stage"].tolist() == CRM["stage"].tolist()
    salesforce = exports.salesforce_opportunities(CRM, tmp_path / "sf.csv")
    raw = pd.read_csv(salesforce, nrows=len(CRM), keep_default_na=False)
    assert raw["Created Date"].tolist() == pd.to_datetime(CRM["date"]).dt.strftime("%d.%m.%Y").tolist()
    assert raw["Close Date"].tolist()[0] == ""
    assert "Grand Totals (3 records)" in salesforce.read_text()


def test_survey_exports(tmp_path: Path) -> None:
    path = exports.delighted_responses(SURVEYS, np.random.default_rng(3), tmp_path / "d.jsonl")
    plain = raw_exports.delighted(path)
    assert plain["date"].tolist() == SURVEYS["date"].tolist()  # seconds added within the day
    assert plain["score"].tolist() == SURVEYS["score"].tolist()
    csv = exports.typeform_responses(SURVEYS, np.random.default_rng(4), tmp_path / "t.csv")
    raw = pd.read_csv(csv)
    assert raw[exports.TYPEFORM_QUESTIONS["csat"]].tolist() == SURVEYS["score"].tolist()
    assert raw["Submit Date (UTC)"].str[:10].tolist() == SURVEYS["date"].tolist()


def test_typeform_xlsx_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    digests = []
    for attempt in ("first", "second"):
        (tmp_path / attempt).mkdir()
        path = exports.typeform_responses(SURVEYS, np.random.default_rng(5), tmp_path / attempt / "t.xlsx")
        digests.append(hashlib.sha256(path.read_bytes()).hexdigest())
    assert digests[0] == digests[1]
    frame = pd.read_excel(tmp_path / "first" / "t.xlsx", engine="calamine")
    assert frame["#"].tolist() == SURVEYS["response_id"].tolist()
