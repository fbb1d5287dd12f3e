"""Schedules: due times in each client's own time zone across daylight-saving changes, the
period each due time reports on, waiting for late data up to a deadline, and what is due to
run or to send, read from the manifests and deliveries.json. The clock is frozen by passing
``now``; expected instants are built with zoneinfo, not by the code under test."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from click.testing import CliRunner

from nbreport.cli import cli
from nbreport.core.errors import ParamsError
from nbreport.delivery.due import due_for_sending, due_items, due_runs, is_sent
from nbreport.delivery.schedule import last_due, next_due, period_due
from nbreport.params import load_client_params
from nbreport.params.schedule import ScheduleSpec
from nbreport.settings import Settings
from tests.schedule_helpers import only_scheduled, set_schedule, write_json

UTC = timezone.utc
BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")
TOKYO, LOS_ANGELES = ZoneInfo("Asia/Tokyo"), ZoneInfo("America/Los_Angeles")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def weekly(weekday: str, time: str, zone: str) -> ScheduleSpec:
    return ScheduleSpec(cadence="weekly", weekday=weekday, time=time, timezone=zone)


def monthly(day: int, time: str, zone: str, wait: str | None = None) -> ScheduleSpec:
    return ScheduleSpec(cadence="monthly", day=day, time=time, timezone=zone,
                        wait_for_data={"until": wait} if wait else None)


# --- due times across daylight-saving changes ---------------------------------------------

def test_weekly_berlin_due_time_stays_at_nine_local_across_the_october_change() -> None:
    # Berlin leaves summer time on Sunday 25 October 2026: 09:00 is 07:00 UTC before, 08:00 after
    spec = weekly("monday", "09:00", "Europe/Berlin")
    before = datetime(2026, 10, 19, 9, 0, tzinfo=BERLIN)
    after = datetime(2026, 10, 26, 9, 0, tzinfo=BERLIN)
    assert before.astimezone(UTC) == datetime(2026, 10, 19, 7, 0, tzinfo=UTC)
    assert after.astimezone(UTC) == datetime(2026, 10, 26, 8, 0, tzinfo=UTC)

    assert last_due(spec, at("2026-10-20T12:00:00+00:00")) == before
    assert next_due(spec, at("2026-10-20T12:00:00+00:00")) == after
    # one minute before 09:00 Berlin time on the 26th (07:59 UTC) the week before is still the latest
    assert last_due(spec, at("2026-10-26T07:59:00+00:00")) == before
    due = last_due(spec, at("2026-10-26T08:00:00+00:00"))
    assert due == after and (due.hour, due.minute) == (9, 0) and due.utcoffset() == timedelta(hours=1)
    assert last_due(spec, at("2026-10-19T07:00:00+00:00")).utcoffset() == timedelta(hours=2)
    # the ISO week just finished: 19-25 October is week 43
    assert period_due(spec, due).key == "{0}-W{1:02d}".format(*date(2026, 10, 25).isocalendar()[:2])
    assert period_due(spec, before).key == "2026-W42"


def test_monthly_new_york_due_time_stays_at_eight_local_across_the_november_change() -> None:
    # New York leaves daylight time on Sunday 1 November 2026
    spec = monthly(2, "08:00", "America/New_York")
    october = datetime(2026, 10, 2, 8, 0, tzinfo=NEW_YORK)
    november = datetime(2026, 11, 2, 8, 0, tzinfo=NEW_YORK)
    assert october.astimezone(UTC).hour == 12 and november.astimezone(UTC).hour == 13

    assert last_due(spec, at("2026-11-02T12:59:59+00:00")) == october
    due = last_due(spec, at("2026-11-02T13:00:00+00:00"))
    assert due == november and due.hour == 8
    assert period_due(spec, due).key == "2026-10" and period_due(spec, october).key == "2026-09"
    assert next_due(spec, at("2026-10-15T00:00:00Z")) == november


def test_a_time_repeated_by_the_fall_back_change_is_due_once_at_its_first_pass() -> None:
    spec = weekly("sunday", "02:30", "Europe/Berlin")
    first_pass = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST; 02:30 CET is 01:30 UTC
    for now in ("2026-10-25T00:30:00Z", "2026-10-25T01:10:00Z", "2026-10-25T01:45:00Z"):
        # compared in UTC: Python never finds a time inside a repeated hour equal to one of
        # another zone (PEP 495)
        assert last_due(spec, at(now)).astimezone(UTC) == first_pass, now
    assert next_due(spec, at("2026-10-25T00:45:00Z")) == datetime(2026, 11, 1, 2, 30, tzinfo=BERLIN)


def test_a_time_skipped_by_the_spring_forward_change_is_due_an_hour_later() -> None:
    spec = weekly("sunday", "02:30", "Europe/Berlin")  # 29 March 2026 goes from 02:00 to 03:00
    due = next_due(spec, at("2026-03-28T12:00:00Z"))
    assert due == datetime(2026, 3, 29, 3, 30, tzinfo=BERLIN)
    assert due.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_quarterly_is_due_on_day_n_of_the_month_after_the_quarter() -> None:
    spec = ScheduleSpec(cadence="quarterly", day=3, time="07:00", timezone="Asia/Tokyo")
    due = last_due(spec, at("2026-12-31T00:00:00Z"))
    assert due == datetime(2026, 10, 3, 7, 0, tzinfo=TOKYO)
    assert period_due(spec, due).key == "2026-Q3"
    assert next_due(spec, at("2026-12-31T00:00:00Z")) == datetime(2027, 1, 3, 7, 0, tzinfo=TOKYO)


def test_tokyo_and_los_angeles_on_one_cadence_are_due_at_different_instants(project: Settings) -> None:
    block = "schedule:\n  cadence: monthly\n  day: 1\n  time: \"09:00\"\n  timezone: {zone}\n"
    only_scheduled(project, {"ledgerline": block.format(zone="Asia/Tokyo"),
                             "harbourside-dental": block.format(zone="America/Los_Angeles")})
    tokyo_due = datetime(2026, 11, 1, 9, 0, tzinfo=TOKYO)      # 00:00 UTC on 1 November
    la_due = datetime(2026, 11, 1, 9, 0, tzinfo=LOS_ANGELES)   # 17:00 UTC (PST since 02:00)
    assert la_due - tokyo_due == timedelta(hours=17)

    between = tokyo_due.astimezone(UTC) + timedelta(hours=1)
    states = {item.client_id: item for item in due_items(project, between)}
    assert set(states) == {"ledgerline", "harbourside-dental"}
    assert states["ledgerline"].due_at == tokyo_due and states["ledgerline"].period == "2026-10"
    assert states["harbourside-dental"].period == "2026-09"  # its 1 November is still ahead
    assert states["harbourside-dental"].next_at == la_due
    assert due_runs(project, between) == {"2026-09": ["harbourside-dental"], "2026-10": ["ledgerline"]}
    later = due_runs(project, la_due.astimezone(UTC))
    assert later == {"2026-10": ["harbourside-dental", "ledgerline"]}


# --- waiting for data -------------------------------------------------------------------

@pytest.fixture
def late_meta(project: Settings, tmp_path: Path) -> tuple[Settings, date]:
    """Northwind's data with the Meta export stopping on 28 October; the last day by pandas."""
    import dataclasses

    data_dir = tmp_path / "data"
    shutil.copytree(project.data_dir / "northwind-outfitters", data_dir / "northwind-outfitters")
    path = data_dir / "northwind-outfitters" / "meta-ads.csv"
    rows = pd.read_csv(path, dtype=str, keep_default_na=False)
    kept = rows[pd.to_datetime(rows["Day"]) <= "2026-10-28"]
    kept.to_csv(path, index=False)
    settings = dataclasses.replace(project, data_dir=data_dir)
    only_scheduled(settings, {"northwind-outfitters": (
        "schedule:\n  cadence: monthly\n  day: 2\n  time: \"08:00\"\n"
        "  timezone: America/New_York\n  wait_for_data: {until: 3 days}\n")})
    return settings, pd.to_datetime(kept["Day"]).max().date()


def test_wait_for_data_waits_then_runs_at_the_deadline_naming_the_late_source(
        late_meta: tuple[Settings, date]) -> None:
    settings, meta_last = late_meta
    assert meta_last == date(2026, 10, 28)
    due = datetime(2026, 11, 2, 8, 0, tzinfo=NEW_YORK)
    deadline = due + timedelta(days=3)

    waiting, = due_items(settings, due.astimezone(UTC) + timedelta(minutes=15))
    assert (waiting.state, waiting.period) == ("waiting", "2026-10")
    assert waiting.deadline == deadline
    assert [end.source for end in waiting.late] == ["meta-ads"]
    assert waiting.late[0].last == meta_last
    assert "waiting for data from meta-ads (data to 2026-10-28) until Thu 5 Nov 2026 08:00 EST" in waiting.why
    assert due_runs(settings, deadline.astimezone(UTC) - timedelta(seconds=1)) == {}

    gave_up, = due_items(settings, deadline.astimezone(UTC))
    assert gave_up.state == "due" and [end.source for end in gave_up.late] == ["meta-ads"]
    assert "late: meta-ads (data to 2026-10-28)" in gave_up.why
    assert due_runs(settings, deadline.astimezone(UTC)) == {"2026-10": ["northwind-outfitters"]}


def test_without_wait_for_data_a_late_source_does_not_hold_the_run(late_meta: tuple[Settings, date]) -> None:
    settings, _ = late_meta
    set_schedule(settings, "northwind-outfitters", (
        "schedule:\n  cadence: monthly\n  day: 2\n  time: \"08:00\"\n  timezone: America/New_York\n"))
    item, = due_items(settings, at("2026-11-02T13:15:00Z"))
    assert item.state == "due" and item.late == []


def test_a_source_whose_data_covers_the_period_does_not_wait(project: Settings) -> None:
    only_scheduled(project, {"northwind-outfitters": (
        "schedule:\n  cadence: monthly\n  day: 2\n  time: \"08:00\"\n"
        "  timezone: America/New_York\n  wait_for_data: {until: 3 days}\n")})
    item, = due_items(project, at("2026-11-02T13:15:00Z"))  # demo data runs to 31 October
    assert item.state == "due" and item.late == [] and item.why == "due since Mon 2 Nov 2026 08:00 EST"


# --- run, gate and sent records ---------------------------------------------------------

def _berlin_monthly(project: Settings) -> None:
    only_scheduled(project, {"harbourside-dental": (
        "schedule:\n  cadence: monthly\n  day: 2\n  time: \"07:30\"\n  timezone: Europe/Berlin\n")})


def test_states_follow_the_manifest_and_deliveries(project: Settings) -> None:
    _berlin_monthly(project)
    now = at("2026-11-02T09:00:00Z")
    manifest = project.outputs_dir / "2026-10" / "manifest.json"
    deliveries = project.outputs_dir / "2026-10" / "deliveries.json"

    assert due_runs(project, now) == {"2026-10": ["harbourside-dental"]}
    assert due_for_sending(project, now) == {}

    write_json(manifest, {"clients": {"harbourside-dental": {"status": "failed"}}})
    item, = due_items(project, now)
    assert item.state == "due" and "last run failed, running again" in item.why

    write_json(manifest, {"clients": {"harbourside-dental": {"status": "ok", "qa": {"passed": False}}}})
    item, = due_items(project, now)
    assert item.state == "ran" and "did not pass the gate" in item.why
    assert due_runs(project, now) == {} and due_for_sending(project, now) == {}

    write_json(manifest, {"clients": {"harbourside-dental": {"status": "ok", "qa": {"passed": True}}}})
    assert due_for_sending(project, now) == {"2026-10": ["harbourside-dental"]}
    # before its due time the October report is not sent, even when it has been run
    assert due_for_sending(project, at("2026-11-02T06:29:00Z")) == {}

    write_json(deliveries, {"period": "2026-10", "clients": {"harbourside-dental": {"messages": [
        {"sent_at": "2026-11-02T09:01:00Z", "status": "sent"}]}}})
    item, = due_items(project, now)
    assert item.state == "sent" and "next due Wed 2 Dec 2026 07:30 CET" in item.why
    assert due_for_sending(project, now) == {} and due_runs(project, now) == {}


def test_is_sent_reads_the_last_message_of_the_send_record() -> None:
    def record(*statuses: str) -> dict:
        return {"clients": {"a": {"messages": [{"status": status} for status in statuses]}}}

    assert is_sent(record("sent"), "a")
    assert is_sent(record("failed", "sent"), "a")
    assert not is_sent(record("sent", "partial"), "a")  # a resend still missing recipients
    assert not is_sent(record("failed"), "a")
    assert not is_sent(record("sent"), "b")
    assert not is_sent({}, "a")


# --- params -------------------------------------------------------------------------------

@pytest.mark.parametrize(("block", "expected"), [
    ("  cadence: weekly\n  weekday: monday\n  timezone: Europe/Berln\n",
     "did you mean 'Europe/Berlin'"),
    ("  cadence: weekly\n  weekday: monday\n  timezone: europe/berlin\n", "did you mean 'Europe/Berlin'"),
    ("  cadence: weekly\n  weekday: mondy\n  timezone: UTC\n", "did you mean 'monday'"),
    ("  cadence: monthly\n  day: 2\n  time: 18:00\n  timezone: UTC\n", 'time: "18:00"'),
    ("  cadence: monthly\n  day: 31\n  timezone: UTC\n", "less than or equal to 28"),
    ("  cadence: weekly\n  day: 2\n  weekday: monday\n  timezone: UTC\n", "remove day"),
    ("  cadence: monthly\n  timezone: UTC\n", "needs the day of the month"),
    ("  cadence: weekly\n  weekday: friday\n  timezone: UTC\n  wait_for_data: {until: 7 days}\n",
     "wait less than 7 days"),
    ("  cadence: monthly\n  day: 2\n  timezone: UTC\n  wait_for_data: {until: soon}\n", "'soon' is not a duration"),
    ("  cadence: monthly\n  day: 2\n  timezone: UTC\n  wait_for_data: {untill: 2 days}\n",
     "did you mean 'until'"),
    ("  cadence: daily\n  timezone: UTC\n", "schedule.cadence"),
])
def test_schedule_mistakes_are_errors_naming_the_key(project: Settings, block: str, expected: str) -> None:
    set_schedule(project, "ledgerline", "schedule:\n" + block)
    with pytest.raises(ParamsError) as error:
        load_client_params("ledgerline", project.params_dir)
    message = str(error.value)
    assert "params/ledgerline.yaml" in message and "schedule" in message
    assert expected in message, message


def test_a_valid_schedule_reads_as_its_cron_expression(project: Settings) -> None:
    set_schedule(project, "ledgerline", "schedule:\n  cadence: weekly\n  weekday: Fri\n"
                 "  time: \"17:45\"\n  timezone: Europe/London\n  wait_for_data: {until: 36 hours}\n")
    spec = load_client_params("ledgerline", project.params_dir).schedule
    assert spec is not None and spec.cron == "45 17 * * 5" and spec.wait_limit == timedelta(hours=36)


# --- the command line ---------------------------------------------------------------------

def invoke(settings: Settings, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--project", str(settings.project_dir), "--data-dir",
                                      str(settings.data_dir), *args], terminal_width=240)
    return result.exit_code, result.output


def test_due_lists_each_scheduled_client_at_the_moment_asked(project: Settings) -> None:
    _berlin_monthly(project)
    code, output = invoke(project, "due", "--at", "2026-11-02T07:00:00+01:00")
    assert code == 0, output
    line = next(line for line in output.splitlines() if line.startswith("harbourside-dental"))
    # 07:00 Berlin time on 2 November: that day's 07:30 is ahead, September's report is the latest due
    assert line.split()[1:3] == ["2026-09", "due"] and "due since Fri 2 Oct 2026 07:30 CEST" in line
    assert "no schedule: ledgerline, northwind-outfitters" in output

    code, output = invoke(project, "due", "--at", "2026-11-02T07:30:00+01:00", "--json")
    document = json.loads(output)
    item, = document["clients"]
    assert (item["client"], item["period"], item["state"]) == ("harbourside-dental", "2026-10", "due")
    assert datetime.fromisoformat(item["due_at"]) == datetime(2026, 11, 2, 7, 30, tzinfo=BERLIN)


def test_due_at_without_a_time_zone_is_a_usage_error(project: Settings) -> None:
    code, output = invoke(project, "due", "--at", "2026-11-02T09:00")
    assert code == 2 and "has no time zone" in output


def test_due_names_a_client_whose_params_are_invalid(project: Settings) -> None:
    set_schedule(project, "ledgerline", "schedule:\n  cadence: weekly\n  weekday: monday\n"
                 "  timezone: Mars/Olympus\n")
    code, output = invoke(project, "due", "--at", "2026-11-02T09:00Z")
    assert code == 2
    line = next(line for line in output.splitlines() if line.startswith("ledgerline"))
    assert "invalid" in line and "unknown time zone 'Mars/Olympus'" in line
