"""Which metric each claim of a clause is about, and the small judgements shared by the checks.

The consistency check (:mod:`~nbreport.commentary.consistency`) reads a clause as a row
of :class:`Event` objects (metric names, directions, numbers, target claims) and gives
each claim the metric(s) it is about (:func:`attribute`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from nbreport.commentary import lexicon
from nbreport.commentary.numbers import StatedNumber


@dataclass(frozen=True)
class MetricFact:
    """What the report computed for one metric (or for one channel's part of it), and its names."""

    metric: str
    label: str
    names: tuple[str, ...]
    unit: str
    better: str
    actual: float
    previous: float
    last_year: float
    target: float
    change_pct: float
    yoy_pct: float
    attainment: float
    status: str = "none"  # green, amber, red or none, as the scorecard shows it
    headline: bool = False
    segment: str = ""  # a channel: the fact is the metric within that channel only



@dataclass
class Event:
    start: int
    end: int
    kind: str  # metric | direction | number | target
    fact: MetricFact | None = None
    word: str = ""
    number: StatedNumber | None = None
    facts: list[MetricFact] = field(default_factory=list)  # what it is about, once attributed


# --- attributing directions, numbers and target claims to metrics ----------------------------
def attribute(events: list[Event], low: str) -> None:
    """Give each direction, number and target claim the metric(s) it is about.

    A claim right before a metric ("more orders", "12% more orders", "an increase in
    revenue") is about that metric; otherwise it is about the metric(s) named last,
    where metrics joined by "and" or commas share it ("clicks and conversions rose").
    """
    group: list[MetricFact] = []
    last_metric_end = -1
    for position, event in enumerate(events):
        if event.kind == "metric":
            assert event.fact is not None
            joined = last_metric_end >= 0 and position > 0 and events[position - 1].kind == "metric" \
                and lexicon.METRIC_JOIN.match(low[last_metric_end:event.start])
            group = [*group, event.fact] if joined else [event.fact]
            last_metric_end = event.end
            continue
        ahead = metric_ahead(events, position, low)
        if ahead is not None:
            event.facts = [ahead]
        elif group and reaches_back(event, low[previous_end(events, position):event.start], low):
            event.facts = list(group)


def metric_ahead(events: list[Event], position: int, low: str) -> MetricFact | None:
    """The metric a claim stands right before, possibly through a direction word."""
    end = events[position].end
    for following in events[position + 1:position + 3]:
        gap = low[end:following.start]
        if following.kind == "metric" and lexicon.BEFORE_METRIC.match(gap):
            return following.fact
        if following.kind != "direction" or events[position].kind != "number" or gap.strip():
            return None
        end = following.end
    return None


def reaches_back(event: Event, gap: str, low: str) -> bool:
    """Whether a claim is still about the metric(s) named before it.

    Not when a new subject may have started ("... because the form converts less often"),
    when it is far from the last claim, or when a number counts something else
    ("3 new campaigns", "a 20% discount").
    """
    words = len(gap.split())
    if event.kind == "direction":
        return words <= lexicon.DIRECTION_REACH and not lexicon.SUBORDINATE.search(gap)
    if event.kind == "number":
        word = re.match(r"\s*([a-z][a-z'-]*)", low[event.end:])
        if word and not lexicon.DIRECTION.match(low, word.start(1)) \
                and word.group(1) not in lexicon.NUMBER_FOLLOWERS:
            return False
    return words <= lexicon.NUMBER_REACH


def previous_end(events: list[Event], position: int) -> int:
    return events[position - 1].end if position else 0


def direction_before(events: list[Event], position: int, low: str) -> bool:
    """A direction word right before this number: "rose 12%", "up by nearly $3,000"."""
    if position == 0 or events[position - 1].kind != "direction":
        return False
    return bool(lexicon.DIRECTION_TO_NUMBER.match(low[events[position - 1].end:events[position].start]))


def direction_earlier(events: list[Event], position: int, fact: MetricFact) -> bool:
    """A direction about ``fact`` earlier in the clause: "rose from 5,794" (not "from 90 deals")."""
    return any(e.kind == "direction" and fact in e.facts for e in events[:position])


def has_direction(events: list[Event], position: int, fact: MetricFact) -> bool:
    return any(e.kind == "direction" and fact in e.facts for i, e in enumerate(events) if i != position)


def is_yearly(events: list[Event], position: int, low: str, *, through_number: bool) -> bool:
    """Whether a claim compares with last year: "year on year" after it (or before it).

    With ``through_number``, the number right after a direction word is part of the claim
    ("rose 12% year on year").
    """
    following = events[position + 1:]
    if through_number and following and following[0].kind == "number":
        following = following[1:]
    end = next((e.start for e in following if e.kind in ("direction", "number", "metric")), len(low))
    after = low[events[position].end:end]
    before = low[previous_end(events, position):events[position].start]
    return bool(lexicon.YEAR_ON_YEAR.search(after) or lexicon.YEAR_ON_YEAR.search(before))


def unit_fits(kind: str, unit: str) -> bool:
    if kind == "currency":
        return unit == "currency"
    if kind == "multiple":
        return unit == "multiple"
    return unit in ("count", "currency", "number", "score", "multiple")


def within(stated: float, computed: float, precision: float, lead: str, tolerance: float) -> bool:
    allowed = max(tolerance * abs(computed), 1e-9)
    if lexicon.LOWER_BOUND.search(lead):
        return computed >= stated - allowed
    if lexicon.UPPER_BOUND.search(lead):
        return computed <= stated + allowed
    if lexicon.APPROXIMATE.search(lead):
        allowed = max(allowed, 0.05 * abs(computed))
    return abs(stated - computed) <= max(allowed, precision)


