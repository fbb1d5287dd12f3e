"""Commentary Markdown to client HTML: placeholders filled, sentences checked, text sanitised.

Commentary is written by people, so it is never treated as a template: placeholders
are found with a regular expression and replaced by inert tokens; sentences are found
and checked in the text with the values filled in (a sentence may start with a
placeholder), and marked around the tokens; the Markdown is
rendered with raw HTML escaped and then sanitised (nh3), and only then are the
tokens replaced by the escaped values and by the marks of flagged sentences.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import escape

from nbreport.commentary.bindings import FILTERS, Bindings, UnknownPlaceholder
from nbreport.commentary.consistency import Flag
from nbreport.commentary.document import strip_comments
from nbreport.commentary.errors import CommentaryIssue
from nbreport.commentary.sentences import filled_sentence_spans
from nbreport.render.sanitize import sanitize_markdown_html

# Why not a Jinja2 SandboxedEnvironment: a placeholder here is only a name path and filters,
# nothing is evaluated, so a sandbox would guard against code that cannot be written. Jinja2
# would change what the tests and the analysts rely on: it stops at the first syntax error
# while this reports every malformed or unknown placeholder at once, each with its section,
# line and a "did you mean"; it reads "{%" and "{#" in plain prose as syntax and a hyphenated
# key (sources.google-ads) as a subtraction; and it would write values into the Markdown
# before rendering and sanitising, where these stay inert tokens until after nh3 (a value's
# "*" or "<" never becomes markup) and sentences are checked around them.
PLACEHOLDER = re.compile(r"\{\{(?P<expression>[^{}\n]*)\}\}")
_EXPRESSION = re.compile(r"^\s*(?P<name>[A-Za-z_][\w-]*(?:\.[\w-]+)*)\s*(?P<filters>(?:\|\s*[a-z]+\s*)*)$")
_TAG = re.compile(r"<[^>]*>")

Check = Callable[[str], list[Flag]]


@dataclass(frozen=True)
class Placeholder:
    start: int
    end: int
    name: str
    filters: tuple[str, ...]
    line: int  # 0-based line in the text


@dataclass
class RenderedText:
    """Commentary ready for the report.

    Attributes
    ----------
    html:
        Sanitised HTML; values in ``<span class="nbr-value">``, flagged sentences in ``<mark>``.
    plain:
        The text with placeholders filled in (what the consistency check read).
    flags:
        Sentences that contradict the figures, with their line.
    problems:
        Unknown or malformed placeholders (each with its line).
    """

    html: str
    plain: str
    flags: list[Flag] = field(default_factory=list)
    problems: list[CommentaryIssue] = field(default_factory=list)


def find_placeholders(text: str) -> tuple[list[Placeholder], list[tuple[int, str]]]:
    """Placeholders in ``text`` and problems as (0-based line, message)."""
    found, problems = [], []
    for match in PLACEHOLDER.finditer(text):
        line = text.count("\n", 0, match.start())
        parsed = _EXPRESSION.match(match["expression"])
        if parsed is None:
            problems.append((line, f"malformed placeholder '{match.group(0)}'; write e.g. "
                                   "{{ revenue.change_pct }} or {{ revenue.change_pct|abs }}"))
            continue
        filters = tuple(f.strip() for f in parsed["filters"].split("|") if f.strip())
        unknown = [f for f in filters if f not in FILTERS]
        if unknown:
            problems.append((line, f"unknown filter '{unknown[0]}' in '{match.group(0)}'; "
                                   f"filters: {', '.join(FILTERS)}"))
            continue
        found.append(Placeholder(match.start(), match.end(), parsed["name"], filters, line))
    leftover = PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), text)
    for match in re.finditer(r"\{\{|\}\}", leftover):
        problems.append((leftover.count("\n", 0, match.start()),
                         f"'{match.group(0)}' without its partner on the same line; a placeholder is "
                         "written {{ name }} on one line"))
    return found, problems


def render_text(text: str, bindings: Bindings, *, check: Check | None = None,
                section: str = "", first_line: int = 1) -> RenderedText:
    """Fill, check, render and sanitise one section's commentary.

    Unknown placeholders are reported in ``problems`` and shown as the placeholder itself,
    so that a preview still renders; a report refuses text with problems.
    """
    source = strip_comments(text)
    placeholders, syntax = find_placeholders(source)
    problems = [CommentaryIssue(message, section, first_line + line) for line, message in syntax]
    nonce = "nbr" + secrets.token_hex(4)
    values: list[str] = []
    tokens: list[str] = []
    cursor, tokenised = 0, []
    for index, placeholder in enumerate(placeholders):
        try:
            values.append(bindings.text(placeholder.name, placeholder.filters))
        except UnknownPlaceholder as exc:
            hint = f"; did you mean '{exc.suggestion}'?" if exc.suggestion else ""
            problems.append(CommentaryIssue(
                f"unknown placeholder '{{{{ {placeholder.name} }}}}'{hint} "
                "(the analyst workspace lists every placeholder)", section, first_line + placeholder.line))
            values.append(source[placeholder.start:placeholder.end])
        tokens.append(f"{nonce}v{index}z")
        tokenised += [source[cursor:placeholder.start], tokens[-1]]
        cursor = placeholder.end
    tokenised.append(source[cursor:])
    token_text = "".join(tokenised)
    fill = functools.partial(_replace_tokens, tokens=tokens, values=values)
    spans = filled_sentence_spans(token_text, tokens, values)
    marked, marks = _check_sentences(token_text, spans, fill, check, nonce, section, first_line)
    html = sanitize_markdown_html(_markdown()(marked))
    html = _finish_html(html, tokens, values, marks, nonce)
    flags = [flag for sentence_flags in marks for flag in sentence_flags]
    return RenderedText(html=html, plain=fill(token_text), flags=flags, problems=problems)


def _check_sentences(token_text: str, spans: list[tuple[int, int]], fill: Callable[[str], str],
                     check: Check | None, nonce: str, section: str,
                     first_line: int) -> tuple[str, list[list[Flag]]]:
    """The text with every flagged sentence wrapped in start/end tokens, and its flags.

    ``spans`` are the sentences as the client reads them, placeholders filled in
    (:func:`~nbreport.commentary.sentences.filled_sentence_spans`).
    """
    if check is None:
        return token_text, []
    marks: list[list[Flag]] = []
    pieces, cursor = [], 0
    for start, end in spans:
        found = check(fill(token_text[start:end]))
        if not found:
            continue
        line = first_line + token_text.count("\n", 0, start)
        marks.append([dataclasses.replace(flag, section=section, line=line) for flag in found])
        number = len(marks) - 1
        pieces += [token_text[cursor:start], f"{nonce}f{number}a", token_text[start:end],
                   f"{nonce}f{number}b"]
        cursor = end
    pieces.append(token_text[cursor:])
    return "".join(pieces), marks


def _replace_tokens(text: str, *, tokens: list[str], values: list[str]) -> str:
    for token, value in zip(tokens, values, strict=True):
        text = text.replace(token, value)
    return text


def _value_class(value: str) -> str:
    # A figure stays on one line; a phrase (a list of events, say) wraps like the text around it.
    return "nbr-value nbr-value-text" if value.count(" ") > 2 else "nbr-value"


def _finish_html(html: str, tokens: list[str], values: list[str], marks: list[list[Flag]],
                 nonce: str) -> str:
    # inside a tag (a link target, say) a value could smuggle in markup: it is left out there
    html = _TAG.sub(lambda tag: re.sub(rf"{nonce}(?:v\d+z|f\d+[ab])", "", tag.group(0)), html)
    for token, value in zip(tokens, values, strict=True):
        html = html.replace(token, f'<span class="{_value_class(value)}">{escape(value)}</span>')
    for number, flags in enumerate(marks):
        said = "; ".join(dict.fromkeys(flag.message for flag in flags))
        note = f'</mark> <span class="nbr-flag-note" role="note">Check: this {escape(said)}.</span>'
        html = html.replace(f"{nonce}f{number}a", '<mark class="nbr-flag">')
        html = html.replace(f"{nonce}f{number}b", note)
    return re.sub(rf"{nonce}f\d+[ab]", "", html)


@functools.cache
def _markdown() -> Any:
    """Markdown as the export renders Markdown cells: raw HTML escaped, tables, strikethrough."""
    import mistune

    return mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])
