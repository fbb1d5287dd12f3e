"""Commentary text cut into what the checks read: sentences of Markdown, clauses of a sentence.

Sentences are found in the text **as the client reads it**, with every placeholder
filled in: a sentence that starts with a placeholder (``{{ orders.label }} grew...``)
starts with its value (``Orders grew...``), so the rule "a sentence ends at ``.``, ``!``
or ``?`` followed by a space and a capital, a digit, a currency sign or a sign" sees the
same text as the reader. :func:`filled_sentence_spans` does this for text in which the
placeholders are still tokens, and gives the spans in that text, so that a flagged
sentence can be marked around its placeholders.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_MARKUP = re.compile(r"\[([^\]]*)\]\([^)]*\)|[*_`]{1,3}")
_CLAUSE = re.compile(r";|\s+(?:but|while|whereas|although|though|yet|however)\s+|,\s+and\s+|,\s+but\s+")
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[\"'\u201c(]?[A-Z0-9$\u20ac\u00a3+\u2212-])")
_LINE_LEAD = re.compile(r"[ \t]*(?:(?:[-*+]|\d{1,3}[.)]|#{1,6}|>)[ \t]+)?")
_ABBREVIATIONS = ("e.g", "i.e", "vs", "approx", "etc", "incl", "excl", "no", "fig", "ca", "c", "cf")


def plain(sentence: str) -> str:
    """The sentence without Markdown emphasis or link targets; unicode minus as '-'."""
    text = _MARKUP.sub(lambda m: m.group(1) if m.group(1) is not None else "", sentence)
    return text.replace("\u2212", "-")


def clauses(text: str) -> list[str]:
    """The clauses of a sentence: split at ``;``, ``but``, ``while``, ``, and``..."""
    return [part for part in _CLAUSE.split(text) if part.strip()]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Start and end of each sentence of a Markdown text: paragraphs, list items, sentences.

    List markers, heading marks and quote marks at the start of a line are not part
    of the sentence (so that a sentence can be marked without breaking the Markdown).
    """
    # Not pysbd: it splits prose, not Markdown (here paragraphs, list items and headings are
    # blocks first, their markers outside every span), it would move boundaries that the
    # consistency checks and their tests pin, and it has had no release since 2021; the rule
    # of the module docstring is one regex.
    spans = []
    for start, end in _blocks(text):
        cursor = start
        for match in _SENTENCE_END.finditer(text, start, end):
            if _abbreviation(text, match.start()):
                continue
            spans.append((cursor, match.start() + 1))
            cursor = match.end()
        if text[cursor:end].strip():
            spans.append((cursor, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def filled_sentence_spans(token_text: str, tokens: Sequence[str],
                          values: Sequence[str]) -> list[tuple[int, int]]:
    """Sentence spans of ``token_text`` found as if each token were replaced by its value.

    Parameters
    ----------
    token_text:
        Text in which each placeholder is an inert token.
    tokens, values:
        Each token and the value it stands for.

    Returns
    -------
    list of (start, end)
        Offsets in ``token_text``. A sentence never starts or ends inside a value: a
        boundary the value's own text suggests ("e.g. ..." in a list of events) is ignored.
    """
    filled, pieces = _fill(token_text, tokens, values)
    merged: list[tuple[int, int]] = []
    for start, end in sentence_spans(filled):
        if merged and (_inside_value(start, pieces) or _inside_value(merged[-1][1], pieces)):
            merged[-1] = (merged[-1][0], end)  # a boundary inside a value is not one
        else:
            merged.append((start, end))
    return [(_to_token_offset(start, pieces, at_end=False), _to_token_offset(end, pieces, at_end=True))
            for start, end in merged]


# A piece of the filled text: (start, end) there, (start, end) in the token text, and whether it is a value
_Piece = tuple[int, int, int, int, bool]


def _fill(token_text: str, tokens: Sequence[str], values: Sequence[str]) -> tuple[str, list[_Piece]]:
    """The filled text and how its pieces map to ``token_text``."""
    where = {token: value for token, value in zip(tokens, values, strict=True)}
    pattern = re.compile("|".join(re.escape(t) for t in tokens)) if tokens else None
    pieces: list[_Piece] = []
    out: list[str] = []
    cursor = filled = 0
    for match in pattern.finditer(token_text) if pattern else ():
        text = token_text[cursor:match.start()]
        pieces.append((filled, filled + len(text), cursor, match.start(), False))
        out.append(text)
        filled += len(text)
        value = where[match.group(0)]
        pieces.append((filled, filled + len(value), match.start(), match.end(), True))
        out.append(value)
        filled += len(value)
        cursor = match.end()
    rest = token_text[cursor:]
    pieces.append((filled, filled + len(rest), cursor, len(token_text), False))
    out.append(rest)
    return "".join(out), pieces


def _inside_value(offset: int, pieces: list[_Piece]) -> bool:
    return any(is_value and start < offset < end for start, end, _, _, is_value in pieces)


def _to_token_offset(offset: int, pieces: list[_Piece], *, at_end: bool) -> int:
    """The offset in the token text; one inside a value moves to the value's start (or end)."""
    for start, end, token_start, token_end, is_value in pieces:
        if start <= offset <= end:
            if not is_value:
                return token_start + offset - start
            if offset == start or (offset < end and not at_end):
                return token_start
            return token_end
    return pieces[-1][3]


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
