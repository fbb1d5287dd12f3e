"""Size words checked against a change: "slightly", "sharply", "doubled", "more than halved".

A size word stands next to a direction ("rose sharply", "a slight dip", "edged up") or is
the direction itself ("surged", "doubled", "more than tripled"). It is judged on the same
change as its direction (on the previous period, or on last year when the clause says so):

* small words ("slightly", "edged", "modest"): a relative change of at most
  :data:`~nbreport.commentary.lexicon.SMALL_CHANGE_MAX`;
* large words ("sharply", "surged", "plunged"): at least
  :data:`~nbreport.commentary.lexicon.LARGE_CHANGE_MIN`;
* multiples: the new value over the old one, 1.8x to 2.25x for "doubled" (scaled for
  "tripled", "quadrupled", "halved"); "more than doubled" at least 2x, "almost" or
  "nearly doubled" from 1.6x to 2x, all with the check's tolerance.
"""

from __future__ import annotations

import re

from nbreport.commentary import lexicon

_QUALIFIED = re.compile(r"^(?:(?P<qualifier>more than|almost|nearly)\s+)?(?P<multiple>\w+)$")


def size_words(low: str, start: int, end: int, word: str) -> str | None:
    """The size words of the direction ``word`` at ``low[start:end]``, or ``None``."""
    bare = _QUALIFIED.match(word)
    if (bare and bare["multiple"] in lexicon.MULTIPLES) or word in lexicon.LARGE_WORDS:
        return word
    after = lexicon.SIZE_AFTER.match(low[end:end + 30])
    if after:
        return after["size"]
    before = lexicon.SIZE_BEFORE.search(low[max(0, start - 30):start])
    return before["size"] if before else None


def size_contradicts(words: str, change: float, tolerance: float) -> bool:
    """Whether a change of ``change`` (relative: 0.1 is +10%) is not what ``words`` say."""
    size = abs(change)
    if words in lexicon.SMALL_WORDS:
        return size > lexicon.SMALL_CHANGE_MAX + tolerance
    if words in lexicon.LARGE_WORDS:
        return size < lexicon.LARGE_CHANGE_MIN - tolerance
    parsed = _QUALIFIED.match(words)
    if parsed is None or parsed["multiple"] not in lexicon.MULTIPLES:
        return False
    return not _multiple_fits(lexicon.MULTIPLES[parsed["multiple"]], parsed["qualifier"], 1 + change,
                              tolerance)


def _multiple_fits(multiple: float, qualifier: str | None, ratio: float, tolerance: float) -> bool:
    """Whether ``ratio`` (new / old) is what "doubled", "more than halved"... say."""
    if multiple < 1:  # halved: judged as the old value over the new one
        return ratio > 0 and _multiple_fits(1 / multiple, qualifier, 1 / ratio, tolerance)
    low, high = multiple * 0.9, multiple * 1.125
    if qualifier == "more than":
        low, high = multiple, float("inf")
    elif qualifier in ("almost", "nearly"):
        low, high = multiple * 0.8, multiple
    return low * (1 - tolerance) <= ratio <= high * (1 + tolerance)
