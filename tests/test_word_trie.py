"""``any_word``: the same matches as an alternation of the words sorted longest first."""

from __future__ import annotations

import random
import re

import pytest

from nbreport.core.word_trie import any_word

NAMES = ["cost", "cost per lead", "cost per click", "cpl", "cpc", "ctr", "leads", "lead",
         "lead-to-deal rate", "deals won", "deals", "roas", "return on ad spend", "sessions",
         "new sessions", "revenue", "revenue (paid)", "nps", "net promoter score", "churn",
         "churn rate", "c", "co", "cos", "spend", "ad spend", "spend. total", "a+b", "50%"]
BOUNDED = r"(?<![\w-])(?:{})(?![\w-])"


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def _matches(pattern: str, text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in re.finditer(pattern, text)]


@pytest.mark.parametrize("seed", range(40))
def test_the_trie_finds_what_the_longest_first_alternation_finds(seed: int) -> None:
    chooser = random.Random(seed)
    words = chooser.sample(NAMES, chooser.randint(1, len(NAMES)))
    pieces = [*NAMES, "x", "-", " ", ", ", ".", "per", "costly", "leads-", "(", ")", "%", "5"]
    text = "".join(chooser.choice(pieces) + chooser.choice(["", " "]) for _ in range(200))
    expected = _matches(BOUNDED.format(_alternation(words)), text)
    assert _matches(BOUNDED.format(any_word(words)), text) == expected
    assert _matches(any_word(words), text) == _matches(_alternation(words), text)


def test_a_name_found_inside_a_longer_one_that_does_not_fit_is_still_found() -> None:
    pattern = BOUNDED.format(any_word(["cost", "cost per lead"]))
    assert _matches(pattern, "cost per leads rose") == [(0, 4, "cost")]
    assert _matches(pattern, "cost per lead rose") == [(0, 13, "cost per lead")]
