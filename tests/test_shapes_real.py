"""Acceptance (issue 18) on the public files of ``../shared/data/real/`` (skipped when absent).

Each file is configured as a client's source through params alone (``transform:`` and
``mapping``), loaded as a report loads it, and compared with plain pandas on the raw file and
with the counts its MANIFEST.md states. The files are copied into the test's own data folder
(a client may not read outside it), never into the repository.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from tests.shapes_project import frame_equal, load_client, new_project, rows_of

from nbreport.params.loader import load_client_params
from nbreport.settings import Settings

pytestmark = pytest.mark.realdata


def _client(root: Path, client_id: str, source: dict[str, Any], period: str, kpi: str,
            real_data: Path) -> Settings:
    import yaml

    settings = new_project(root)
    data = settings.data_dir / client_id
    data.mkdir(parents=True)
    shutil.copy(real_data / source["path"], data / source["path"])
    params = {"client": {"id": client_id, "name": client_id.title(), "currency": "USD"},
              "period": period, "sources": [source], "kpis": [{"metric": kpi}]}
    (settings.params_dir / f"{client_id}.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    load_client_params(client_id, settings.params_dir)  # valid params, or a clear error here
    return settings


def test_call_centre_five_minute_file_as_daily_phone_volume(tmp_path: Path, real_data: Path) -> None:
    source = {"name": "calls", "kind": "web", "path": "bank_call_centre_5min.csv", "transform": [
        {"date": {"from": "DateTime", "into": "date"}},
        {"aggregate": {"by": ["date"], "sum": {"sessions": "Calls"}}},
        {"derive": {"channel": "'Phone'"}}]}
    settings = _client(tmp_path, "bank", source, "2003-05", "sessions", real_data)
    web = rows_of(load_client(settings, "bank"), "web")
    calls = pd.read_csv(real_data / "bank_call_centre_5min.csv")
    # "2003-03-03T07:00:00Z" is the bank's local clock: the day is the one written
    daily = calls.groupby(calls["DateTime"].str[:10])["Calls"].sum()
    expected = pd.DataFrame({"date": pd.to_datetime(daily.index), "channel": "Phone",
                             "sessions": daily.to_numpy().astype(float)})
    frame_equal(web, expected, ["date"])
    assert len(web) == calls["DateTime"].str[:10].nunique()  # one row per weekday, 164


OLIST_SCORES = {5: 3598, 4: 1149, 3: 519, 2: 189, 1: 668}  # MANIFEST.md


def _reviews(steps: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": "reviews", "kind": "survey", "path": "olist_order_reviews_sample.csv",
            "transform": [*steps, {"derive": {"response_id": "review_id || '/' || order_id"}}],
            "mapping": {"rename": {"review_score": "score", "review_creation_date": "date",
                                   "review_comment_message": "comment"},
                        "constants": {"scale": "csat"}}}


def test_olist_reviews_counted_per_score(tmp_path: Path, real_data: Path) -> None:
    settings = _client(tmp_path, "olist", _reviews([]), "2018-05", "csat", real_data)
    survey = rows_of(load_client(settings, "olist"), "survey")
    counts = survey["score"].astype(int).value_counts().to_dict()
    assert counts == OLIST_SCORES
    raw = pd.read_csv(real_data / "olist_order_reviews_sample.csv")
    per_month = raw["review_creation_date"].str[:7].value_counts().sort_index()
    got = survey["date"].dt.strftime("%Y-%m").value_counts().sort_index()
    pd.testing.assert_series_equal(got, per_month, check_names=False)


def test_olist_reviews_filtered_to_unhappy_comments(tmp_path: Path, real_data: Path) -> None:
    steps = [{"filter": {"review_score": ["1", "2"]}},
             {"where": "trim(coalesce(review_comment_message, '')) <> ''"}]
    settings = _client(tmp_path, "olist", _reviews(steps), "2018-05", "csat", real_data)
    survey = rows_of(load_client(settings, "olist"), "survey")
    raw = pd.read_csv(real_data / "olist_order_reviews_sample.csv", dtype=str, keep_default_na=False)
    kept = raw[raw["review_score"].isin(["1", "2"]) & (raw["review_comment_message"].str.strip() != "")]
    assert survey["score"].astype(int).value_counts().to_dict() == \
        kept["review_score"].astype(int).value_counts().to_dict()
    assert sorted(survey["response_id"]) == sorted(kept["review_id"] + "/" + kept["order_id"])
    assert 0 < len(kept) < OLIST_SCORES[1] + OLIST_SCORES[2]  # the filter did something


KAG_TOTALS = {"impressions": 213_434_828, "clicks": 38_165, "spend": 58_705.23, "conversions": 3_264}


def _campaign_source(campaign: int) -> dict[str, Any]:
    # KAG has no date: a derive gives every row the last day of the month it is reported in
    return {"name": "facebook", "kind": "ads", "path": "KAG_conversion_data.csv", "transform": [
        {"filter": {"xyz_campaign_id": str(campaign)}},
        {"derive": {"date": "'2017-08-31'"}},
        {"aggregate": {"by": ["date", "fb_campaign_id"],
                       "sum": {"impressions": "Impressions", "clicks": "Clicks", "spend": "Spent",
                               "conversions": "Total_Conversion"}}}],
        "mapping": {"rename": {"fb_campaign_id": "campaign"}, "constants": {"channel": "Paid Social"}}}


@pytest.mark.parametrize("campaign", [916, 936, 1178])
def test_kag_ads_filtered_to_one_campaign_as_a_client(tmp_path: Path, real_data: Path,
                                                      campaign: int) -> None:
    settings = _client(tmp_path, "kag", _campaign_source(campaign), "2017-08", "spend", real_data)
    ads = rows_of(load_client(settings, "kag"), "ads")
    raw = pd.read_csv(real_data / "KAG_conversion_data.csv", encoding="utf-8-sig")
    mine = raw[raw["xyz_campaign_id"] == campaign]
    grouped = mine.groupby("fb_campaign_id").agg(
        impressions=("Impressions", "sum"), clicks=("Clicks", "sum"), spend=("Spent", "sum"),
        conversions=("Total_Conversion", "sum")).reset_index()
    expected = pd.DataFrame({"date": pd.Timestamp("2017-08-31"),
                             "campaign": grouped["fb_campaign_id"].astype(str),
                             "channel": "Paid Social",
                             **{c: grouped[c].astype(float) for c in KAG_TOTALS}})
    frame_equal(ads, expected, ["campaign"], rtol=1e-9)


def test_kag_campaign_clients_add_up_to_the_manifest_totals(tmp_path: Path, real_data: Path) -> None:
    totals = dict.fromkeys(KAG_TOTALS, 0.0)
    for campaign in (916, 936, 1178):
        settings = _client(tmp_path / str(campaign), "kag", _campaign_source(campaign), "2017-08",
                           "spend", real_data)
        ads = rows_of(load_client(settings, "kag"), "ads")
        for column in totals:
            totals[column] += ads[column].sum()
    assert totals == pytest.approx(KAG_TOTALS, abs=0.01)
