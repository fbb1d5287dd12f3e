"""Count claims about the scorecard: "four of the seven KPIs are on target", "all KPIs", "three missed".

A count claim is a quantity (a number in digits or words, ``all``, ``every``, ``none``,
``both``, ``half``, ``most``), optionally "of the N", then ``KPIs`` (or ``targets``,
``goals``, ``metrics``; ``headline``/``main``/``key`` ones are the headline KPIs), then a
status: on target (met, hit, beat, reached...), missed (short of, below, behind...),
close to target, off target. It is compared with the statuses the scorecard shows:

* on target: status green; missed: any other status of a KPI with a target;
* close to target: amber; off target: red, or any KPI that missed (both readings are allowed);
* "of the N" must be the number of KPIs, or of KPIs with a target.

Counts are exact. A negated status ("are not on target") counts the others;
"not all" says fewer than all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from nbreport.commentary.attribution import MetricFact

NUMBER_WORDS = {"no": 0, "none": 0, "zero": 0, "neither": 0, "one": 1, "a single": 1, "only one": 1,
                "two": 2, "both": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_QUANTITY = r"\d{1,2}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r"|all|every|each|half|most"
_TOTAL = r"\d{1,2}|" + "|".join(w for w in NUMBER_WORDS if NUMBER_WORDS[w] > 1 and w != "both")
_NOUN = r"(?:kpis?|key performance indicators?|targets?|goals?|metrics?|measures?)"
_STATUS = (
    r"(?P<green>on target|on track|on goal|met|meet|meets|hit|hits|beat|beats|reached|reach|achieved|"
    r"exceeded|ahead of (?:target|goal|plan)|above (?:target|goal)|at or above (?:target|goal)|"
    r"made (?:it|their target))"
    r"|(?P<amber>close to (?:target|goal)|near (?:target|goal)|nearly on target|within reach)"
    r"|(?P<red>off target|off track|off goal|red)"
    r"|(?P<missed>missed|miss|misses|short of|fell short|falls short|below (?:target|goal)|"
    r"behind (?:target|goal|plan)|under (?:target|goal))")
COUNT_CLAIM = re.compile(
    rf"(?P<negation>\bnot\s+)?\b(?P<quantity>{_QUANTITY})\b"
    rf"(?:\s+of)?(?:\s+(?:the|our|its|their|these|this month's|this period's))?"
    rf"(?:\s+(?P<total>{_TOTAL}))?"
    rf"\s+(?:(?P<scope>headline|main|key|top-line|headline)\s+)?{_NOUN}\b"
    rf"(?P<between>(?:\s+(?!and\b|but\b)[\w'-]+){{0,6}}?)\s+"
    rf"(?P<status_negation>(?:not|n't|never)\s+(?:yet\s+)?)?(?:been\s+|come\s+in\s+|came\s+in\s+)?"
    rf"(?:{_STATUS})\b")
_NEGATED_VERB = re.compile(r"(?:n't|\bnot|\bnever)\s*$")


@dataclass(frozen=True)
class CountClaim:
    """One count claim, as written and as read."""

    start: int
    end: int
    text: str
    quantity: str  # the word or digits, lower case
    total: int | None
    headline: bool
    status: str  # green | amber | red | missed
    negated: bool  # "not on target": the others are counted
    not_all: bool  # "not all KPIs are on target"


def find_count_claims(low: str) -> list[CountClaim]:
    """Every count claim of a lower-cased clause."""
    claims = []
    for match in COUNT_CLAIM.finditer(low):
        status = next(name for name in ("green", "amber", "red", "missed") if match.group(name))
        negated = bool(match["status_negation"]) or bool(_NEGATED_VERB.search(match["between"] or ""))
        total = match["total"]
        claims.append(CountClaim(
            match.start(), match.end(), match.group(0), match["quantity"],
            _number(total) if total else None, bool(match["scope"]), status, negated,
            bool(match["negation"])))
    return claims


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


@dataclass(frozen=True)
class Tally:
    """How many KPIs (or headline KPIs) there are, and with each status."""

    total: int
    with_target: int
    green: int
    amber: int
    red: int

    @classmethod
    def of(cls, facts: Sequence[MetricFact]) -> Tally:
        statuses = [f.status for f in facts]
        return cls(len(statuses), sum(s != "none" for s in statuses), statuses.count("green"),
                   statuses.count("amber"), statuses.count("red"))

    def counts(self, status: str, negated: bool) -> set[int]:
        """The counts a claim about ``status`` may state (two when the words allow two readings)."""
        missed = self.amber + self.red
        readings = {"green": {self.green}, "amber": {self.amber}, "red": {self.red, missed},
                    "missed": {missed}}[status]
        return {self.with_target - n for n in readings} if negated else readings

    def describe(self, headline: bool) -> str:
        which = "headline KPIs" if headline else "KPIs"
        return (f"{self.green} of {self.with_target} {which} with a target on target, "
                f"{self.amber} close to target, {self.red} off target")


def judge_count(claim: CountClaim, facts: Sequence[MetricFact]) -> str | None:
    """What the scorecard shows when ``claim`` contradicts it, else ``None``."""
    scorecard = [f for f in facts if not f.segment]
    if claim.headline:
        scorecard = [f for f in scorecard if f.headline]
    tally = Tally.of(scorecard)
    if tally.with_target == 0:
        return None
    allowed = tally.counts(claim.status, claim.negated)
    if not _quantity_fits(claim, tally, allowed) or (
            claim.total is not None and claim.total not in (tally.total, tally.with_target)):
        return tally.describe(claim.headline)
    return None


def _quantity_fits(claim: CountClaim, tally: Tally, allowed: set[int]) -> bool:
    quantity = claim.quantity
    if quantity in ("all", "every", "each"):
        everything = (claim.total or tally.with_target) in allowed
        return not everything if claim.not_all else everything
    if quantity == "half":
        return any(abs(n - tally.with_target / 2) <= 0.5 for n in allowed)
    if quantity == "most":
        return any(n > tally.with_target / 2 for n in allowed)
    if quantity == "both" and tally.with_target != 2 and claim.total is None:
        return False
    return _number(quantity) in allowed
