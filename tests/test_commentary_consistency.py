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
from nbreport.formatting import Formatter

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
