"""Acceptance (issue 18), shapes 1-3: dates in parts, an event log, hit-level analytics.

Each test writes a client's params file whose ``transform:`` and ``mapping`` alone read one
fixture of ``tests/fixtures/shapes/`` (see its README), loads it the way a report does
(``load_sources``), and compares the canonical table with the same numbers computed from the
raw file with plain pandas in the test. Nothing here reshapes data through nbreport.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from tests.shapes_project import (
    FIXTURES,
    add_client,
    client_params,
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


def _frame(table: Any) -> pd.DataFrame:
    return table.to_pandas() if hasattr(table, "to_pandas") else pd.DataFrame(table)


def _transformed(settings: Settings, client_id: str, source: str) -> pd.DataFrame:
    """One source's export after its transform steps (before the mapping), as the loader reads it."""
    from nbreport.sources.loader import read_source

    sources = client_params(settings, client_id).sources
    spec = next(s for s in sources if s.name == source)
    raw_table, _, transformed = read_source(spec, settings.data_dir / client_id, sources)
    assert transformed is not None
    return _frame(raw_table.table)


# --- 1. dates in parts ---------------------------------------------------------------------------

MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}


def _sales_source(path: str, year: int | str) -> dict[str, Any]:
    return {"name": "sales", "kind": "orders", "path": path,
            "transform": [{"date_parts": {"into": "date", "year": year, "month": "month", "day": "day"}}],
            "mapping": {"rename": {"Order No": "order_id", "Net Sales": "revenue"}}}


def _expected_sales() -> pd.DataFrame:
    sales = raw("sales_2020.csv")
    month = sales["month"].str.strip().str[:3].str.lower().map(MONTHS)
    return pd.DataFrame({
        "order_id": sales["Order No"],
        "date": pd.to_datetime({"year": 2020, "month": month, "day": sales["day"].astype(int)}),
        "revenue": sales["Net Sales"].astype(float)})


@pytest.mark.parametrize(("file_name", "year"), [("sales_2020.csv", "file_name"), ("sales.csv", 2020)],
                         ids=["year-from-file-name", "year-in-params"])
def test_month_names_and_day_with_the_year_elsewhere(project: Settings, file_name: str,
                                                     year: int | str) -> None:
    add_client(project, "parts", [_sales_source(file_name, year)], files={file_name: "sales_2020.csv"},
               period="2020-02")
    orders = rows_of(load_client(project, "parts"), "orders")
    expected = _expected_sales()
    frame_equal(orders, expected, ["order_id"])
    assert (orders["date"] == pd.Timestamp("2020-02-29")).sum() >= 1  # the leap day survives


def test_an_impossible_date_names_the_step_and_the_row(project: Settings, tmp_path: Path) -> None:
    lines = (FIXTURES / "sales_2020.csv").read_text().splitlines()
    lines.insert(11, "SO-1000,February,30,10.00")  # the file's 12th line (the header is line 1)
    data = add_client(project, "parts", [_sales_source("sales_2020.csv", "file_name")],
                      period="2020-02")
    (data / "sales_2020.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError) as caught:
        load_client(project, "parts")
    error = caught.value
    assert (error.source, error.path, error.row) == ("sales", "sales_2020.csv", 12), str(error)
    assert "date_parts" in str(error) and re.search(r"\bstep 1\b", str(error)), str(error)
    assert [e.row for e in validate_client(project, "parts").errors] == [12]  # validate finds it too


def test_year_month_and_day_columns_across_a_year_end(project: Settings) -> None:
    add_client(project, "daily-parts", [{
        "name": "analytics", "kind": "web", "path": "web_daily_parts.csv",
        "transform": [{"date_parts": {"into": "date", "year": "Year", "month": "Month", "day": "Day"}}],
        "mapping": {"rename": {"Channel": "channel", "Sessions": "sessions"}}}],
        files={"web_daily_parts.csv": "web_daily_parts.csv"}, period="2020-01")
    web = rows_of(load_client(project, "daily-parts"), "web")
    parts = raw("web_daily_parts.csv")
    expected = pd.DataFrame({
        "date": pd.to_datetime({"year": parts["Year"].astype(int), "month": parts["Month"].astype(int),
                                "day": parts["Day"].astype(int)}),
        "channel": parts["Channel"], "sessions": parts["Sessions"].astype(float)})
    frame_equal(web, expected, ["date", "channel"])


def test_iso_week_numbers_become_the_monday_of_the_week(project: Settings) -> None:
    add_client(project, "weekly", [{
        "name": "analytics", "kind": "web", "path": "web_weekly_iso.csv", "grain": "week",
        "transform": [{"date_parts": {"into": "date", "year": "ISO Year", "week": "Week"}}],
        "mapping": {"rename": {"Channel": "channel", "Sessions": "sessions"}}}],
        files={"web_weekly_iso.csv": "web_weekly_iso.csv"}, period="2020-03")
    web = rows_of(load_client(project, "weekly"), "web")
    weeks = raw("web_weekly_iso.csv")
    mondays = [date.fromisocalendar(int(y), int(w), 1) for y, w in zip(weeks["ISO Year"], weeks["Week"])]
    expected = pd.DataFrame({"date": pd.to_datetime(mondays), "channel": weeks["Channel"],
                             "sessions": weeks["Sessions"].astype(float)})
    frame_equal(web, expected, ["date", "channel"])
    # ISO week 1 of 2020 starts in 2019; week 53 of 2020 exists
    assert {pd.Timestamp("2019-12-30"), pd.Timestamp("2020-12-28")} <= set(web["date"])


# --- 2. a ticket event log -----------------------------------------------------------------------

PIVOT = {"case": "Ticket", "at": "When", "event": "Event",
         "first": {"created_at": "created", "first_response_at": ["assigned", "replied"]},
         "last": {"resolved_at": ["resolved", "closed"]},
         "status": "status", "keep": {"channel": "Channel"}}


def _tickets(project: Settings) -> None:
    add_client(project, "helpdesk", [{
        "name": "tickets", "kind": "support", "path": "ticket_events.csv",
        "transform": [{"pivot_events": PIVOT}, {"date": {"from": "created_at", "into": "date"}}],
        "mapping": {"rename": {"Ticket": "ticket_id"}}}],
        files={"ticket_events.csv": "ticket_events.csv"})


def _expected_tickets() -> pd.DataFrame:
    events = raw("ticket_events.csv")
    events["at"] = pd.to_datetime(events["When"])
    rows = []
    for ticket, case in events.groupby("Ticket"):
        case = case.sort_values("at")

        def when(names: tuple[str, ...], pick: str) -> pd.Timestamp:
            times = case.loc[case["Event"].isin(names), "at"]
            return getattr(times, pick)() if len(times) else pd.NaT

        rows.append({"ticket_id": ticket, "created_at": when(("created",), "min"),
                     "first_response_at": when(("assigned", "replied"), "min"),
                     "resolved_at": when(("resolved", "closed"), "max"),
                     "status": case["Event"].iloc[-1], "channel": case["Channel"].iloc[0],
                     "events": len(case)})
    expected = pd.DataFrame(rows)
    expected.insert(1, "date", expected["created_at"].dt.normalize())
    return expected


def test_an_event_log_becomes_one_row_per_ticket(project: Settings) -> None:
    _tickets(project)
    support = rows_of(load_client(project, "helpdesk"), "support")
    expected = _expected_tickets()
    frame_equal(support, expected.drop(columns=["events"]), ["ticket_id"])
    # the traps: a ticket never resolved, one never answered, one reopened and still open
    by_id = support.set_index("ticket_id")
    assert pd.isna(by_id.at["T-1007", "resolved_at"]) and pd.isna(by_id.at["T-1008", "first_response_at"])
    assert by_id.at["T-1031", "status"] == "reopened"


def test_the_pivot_counts_each_cases_events(project: Settings) -> None:
    _tickets(project)
    table = _transformed(project, "helpdesk", "tickets")
    counted = table.set_index("Ticket")["events"].astype(int).sort_index()
    expected = _expected_tickets().set_index("ticket_id")["events"].sort_index()
    assert counted.to_dict() == expected.to_dict()


def test_resolution_times_match_the_event_log(project: Settings) -> None:
    _tickets(project)
    support = rows_of(load_client(project, "helpdesk"), "support").set_index("ticket_id")
    expected = _expected_tickets().set_index("ticket_id")
    hours = ((support["resolved_at"] - support["created_at"]).dt.total_seconds() / 3600).sort_index()
    wanted = ((expected["resolved_at"] - expected["created_at"]).dt.total_seconds() / 3600).sort_index()
    pd.testing.assert_series_equal(hours, wanted, check_names=False)


# --- 3. hit-level web analytics ------------------------------------------------------------------

def hits_source(users_from: str) -> dict[str, Any]:
    return {"name": "hits", "kind": "web", "path": "web_hits.csv", "transform": [
        {"date": {"from": "hit_timestamp", "into": "date"}},
        {"aggregate": {"by": ["date", "channel_group"],
                       "count_distinct": {"sessions": "session_id", "users": users_from},
                       "sum": {"revenue": "revenue_micros"},
                       "count": {"conversions": "transaction_id"}}}],
        "mapping": {"rename": {"channel_group": "channel"}, "scale": {"revenue": 0.000001}}}


def test_hits_become_sessions_users_and_revenue_per_day_and_channel(project: Settings) -> None:
    add_client(project, "shop-web", [hits_source("client_id")],
               files={"web_hits.csv": "web_hits.csv"})
    web = rows_of(load_client(project, "shop-web"), "web")
    hits = raw("web_hits.csv")
    hits["date"] = pd.to_datetime(hits["hit_timestamp"].str[:10])
    hits["micros"] = pd.to_numeric(hits["revenue_micros"].replace("", None))
    hits["tx"] = hits["transaction_id"].replace("", None)
    expected = hits.groupby(["date", "channel_group"]).agg(
        sessions=("session_id", "nunique"), users=("client_id", "nunique"),
        revenue=("micros", "sum"), conversions=("tx", "count")).reset_index()
    expected = expected.rename(columns={"channel_group": "channel"})
    expected["revenue"] = expected["revenue"] / 1_000_000
    frame_equal(web, expected, ["date", "channel"])


def test_a_mangled_id_column_is_warned_about(project: Settings) -> None:
    add_client(project, "shop-web", [hits_source("user_id")], files={"web_hits.csv": "web_hits.csv"})
    data = load_client(project, "shop-web")
    notes = [note for record in data.provenance for note in record.notes]
    assert any("user_id" in note and "1.234" in note for note in notes), notes
    # the warning is worth having: the mangled column counts 11 users where there are 90
    hits = raw("web_hits.csv")
    assert hits["user_id"].nunique() < hits["client_id"].nunique() / 5
