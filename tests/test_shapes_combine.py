"""Acceptance (issue 18), shapes 4-7: a join, duplicates, a shared export, messy text.

As in ``test_shapes_reshape.py``: params only, loaded the way a report loads them, compared with
plain pandas on the raw fixture of ``tests/fixtures/shapes/``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from tests.shapes_project import (
    FIXTURES,
    add_client,
    days,
    frame_equal,
    load_client,
    new_project,
    raw,
    rows_of,
    validate_client,
)

from nbreport.core.errors import DataError
from nbreport.settings import Settings


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    return new_project(tmp_path / "project")


# --- 4. leads joined to closed deals -------------------------------------------------------------

WON = "CASE WHEN won_date IS NULL OR trim(won_date) = '' THEN 'lead' ELSE 'won' END"
DEALS = {"name": "deals", "kind": "lookup", "path": "deals.csv"}


def leads_source(stage: str = WON) -> dict[str, Any]:
    return {"name": "leads", "kind": "crm", "path": "mqls.csv", "transform": [
        {"map": {"origin": {"": "unknown"}}},
        {"join": {"source": "deals", "on": "mql_id", "how": "left",
                  "columns": ["won_date", "declared_monthly_revenue"]}},
        {"derive": {"stage": stage}}],
        "mapping": {"rename": {"mql_id": "lead_id", "first_contact_date": "date", "origin": "channel",
                               "won_date": "close_date", "declared_monthly_revenue": "amount"}}}


def add_funnel_client(settings: Settings, client_id: str = "funnel", **options: Any) -> Path:
    return add_client(settings, client_id, [leads_source(), DEALS],
                      files={"mqls.csv": "mqls.csv", "deals.csv": "deals.csv"}, **options)


def expected_leads() -> pd.DataFrame:
    """The leads with their deal, as an analyst joins the two files."""
    joined = raw("mqls.csv").merge(raw("deals.csv"), on="mql_id", how="left")
    won = joined["won_date"].fillna("") != ""
    return pd.DataFrame({
        "lead_id": joined["mql_id"], "date": days(joined["first_contact_date"]),
        "channel": joined["origin"].replace("", "unknown"),
        "stage": won.map({True: "won", False: "lead"}),
        "close_date": pd.to_datetime(joined["won_date"].fillna("").str[:10].replace("", None)),
        "amount": pd.to_numeric(joined["declared_monthly_revenue"].fillna("").replace("", None))})


def test_leads_joined_to_deals_on_the_lead_id(project: Settings) -> None:
    add_funnel_client(project)
    data = load_client(project, "funnel")
    crm = rows_of(data, "crm")
    frame_equal(crm, expected_leads(), ["lead_id"])
    assert "lookup" not in data.tables  # the deals are read to be joined, not reported
    check = validate_client(project, "funnel")  # `nbreport validate` reads the join too
    assert not check.errors and not check.missing, (check.errors, check.missing)


def test_lead_to_deal_lag_and_revenue_by_origin(project: Settings) -> None:
    add_funnel_client(project)
    crm = rows_of(load_client(project, "funnel"), "crm")
    joined = raw("mqls.csv").merge(raw("deals.csv"), on="mql_id", how="inner")
    lag = (pd.to_datetime(joined["won_date"]).dt.normalize()
           - pd.to_datetime(joined["first_contact_date"])).dt.days
    got_lag = (crm["close_date"] - crm["date"]).dt.days.dropna()
    assert sorted(got_lag.astype(int)) == sorted(lag)
    revenue = pd.to_numeric(joined["declared_monthly_revenue"].replace("", None))
    by_origin = revenue.groupby(joined["origin"].replace("", "unknown")).sum()
    got = crm[crm["stage"] == "won"].groupby("channel")["amount"].sum()
    pd.testing.assert_series_equal(got.sort_index(), by_origin.sort_index(), check_names=False)


def test_the_documented_stage_expression_works_on_unmatched_leads(project: Settings) -> None:
    """The contract's own example (``won_date = ''``), copied as a user would copy it."""
    add_client(project, "funnel", [leads_source("CASE WHEN won_date = '' THEN 'lead' ELSE 'won' END"),
                                    DEALS], files={"mqls.csv": "mqls.csv", "deals.csv": "deals.csv"})
    crm = rows_of(load_client(project, "funnel"), "crm")
    expected = expected_leads()["stage"].value_counts().to_dict()
    assert crm["stage"].value_counts().to_dict() == expected


def test_a_joined_source_with_a_repeated_key_is_an_error_naming_it(project: Settings) -> None:
    data = add_funnel_client(project)
    deals = (FIXTURES / "deals.csv").read_text().splitlines()
    repeated = deals[3]
    (data / "deals.csv").write_text("\n".join([*deals, repeated]) + "\n")
    with pytest.raises(DataError) as caught:
        load_client(project, "funnel")
    message = str(caught.value)
    assert repeated.split(",")[0] in message and "join" in message, message
    assert caught.value.source == "leads", message


# --- 5. duplicate and re-sent rows ---------------------------------------------------------------

def orders_source(keep: str) -> dict[str, Any]:
    return {"name": "shop", "kind": "orders", "path": "orders_resent.csv",
            "transform": [{"dedupe": "all"}, {"dedupe": {"key": ["order_id"], "keep": keep}}],
            "mapping": {"rename": {"created": "date", "amount": "revenue"}}}


@pytest.mark.parametrize("keep", ["last", "first"])
def test_exact_duplicates_and_resent_orders(project: Settings, keep: str) -> None:
    add_client(project, "resent", [orders_source(keep)], files={"orders_resent.csv": "orders_resent.csv"})
    orders = rows_of(load_client(project, "resent"), "orders")
    sent = raw("orders_resent.csv").drop_duplicates().drop_duplicates("order_id", keep=keep)
    expected = pd.DataFrame({"order_id": sent["order_id"], "date": days(sent["created"]),
                             "channel": sent["channel"], "revenue": sent["amount"].astype(float)})
    frame_equal(orders, expected, ["order_id"])


def test_without_dedupe_the_resent_orders_are_refused(project: Settings) -> None:
    source = {k: v for k, v in orders_source("last").items() if k != "transform"}
    add_client(project, "resent", [source], files={"orders_resent.csv": "orders_resent.csv"})
    assert validate_client(project, "resent").errors  # the duplicates the dedupe steps removed


def test_unique_key_extends_the_kinds_key(project: Settings) -> None:
    """``unique_key: [line]`` on orders means one row per order *and* line, not per line."""
    source = {"name": "lines", "kind": "orders", "path": "order_lines.csv", "unique_key": ["line"],
              "mapping": {"rename": {"created": "date", "amount": "revenue"}}}
    data = add_client(project, "lines", [source], files={"order_lines.csv": "order_lines.csv"})
    orders = rows_of(load_client(project, "lines"), "orders")
    lines = raw("order_lines.csv")
    assert len(orders) == len(lines)
    assert orders["revenue"].sum() == pytest.approx(lines["amount"].astype(float).sum())
    text = (FIXTURES / "order_lines.csv").read_text().splitlines()
    (data / "order_lines.csv").write_text("\n".join([*text, text[2]]) + "\n")  # one line twice
    with pytest.raises(DataError) as caught:
        load_client(project, "lines")
    assert "order_id" in str(caught.value) and "line" in str(caught.value), str(caught.value)


# --- 6. one shared export, three clients ---------------------------------------------------------

PLATFORMS = {"fb": "Facebook", "facebook": "Facebook", "facebook ads": "Facebook",
             "google": "Google", "google ads": "Google", "adwords": "Google"}


def shared_source(brand: str, label: str = "label") -> dict[str, Any]:
    """The tenant filter, platform spellings mapped, split rows added up, a campaign label derived
    as ``label`` (then renamed to ``campaign``, unless it is ``campaign`` itself)."""
    rename = {"Day": "date", "Channel": "channel", **({label: "campaign"} if label != "campaign" else {})}
    return {"name": "agency-ads", "kind": "ads", "path": "agency_ads.csv", "shared": True,
            "transform": [
                {"map": {"Platform": PLATFORMS, "Channel": {"": "Unassigned"}}},
                {"aggregate": {"by": ["Day", "Platform", "Campaign", "Channel"],
                               "sum": {"impressions": "Impr.", "clicks": "Clicks", "spend": "Cost"}}},
                {"derive": {label: "Platform || ' / ' || Campaign"}}],
            "mapping": {"filter": {"Brand": brand}, "rename": rename}}


def expected_ads(brand: str) -> pd.DataFrame:
    ads = raw("agency_ads.csv")
    ads = ads[ads["Brand"] == brand].copy()
    ads["platform"] = ads["Platform"].str.strip().str.casefold().map(PLATFORMS)
    ads["channel"] = ads["Channel"].replace("", "Unassigned")
    ads["campaign"] = ads["platform"] + " / " + ads["Campaign"]
    for column in ("Impr.", "Clicks", "Cost"):
        ads[column] = ads[column].str.replace(",", "").astype(float)
    grouped = ads.groupby(["Day", "campaign", "channel"]).agg(
        impressions=("Impr.", "sum"), clicks=("Clicks", "sum"), spend=("Cost", "sum")).reset_index()
    grouped.insert(0, "date", pd.to_datetime(grouped.pop("Day")))
    return grouped


BRANDS = ("Acme", "Acme Labs", "Globex")


@pytest.mark.parametrize("brand", BRANDS)
def test_a_shared_export_filtered_per_client_with_values_mapped(project: Settings, brand: str) -> None:
    client_id = brand.lower().replace(" ", "-")
    add_client(project, client_id, [shared_source(brand)], shared={"agency_ads.csv": "agency_ads.csv"})
    ads = rows_of(load_client(project, client_id), "ads")
    expected = expected_ads(brand)
    frame_equal(ads, expected, ["date", "campaign"], rtol=1e-6)
    assert not (set(ads["campaign"].str.split(" / ").str[0]) - {"Facebook", "Google"})


def test_deriving_a_canonical_name_beside_the_same_word_capitalised(project: Settings) -> None:
    """``derive: {campaign: ...}`` in an export that has a ``Campaign`` column: the new column
    is the one the mapping reads (DuckDB names ignore case, the canonical model's do not)."""
    add_client(project, "acme", [shared_source("Acme", label="campaign")],
               shared={"agency_ads.csv": "agency_ads.csv"})
    ads = rows_of(load_client(project, "acme"), "ads")
    frame_equal(ads, expected_ads("Acme"), ["date", "campaign"], rtol=1e-6)


def test_the_three_clients_together_hold_the_whole_export(project: Settings) -> None:
    spend = 0.0
    for brand in BRANDS:
        client_id = brand.lower().replace(" ", "-")
        add_client(project, client_id, [shared_source(brand)], shared={"agency_ads.csv": "agency_ads.csv"})
        spend += rows_of(load_client(project, client_id), "ads")["spend"].sum()
    total = raw("agency_ads.csv")["Cost"].str.replace(",", "").astype(float).sum()
    assert spend == pytest.approx(total, rel=1e-9)


# --- 7. messy text -------------------------------------------------------------------------------

WRITTEN_DAY = re.compile(r"\b(\d{2} [A-Z][a-z]{2} \d{4})\b")


WITHOUT_ZONE_NAME = {"derive": {"placed": r"regexp_replace(placed_at, '\s*\(.*\)$', '')"}}


def feedback_sources(exclude_tests: dict[str, Any], *, zone_name_format: bool = False
                     ) -> list[dict[str, Any]]:
    """Orders and their feedback from one file. ``zone_name_format``: the orders read the
    timestamp with ``%Z`` for the zone name in brackets, instead of removing it first."""
    read = ([{"date": {"from": "placed_at", "format": "%a %d %b %Y %H:%M %z (%Z)", "into": "date"}}]
            if zone_name_format else
            [WITHOUT_ZONE_NAME, {"date": {"from": "placed", "format": "%a %d %b %Y %H:%M %z",
                                          "into": "date"}}])
    orders = {"name": "orders", "kind": "orders", "path": "orders_feedback.csv",
              "transform": [{"exclude": exclude_tests}, *read],
              "mapping": {"rename": {"total": "revenue"}}}
    survey = {"name": "feedback", "kind": "survey", "path": "orders_feedback.csv", "transform": [
        {"exclude": exclude_tests},
        {"where": "trim(coalesce(rating, '')) <> ''"},
        WITHOUT_ZONE_NAME,
        {"date": {"from": "placed", "format": "%a %d %b %Y %H:%M %z", "into": "date"}}],
        "mapping": {"rename": {"order_id": "response_id", "rating": "score", "comment": "comment"},
                    "constants": {"scale": "csat"}}}
    return [orders, survey]


def expected_feedback() -> pd.DataFrame:
    rows = raw("orders_feedback.csv")
    rows = rows[rows["is_test"] != "TRUE"].copy()
    rows["date"] = pd.to_datetime(rows["placed_at"].str.extract(WRITTEN_DAY)[0], format="%d %b %Y")
    rows["revenue"] = rows["total"].str.replace(",", "").astype(float)
    return rows


def check_feedback(project: Settings, client_id: str) -> None:
    data = load_client(project, client_id)
    rows = expected_feedback()
    frame_equal(rows_of(data, "orders"), rows[["order_id", "date", "revenue"]], ["order_id"])
    rated = rows[rows["rating"] != ""]
    expected = pd.DataFrame({"response_id": rated["order_id"], "date": rated["date"],
                             "score": rated["rating"].astype(float), "comment": rated["comment"]})
    frame_equal(rows_of(data, "survey"), expected, ["response_id"])


def test_offsets_thousands_separators_booleans_and_multiline_emoji(project: Settings) -> None:
    add_client(project, "messy", feedback_sources({"is_test": ["TRUE"]}),
               files={"orders_feedback.csv": "orders_feedback.csv"})
    check_feedback(project, "messy")
    orders = rows_of(load_client(project, "messy"), "orders").set_index("order_id")
    # the day written, not the UTC day: 00:15 +0200 on 1 October, 23:30 -0400 on 31 October
    assert orders.at["A005", "date"] == pd.Timestamp("2026-10-01")
    assert orders.at["A006", "date"] == pd.Timestamp("2026-10-31")


def test_a_zone_name_in_brackets_read_with_percent_capital_z_says_how_to_read_it(project: Settings) -> None:
    """``%Z`` for ``(CEST)``: Python's %Z reads UTC and GMT only, so the error must say that (and
    how to read the offset instead), not that the date does not exist."""
    add_client(project, "messy", feedback_sources({"is_test": ["TRUE"]}, zone_name_format=True),
               files={"orders_feedback.csv": "orders_feedback.csv"})
    with pytest.raises(DataError) as caught:
        load_client(project, "messy")
    message = str(caught.value)
    assert "reads only the zone names UTC and GMT" in message and "%z" in message, message
    assert caught.value.row == 2 and caught.value.column == "placed_at"


def test_an_unquoted_yaml_boolean_filters_true_false_text(project: Settings) -> None:
    """``exclude: {is_test: TRUE}`` as an analyst types it: YAML reads TRUE as a boolean."""
    import yaml

    params = yaml.safe_dump({"client": {"id": "messy", "name": "Messy", "currency": "EUR"},
                             "period": "2026-10", "sources": feedback_sources({"is_test": "@TRUE@"}),
                             "kpis": [{"metric": "revenue"}]},
                            sort_keys=False, allow_unicode=True)
    add_client(project, "messy", [], files={"orders_feedback.csv": "orders_feedback.csv"},
               yaml_text=params.replace("'@TRUE@'", "TRUE"))
    check_feedback(project, "messy")
