"""Acceptance (issue 18): shapes read through the whole report path, a real kernel per client.

One project holds four clients configured by params only (the leads joined to deals, the shared
export's Acme, the hit-level analytics and the ticket event log); one batch runs them as
``nbreport run --all`` does. Each report's ``results.json`` must hold the KPI values an analyst
computes from the raw fixture files with plain pandas.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest
from tests.shapes_project import add_client, new_project, raw
from tests.test_shapes_combine import DEALS, leads_source, shared_source
from tests.test_shapes_reshape import PIVOT, hits_source

from nbreport.batch import ClientResult, run_batch
from nbreport.settings import Settings

pytestmark = pytest.mark.kernel

PERIOD = "2026-10"
MONTHS = {"actual": "2026-10", "previous": "2026-09"}
THIS_MONTH = {"actual": "2026-10"}  # files that start late in September: no whole previous month


def _kpis(*metrics: str) -> list[dict[str, Any]]:
    return [{"metric": metric, "headline": True} for metric in metrics]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, dict[str, Any]]]:
    """client id -> metric -> its KPI row in the run's results.json."""
    settings = new_project(tmp_path_factory.mktemp("shapes-kernel") / "project", with_notebook=True)
    add_client(settings, "funnel", [leads_source(), DEALS], period=PERIOD,
               files={"mqls.csv": "mqls.csv", "deals.csv": "deals.csv"},
               kpis=_kpis("leads", "deals_won", "revenue", "lead_to_deal_rate"))
    add_client(settings, "acme", [shared_source("Acme")], period=PERIOD,
               shared={"agency_ads.csv": "agency_ads.csv"},
               kpis=_kpis("spend", "clicks", "impressions", "ctr"))
    add_client(settings, "shop-web", [hits_source("client_id")], period=PERIOD,
               files={"web_hits.csv": "web_hits.csv"},
               kpis=_kpis("sessions", "users", "web_revenue", "web_conversions"))
    add_client(settings, "helpdesk", [{
        "name": "tickets", "kind": "support", "path": "ticket_events.csv",
        "transform": [{"pivot_events": PIVOT}, {"date": {"from": "created_at", "into": "date"}}],
        "mapping": {"rename": {"Ticket": "ticket_id"}}}],
        period=PERIOD, files={"ticket_events.csv": "ticket_events.csv"}, kpis=_kpis("tickets"))
    outcome = run_batch(settings, None)
    return {result.client_id: _read_kpis(settings, result) for result in outcome.results}


def _read_kpis(settings: Settings, result: ClientResult) -> dict[str, dict[str, Any]]:
    """The client's KPI rows by metric; a client whose run failed fails its own test only."""
    if not result.ok:
        return {"failed": {"status": result.status, "error": result.error}}
    path = settings.outputs_dir / PERIOD / result.client_id / "results.json"
    return {row["metric"]: row for row in json.loads(path.read_text())["kpis"]}


def _check(got: dict[str, dict[str, Any]], expected: dict[str, dict[str, float]]) -> None:
    assert "failed" not in got, got.get("failed")
    for metric, values in expected.items():
        for field, value in values.items():
            assert got[metric][field] == pytest.approx(value, rel=1e-9), (metric, field)


def _in(month: str, days: pd.Series) -> pd.Series:
    return days.dt.strftime("%Y-%m") == month


def test_leads_and_deals_kpis(results: dict[str, dict[str, dict[str, Any]]]) -> None:
    leads, deals = raw("mqls.csv"), raw("deals.csv")
    joined = leads.merge(deals, on="mql_id", how="inner")
    created = pd.to_datetime(leads["first_contact_date"])
    won = pd.to_datetime(joined["won_date"])
    amount = pd.to_numeric(joined["declared_monthly_revenue"].replace("", None))
    expected: dict[str, dict[str, float]] = {"leads": {}, "deals_won": {}, "revenue": {},
                                             "lead_to_deal_rate": {}}
    for field, month in MONTHS.items():
        expected["leads"][field] = float(_in(month, created).sum())
        expected["deals_won"][field] = float(_in(month, won).sum())
        expected["revenue"][field] = float(amount[_in(month, won)].sum())
        expected["lead_to_deal_rate"][field] = expected["deals_won"][field] / expected["leads"][field]
    _check(results["funnel"], expected)


def test_shared_export_kpis_for_one_client(results: dict[str, dict[str, dict[str, Any]]]) -> None:
    ads = raw("agency_ads.csv")
    ads = ads[ads["Brand"] == "Acme"]
    day = pd.to_datetime(ads["Day"])
    number = {c: ads[c].str.replace(",", "").astype(float) for c in ("Impr.", "Clicks", "Cost")}
    expected: dict[str, dict[str, float]] = {"spend": {}, "clicks": {}, "impressions": {}, "ctr": {}}
    for field, month in THIS_MONTH.items():
        inside = _in(month, day)
        expected["spend"][field] = number["Cost"][inside].sum()
        expected["clicks"][field] = number["Clicks"][inside].sum()
        expected["impressions"][field] = number["Impr."][inside].sum()
        expected["ctr"][field] = expected["clicks"][field] / expected["impressions"][field]
    _check(results["acme"], expected)


def test_hit_level_analytics_kpis(results: dict[str, dict[str, dict[str, Any]]]) -> None:
    hits = raw("web_hits.csv")
    hits["date"] = pd.to_datetime(hits["hit_timestamp"].str[:10])
    daily = hits.groupby(["date", "channel_group"]).agg(
        sessions=("session_id", "nunique"), users=("client_id", "nunique")).reset_index()
    micros = pd.to_numeric(hits["revenue_micros"].replace("", None))
    purchases = hits["transaction_id"] != ""
    expected: dict[str, dict[str, float]] = {"sessions": {}, "users": {}, "web_revenue": {},
                                             "web_conversions": {}}
    for field, month in THIS_MONTH.items():
        expected["sessions"][field] = daily.loc[_in(month, daily["date"]), "sessions"].sum()
        expected["users"][field] = daily.loc[_in(month, daily["date"]), "users"].sum()
        expected["web_revenue"][field] = micros[_in(month, hits["date"])].sum() / 1_000_000
        expected["web_conversions"][field] = (purchases & _in(month, hits["date"])).sum()
    _check(results["shop-web"], expected)


def test_event_log_ticket_kpis(results: dict[str, dict[str, dict[str, Any]]]) -> None:
    events = raw("ticket_events.csv")
    created = pd.to_datetime(events.loc[events["Event"] == "created", "When"])
    expected = {"tickets": {field: float(_in(month, created).sum()) for field, month in THIS_MONTH.items()}}
    _check(results["helpdesk"], expected)
