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
from nbreport.commentary.attribution import (
    Event, MetricFact, attribute, direction_before, direction_earlier, has_direction, metric_ahead,
    previous_end, unit_fits, within, is_yearly)
from nbreport.commentary.counts import find_count_claims, judge_count
from nbreport.commentary.numbers import NumberReader, StatedNumber
from nbreport.commentary.rankings import Ranking, RankChecker
from nbreport.commentary.sizes import size_contradicts, size_words
from nbreport.commentary.sentences import clauses, plain, sentence_spans

__all__ = ["NOISE", "CheckSettings", "ConsistencyChecker", "Flag", "MetricFact", "sentence_spans"]
from nbreport.core.formatting import Formatter
from nbreport.core.word_trie import any_word
from nbreport.metrics.daily import safe_divide

NOISE = 0.0005  # a change this small has no direction


@dataclass(frozen=True)
class Flag:
    """A statement that contradicts the figures.

    Attributes
    ----------
    kind:
        ``direction``, ``size`` ("sharply", "doubled"), ``change``, ``value``, ``previous``,
        ``target``, ``attainment``, ``points``, ``count`` (how many KPIs are on target) or
        ``rank`` (a channel or campaign said to be the best, the largest...).
    metric, label:
        The metric the statement is about (``kpis`` and "The scorecard" for a count; the
        ranked measure and the channel or campaign for a rank).
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
        if self.kind == "count":
            return f"says \u201c{self.stated}\u201d, but the scorecard shows {self.actual}"
        return f"says {self.label} {self._claim()}, but the figures show {self.actual}"

    def _claim(self) -> str:
        if self.kind in ("direction", "size"):
            return f"\u201c{self.stated}\u201d"
        if self.kind in ("target", "rank"):
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


class ConsistencyChecker:
    """Checks sentences against the facts of one report."""

    def __init__(self, facts: Sequence[MetricFact], settings: CheckSettings,
                 rankings: Sequence[Ranking] = ()) -> None:
        self.settings = settings
        self.facts = list(facts)
        self.ranks = RankChecker(rankings, settings.fmt)
        self.reader = NumberReader(settings.fmt.locale, settings.fmt.currency)
        self._by_name = _unambiguous_names(facts)
        self._names = re.compile(r"(?<![\w-])(?:" + any_word(self._by_name) + r")(?![\w-])"
                                 ) if self._by_name else None

    def check(self, sentence: str) -> list[Flag]:
        """Flags for every claim of ``sentence`` that contradicts the facts."""
        text = plain(sentence)
        if text.rstrip().endswith("?") or lexicon.IMPERATIVE.match(text):
            return []
        flags: list[Flag] = []
        for clause in clauses(text):
            low = clause.lower()
            if lexicon.HEDGE.search(low):
                continue
            counts = find_count_claims(low)
            flags += [Flag("count", "kpis", "The scorecard", clause[claim.start:claim.end].strip(), shown,
                           sentence.strip())
                      for claim in counts if (shown := judge_count(claim, self.facts)) is not None]
            flags += [Flag("rank", measure, segment, words, shown, sentence.strip())
                      for segment, measure, words, shown in self.ranks.check(low)]
            if self._names is not None:
                flags.extend(self._check_clause(clause, sentence, [(c.start, c.end) for c in counts]))
        return list(dict.fromkeys(flags))

    # --- finding what the clause says -------------------------------------------------------
    def _check_clause(self, clause: str, sentence: str, counted: list[tuple[int, int]]) -> list[Flag]:
        low = clause.lower()
        events = self._events(clause, low, counted)
        attribute(events, low)
        flags = []
        for position, event in enumerate(events):
            for fact in event.facts:
                flag = self._judge(event, fact, events, position, low)
                if flag is not None:
                    flags.append(Flag(flag[0], fact.metric, fact.label, flag[1], flag[2], sentence.strip()))
        return flags

    def _events(self, clause: str, low: str, counted: list[tuple[int, int]]) -> list[Event]:
        assert self._names is not None
        events = [Event(m.start(), m.end(), "metric", fact=self._by_name[m.group(0)])
                  for m in self._names.finditer(low)]
        targets = [Event(m.start(), m.end(), "target", word=m.lastgroup or "")
                   for m in lexicon.TARGET_CLAIM.finditer(low)]
        numbers = [Event(n.start, n.end, "number", number=n) for n in self.reader.find(clause)
                   if not any(s <= n.start < e for s, e in counted)]  # "5 of 9 KPIs": a count claim
        taken = [(e.start, e.end) for e in (*events, *targets, *numbers)]
        excluded = [(m.start(), m.end()) for m in lexicon.NOT_DIRECTION.finditer(low)] + taken
        directions = [Event(m.start(), m.end(), "direction", word=m.group("word"))
                      for m in lexicon.DIRECTION.finditer(low)
                      if not any(s < m.end() and m.start() < e for s, e in excluded)]
        numbers = [n for n in numbers if not any(e.start <= n.start < e.end for e in events)]
        return sorted([*events, *targets, *numbers, *directions], key=lambda e: e.start)

    # --- judging one claim ---------------------------------------------------------------------
    def _judge(self, event: Event, fact: MetricFact, events: list[Event], position: int,
               low: str) -> tuple[str, str, str] | None:
        if event.kind == "direction":
            return self._judge_direction(event, fact, events, position, low)
        if event.kind == "target":
            return self._judge_target(event, fact, low)
        if event.kind == "number":
            return self._judge_number(event, fact, events, position, low)
        return None

    def _judge_direction(self, event: Event, fact: MetricFact, events: list[Event],
                         position: int, low: str) -> tuple[str, str, str] | None:
        lead = low[previous_end(events, position):event.start]
        if lexicon.NEGATION.search(lead[-24:]):
            return None
        yearly = is_yearly(events, position, low, through_number=True)
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
        if wrong:
            return "direction", event.word, self._change_text(change, yearly)
        size = size_words(low, event.start, event.end, event.word) if way != "flat" else None
        if size is not None and size_contradicts(size, change, self.settings.tolerance):
            return "size", size, self._change_text(change, yearly)
        return None

    def _judge_target(self, event: Event, fact: MetricFact, low: str) -> tuple[str, str, str] | None:
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

    def _judge_number(self, event: Event, fact: MetricFact, events: list[Event], position: int,
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
        if kind in ("change", "points", "change_abs") and not (number.sign and not has_direction(
                events, position, fact)):
            stated, computed = abs(stated), abs(computed)
        elif number.sign:
            stated *= number.sign
        lead = low[max(0, number.start - 24):number.start]
        if within(stated, computed, number.precision, lead, self.settings.tolerance):
            return None
        return kind if kind != "change_abs" else "change", number.text.strip(), shown

    def _read_number(self, number: StatedNumber, fact: MetricFact, events: list[Event],
                     position: int, low: str) -> tuple[str, float, str] | None:
        """What a number says about ``fact``: (kind, computed figure in its scale, figure shown)."""
        fmt = self.settings.fmt
        lead = low[previous_end(events, position):number.start]
        near = low[max(0, number.start - 24):number.start]
        after = low[number.end:number.end + 40]
        yearly = is_yearly(events, position, low, through_number=False)
        change_pct = fact.yoy_pct if yearly else fact.change_pct
        base = fact.last_year if yearly else fact.previous
        directed = direction_before(events, position, low) or has_direction(events, position, fact)
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
                if lexicon.FROM_LEAD.search(near) and direction_earlier(events, position, fact):
                    return "previous", fact.previous * 100, fmt.value(fact.previous, "percent")
                value_like = lexicon.VALUE_LEAD.search(lead) and not direction_before(events, position, low)
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
        if not unit_fits(number.kind, fact.unit):
            return None
        if lexicon.FROM_LEAD.search(near) and direction_earlier(events, position, fact):
            return "previous", fact.previous, fmt.value(fact.previous, fact.unit) + " in the previous period"
        if lexicon.TARGET_LEAD.search(near) or lexicon.TARGET_AFTER.match(after):
            return "target", fact.target, fmt.value(fact.target, fact.unit) + " target"
        more = lexicon.MORE_FEWER_AFTER.match(after)
        if more or (direction_before(events, position, low) and not lexicon.VALUE_LEAD.search(lead)):
            return "change_abs", fact.actual - base, fmt.difference(fact.actual - base, fact.unit)
        return "value", fact.actual, fmt.value(fact.actual, fact.unit)

    def _change_text(self, change: float, yearly: bool) -> str:
        return (f"{self.settings.fmt.change(change)} "
                f"{'on the same period last year' if yearly else 'on the previous period'}")


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
