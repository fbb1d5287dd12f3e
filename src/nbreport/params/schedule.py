"""When a client's report is due: the ``schedule:`` block of its params.

```yaml
schedule:
  cadence: monthly            # weekly | monthly | quarterly
  day: 2                      # monthly: day of the month; quarterly: day of the month after the quarter
  # weekday: monday           # weekly: the day the week just finished is reported
  time: "08:00"               # local wall-clock time, 24-hour, in quotes
  timezone: Europe/Berlin     # the client's IANA time zone
  wait_for_data: {until: 3 days}   # hold the run until every source covers the period's end
```

The recurrence itself is computed by croniter (:mod:`nbreport.delivery.schedule`) from
:attr:`ScheduleSpec.cron`; this module only checks what a person wrote.
"""

from __future__ import annotations

import difflib
import functools
import re
from datetime import timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BeforeValidator, Field, field_validator, model_validator

from nbreport.core.strict_model import StrictModel

Cadence = Literal["weekly", "monthly", "quarterly"]
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# cron's day-of-week numbers (0 = Sunday) for the names above
CRON_WEEKDAY = {name: (index + 1) % 7 for index, name in enumerate(WEEKDAYS)}
LAST_DAY_EVERY_MONTH = 28  # the highest day every month has: day 31 would skip months
# The shortest time between two due times of a cadence: a wait longer than that would still
# be waiting when the next period falls due.
SHORTEST_INTERVAL = {"weekly": timedelta(days=7), "monthly": timedelta(days=28),
                     "quarterly": timedelta(days=89)}
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(d|days?|h|hours?)$", re.IGNORECASE)


def _weekday_name(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    name = value.strip().lower()
    full = next((day for day in WEEKDAYS if len(name) >= 3 and day.startswith(name)), None)
    if full is not None:
        return full
    close = difflib.get_close_matches(name, WEEKDAYS, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise ValueError(f"'{value}' is not a weekday; {hint}write one of {', '.join(WEEKDAYS)}")


Weekday = Annotated[Literal[WEEKDAYS], BeforeValidator(_weekday_name)]  # type: ignore[valid-type]


@functools.cache
def _zone_names() -> dict[str, str]:
    """Every IANA zone name this machine knows, by its lower-case spelling."""
    return {name.lower(): name for name in available_timezones()}


def known_zone(value: str) -> str:
    """``value`` if it names an IANA time zone; else an error with the closest names."""
    try:
        ZoneInfo(value)
        return value
    except (ZoneInfoNotFoundError, ValueError):
        pass
    names = _zone_names()
    spelling = value.strip().replace(" ", "_").lower()
    if spelling in names:
        close = [names[spelling]]
    else:
        close = [names[name] for name in difflib.get_close_matches(spelling, list(names), n=3, cutoff=0.6)]
    hint = f"did you mean {' or '.join(repr(name) for name in close)}? " if close else ""
    raise ValueError(f"unknown time zone '{value}'; {hint}use an IANA name such as "
                     "'Europe/Berlin', 'America/New_York' or 'Asia/Tokyo'")


def parse_duration(text: str) -> timedelta:
    """``"3 days"``, ``"36 hours"``, ``"2d"``, ``"12h"`` as a duration."""
    match = _DURATION.match(text.strip())
    if match is None:
        raise ValueError(f"'{text}' is not a duration; write a number of days or hours, "
                         "e.g. '3 days' or '36 hours'")
    amount, unit = float(match[1]), match[2].lower()
    return timedelta(days=amount) if unit.startswith("d") else timedelta(hours=amount)


class WaitForData(StrictModel):
    """Hold a due run until every data source covers the period's last day, at most ``until``
    after the due time; then run anyway and name the sources that were late.

    Attributes
    ----------
    until:
        How long to wait after the due time: ``"3 days"``, ``"36 hours"``.
    """

    until: str

    @field_validator("until")
    @classmethod
    def _a_duration(cls, value: str) -> str:
        if parse_duration(value) <= timedelta(0):
            raise ValueError("must be longer than nothing, e.g. '3 days'")
        return value

    @property
    def limit(self) -> timedelta:
        return parse_duration(self.until)


class ScheduleSpec(StrictModel):
    """When the client's report is due, in the client's own time zone.

    Attributes
    ----------
    cadence:
        ``weekly`` (reports the ISO week just finished), ``monthly`` (the previous month) or
        ``quarterly`` (the previous quarter).
    weekday:
        Weekly: the day it is due (``monday``...).
    day:
        Monthly: the day of the month it is due (1 to 28); quarterly: the day of the first
        month after the quarter (January, April, July, October).
    time:
        The local wall-clock time it is due, ``HH:MM`` (24-hour; quote it in YAML).
    timezone:
        The client's IANA time zone, e.g. ``Europe/Berlin``: the due time follows its daylight
        saving changes.
    wait_for_data:
        Wait for late data up to a deadline (see :class:`WaitForData`); unset: run at the due time.
    """

    cadence: Cadence
    weekday: Weekday | None = None
    day: Annotated[int, Field(ge=1, le=LAST_DAY_EVERY_MONTH)] | None = None
    time: str = "08:00"
    timezone: str
    wait_for_data: WaitForData | None = None

    @field_validator("time", mode="before")
    @classmethod
    def _wall_clock(cls, value: Any) -> Any:
        if isinstance(value, int) and 0 <= value < 24 * 60:  # YAML reads 18:00 as 1080 (base 60)
            raise ValueError(f"YAML read this time as the number {value}; write it in quotes: "
                             f"time: \"{value // 60:02d}:{value % 60:02d}\"")
        if not isinstance(value, str) or not _TIME.match(value.strip()):
            raise ValueError(f"'{value}' is not a time; write HH:MM in 24-hour form, in quotes, "
                             "e.g. time: \"08:00\"")
        return value

    @field_validator("timezone")
    @classmethod
    def _iana_zone(cls, value: str) -> str:
        return known_zone(value)

    @model_validator(mode="after")
    def _day_fits_the_cadence(self) -> ScheduleSpec:
        if self.cadence == "weekly":
            if self.weekday is None:
                raise ValueError("schedule.weekday: a weekly schedule needs the day it is due, "
                                 "e.g. weekday: monday")
            if self.day is not None:
                raise ValueError("schedule.day: a weekly schedule is due on a weekday; remove day "
                                 "and write weekday: monday (or another day)")
        else:
            if self.day is None:
                raise ValueError(f"schedule.day: a {self.cadence} schedule needs the day of the "
                                 f"month it is due, 1 to {LAST_DAY_EVERY_MONTH}, e.g. day: 2")
            if self.weekday is not None:
                raise ValueError(f"schedule.weekday: a {self.cadence} schedule is due on a day of "
                                 "the month; remove weekday and write day: 2 (or another day)")
        if self.wait_for_data is not None and self.wait_for_data.limit >= SHORTEST_INTERVAL[self.cadence]:
            raise ValueError(f"schedule.wait_for_data.until: {self.wait_for_data.until} is as long as "
                             f"a {self.cadence} cadence; the next period would fall due while still "
                             f"waiting: wait less than {SHORTEST_INTERVAL[self.cadence].days} days")
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def cron(self) -> str:
        """The recurrence as a cron expression, read in :attr:`zone` (by croniter)."""
        hours, minutes = (int(part) for part in self.time.split(":"))
        if self.cadence == "weekly":
            return f"{minutes} {hours} * * {CRON_WEEKDAY[self.weekday]}"
        months = "1,4,7,10" if self.cadence == "quarterly" else "*"
        return f"{minutes} {hours} {self.day} {months} *"

    @property
    def wait_limit(self) -> timedelta:
        """How long after the due time a run may wait for data (nothing when it does not wait)."""
        return self.wait_for_data.limit if self.wait_for_data else timedelta(0)
