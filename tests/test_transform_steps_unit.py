"""The ``transform:`` steps, each on a small export written here, through nbreport's own loading.

Expected values are computed in the test with plain pandas from the same rows; errors must
name the source, the step, the column and the export's row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pydantic import ValidationError

from nbreport.core.errors import DataError
from nbreport.sources import SourceSpec, load_sources
from nbreport.sources.transform import apply_transforms, needs_transform
from nbreport.sources.reading import read_raw


def spec(**fields: Any) -> SourceSpec:
    return SourceSpec.model_validate({"name": "export", "path": "export.csv", **fields})


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text.strip() + "\n", encoding="utf-8")
    return path


def load(folder: Path, *sources: SourceSpec, kind: str | None = None) -> pd.DataFrame:
    data = load_sources(list(sources), folder)
    return data.table(kind or next(s.kind for s in sources if s.is_data))


HITS = """
hit_time,session_id,user_id,channel,revenue_micros
2026-10-01 09:00:00,s1,u1,google,0
2026-10-01 09:01:00,s1,u1,google,12500000
2026-10-01 10:00:00,s2,u2,,0
2026-10-01 11:00:00,s3,u1,Google,"1,000,000"
2026-10-02 08:00:00,s4,u3,facebook,0
2026-10-02 08:05:00,s4,u3,facebook,2000000
"""


def test_hits_become_sessions_users_and_revenue_per_day_and_channel(tmp_path: Path) -> None:
    path = write(tmp_path, "export.csv", HITS)
    source = spec(kind="web", transform=[
        {"date": {"from": "hit_time"}},
        {"map": {"channel": {"": "Direct", "google": "Google"}}},
        {"aggregate": {"by": ["date", "channel"], "count_distinct": {"sessions": "session_id",
                                                                      "users": "user_id"},
                       "sum": {"revenue": "revenue_micros"}}}],
        mapping={"scale": {"revenue": 0.000001}})
    web = load(tmp_path, source).sort_values(["date", "channel"]).reset_index(drop=True)

    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw["date"] = pd.to_datetime(raw["hit_time"].str[:10])
    raw["channel"] = raw["channel"].replace({"": "Direct", "google": "Google"})
    raw["revenue"] = raw["revenue_micros"].str.replace(",", "").astype(float) / 1e6
    expected = raw.groupby(["date", "channel"]).agg(
        sessions=("session_id", "nunique"), users=("user_id", "nunique"), revenue=("revenue", "sum")
    ).reset_index()
    assert web[["date", "channel"]].values.tolist() == expected[["date", "channel"]].values.tolist()
    assert web["sessions"].tolist() == expected["sessions"].tolist()
    assert web["users"].tolist() == expected["users"].tolist()
    assert web["revenue"].round(6).tolist() == expected["revenue"].round(6).tolist()


def test_dates_in_parts_with_the_year_in_the_file_name(tmp_path: Path) -> None:
    write(tmp_path, "orders_2020.csv", """
month,day,order,value
Jan,31,A1,10
january,1,A2,20
FEB,29,A3,30
Sept,3,A4,40
""")
    source = spec(kind="orders", path="orders_2020.csv", transform=[
        {"date_parts": {"into": "date", "year": "file_name", "month": "month", "day": "day"}}],
        mapping={"rename": {"order": "order_id", "value": "revenue"}})
    orders = load(tmp_path, source)
    assert orders["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2020-01-31", "2020-01-01", "2020-02-29", "2020-09-03"]


def test_an_impossible_date_names_its_row_and_the_step(tmp_path: Path) -> None:
    write(tmp_path, "export.csv", "year,month,day,value\n2021,2,28,1\n2021,2,29,2\n")
    source = spec(kind="orders", transform=[
        {"date_parts": {"year": "year", "month": "month", "day": "day"}}],
        mapping={"rename": {"value": "revenue"}})
    with pytest.raises(DataError) as caught:
        load(tmp_path, source)
    error = caught.value
    assert error.row == 3 and error.column == "month"
    assert "transform step 1 (date_parts)" in str(error) and "no such date" in str(error)


def test_iso_week_numbers_become_their_monday(tmp_path: Path) -> None:
    write(tmp_path, "export.csv", "year,week,sessions\n2020,1,5\n2020,53,6\n2021,1,7\n")
    source = spec(kind="web", transform=[{"date_parts": {"year": "year", "week": "week"}}])
    web = load(tmp_path, source)
    expected = [pd.Timestamp.fromisocalendar(y, w, 1) for y, w in ((2020, 1), (2020, 53), (2021, 1))]
    assert web["date"].tolist() == expected


def test_event_log_pivots_to_one_row_per_ticket(tmp_path: Path) -> None:
    write(tmp_path, "export.csv", """
ticket,at,event,channel
T2,2026-10-02T10:00:00Z,created,chat
T1,2026-10-01T09:30:00Z,assigned,email
T1,2026-10-01T09:00:00Z,created,email
T1,2026-10-01T12:00:00Z,resolved,email
T1,2026-10-03T08:00:00Z,reopened,email
T1,2026-10-03T09:00:00Z,resolved,email
T2,2026-10-02T10:30:00Z,assigned,chat
""")
    source = spec(kind="support", transform=[{"pivot_events": {
        "case": "ticket", "at": "at", "event": "event", "first": {"created_at": "created",
                                                                  "first_response_at": "assigned"},
        "last": {"resolved_at": "resolved"}, "status": "status", "keep": {"channel": "channel"}}}],
        mapping={"rename": {"ticket": "ticket_id", "created_at": ["created_at", "date"]}})
    support = load(tmp_path, source).set_index("ticket_id")
    assert support.loc["T1", "created_at"] == pd.Timestamp("2026-10-01 09:00")
    assert support.loc["T1", "first_response_at"] == pd.Timestamp("2026-10-01 09:30")
    assert support.loc["T1", "resolved_at"] == pd.Timestamp("2026-10-03 09:00")  # the last one
    assert support.loc["T1", "status"] == "resolved" and support.loc["T2", "status"] == "assigned"
    assert pd.isna(support.loc["T2", "resolved_at"])  # never resolved: missing, not made up
    assert support.loc["T2", "channel"] == "chat"


def test_leads_joined_to_deals(tmp_path: Path) -> None:
    write(tmp_path, "leads.csv", "mql_id,first_contact,origin\nm1,2026-10-01,search\nm2,2026-10-02,\n"
                                 "m3,2026-10-03,social\n")
    write(tmp_path, "deals.csv", "mql_id,won_date,revenue\nm1,2026-10-10,1000\nm3,2026-10-20,250\n")
    leads = spec(name="leads", kind="crm", path="leads.csv", transform=[
        {"join": {"source": "deals", "on": "mql_id", "columns": ["won_date", "revenue"]}},
        {"map": {"origin": {"": "Unknown origin"}}},
        {"derive": {"stage": "CASE WHEN txt(won_date) = '' THEN 'lead' ELSE 'won' END"}}],
        mapping={"rename": {"mql_id": "lead_id", "first_contact": "date", "origin": "channel",
                            "won_date": "close_date", "revenue": "amount"}})
    deals = spec(name="deals", kind="lookup", path="deals.csv")
    data = load_sources([leads, deals], tmp_path)
    assert list(data.tables) == ["crm"]  # a lookup is no data of the report
    crm = data.table("crm").set_index("lead_id")
    assert crm["stage"].to_dict() == {"m1": "won", "m2": "lead", "m3": "won"}
    assert crm.loc["m2", "channel"] == "Unknown origin"
    assert crm["amount"].sum() == 1250 and pd.isna(crm.loc["m2", "amount"])


def test_a_join_needs_one_row_per_key(tmp_path: Path) -> None:
    write(tmp_path, "leads.csv", "id,date\nm1,2026-10-01\n")
    write(tmp_path, "deals.csv", "id,won\nm1,2026-10-10\nm1,2026-10-11\n")
    leads = spec(name="leads", kind="crm", path="leads.csv", transform=[
        {"join": {"source": "deals", "on": "id"}}, {"derive": {"stage": "'lead'"}}],
        mapping={"rename": {"id": "lead_id"}})
    with pytest.raises(DataError, match="2 rows with id 'm1'.*dedupe"):
        load_sources([leads, spec(name="deals", kind="lookup", path="deals.csv")], tmp_path)


def test_dedupe_exact_copies_and_resent_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "export.csv", """
order_id,date,revenue
A,2026-10-01,10
A,2026-10-01,10
B,2026-10-01,20
B,2026-10-02,25
C,2026-10-03,"1,234.50"
""")
    exact = spec(kind="orders", transform=[{"dedupe": "all"}, {"dedupe": {"key": ["order_id"], "keep": "last"}}])
    orders = load(tmp_path, exact)
    raw = pd.read_csv(path, dtype=str).drop_duplicates().drop_duplicates("order_id", keep="last")
    assert orders["order_id"].tolist() == raw["order_id"].tolist()
    assert orders["revenue"].tolist() == [10.0, 25.0, 1234.5]
    notes = load_sources([exact], tmp_path).provenance[0]
    assert (notes.rows_read, notes.rows_used) == (5, 3)


def test_shared_export_filtered_before_any_step(tmp_path: Path) -> None:
    shared = tmp_path / "_shared"
    shared.mkdir()
    write(shared, "all.csv", "brand,date,platform,spend,clicks,impressions\n"
                             "acme,2026-10-01,FB,10,1,100\nglobex,2026-10-01,FB,99,9,900\n"
                             "acme,2026-10-01,facebook ads,5,1,50\nacme,2026-10-01,Google,7,2,70\n")
    client = tmp_path / "acme"
    client.mkdir()
    source = spec(kind="ads", path="all.csv", shared=True, transform=[
        {"map": {"platform": {"fb": "Facebook", "facebook ads": "Facebook"}}},
        {"aggregate": {"by": ["date", "platform"], "sum": {"spend": "spend", "clicks": "clicks",
                                                           "impressions": "impressions"}}}],
        mapping={"filter": {"brand": "acme"}, "rename": {"platform": ["campaign", "channel"]}})
    data = load_sources([source], client)
    ads = data.table("ads").set_index("campaign")
    assert ads["spend"].to_dict() == {"Facebook": 15.0, "Google": 7.0}  # globex's 99 never counted
    assert "globex" not in repr(data.provenance[0])


def test_misspelt_column_gets_the_closest_name(tmp_path: Path) -> None:
    write(tmp_path, "export.csv", HITS)
    source = spec(kind="web", transform=[{"aggregate": {"by": ["hit_time"], "count_distinct": {
        "sessions": "sesion_id"}}}])
    with pytest.raises(DataError, match="transform step 1 \\(aggregate\\): there is no column "
                                        "'sesion_id' here; did you mean 'session_id'"):
        load(tmp_path, source)


def test_a_value_that_is_no_number_names_its_row(tmp_path: Path) -> None:
    write(tmp_path, "export.csv", "date,sessions\n2026-10-01,5\n2026-10-01,n/a\n")
    source = spec(kind="web", transform=[{"aggregate": {"by": ["date"], "sum": {"sessions": "sessions"}}}])
    with pytest.raises(DataError) as caught:
        load(tmp_path, source)
    assert caught.value.row == 3 and caught.value.column == "sessions" and "'n/a' is not a number" in str(caught.value)


def test_sql_errors_are_wrapped_with_the_step(tmp_path: Path) -> None:
    write(tmp_path, "export.csv", "date,sessions\n2026-10-01,5\n")
    source = spec(kind="web", transform=[{"where": "sesions > 1"}])
    with pytest.raises(DataError, match="source 'export', export.csv: transform step 1 \\(where\\): "
                                        "DuckDB cannot run it"):
        load(tmp_path, source)


def test_step_sql_cannot_read_files(tmp_path: Path) -> None:
    secret = write(tmp_path, "secret.csv", "a\nsecret-value\n")
    write(tmp_path, "export.csv", "date,sessions\n2026-10-01,5\n")
    source = spec(kind="web", transform=[{"derive": {"sessions": f"(SELECT count(*) FROM read_csv('{secret}'))"}}])
    with pytest.raises(DataError, match="DuckDB cannot run it") as caught:
        load(tmp_path, source)
    assert "secret-value" not in str(caught.value)


def test_sql_over_the_file_runs_before_the_steps(tmp_path: Path) -> None:
    write(tmp_path, "export.csv", "day,sessions,kind\n2026-10-01,5,real\n2026-10-01,3,bot\n2026-10-02,4,real\n")
    source = spec(kind="web", sql={"query": "SELECT day AS date, sessions, _row FROM export WHERE kind = 'real'"},
                  transform=[{"aggregate": {"by": ["date"], "sum": {"sessions": "sessions"}}}])
    assert needs_transform(source)
    web = load(tmp_path, source)
    assert web["sessions"].tolist() == [5.0, 4.0]


def test_unknown_step_has_did_you_mean() -> None:
    from nbreport.params.loader import _unknown_key_message  # the params loader's own wording

    with pytest.raises(ValidationError, match="extra_forbidden|Extra inputs"):
        spec(kind="web", transform=[{"agregate": {"by": ["date"]}}])
    message = _unknown_key_message(("sources", 0, "transform", 0, "agregate"))
    assert "did you mean 'aggregate'" in message


def test_two_steps_in_one_item_are_refused() -> None:
    with pytest.raises(ValidationError, match="exactly one of"):
        spec(kind="web", transform=[{"filter": {"a": 1}, "exclude": {"b": 2}}])


def test_mangled_ids_are_warned(tmp_path: Path) -> None:
    write(tmp_path, "export.csv", "date,user,session\n2026-10-01,1.23457E+11,s1\n2026-10-01,1.23457E+11,s2\n")
    source = spec(kind="web", transform=[{"aggregate": {"by": ["date"], "count_distinct": {
        "users": "user", "sessions": "session"}}}])
    record = load_sources([source], tmp_path).provenance[0]
    assert any("scientific notation" in note and "'user'" in note for note in record.notes)


def test_preview_reports_each_step(tmp_path: Path) -> None:
    write(tmp_path, "export.csv", HITS)
    source = spec(kind="web", transform=[{"filter": {"channel": ["google", "Google"]}},
                                         {"date": {"from": "hit_time"}}])
    raw = read_raw(source, tmp_path / "export.csv")
    result = apply_transforms(source, raw, lambda other: raw, {})
    assert [(s.number, s.name, s.rows, s.dropped) for s in result.steps] == [(1, "filter", 3, 3), (2, "date", 3, 0)]
    assert 'WITH "export" AS' in result.sql and "step_2" in result.sql
    assert result.raw.rows.tolist() == [2, 3, 5]  # spreadsheet rows of the kept lines


def test_the_appendix_says_how_a_source_was_reshaped_in_plain_words(tmp_path: Path) -> None:
    write(tmp_path, "export.csv", HITS)
    source = spec(kind="web", transform=[
        {"filter": {"channel": ["google", "Google"]}}, {"date": {"from": "hit_time"}},
        {"map": {"channel": {"google": "Google"}}},
        {"aggregate": {"by": ["date", "channel"], "count_distinct": {"sessions": "session_id"}}}])
    record = load_sources([source], tmp_path).provenance[0]
    note = next(note for note in record.notes if note.startswith("Reshaped"))
    assert note == ("Reshaped before use: each row's day taken from its time stamp; the names in channel "
                    "made consistent; rows added up by date and channel.")
    assert record.query is None  # no SQL is shown to a client


def test_params_check_that_a_join_names_another_source() -> None:
    from nbreport.params import ClientParams

    base = {"client": {"id": "acme", "name": "Acme", "currency": "USD"}, "period": "2026-10",
            "kpis": [{"metric": "leads"}]}
    leads = {"name": "leads", "kind": "crm", "path": "leads.csv",
             "transform": [{"join": {"source": "deal", "on": "id"}}]}
    with pytest.raises(ValidationError, match=r"sources\[0\].transform\[0\].join.source: no other source "
                                              r"named 'deal'; did you mean 'deals'"):
        ClientParams.model_validate({**base, "sources": [leads, {"name": "deals", "kind": "lookup",
                                                                  "path": "deals.csv"}]})
    with pytest.raises(ValidationError, match="every source is a lookup"):
        ClientParams.model_validate({**base, "sources": [{"name": "deals", "kind": "lookup", "path": "d.csv"}]})


def test_the_client_reads_left_out_rows_in_plain_words(tmp_path: Path) -> None:
    from nbreport.report.sections.left_out import SHARED_EXPORT, client_sentence

    shared = tmp_path / "_shared"
    shared.mkdir()
    write(shared, "all.csv", "brand,date,kind,sessions\nacme,2026-10-01,web,5\nacme,2026-10-01,web,5\n"
                             "globex,2026-10-01,web,7\nacme,2026-10-02,bot,9\n")
    (tmp_path / "acme").mkdir()
    source = spec(kind="web", path="all.csv", shared=True, mapping={"filter": {"brand": "acme"}},
                  transform=[{"dedupe": "all"}, {"exclude": {"kind": "bot"}}])
    warnings = load_sources([source], tmp_path / "acme").provenance[0].warnings
    said = [client_sentence(w.message) for w in warnings if w.check == "dropped_rows"]
    assert said == [SHARED_EXPORT, "1 row that repeated another was counted once.",
                    "1 row outside this report's scope was left out."]
