"""Rank claims about channels and campaigns: "our best channel", "the top campaign", "second-largest".

A rank claim names a channel or campaign the report shows and a superlative: a quality
word (best, top, strongest, leading; worst, weakest), a size word (largest, biggest,
most, highest; smallest, least, fewest, lowest) or a cost word (cheapest, most efficient;
most expensive), optionally with an ordinal (second-best, third-largest). The measure
is the metric or spend named near it ("the most revenue", "the largest share of spend",
"best channel for orders", "biggest contributor to the growth in revenue").

The report's own tables are the truth (:class:`Ranking`, built by
:func:`nbreport.commentary.compose.rankings`): each channel's value of every KPI, each
channel's part of a KPI's change, and the budget's spend, results, cost per result and
return by channel and by campaign. A claim that names a measure is judged on the rankings
of that measure; one that names none ("our best channel") on every ranking its word fits.
It contradicts the figures only when the segment holds the stated place in none of them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from nbreport.core.formatting import Formatter

ORDINALS = {"second": 2, "2nd": 2, "third": 3, "3rd": 3}
QUALITY_BEST = ("best", "top", "strongest", "leading", "best-performing", "top-performing",
                "most successful", "most profitable")
QUALITY_WORST = ("worst", "weakest", "poorest", "worst-performing", "least successful")
SIZE_MOST = ("largest", "biggest", "most", "highest", "greatest")
SIZE_LEAST = ("smallest", "least", "fewest", "lowest")
COST_LOW = ("cheapest", "most efficient", "most cost-effective", "least expensive")
COST_HIGH = ("most expensive", "costliest", "dearest", "least efficient")
_WORDS = sorted((*QUALITY_BEST, *QUALITY_WORST, *SIZE_MOST, *SIZE_LEAST, *COST_LOW, *COST_HIGH),
                key=len, reverse=True)
RANK_WORD = re.compile(
    r"(?<![\w-])(?:(?P<ordinal>second|2nd|third|3rd)[- ])?(?P<word>"
    + "|".join(re.escape(w) for w in _WORDS) + r")(?![\w-])")
# Superlatives that rank nothing among segments: bounds, idioms, a segment against its own past.
NOT_RANK_BEFORE = re.compile(r"(?:\bat|\bon|\bits|\btheir|\bnot|\bthe very)\s*$")
NOT_RANK_AFTER = re.compile(
    r"^(?:\s+(?:of|up|importantly|recent|likely|recently)\b)|"
    r"^(?:\s+[\w'-]+){0,3}?\s+(?:since|ever|on record|in (?:any|a|over|the last|\d+|two|three|almost|"
    r"nearly|more than|months|years)|of the year|this year|for (?:a|\d+|two|three|months|years))\b")
# "most" before an adjective is not a rank of its own ("the most improved", "most visited").
MOST_ADJECTIVE = re.compile(r"^\s+\w+(?:ed|ly|ive|ful|able|ant|ent|ing)\b")
NEGATED = re.compile(r"\b(?:not|never|no longer)\b(?:\s+\w+){0,2}\s*$|n't\s+(?:\w+\s+)?$")
WORDS_TO_MEASURE = 6  # how far after the rank word a measure still belongs to it
WORDS_TO_SEGMENT = 10


@dataclass(frozen=True, eq=False)
class Ranking:
    """One measure over the channels (or campaigns) of the report, as its tables show it.

    Attributes
    ----------
    entity:
        ``channel`` or ``campaign``.
    measure, label:
        What is ranked (``revenue``, ``spend``...) and how the report names it.
    names:
        Lower-case words that name the measure in commentary.
    better:
        ``higher`` or ``lower``: which end is "best".
    kind:
        ``size`` (a total: spend, revenue, orders), ``ratio`` (a rate, a cost per result)
        or ``growth`` (the segment's part of a KPI's change).
    values:
        Segment -> value, for segments that have one.
    """

    entity: str
    measure: str
    label: str
    names: tuple[str, ...]
    better: str
    kind: str
    unit: str
    values: dict[str, float]

    def place(self, segment: str, *, descending: bool) -> int:
        """1 for the segment with the biggest (``descending``) or smallest value; ties share."""
        mine = self.values[segment]
        return 1 + sum((v > mine) if descending else (v < mine) for v in self.values.values())

    def describe(self, fmt: Formatter, descending: bool) -> str:
        order = sorted(self.values.items(), key=lambda item: item[1], reverse=descending)
        shown = ", ".join(f"{name} {fmt.value(value, self.unit)}" for name, value in order[:3])
        return f"{self.entity}s by {self.label}: {shown}"


@dataclass(frozen=True)
class RankClaim:
    segment: str
    entity: str
    word: str  # as written, e.g. "second-best"
    place: int
    descending: bool | None  # None: "best"/"worst", decided per ranking by what is better
    best_end: bool  # best/top (True) or worst (False), for quality words
    cost: bool  # cheapest / most expensive: only rankings of a cost
    measures: tuple[Ranking, ...]  # the rankings of the measure named, if any


def clean_segments(values: dict[str, float]) -> dict[str, float]:
    """Segments with a real value: no NaN, no infinity."""
    return {str(k): float(v) for k, v in values.items() if not (math.isnan(v) or math.isinf(v))}


class RankChecker:
    """Finds and judges rank claims against the report's rankings."""

    def __init__(self, rankings: Sequence[Ranking], fmt: Formatter) -> None:
        self.rankings = [r for r in rankings if len(r.values) >= 2]
        self.fmt = fmt
        self.entities = {name.lower(): (name, r.entity) for r in self.rankings for name in r.values}
        names = sorted(self.entities, key=len, reverse=True)
        self._segments = re.compile(
            r"(?<![\w-])(?:" + "|".join(_dash_tolerant(n) for n in names) + r")(?![\w-])"
        ) if names else None

    def check(self, low: str) -> list[tuple[str, str, str, str]]:
        """(segment, measure, words at fault, what the figures show) for each wrong rank claim."""
        if self._segments is None:
            return []
        found = []
        for claim in self._claims(low):
            wrong = self._judge(claim)
            if wrong is not None:
                found.append((claim.segment, wrong[0], claim.word, wrong[1]))
        return found

    def _claims(self, low: str) -> list[RankClaim]:
        assert self._segments is not None
        segments = [(m.start(), m.end(), _undash(m.group(0))) for m in self._segments.finditer(low)]
        claims = []
        for match in RANK_WORD.finditer(low):
            lead = low[max(0, match.start() - 24):match.start()]
            if not segments or NEGATED.search(lead) or NOT_RANK_BEFORE.search(lead) \
                    or NOT_RANK_AFTER.match(low[match.end():match.end() + 60]) \
                    or self._most_adjective(match, low):
                continue
            nearest = min(segments, key=lambda s: _distance(s, match.start(), match.end()))
            between = low[min(nearest[1], match.end()):max(nearest[0], match.start())]
            if len(between.split()) > WORDS_TO_SEGMENT:
                continue
            segment, entity = self.entities[nearest[2]]
            claims.append(self._claim(low, match, segment, entity))
        return claims

    def _most_adjective(self, match: re.Match[str], low: str) -> bool:
        """"the most improved channel": "most" makes an adjective, unless a measure follows."""
        after = low[match.end():]
        if match["word"] != "most" or not MOST_ADJECTIVE.match(after):
            return False
        return not any(after.lstrip().startswith(name) for r in self.rankings for name in r.names)

    def _claim(self, low: str, match: re.Match[str], segment: str, entity: str) -> RankClaim:
        word = match["word"]
        place = ORDINALS.get(match["ordinal"] or "", 1)
        after = " ".join(low[match.end():].split()[:WORDS_TO_MEASURE])
        named = self._measures(after, entity) or self._measures(low, entity)
        cost = word in COST_LOW or word in COST_HIGH
        if word in QUALITY_BEST or word in QUALITY_WORST:
            return RankClaim(segment, entity, match.group(0), place, None, word in QUALITY_BEST,
                             False, named)
        descending = word in SIZE_MOST or word in COST_HIGH
        return RankClaim(segment, entity, match.group(0), place, descending, True, cost, named)

    def _measures(self, text: str, entity: str) -> tuple[Ranking, ...]:
        """The rankings whose measure ``text`` names, the longest name first."""
        hits = [(len(name), r) for r in self.rankings if r.entity == entity for name in r.names
                if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)]
        if not hits:
            return ()
        longest = max(length for length, _ in hits)
        chosen = {id(r): r for length, r in hits if length == longest}
        return tuple(chosen.values())

    def _candidates(self, claim: RankClaim) -> list[Ranking]:
        pool = list(claim.measures) or [r for r in self.rankings if r.entity == claim.entity]
        pool = [r for r in pool if claim.segment in r.values]
        if claim.cost:
            pool = [r for r in pool if r.kind == "ratio" and r.better == "lower" and r.unit == "currency"]
        elif claim.descending is not None and not claim.measures:
            pool = [r for r in pool if r.kind == "size"]  # "our biggest channel": a total, not a rate
        return pool

    def _judge(self, claim: RankClaim) -> tuple[str, str] | None:
        candidates = self._candidates(claim)
        if not candidates:
            return None
        for ranking in candidates:
            if ranking.place(claim.segment, descending=_descending(claim, ranking)) == claim.place:
                return None
        first = candidates[0]
        descending = _descending(claim, first)
        place = first.place(claim.segment, descending=descending)
        return first.measure, (f"{claim.segment} is number {place} of {len(first.values)} "
                               f"({first.describe(self.fmt, descending)})")


def _descending(claim: RankClaim, ranking: Ranking) -> bool:
    if claim.descending is not None:
        return claim.descending
    return (ranking.better == "higher") == claim.best_end


def _distance(segment: tuple[int, int, str], start: int, end: int) -> int:
    return max(segment[0] - end, start - segment[1], 0)


def _dash_tolerant(name: str) -> str:
    """A name as a pattern in which " - " may also be written with an en or em dash."""
    return r"\s*[-\u2013\u2014]\s*".join(re.escape(part) for part in re.split(r"\s*-\s*", name)) \
        if " - " in name else re.escape(name)


def _undash(text: str) -> str:
    return re.sub(r"\s*[\u2013\u2014-]\s*", " - ", text) if re.search(r"\s[\u2013\u2014-]\s", text) else text
