"""A schedule's due times and the period each one reports on.

The recurrence is croniter's, read in the client's time zone: a report due at 08:00 in
Europe/Berlin is due at 08:00 Berlin time in summer (06:00 UTC) and in winter (07:00 UTC).
A wall-clock time repeated by a fall-back change is due at its first pass; one skipped by a
spring-forward change is read with the offset before the change (02:30 is due at 03:30).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from croniter import croniter

from nbreport.core.period import Period
from nbreport.params.schedule import ScheduleSpec

# More than any daylight-saving shift: how far the wall clock and the instants can disagree
_SHIFT_MARGIN = timedelta(hours=3)
_MAX_STEPS = 8  # candidates looked at past the margin (a few, whatever the cadence)


def _aware(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"{now.isoformat()} has no time zone; give an instant, e.g. "
                         f"{now.isoformat()}+00:00")
    return now


def _instant(spec: ScheduleSpec, wall: datetime) -> datetime:
    """A local wall-clock time as an instant (PEP 495, fold 0): a repeated time is its first
    pass, a skipped one is read with the offset before the change (02:30 -> 03:30)."""
    return wall.replace(tzinfo=spec.zone, fold=0).astimezone(timezone.utc).astimezone(spec.zone)


def last_due(spec: ScheduleSpec, now: datetime) -> datetime:
    """The latest due time at or before ``now``, in the client's time zone."""
    now = _aware(now)
    # croniter walks wall-clock times; instants and wall-clock times differ around a change,
    # so start past ``now`` by more than any shift and step back to the first instant <= now
    wall = now.astimezone(spec.zone).replace(tzinfo=None) + _SHIFT_MARGIN
    times = croniter(spec.cron, wall)
    for _ in range(_MAX_STEPS + 1):
        due = _instant(spec, times.get_prev(datetime))
        if due <= now:
            return due
    raise AssertionError(f"no due time before {now} in {_MAX_STEPS} steps of '{spec.cron}'")


def next_due(spec: ScheduleSpec, now: datetime) -> datetime:
    """The first due time after ``now``, in the client's time zone."""
    now = _aware(now)
    wall = now.astimezone(spec.zone).replace(tzinfo=None) - _SHIFT_MARGIN
    times = croniter(spec.cron, wall)
    for _ in range(_MAX_STEPS + 1):
        due = _instant(spec, times.get_next(datetime))
        if due > now:
            return due
    raise AssertionError(f"no due time after {now} in {_MAX_STEPS} steps of '{spec.cron}'")


def period_due(spec: ScheduleSpec, due: datetime) -> Period:
    """The period a due time reports on: the ISO week just finished (weekly), the previous
    month (monthly) or the previous quarter (quarterly), by the client's local date."""
    day = due.astimezone(spec.zone).date()
    relative = {"weekly": "last-week", "monthly": "last-month", "quarterly": "last-quarter"}
    return Period.parse(relative[spec.cadence], today=day)


def as_utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def local_words(moment: datetime) -> str:
    """``Mon 2 Nov 2026 08:00 CET``: a due time as the client's clock shows it."""
    return f"{moment:%a} {moment.day} {moment:%b %Y %H:%M} {moment.tzname()}"
