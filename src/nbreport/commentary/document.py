"""A commentary file: Markdown, one ``## Section`` per report section.

::

    # Northwind Outfitters, October 2026

    ## Executive summary
    Revenue reached {{ revenue.actual }}, {{ revenue.change_pct }} on {{ period.previous }}.

    ## Recommendations and next steps
    - Move budget from generic search to retargeting.

A section is known by its title or its id (``executive-summary``), in any case.
``<!-- comments -->`` are notes for the analyst and never reach the report; a
heading with nothing under it counts as not written (the report shows a draft).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from types import MappingProxyType

from nbreport.commentary.errors import CommentaryError, CommentaryIssue
from nbreport.report.outline import Section, commentary_sections

SectionInfo = Section  # a report section that takes commentary (see nbreport.report.outline)

# Section id -> section, in report order: the outline's sections that take commentary (read-only:
# a new one is added to the outline, where the master notebook's test sees it too).
SECTIONS = MappingProxyType({s.id: s for s in commentary_sections()})
APPROVE_DRAFT = "{{ draft }}"  # a section's whole text: "the draft, as it is, is approved"


@dataclass(frozen=True)
class SectionText:
    """What the analyst wrote under one heading.

    Attributes
    ----------
    text:
        As written, comments included (what the workspace edits and saves).
    line:
        The file line of the first line of ``text``.
    """

    id: str
    text: str
    line: int

    @property
    def written(self) -> bool:
        return bool(strip_comments(self.text).strip())


def approves_draft(text: str) -> bool:
    """Whether a section's text approves its draft as it is (``{{ draft }}`` alone)."""
    return strip_comments(text).strip() == APPROVE_DRAFT


_HEADING = re.compile(r"^##[ \t]+(?P<title>.+?)[ \t]*#*[ \t]*$")
_TITLE = re.compile(r"^#[ \t]+\S")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_FENCE = re.compile(r"^[ \t]*(```|~~~)")


def strip_comments(text: str) -> str:
    """``text`` without ``<!-- -->`` comments; line breaks are kept so line numbers still hold."""
    return _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def section_for_heading(title: str) -> SectionInfo | None:
    key = _slug(title)
    return next((s for s in SECTIONS.values() if key in (s.id, _slug(s.title))), None)


def parse_commentary(text: str, display: str) -> dict[str, SectionText]:
    """Section id -> what is written under it.

    Raises
    ------
    CommentaryError
        For text before the first section, unknown or repeated section headings.
    """
    sections: dict[str, SectionText] = {}
    headings: dict[str, int] = {}
    issues: list[CommentaryIssue] = []
    current: str | None = None
    seen_heading = False
    body: list[str] = []
    start = 1
    in_fence = False
    masked = strip_comments(text).splitlines()
    raw = text.splitlines()
    for number, (line, shown) in enumerate(zip(raw, masked, strict=True), start=1):
        in_fence = in_fence != bool(_FENCE.match(shown))
        heading = None if in_fence else _HEADING.match(shown)
        if heading is None:
            if not seen_heading and shown.strip() and not _TITLE.match(shown):
                issues.append(CommentaryIssue(
                    "text before the first section heading; put it under a '## Section' heading",
                    line=number))
            body.append(line)
            continue
        _close(sections, current, body, start)
        seen_heading = True
        current, body, start = _open(heading["title"], number, headings, issues), [], number + 1
    _close(sections, current, body, start)
    if issues:
        raise CommentaryError(display, issues)
    return sections


def _open(title: str, line: int, headings: dict[str, int], issues: list[CommentaryIssue]) -> str | None:
    info = section_for_heading(title)
    if info is None:
        known = [s.title for s in SECTIONS.values()]
        close = difflib.get_close_matches(title, known, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'? " if close else ""
        issues.append(CommentaryIssue(f"unknown section '{title}'; {hint}sections: {', '.join(known)}",
                                      line=line))
        return None
    if info.id in headings:
        issues.append(CommentaryIssue(f"section '{info.title}' appears twice (first on line "
                                      f"{headings[info.id]}); keep one", line=line))
        return None
    headings[info.id] = line
    return info.id


def _close(sections: dict[str, SectionText], current: str | None, body: list[str], start: int) -> None:
    if current is None:
        return
    while body and not body[0].strip():
        body, start = body[1:], start + 1
    sections[current] = SectionText(current, "\n".join(body).strip("\n"), start)


def render_commentary(sections: dict[str, str], title: str) -> str:
    """The file text for ``sections`` (id -> text), every known section in report order.

    Sections without text keep their heading, so that an analyst sees what is left to write.
    """
    parts = [f"# {title}", "",
             "<!-- One '## Section' per report section. {{ placeholders }} show the report's numbers; "
             "a section left empty shows a draft written from the numbers. -->", ""]
    for info in SECTIONS.values():
        parts += [f"## {info.title}", ""]
        text = sections.get(info.id, "").strip("\n")
        if text.strip():
            parts += [text, ""]
    return "\n".join(parts).rstrip("\n") + "\n"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
