"""The consistency check on a planted set of consistent and contradicting statements.

The sentences and the flags each must raise are in ``tests/data/commentary_sentences.yaml``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from nbreport.commentary.consistency import CheckSettings, ConsistencyChecker, MetricFact, sentence_spans
from nbreport.commentary.lexicon import METRIC_SYNONYMS
from nbreport.commentary.numbers import NumberReader
from nbreport.commentary.rankings import Ranking
from nbreport.core.formatting import Formatter

PLANTED = yaml.safe_load((Path(__file__).parent / "data" / "commentary_sentences.yaml").read_text())


def _fact(metric: str, spec: dict[str, Any], synonyms: list[str]) -> MetricFact:
    actual, previous, last_year, target = (float(spec[key])
                                           for key in ("actual", "previous", "last_year", "target"))
    attainment = actual / target if spec["better"] == "higher" else target / actual
    names = (metric.replace("_", " "), spec["label"].lower(), *METRIC_SYNONYMS.get(metric, ()), *synonyms)
    return MetricFact(metric, spec["label"], names, spec["unit"], spec["better"], actual, previous,
                      last_year, target, (actual - previous) / previous, (actual - last_year) / last_year,
                      attainment)


def _checker(client: dict[str, Any]) -> ConsistencyChecker:
    synonyms = client.get("synonyms", {})
    facts = [_fact(metric, spec, synonyms.get(metric, [])) for metric, spec in client["facts"].items()]
    return ConsistencyChecker(facts, CheckSettings(fmt=Formatter(client["currency"], client["locale"])))


CASES = [pytest.param(client, case["text"], sorted(case["flags"]),
                      id=f"{client['locale']}: {case['text'][:60]}")
         for client in PLANTED["clients"] for case in client["sentences"]]


def test_the_planted_set_is_big_and_balanced() -> None:
    flagged = [c for c in CASES if c.values[2]]
    assert len(CASES) >= 20 and len(flagged) >= 10 and len(CASES) - len(flagged) >= 10


@pytest.mark.parametrize(("client", "sentence", "expected"), CASES)
def test_planted_sentence(client: dict[str, Any], sentence: str, expected: list[str]) -> None:
    flags = _checker(client).check(sentence)
    assert sorted(f"{flag.kind} {flag.metric}" for flag in flags) == expected
    for flag in flags:
        assert flag.sentence == sentence and flag.actual and flag.label in flag.message


def test_flag_says_what_the_figures_show() -> None:
    (flag,) = _checker(PLANTED["clients"][0]).check("Cost per acquisition rose this month.")
    assert flag.message == ("says Cost per acquisition \u201crose\u201d, but the figures show "
                            "\u22124.6% on the previous period")


def test_tolerance_is_a_setting() -> None:
    client = PLANTED["clients"][0]
    facts = [_fact(m, spec, []) for m, spec in client["facts"].items()]
    loose = ConsistencyChecker(facts, CheckSettings(tolerance=0.05))
    strict = ConsistencyChecker(facts, CheckSettings(tolerance=0.0))
    assert loose.check("Revenue reached $560,000.") == []
    assert [f.kind for f in strict.check("Revenue reached $575,000.")] == ["value"]


def test_missing_figures_are_never_flagged() -> None:
    fact = MetricFact("revenue", "Revenue", ("revenue",), "currency", "higher", 100.0, math.nan, math.nan,
                      math.nan, math.nan, math.nan, math.nan)
    checker = ConsistencyChecker([fact], CheckSettings())
    assert checker.check("Revenue fell 50% and missed its target.") == []


@pytest.mark.parametrize(("locale", "text", "values"), [
    ("en_US", "$582,046 and 12.5% and 1.2m and 7.6x", [(582046, "currency", 1), (12.5, "percent", 0.1),
                                                      (1.2e6, "plain", 1e5), (7.6, "multiple", 0.1)]),
    ("en_US", "48,000 visits, \u22124.6% and +3 pp", [(48000, "plain", 500), (4.6, "percent", 0.1),
                                                        (3, "points", 1)]),
    ("de_DE", "56.659 \u20ac und +6,2\u00a0%", [(56659, "currency", 1), (6.2, "percent", 0.1)]),
    ("fr_FR", "12\u202f346\u00a0\u20ac", [(12346, "currency", 1)]),
    ("en_US", "In 2026, on 12 October, Q3 and the 3rd week", []),
])
def test_numbers_are_read_in_the_clients_locale(locale: str, text: str,
                                                values: list[tuple[float, str, float]]) -> None:
    found = NumberReader(locale, "EUR" if locale != "en_US" else "USD").find(text)
    assert [n.kind for n in found] == [kind for _, kind, _ in values]
    assert [n.value for n in found] == pytest.approx([value for value, _, _ in values])
    assert [n.precision for n in found] == pytest.approx([precision for _, _, precision in values])


def test_sentences_split_without_breaking_markdown() -> None:
    text = "- Revenue rose 12.5%. Orders fell.\n- CPA, e.g. on search, rose\n  over the month.\n\nDone."
    spans = [text[s:e] for s, e in sentence_spans(text)]
    assert spans == ["Revenue rose 12.5%.", "Orders fell.", "CPA, e.g. on search, rose\n  over the month.",
                     "Done."]


# --- counts, ranks and size words ----------------------------------------------------------------
def _scorecard(statuses: list[str], headline: int = 0) -> list[MetricFact]:
    nan = math.nan
    return [MetricFact(f"m{i}", f"M{i}", (f"metric {i}",), "count", "higher", 1.0, nan, nan, 1.0, nan,
                       nan, 1.0, status=status, headline=i < headline)
            for i, status in enumerate(statuses)]


@pytest.mark.parametrize(("sentence", "flagged"), [
    ("Five of the nine KPIs are on target.", False),
    ("5 of 9 KPIs with a target are on target.", False),
    ("Four of the seven KPIs are on target.", True),
    ("Four of the nine KPIs are on target.", True),
    ("Four KPIs missed their target.", False),
    ("Three KPIs missed their target.", True),
    ("Three KPIs are close to target.", False),
    ("One KPI is off target.", False),  # red
    ("Four KPIs are off target.", False),  # or every KPI that missed
    ("Two KPIs are off target.", True),
    ("All KPIs are on target.", True),
    ("Not all KPIs are on target.", False),
    ("None of the KPIs missed their target.", True),
    ("Four KPIs are not on target.", False),
    ("Two of the three headline KPIs are on target.", False),
    ("All three headline KPIs are on target.", True),
    ("Most KPIs are on target.", False),
    ("We expect all KPIs to be on target next month.", False),
])
def test_count_claims_against_the_scorecard(sentence: str, flagged: bool) -> None:
    # 9 KPIs: 5 on target, 3 close to target, 1 off target; the 3 headline KPIs: green, green, amber
    facts = _scorecard(["green", "green", "amber", "green", "green", "green", "amber", "amber", "red"],
                       headline=3)
    flags = ConsistencyChecker(facts, CheckSettings()).check(sentence)
    assert [f.kind for f in flags] == (["count"] if flagged else []), [f.message for f in flags]


RANKINGS = [
    Ranking("channel", "revenue", "revenue", ("revenue", "sales"), "higher", "size", "currency",
            {"Paid Search": 190.0, "Organic Search": 180.0, "Email": 36.0}),
    Ranking("channel", "cpa", "cost per acquisition", ("cpa", "cost per order"), "lower", "ratio", "currency",
            {"Paid Search": 24.7, "Paid Social": 30.1}),
    Ranking("campaign", "spend", "spend", ("spend", "budget"), "higher", "size", "currency",
            {"Search - Brand": 4.7, "Shopping": 21.6, "Generic": 16.5}),
]


@pytest.mark.parametrize(("sentence", "flagged"), [
    ("Paid Search was our best channel for revenue.", False),
    ("Email was our best channel for revenue.", True),
    ("Organic Search was the second-best channel for revenue.", False),
    ("Email was the second-best channel for revenue.", True),
    ("Email brought in the least revenue.", False),
    ("Paid Search had the lowest cost per order.", False),
    ("Paid Social was our cheapest channel.", True),
    ("Paid Social was the most expensive channel.", False),
    ("Search \u2013 Brand took the largest share of the budget.", True),
    ("Shopping took the largest share of the budget.", False),
    ("Email was not our best channel for revenue.", False),
    ("Email had its best month since 2024.", False),
    ("Email revenue was the highest in two years.", False),
    ("On top of that, Email grew.", False),
])
def test_rank_claims_against_the_reports_tables(sentence: str, flagged: bool) -> None:
    flags = ConsistencyChecker([], CheckSettings(), RANKINGS).check(sentence)
    assert [f.kind for f in flags] == (["rank"] if flagged else []), [f.message for f in flags]


@pytest.mark.parametrize(("sentence", "change", "flagged"), [
    ("Revenue rose slightly.", 0.03, False),
    ("Revenue rose slightly.", 0.40, True),
    ("Revenue edged up.", 0.40, True),
    ("Revenue rose sharply.", 0.25, False),
    ("Revenue rose sharply.", 0.005, True),
    ("A sharp rise in revenue.", 0.005, True),
    ("Revenue doubled.", 1.05, False),
    ("Revenue doubled.", 0.30, True),
    ("Revenue more than doubled.", 1.20, False),
    ("Revenue more than doubled.", 0.90, True),
    ("Revenue nearly doubled.", 0.85, False),
    ("Revenue tripled.", 1.0, True),
    ("Revenue halved.", -0.5, False),
    ("Revenue halved.", -0.1, True),
    ("Revenue surged.", 0.01, True),
])
def test_size_words_against_the_change(sentence: str, change: float, flagged: bool) -> None:
    nan = math.nan
    fact = MetricFact("revenue", "Revenue", ("revenue",), "currency", "higher", 100 * (1 + change), 100.0,
                      nan, nan, change, nan, nan)
    flags = ConsistencyChecker([fact], CheckSettings()).check(sentence)
    assert [f.kind for f in flags] == (["size"] if flagged else []), [f.message for f in flags]
