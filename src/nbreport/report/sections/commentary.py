"""The analyst's commentary beside the numbers, and the next steps of the first screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nbreport.report.context import Report
from nbreport.report.fragment import Fragment, render, trusted

if TYPE_CHECKING:
    from nbreport.commentary.compose import SectionCommentary


def commentary(report: Report, section_id: str) -> Fragment:
    """The commentary of one section (e.g. ``"trends"``): the analyst's, or a marked draft."""
    part = report.commentary.section(section_id)
    return render("commentary.html.j2", _text(part), **_context(part))


def next_steps(report: Report) -> Fragment:
    """Recommendations and next steps (the feedback line is in the page's footer)."""
    part = report.commentary.section("next-steps")
    return render("next_steps.html.j2", _text(part), **_context(part))


def _context(part: SectionCommentary) -> dict[str, Any]:
    # the HTML was rendered from sanitised Markdown with escaped values (nbreport.commentary.markup)
    return {"section_id": part.info.id, "html": trusted(part.html), "draft": part.draft,
            "flags": len(part.flags)}


def _text(part: SectionCommentary) -> str:
    notes = [word for word, applies in (("draft", part.draft), (f"{len(part.flags)} flagged", part.flags))
             if applies]
    return f"Commentary: {part.info.title}" + (f" ({', '.join(notes)})" if notes else "")
