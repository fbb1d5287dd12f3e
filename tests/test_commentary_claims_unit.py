"""commentary/attribution, counts, sizes and spec: the parts of the consistency check, one by one."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from nbreport.commentary import CommentarySpec as ReExported
from nbreport.commentary.attribution import Event, MetricFact, attribute, is_yearly, unit_fits, within
from nbreport.commentary.counts import Tally, find_count_claims, judge_count
from nbreport.commentary.sizes import size_contradicts, size_words
from nbreport.commentary.spec import CommentarySpec


def fact(metric: str, status: str = "none", headline: bool = False, segment: str = "") -> MetricFact:
    return MetricFact(metric, metric.title(), (metric,), "count", "higher", 110.0, 100.0, 90.0, 100.0,
                      10.0, 22.2, 1.1, status=status, headline=headline, segment=segment)


def events_of(low: str, facts: dict[str, MetricFact], directions: tuple[str, ...] = ("rose", "fell"),
              ) -> list[Event]:
    """Metric, direction and number events found by plain regular expressions."""
    found = [Event(m.start(), m.end(), "metric", fact=facts[m.group()]) for m in
             re.finditer("|".join(facts), low)]
    found += [Event(m.start(), m.end(), "direction", word=m.group()) for m in
              re.finditer("|".join(directions), low)]
    return sorted(found, key=lambda e: e.start)


# --- attribution -------------------------------------------------------------------------
def test_metrics_joined_by_and_share_the_direction_after_them() -> None:
    facts = {"clicks": fact("clicks"), "conversions": fact("conversions")}
    low = "clicks and conversions rose"
    events = events_of(low, facts)
    attribute(events, low)
    assert events[-1].facts == [facts["clicks"], facts["conversions"]]


def test_a_direction_after_a_new_subject_is_not_given_the_earlier_metric() -> None:
    facts = {"revenue": fact("revenue")}
    low = "revenue is what we track, because the checkout form rose"
    events = events_of(low, facts)
    attribute(events, low)
    assert events[-1].facts == []


def test_a_direction_right_before_a_metric_is_about_that_metric() -> None:
    facts = {"orders": fact("orders"), "revenue": fact("revenue")}
    low = "orders were flat but rose the revenue"  # direction, then "the", then the metric
    events = events_of(low, facts)
    attribute(events, low)
    direction = next(e for e in events if e.kind == "direction")
    assert direction.facts == [facts["revenue"]]


def test_year_on_year_claims_and_number_tolerances() -> None:
    facts = {"revenue": fact("revenue")}
    low = "revenue rose year on year"
    events = events_of(low, facts)
    assert is_yearly(events, 1, low, through_number=False)
    assert not is_yearly(events_of("revenue rose", facts), 1, "revenue rose", through_number=False)
    assert within(100, 101.5, 1, "", 0.02) and not within(100, 103, 1, "", 0.02)
    assert within(100, 150, 1, "more than ", 0.02) and not within(100, 97, 1, "more than ", 0.02)
    assert within(100, 104, 1, "about ", 0.0)  # "about": 5% either way
    assert unit_fits("currency", "currency") and not unit_fits("currency", "count")
    assert unit_fits("plain", "count") and not unit_fits("plain", "percent")


# --- counts ------------------------------------------------------------------------------
SCORECARD = [fact("a", "green", True), fact("b", "green"), fact("c", "amber", True), fact("d", "red"),
             fact("e"), fact("b", "red", segment="Email")]  # a channel's part is not a KPI


def test_a_count_claim_is_read_with_its_total_and_status() -> None:
    [claim] = find_count_claims("two of the five kpis are on target this month")
    assert (claim.quantity, claim.total, claim.status, claim.negated) == ("two", 5, "green", False)
    [negated] = find_count_claims("three kpis are not on target")
    assert negated.negated and negated.status == "green"


def test_count_claims_are_judged_against_the_scorecard() -> None:
    tally = Tally.of([f for f in SCORECARD if not f.segment])
    assert (tally.total, tally.with_target, tally.green, tally.amber, tally.red) == (5, 4, 2, 1, 1)
    fits = ["two of the four kpis are on target", "2 kpis missed", "two kpis are not on target",
            "half of the kpis hit", "one of the headline kpis hit"]
    for text in fits:
        [claim] = find_count_claims(text)
        assert judge_count(claim, SCORECARD) is None, text
    [wrong] = find_count_claims("three kpis are on target")
    assert judge_count(wrong, SCORECARD) == "2 of 4 KPIs with a target on target, 1 close to target, 1 off target"
    [wrong_total] = find_count_claims("two of the six kpis are on target")
    assert judge_count(wrong_total, SCORECARD) is not None
    [all_claim] = find_count_claims("all kpis are on target")
    assert judge_count(all_claim, SCORECARD) is not None


def test_off_target_allows_both_readings() -> None:
    assert Tally.of(SCORECARD[:5]).counts("red", negated=False) == {1, 2}


# --- sizes -------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "word", "expected"), [
    ("sessions rose slightly", "rose", "slightly"),
    ("a sharp rise in clicks", "rise", "sharp"),
    ("revenue doubled", "doubled", "doubled"),
    ("revenue rose", "rose", None),
])
def test_size_words_next_to_a_direction(text: str, word: str, expected: str | None) -> None:
    start = text.index(word)
    assert size_words(text, start, start + len(word), word) == expected


@pytest.mark.parametrize(("words", "change", "contradicts"), [
    ("slightly", 0.10, False), ("slightly", 0.40, True),
    ("sharply", 0.30, False), ("sharply", 0.01, True),
    ("doubled", 1.0, False), ("doubled", 0.5, True), ("more than doubled", 1.5, False),
    ("more than doubled", 0.9, True), ("nearly doubled", 0.8, False), ("halved", -0.5, False),
    ("halved", -0.1, True), ("risen", 5.0, False),
])
def test_size_words_against_the_change(words: str, change: float, contradicts: bool) -> None:
    assert size_contradicts(words, change, tolerance=0.02) is contradicts


# --- spec --------------------------------------------------------------------------------
def test_commentary_settings_are_checked() -> None:
    assert ReExported is CommentarySpec
    spec = CommentarySpec(synonyms={"leads": ["bookings"]})
    assert (spec.drafts, spec.tolerance) == ("block", 0.02) and spec.synonyms == {"leads": ["bookings"]}
    with pytest.raises(ValidationError, match="unknown metric\\(s\\) bookingz; known metrics: .*leads"):
        CommentarySpec(synonyms={"bookingz": ["x"]})
    with pytest.raises(ValidationError, match="a synonym must not be empty"):
        CommentarySpec(synonyms={"leads": [" "]})
    with pytest.raises(ValidationError, match="less than or equal to 0.5"):
        CommentarySpec(tolerance=0.9)
