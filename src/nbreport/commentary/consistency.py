"""Statements in commentary checked against the computed figures.

A sentence such as "Revenue fell 12% on September" names a metric (by its name,
its label or a synonym), says which way it moved and by how much. Each claim is
compared with the figures of the report; one that contradicts them becomes a
:class:`Flag`. What is checked:

* directions (rose, fell, grew, dropped, flat, improved...) against the change on
  the previous period, or on last year when the clause says "year on year";
* percentages: a change ("up 12%"), a value of a rate ("conversion rate was 3.3%"),
  attainment ("97% of target") or percentage points;
* values in the metric's unit ("revenue reached $582k", "from 5,794", "1,000 more orders");
* target claims ("beat its target", "below target").

Each stated number is allowed the rounding it was written with plus a relative
``tolerance``; "about", "over", "under" widen or bound it. Statements about the
future, wishes, conditions and questions are not checked, nor are negated directions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from nbreport.commentary import lexicon
from nbreport.commentary.numbers import NumberReader, StatedNumber
from nbreport.formatting import Formatter
from nbreport.metrics.daily import safe_divide

NOISE = 0.0005  # a change this small has no direction


@dataclass(frozen=True)
class MetricFact:
    """What the report computed for one metric, and the names it goes by."""

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


@dataclass(frozen=True)
class Flag:
    """A statement that contradicts the figures.

    Attributes
    ----------
    kind:
        ``direction``, ``change``, ``value``, ``previous``, ``target``, ``attainment`` or ``points``.
    metric, label:
        The metric the statement is about.
    stated:
        The words or number at fault, as written.
    actual:
        What the figures say, formatted for the client.
    sentence:
        The whole sentence, with placeholders filled in.
    section, line:
        Where it is in the commentary file.
    """

    kind: str
    metric: str
    label: str
    stated: str
    actual: str
    sentence: str
    section: str = ""
    line: int | None = None

    @property
    def message(self) -> str:
        return f"says {self.label} {self._claim()}, but the figures show {self.actual}"

    def _claim(self) -> str:
        if self.kind == "direction":
            return f"\u201c{self.stated}\u201d"
        if self.kind == "target":
            return f"is \u201c{self.stated}\u201d"
        return f"\u2026 {self.stated}"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "message": self.message}


@dataclass(frozen=True)
class CheckSettings:
    """How strictly to compare; see :class:`~nbreport.commentary.spec.CommentarySpec`."""

    fmt: Formatter = field(default_factory=Formatter)
    tolerance: float = 0.02
    flat_change: float = 0.02


@dataclass
class _Event:
    start: int
    end: int
    kind: str  # metric | direction | number | target
    fact: MetricFact | None = None
    word: str = ""
    number: StatedNumber | None = None
    facts: list[MetricFact] = field(default_factory=list)  # what it is about, once attributed


class ConsistencyChecker:
    """Checks sentences against the facts of one report."""

    def __init__(self, facts: Sequence[MetricFact], settings: CheckSettings) -> None:
        self.settings = settings
        self.reader = NumberReader(settings.fmt.locale, settings.fmt.currency)
        self._by_name = _unambiguous_names(facts)
        names = sorted(self._by_name, key=len, reverse=True)
        self._names = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])"
                                 ) if names else None

    def check(self, sentence: str) -> list[Flag]:
        """Flags for every claim of ``sentence`` that contradicts the facts."""
        text = _plain(sentence)
        if self._names is None or text.rstrip().endswith("?") or lexicon.IMPERATIVE.match(text):
            return []
        flags: list[Flag] = []
        for clause in _clauses(text):
            if not lexicon.HEDGE.search(clause.lower()):
                flags.extend(self._check_clause(clause, sentence))
        return list(dict.fromkeys(flags))

    # --- finding what the clause says -------------------------------------------------------
    def _check_clause(self, clause: str, sentence: str) -> list[Flag]:
        low = clause.lower()
        events = self._events(clause, low)
        _attribute(events, low)
        flags = []
        for position, event in enumerate(events):
            for fact in event.facts:
                flag = self._judge(event, fact, events, position, low)
                if flag is not None:
                    flags.append(Flag(flag[0], fact.metric, fact.label, flag[1], flag[2], sentence.strip()))
        return flags

    def _events(self, clause: str, low: str) -> list[_Event]:
        assert self._names is not None
        events = [_Event(m.start(), m.end(), "metric", fact=self._by_name[m.group(0)])
                  for m in self._names.finditer(low)]
        targets = [_Event(m.start(), m.end(), "target", word=m.lastgroup or "")
                   for m in lexicon.TARGET_CLAIM.finditer(low)]
        numbers = [_Event(n.start, n.end, "number", number=n) for n in self.reader.find(clause)]
        taken = [(e.start, e.end) for e in (*events, *targets, *numbers)]
        excluded = [(m.start(), m.end()) for m in lexicon.NOT_DIRECTION.finditer(low)] + taken
        directions = [_Event(m.start(), m.end(), "direction", word=m.group("word"))
                      for m in lexicon.DIRECTION.finditer(low)
                      if not any(s < m.end() and m.start() < e for s, e in excluded)]
        numbers = [n for n in numbers if not any(e.start <= n.start < e.end for e in events)]
        return sorted([*events, *targets, *numbers, *directions], key=lambda e: e.start)

    # --- judging one claim ---------------------------------------------------------------------
    def _judge(self, event: _Event, fact: MetricFact, events: list[_Event], position: int,
               low: str) -> tuple[str, str, str] | None:
        if event.kind == "direction":
            return self._judge_direction(event, fact, events, position, low)
        if event.kind == "target":
            return self._judge_target(event, fact, low)
        if event.kind == "number":
            return self._judge_number(event, fact, events, position, low)
        return None

    def _judge_direction(self, event: _Event, fact: MetricFact, events: list[_Event],
                         position: int, low: str) -> tuple[str, str, str] | None:
        lead = low[_previous_end(events, position):event.start]
        if lexicon.NEGATION.search(lead[-24:]):
            return None
        yearly = _yearly(events, position, low, through_number=True)
        change = fact.yoy_pct if yearly else fact.change_pct
        if math.isnan(change):
            return None
        way = lexicon.direction_of(event.word)
        if way in ("good", "bad"):
            if fact.better not in ("higher", "lower"):
                return None
            way = "up" if (way == "good") == (fact.better == "higher") else "down"
        wrong = ((way == "up" and change < -NOISE) or (way == "down" and change > NOISE)
                 or (way == "flat" and abs(change) > self.settings.flat_change))
        if not wrong:
            return None
        return "direction", event.word, self._change_text(change, yearly)

    def _judge_target(self, event: _Event, fact: MetricFact, low: str) -> tuple[str, str, str] | None:
        if math.isnan(fact.target) or math.isnan(fact.attainment):
            return None
        negated = bool(lexicon.NEGATION.search(low[max(0, event.start - 16):event.start]))
        if event.word in ("good", "missed"):
            claims_met = (event.word == "good") != negated
            wrong = claims_met != (fact.attainment >= 1 - NOISE)
        else:
            claims_above = (event.word == "above") != negated
            wrong = claims_above != (fact.actual > fact.target)
        if not wrong:
            return None
        fmt = self.settings.fmt
        return ("target", low[event.start:event.end],
                f"{fmt.value(fact.actual, fact.unit)} against a target of "
                f"{fmt.value(fact.target, fact.unit)} ({fmt.value(fact.attainment, 'percent')} attainment)")

    def _judge_number(self, event: _Event, fact: MetricFact, events: list[_Event], position: int,
                      low: str) -> tuple[str, str, str] | None:
        assert event.number is not None
        reading = self._read_number(event.number, fact, events, position, low)
        if reading is None:
            return None
        kind, computed, shown = reading
        if math.isnan(computed):
            return None
        number = event.number
        stated = number.value
        if kind in ("change", "points", "change_abs") and not (number.sign and not _has_direction(
                events, position, fact)):
            stated, computed = abs(stated), abs(computed)
        elif number.sign:
            stated *= number.sign
        lead = low[max(0, number.start - 24):number.start]
        if _within(stated, computed, number.precision, lead, self.settings.tolerance):
            return None
        return kind if kind != "change_abs" else "change", number.text.strip(), shown

    def _read_number(self, number: StatedNumber, fact: MetricFact, events: list[_Event],
                     position: int, low: str) -> tuple[str, float, str] | None:
        """What a number says about ``fact``: (kind, computed figure in its scale, figure shown)."""
        fmt = self.settings.fmt
        lead = low[_previous_end(events, position):number.start]
        near = low[max(0, number.start - 24):number.start]
        after = low[number.end:number.end + 40]
        yearly = _yearly(events, position, low, through_number=False)
        change_pct = fact.yoy_pct if yearly else fact.change_pct
        base = fact.last_year if yearly else fact.previous
        directed = _direction_before(events, position, low) or _has_direction(events, position, fact)
        if number.kind == "percent":
            if lexicon.OF_TARGET_AFTER.match(after):
                shown = f"{fmt.value(fact.attainment, 'percent')} of target"
                return "attainment", fact.attainment * 100, shown
            if lexicon.TARGET_GAP_AFTER.match(after):
                gap = safe_divide(fact.actual, fact.target) - 1
                return "target", gap * 100, f"{fmt.change(gap)} against the target"
            if lexicon.SHARE_AFTER.match(after):
                return None
            if fact.unit == "percent" and (lexicon.TARGET_LEAD.search(near)
                                           or lexicon.TARGET_AFTER.match(after)):
                # "226.6% against a target of 250.0%": the second number is the target
                return "target", fact.target * 100, fmt.value(fact.target, "percent") + " target"
            if fact.unit == "percent":
                if lexicon.FROM_LEAD.search(near) and _direction_earlier(events, position, fact):
                    return "previous", fact.previous * 100, fmt.value(fact.previous, "percent")
                value_like = lexicon.VALUE_LEAD.search(lead) and not _direction_before(events, position, low)
                if (value_like or not directed) and not number.sign:
                    return "value", fact.actual * 100, fmt.value(fact.actual, "percent")
            if not directed and not number.sign:
                return None
            return "change", change_pct * 100, self._change_text(change_pct, yearly)
        if number.kind == "points":
            if fact.unit != "percent":
                return None
            points = (fact.actual - base) * 100
            return "points", points, f"{fmt.difference(points, 'number')} points"
        if not _unit_fits(number.kind, fact.unit):
            return None
        if lexicon.FROM_LEAD.search(near) and _direction_earlier(events, position, fact):
            return "previous", fact.previous, fmt.value(fact.previous, fact.unit) + " in the previous period"
        if lexicon.TARGET_LEAD.search(near) or lexicon.TARGET_AFTER.match(after):
            return "target", fact.target, fmt.value(fact.target, fact.unit) + " target"
        more = lexicon.MORE_FEWER_AFTER.match(after)
        if more or (_direction_before(events, position, low) and not lexicon.VALUE_LEAD.search(lead)):
            return "change_abs", fact.actual - base, fmt.difference(fact.actual - base, fact.unit)
        return "value", fact.actual, fmt.value(fact.actual, fact.unit)

    def _change_text(self, change: float, yearly: bool) -> str:
        return (f"{self.settings.fmt.change(change)} "
                f"{'on the same period last year' if yearly else 'on the previous period'}")


# --- attributing directions, numbers and target claims to metrics ----------------------------
def _attribute(events: list[_Event], low: str) -> None:
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
        ahead = _metric_ahead(events, position, low)
        if ahead is not None:
            event.facts = [ahead]
        elif group and _reaches_back(event, low[_previous_end(events, position):event.start], low):
            event.facts = list(group)


def _metric_ahead(events: list[_Event], position: int, low: str) -> MetricFact | None:
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


def _reaches_back(event: _Event, gap: str, low: str) -> bool:
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


def _previous_end(events: list[_Event], position: int) -> int:
    return events[position - 1].end if position else 0


def _direction_before(events: list[_Event], position: int, low: str) -> bool:
    """A direction word right before this number: "rose 12%", "up by nearly $3,000"."""
    if position == 0 or events[position - 1].kind != "direction":
        return False
    return bool(lexicon.DIRECTION_TO_NUMBER.match(low[events[position - 1].end:events[position].start]))


def _direction_earlier(events: list[_Event], position: int, fact: MetricFact) -> bool:
    """A direction about ``fact`` earlier in the clause: "rose from 5,794" (not "from 90 deals")."""
    return any(e.kind == "direction" and fact in e.facts for e in events[:position])


def _has_direction(events: list[_Event], position: int, fact: MetricFact) -> bool:
    return any(e.kind == "direction" and fact in e.facts for i, e in enumerate(events) if i != position)


def _yearly(events: list[_Event], position: int, low: str, *, through_number: bool) -> bool:
    """Whether a claim compares with last year: "year on year" after it (or before it).

    With ``through_number``, the number right after a direction word is part of the claim
    ("rose 12% year on year").
    """
    following = events[position + 1:]
    if through_number and following and following[0].kind == "number":
        following = following[1:]
    end = next((e.start for e in following if e.kind in ("direction", "number", "metric")), len(low))
    after = low[events[position].end:end]
    before = low[_previous_end(events, position):events[position].start]
    return bool(lexicon.YEAR_ON_YEAR.search(after) or lexicon.YEAR_ON_YEAR.search(before))


def _unit_fits(kind: str, unit: str) -> bool:
    if kind == "currency":
        return unit == "currency"
    if kind == "multiple":
        return unit == "multiple"
    return unit in ("count", "currency", "number", "multiple")


def _within(stated: float, computed: float, precision: float, lead: str, tolerance: float) -> bool:
    allowed = max(tolerance * abs(computed), 1e-9)
    if lexicon.LOWER_BOUND.search(lead):
        return computed >= stated - allowed
    if lexicon.UPPER_BOUND.search(lead):
        return computed <= stated + allowed
    if lexicon.APPROXIMATE.search(lead):
        allowed = max(allowed, 0.05 * abs(computed))
    return abs(stated - computed) <= max(allowed, precision)


# --- text -----------------------------------------------------------------------------------------
_MARKUP = re.compile(r"\[([^\]]*)\]\([^)]*\)|[*_`]{1,3}")
_CLAUSE = re.compile(r";|\s+(?:but|while|whereas|although|though|yet|however)\s+|,\s+and\s+|,\s+but\s+")


def _plain(sentence: str) -> str:
    """The sentence without Markdown emphasis or link targets; unicode minus as '-'."""
    text = _MARKUP.sub(lambda m: m.group(1) if m.group(1) is not None else "", sentence)
    return text.replace("\u2212", "-")


def _clauses(text: str) -> list[str]:
    return [part for part in _CLAUSE.split(text) if part.strip()]


def _unambiguous_names(facts: Sequence[MetricFact]) -> dict[str, MetricFact]:
    """Lower-case name -> fact; a name two metrics share goes to the one it names exactly."""
    owners: dict[str, list[MetricFact]] = {}
    for fact in facts:
        for name in fact.names:
            owners.setdefault(name.lower().strip(), []).append(fact)
    chosen = {}
    for name, candidates in owners.items():
        exact = [f for f in candidates if f.metric.replace("_", " ") == name]
        if len(set(map(id, candidates))) == 1 or len(exact) == 1:
            chosen[name] = (exact or candidates)[0]
    return chosen


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Start and end of each sentence of a Markdown text: paragraphs, list items, sentences.

    List markers, heading marks and quote marks at the start of a line are not part
    of the sentence (so that a sentence can be marked without breaking the Markdown).
    """
    spans = []
    for block in _blocks(text):
        start, end = block
        cursor = start
        for match in _SENTENCE_END.finditer(text, start, end):
            if _abbreviation(text, match.start()):
                continue
            spans.append((cursor, match.start() + 1))
            cursor = match.end()
        if text[cursor:end].strip():
            spans.append((cursor, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]


_SENTENCE_END = re.compile(r"[.!?]\s+(?=[\"'\u201c(]?[A-Z0-9$\u20ac\u00a3+\u2212-])")
_LINE_LEAD = re.compile(r"[ \t]*(?:(?:[-*+]|\d{1,3}[.)]|#{1,6}|>)[ \t]+)?")
_ABBREVIATIONS = ("e.g", "i.e", "vs", "approx", "etc", "incl", "excl", "no", "fig", "ca", "c", "cf")


def _abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"([\w.]+)$", text[max(0, dot - 8):dot])
    return bool(word) and word.group(1).lower() in _ABBREVIATIONS


def _blocks(text: str) -> list[tuple[int, int]]:
    """Paragraphs and list items, as spans without their leading markers."""
    blocks: list[tuple[int, int]] = []
    current: list[int] | None = None
    offset = 0
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        body = offset + _LINE_LEAD.match(content).end()  # type: ignore[union-attr]
        marked = body != offset + len(content) - len(content.lstrip())
        if not content.strip() or marked or current is None:
            if current is not None:
                blocks.append((current[0], current[1]))
            current = [body, offset + len(content)] if content.strip() else None
        else:
            current[1] = offset + len(content)
        offset += len(line)
    if current is not None:
        blocks.append((current[0], current[1]))
    return blocks
