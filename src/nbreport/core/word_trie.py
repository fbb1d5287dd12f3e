"""A regular expression for "any of these words" that compiles in a fraction of the time.

``"|".join(words)`` makes Python's regex compiler parse and optimise every alternative on its
own: for the few hundred names of a report's metrics that is a tenth of a second, paid by every
report. The same words as a trie (``cost(?: per (?:lead|click))?``) compile many times
faster, and match the same text: at each point the branches start with different characters,
and a word's optional continuation is tried before the word ends, so the longest word that
fits is found first, as with an alternation sorted longest first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""  # a key no character can be: "a word ends here"


def any_word(words: Iterable[str]) -> str:
    """The pattern matching any of ``words`` (literally), longest first."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[_END] = {}
    return _branches(trie)


def _branches(node: dict[str, dict]) -> str:
    branches = [re.escape(char) + _branches(child) for char, child in sorted(node.items())
                if char != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if _END in node else body
