"""Customer-success metrics: surveys, churn, retention, lifetime value and the health score."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests import raw_exports as raw
from tests.conftest import REPO
from tests.frames import client, table
from tests.real_sources import NPS, OLIST, TELCO, source

from nbreport.demo.customer_success import customer_success_files
from nbreport.metrics.health import health_scores, health_signals
from nbreport.metrics.retention import (
    arpa,
    churn,
    cohort_retention,
    lifetime_value,
    monthly_churn_rate,
    revenue_retention,
)
from nbreport.metrics.spec import HealthScoreSpec
from nbreport.metrics.stats import wilson_interval
from nbreport.metrics.surveys import ces, csat, nps, survey_scores
from nbreport.params import Period
from nbreport.report import open_report
from nbreport.sources import load_source

OCTOBER = Period.parse("2026-10")


# --- surveys --------------------------------------------------------------------------------
def test_nps_with_adjusted_wald_interval_by_hand() -> None:
    result = nps(pd.Series([10, 10, 9, 8, 7, 6, 0, 0, 5, 3]))
    assert result.value == pytest.approx(100 * (3 - 5) / 10)
    assert result.counts == {"promoters": 3, "passives": 2, "detractors": 5}
    p, d = 3.75 / 13, 5.75 / 13  # 3/4 added to promoters and detractors, 3 to the responses
    half = 1.959964 * math.sqrt((p + d - (p - d) ** 2) / 13)
    assert (result.low, result.high) == pytest.approx((100 * (p - d - half), 100 * (p - d + half)), rel=1e-5)
    assert result.small_sample and not nps(pd.Series([9] * 30)).small_sample


def test_csat_and_ces_by_hand() -> None:
    satisfaction = csat(pd.Series([5, 4, 4, 3, 1]))
    assert satisfaction.value == 0.6 and satisfaction.counts == {"satisfied": 3, "other": 2}
    assert (satisfaction.low, satisfaction.high) == pytest.approx((0.2307, 0.8824), abs=1e-4)  # Wilson
    effort = ces(pd.Series([7, 6, 5, 2]))
    half = 1.959964 * math.sqrt(14 / 3) / 2
    assert effort.value == 5 and (effort.low, effort.high) == pytest.approx((5 - half, 5 + half))
    empty = nps(pd.Series([], dtype=float))
    assert math.isnan(empty.value) and empty.responses == 0 and empty.small_sample
    assert all(math.isnan(bound) for bound in wilson_interval(0, 0))


def test_survey_scores_keep_one_scale_inside_the_period_and_its_range() -> None:
    survey = table("survey", [{"date": "2026-10-01", "scale": "nps", "score": 12},
                              {"date": "2026-10-02", "scale": "nps", "score": 9},
                              {"date": "2026-09-30", "scale": "nps", "score": 0},
                              {"date": "2026-10-02", "scale": "csat", "score": 5}])
    assert survey_scores(survey, "nps", OCTOBER).tolist() == [9.0]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 10), max_size=300))
def test_nps_and_its_interval_stay_within_minus_100_and_100(scores: list[int]) -> None:
    result = nps(pd.Series(scores, dtype=float))
    if not scores:
        return
    assert -100 <= result.value <= 100
    assert -100 <= result.low <= result.high <= 100


# --- churn, retention, lifetime value ---------------------------------------------------------
def accounts() -> pd.DataFrame:
    rows = []
    snapshot = lambda day, account, status, mrr, start, churned=None: rows.append(  # noqa: E731
        {"date": day, "account_id": account, "status": status, "mrr": mrr, "start_date": start,
         "churn_date": churned})
    for day in ("2026-08-31", "2026-09-30"):
        snapshot(day, "A", "active", 100, "2026-01-10")
        snapshot(day, "B", "active", 200, "2026-02-05")
        snapshot(day, "C", "active", 300, "2026-03-01")
    snapshot("2026-08-31", "E", "active", 80, "2026-01-01")
    snapshot("2026-09-30", "E", "churned", 0, "2026-01-01", "2026-09-15")
    snapshot("2026-10-31", "A", "active", 150, "2026-01-10")
    snapshot("2026-10-31", "B", "churned", 0, "2026-02-05", "2026-10-12")
    snapshot("2026-10-31", "C", "active", 250, "2026-03-01")
    snapshot("2026-10-31", "D", "active", 50, "2026-10-03")
    return table("accounts", rows)


def test_churn_and_revenue_retention_by_hand() -> None:
    october = churn(accounts(), OCTOBER)
    assert (october.customers_at_start, october.lost, october.rate) == (3, 1, pytest.approx(1 / 3))
    assert (october.mrr_at_start, october.mrr_lost, october.mrr_rate) == (600, 200, pytest.approx(1 / 3))
    september = churn(accounts(), Period.parse("2026-09"))
    assert (september.customers_at_start, september.lost) == (4, 1)  # D is new in October
    kept = revenue_retention(accounts(), OCTOBER)
    assert (kept.starting_mrr, kept.expansion, kept.contraction, kept.churned, kept.ending_mrr) == \
        (600, 50, 50, 200, 400)
    assert kept.nrr == pytest.approx(400 / 600) and kept.grr == pytest.approx(350 / 600)


def test_lifetime_value_and_cohorts_by_hand() -> None:
    monthly = monthly_churn_rate(accounts(), OCTOBER.end, months=2)
    assert monthly == pytest.approx(2 / 7)  # (1 + 1) lost of (3 + 4) customers
    assert arpa(accounts(), OCTOBER.end) == pytest.approx(450 / 3)
    assert lifetime_value(150, 2 / 7, 0.8) == pytest.approx(420)
    assert math.isnan(lifetime_value(150, 0.0))
    cohorts = cohort_retention(accounts(), OCTOBER.end, cohorts=12)
    assert cohorts.loc["2026-01", "customers"] == 2
    assert cohorts.loc["2026-01", 0] == 1.0 and cohorts.loc["2026-01", 8] == 0.5  # E left in September
    assert cohorts.loc["2026-01", 9] == 0.5 and math.isnan(cohorts.loc["2026-01", 10])  # not yet seen
    assert cohorts.loc["2026-02", 7] == 1.0 and cohorts.loc["2026-02", 8] == 0.0
    assert cohorts.loc["2026-10", 0] == 1.0


@pytest.mark.realdata
def test_telco_churn_rate_matches_the_manifest(real_data: Path) -> None:
    frame, _ = load_source(source(**TELCO), real_data)  # its "Churn" Yes/No recoded to churned/active
    result = churn(frame, Period.parse("2018-01"))
    assert (result.lost, result.customers_at_start) == (1869, 7043)
    assert result.rate == pytest.approx(1869 / 7043)


# --- health score -------------------------------------------------------------------------
SPEC = HealthScoreSpec.model_validate({"components": [
    {"signal": "active_days", "weight": 2, "bad": 0, "good": 1},
    {"signal": "ticket_satisfaction", "weight": 1, "bad": 1, "good": 5},
    {"signal": "mrr_change", "weight": 1, "bad": -0.5, "good": 0.5}]})


def test_health_scores_by_hand() -> None:
    signals = pd.DataFrame({"active_days": [0.5, 1.2], "ticket_satisfaction": [5.0, np.nan],
                            "mrr_change": [0.0, -1.0]}, index=["one", "two"])
    scores = health_scores(signals, SPEC)
    assert scores.loc["one", "score"] == pytest.approx((2 * 50 + 100 + 50) / 4)
    assert scores.loc["two", "score"] == pytest.approx(2 * 100 / 3)  # no rating: its weight moves on
    assert scores.loc["two", "points:active_days"] == 100  # capped at "good"
    assert pd.isna(scores.loc["two", "contribution:ticket_satisfaction"])
    assert scores["band"].tolist() == ["at_risk", "at_risk"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), st.floats(-10, 10)), st.one_of(st.none(), st.floats(0, 6)),
                          st.one_of(st.none(), st.floats(-3, 3))), min_size=1, max_size=20))
def test_health_is_between_0_and_100_and_its_parts_add_up(rows: list[tuple]) -> None:
    signals = pd.DataFrame(rows, columns=["active_days", "ticket_satisfaction", "mrr_change"],
                           dtype="float64")
    scores = health_scores(signals, SPEC)
    scored = scores["score"].dropna()
    assert ((scored >= 0) & (scored <= 100)).all()
    parts = scores.filter(like="contribution:").sum(axis=1, min_count=1)
    assert parts.to_numpy() == pytest.approx(scores["score"].to_numpy(), nan_ok=True)
    assert scores["score"].isna().tolist() == signals.isna().all(axis=1).tolist()


def test_health_signals_by_hand() -> None:
    data = client(
        accounts=table("accounts", [
            {"date": "2026-09-30", "account_id": "X", "status": "active", "mrr": 100, "seats": 4},
            {"date": "2026-09-30", "account_id": "Y", "status": "active", "mrr": 50, "seats": 2},
            {"date": "2026-10-31", "account_id": "X", "status": "active", "mrr": 120, "seats": 4},
            {"date": "2026-10-31", "account_id": "Y", "status": "active", "mrr": 50, "seats": 2}]),
        usage=table("usage", [
            {"date": "2026-10-05", "account_id": "X", "active_users": 2, "key_actions": 10},
            {"date": "2026-10-06", "account_id": "X", "active_users": 4, "key_actions": 20}]),
        support=table("support", [
            {"date": "2026-10-01", "account_id": "X", "satisfaction": 4,
             "created_at": "2026-10-01T09:00", "resolved_at": "2026-10-01T11:00"},
            {"date": "2026-10-02", "account_id": "X", "created_at": "2026-10-02T09:00",
             "resolved_at": "2026-10-02T13:00"}]))
    signals = health_signals(data, OCTOBER)
    assert signals.loc["X"].to_dict() == pytest.approx({
        "active_days": 2 / 31, "seat_utilisation": 3 / 4, "key_actions_per_user": 5,
        "tickets_per_seat": 0.5, "ticket_satisfaction": 4, "resolution_hours": 3, "mrr_change": 0.2})
    y = signals.loc["Y"]
    assert (y["active_days"], y["seat_utilisation"], y["key_actions_per_user"], y["tickets_per_seat"],
            y["mrr_change"]) == (0, 0, 0, 0, 0)
    assert math.isnan(y["ticket_satisfaction"]) and math.isnan(y["resolution_hours"])


def test_health_spec_is_checked() -> None:
    with pytest.raises(ValueError, match="did you mean 'active_days'"):
        HealthScoreSpec.model_validate({"components": [{"signal": "active_day", "weight": 1,
                                                        "bad": 0, "good": 1}]})
    with pytest.raises(ValueError, match="must differ"):
        HealthScoreSpec.model_validate({"components": [{"signal": "mrr_change", "weight": 1,
                                                        "bad": 0, "good": 0}]})


# --- the demo client with customer data, and the real survey files ----------------------------
@pytest.fixture(scope="module")
def ledgerline(demo_data_dir: Path):  # noqa: ANN201 - a Report
    return open_report("ledgerline", project_dir=REPO, data_dir=demo_data_dir)


def test_demo_customer_numbers_equal_the_raw_files(ledgerline, demo_data_dir: Path) -> None:  # noqa: ANN001
    folder = demo_data_dir / "ledgerline"
    found = ledgerline.results.customer_success
    customers, lost = raw.churned_in_october(folder / "accounts.csv")
    assert found.churn.customers_at_start == customers and found.churn.lost == lost
    scores = raw.in_month(raw.delighted(folder / "surveys.jsonl"))["score"]
    assert found.surveys["nps"][0].value == pytest.approx(raw.nps(scores))
    effort = pd.read_csv(folder / "ces-survey.csv")
    assert found.surveys["ces"][0].value == pytest.approx(
        effort[effort["date"].str.startswith("2026-10")]["score"].mean())
    tickets = pd.read_csv(folder / "support-tickets.csv")
    assert found.support.tickets == tickets["date"].str.startswith("2026-10").sum()
    assert found.support.tickets > 1.2 * found.previous_support.tickets  # the October outage
    health = found.health
    snapshots = pd.read_csv(folder / "accounts.csv")
    active = snapshots[(snapshots["date"] == "2026-10-31") & (snapshots["status"] == "active")]
    assert 0 <= health.score <= 100 and health.accounts == len(active)
    assert health.components["contribution"].sum() == pytest.approx(health.score)
    assert health.components["change"].sum() == pytest.approx(health.change)
    assert health.bands["accounts"].sum() == health.accounts
    assert found.lifetime_value == pytest.approx(found.average_mrr * 0.82 / found.monthly_churn)
    assert not found.missing  # every part is available for this client


def test_clients_without_customer_data_say_so(demo_data_dir: Path) -> None:
    found = open_report("northwind-outfitters", project_dir=REPO, data_dir=demo_data_dir).results.customer_success
    assert set(found.surveys) == {"csat"} and found.churn is None and found.health is None
    assert any("no account (billing) data" in line for line in found.missing)


def test_demo_customer_data_is_deterministic_and_consistent() -> None:
    dates = pd.date_range("2025-01-01", "2025-06-30", freq="D")
    first = customer_success_files("ledgerline", dates)
    second = customer_success_files("ledgerline", dates)
    assert first.keys() == {"accounts.csv", "product-usage.csv", "support-tickets.csv", "ces-survey.csv"}
    for name in first:
        pd.testing.assert_frame_equal(first[name], second[name])
    assert customer_success_files("northwind-outfitters", dates) == {}
    tickets = first["support-tickets.csv"]
    solved = tickets[tickets["resolved_at"] != ""]
    assert (solved["resolved_at"] >= solved["first_response_at"]).all()
    assert (solved["first_response_at"] >= solved["created_at"]).all()
    assert (first["product-usage.csv"]["active_users"] > 0).all()


@pytest.mark.realdata
def test_nps_practice_file_scores_plus_11_8(real_data: Path) -> None:
    frame, _ = load_source(source(**NPS), real_data)
    assert "Customer Name" not in frame.columns  # respondents' names never reach a report
    result = nps(survey_scores(frame, "nps", Period.parse("2021")))
    assert result.responses == 5000 and round(result.value, 1) == 11.8
    assert result.low < 11.8 < result.high


@pytest.mark.realdata
def test_olist_csat_share_matches_the_manifest(real_data: Path) -> None:
    frame, _ = load_source(source(**OLIST), real_data)
    scores = survey_scores(frame, "csat")
    assert scores.value_counts().to_dict() == {5.0: 3598, 4.0: 1149, 1.0: 668, 3.0: 519, 2.0: 189}
    result = csat(scores)
    assert result.value == pytest.approx((3598 + 1149) / 6123)
    assert result.counts == {"satisfied": 4747, "other": 1376}
