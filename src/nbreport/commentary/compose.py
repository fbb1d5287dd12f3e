"""One client's commentary for one period: read, filled in, checked, drafted where missing.

:class:`ReportCommentary` is what ``report.commentary`` holds. From the text of
``commentary/<client-id>/<period>.md`` (read with the report's inputs) it fills in
every placeholder (an unknown one stops the report with an error naming the file,
section and line), checks each analyst-written sentence against the figures, and
writes a marked draft for every section the analyst has not written. A section whose whole
text is ``{{ draft }}`` shows the draft as approved by the analyst: not marked, and not
counted as unreviewed. :meth:`ReportCommentary.summary` is what the run summary records
under ``commentary`` and ``review``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nbreport.commentary import values as _values  # noqa: F401 - registers the built-in values
from nbreport.commentary.bindings import Bindings
from nbreport.commentary.consistency import Flag
from nbreport.commentary.document import (APPROVE_DRAFT, SECTIONS, SectionInfo, SectionText,
                                          approves_draft, parse_commentary)
from nbreport.commentary.drafts import write_draft
from nbreport.commentary.errors import CommentaryError
from nbreport.commentary.facts import consistency_checker, metric_facts
from nbreport.commentary.markup import RenderedText, render_text
from nbreport.commentary.store import CommentaryFile

if TYPE_CHECKING:
    from nbreport.commentary.view import ReportFacts

log = logging.getLogger(__name__)
__all__ = ["APPROVE_DRAFT", "ReportCommentary", "SectionCommentary", "consistency_checker",
           "metric_facts"]


@dataclass
class SectionCommentary:
    """The commentary of one report section as the report shows it.

    Attributes
    ----------
    source:
        The Markdown (with placeholders) it was rendered from: the analyst's or the draft.
    draft:
        Written from the numbers because the analyst has not written this section.
    line:
        Line of the section's text in the commentary file (``None`` for a draft).
    approved:
        The draft, approved as it is by the analyst (``{{ draft }}`` in the file).
    """

    info: SectionInfo
    source: str
    draft: bool
    line: int | None
    rendered: RenderedText
    approved: bool = False

    @property
    def html(self) -> str:
        return self.rendered.html

    @property
    def flags(self) -> list[Flag]:
        return self.rendered.flags


class ReportCommentary:
    """The commentary of a report; see the module docstring.

    Raises
    ------
    CommentaryError
        When the file cannot be read or parsed, or names placeholders that do not exist.
    """

    def __init__(self, view: ReportFacts, file: CommentaryFile,
                 shown: tuple[str, ...] | None = None) -> None:
        self.view = view
        self.shown = shown  # the sections the report shows (None: all); only those are reviewed
        self.file = file
        self.display = file.display
        written = parse_commentary(file.text, self.display) if file.text is not None else {}
        self.bindings = Bindings(view)
        self.checker = consistency_checker(view)
        self.sections = {info.id: self._section(info, written.get(info.id)) for info in SECTIONS.values()}
        problems = [p for s in self.sections.values() for p in s.rendered.problems]
        if problems:
            raise CommentaryError(self.display, problems)
        for flag in self.flags:
            log.warning("%s, section '%s', line %s: %s", self.display, flag.section, flag.line, flag.message)

    def _section(self, info: SectionInfo, written: SectionText | None) -> SectionCommentary:
        if written is not None and approves_draft(written.text):
            draft = write_draft(self.view, info.id)
            rendered = render_text(draft, self.bindings, section=info.title)
            return SectionCommentary(info, draft, False, written.line, rendered, approved=True)
        if written is not None and written.written:
            rendered = render_text(written.text, self.bindings, check=self.checker.check,
                                   section=info.title, first_line=written.line)
            return SectionCommentary(info, written.text, False, written.line, rendered)
        draft = write_draft(self.view, info.id)
        rendered = render_text(draft, self.bindings, section=info.title)
        return SectionCommentary(info, draft, True, None, rendered)

    def section(self, section_id: str) -> SectionCommentary:
        if section_id not in self.sections:
            raise KeyError(f"no commentary section '{section_id}'; sections: {', '.join(self.sections)}")
        return self.sections[section_id]

    @property
    def flags(self) -> list[Flag]:
        return [flag for s in self.sections.values() for flag in s.flags]

    def _in_report(self) -> list[SectionCommentary]:
        return [s for s in self.sections.values() if self.shown is None or s.info.id in self.shown]

    @property
    def drafts(self) -> list[str]:
        """Sections of the report showing an unreviewed draft."""
        return [s.info.id for s in self._in_report() if s.draft]

    @property
    def approved(self) -> list[str]:
        """Sections showing a draft the analyst approved as it is."""
        return [s.info.id for s in self._in_report() if s.approved]

    @property
    def written(self) -> list[str]:
        return [s.info.id for s in self._in_report() if not s.draft]

    def review(self) -> dict[str, Any]:
        """Whether the report may go to the client, and why not (``publishable``, ``reasons``)."""
        reasons = []
        if self.flags:
            where = "; ".join(f"section '{f.section}', line {f.line}: {f.message}" for f in self.flags)
            reasons.append(f"{len(self.flags)} statement(s) in {self.display} contradict the figures: "
                           f"{where}")
        drafts = self.drafts
        if drafts:
            titles = ", ".join(f"'{self.sections[s].info.title}'" for s in drafts)
            reasons.append(f"unreviewed draft commentary in {titles}: write these sections in "
                           f"{self.display}, or approve a draft as it is by writing "
                           f"{APPROVE_DRAFT} under its heading")
        preview = bool(drafts) and not self.flags and self.view.settings.drafts == "preview"
        # preview: published for the analyst to read, never sent (the QA gate fails it)
        return {"publishable": not reasons, "reasons": reasons, "drafts": len(drafts),
                "preview": preview}

    def summary(self) -> dict[str, Any]:
        """Plain values for the run summary (key ``commentary``)."""
        return {
            "file": self.display,
            "exists": self.file.exists,
            "sha256": self.file.sha256,
            "written": self.written,
            "drafts": self.drafts,
            "approved": self.approved,
            "drafts_policy": self.view.settings.drafts,
            "flags": [flag.to_dict() for flag in self.flags],
            "context_notes": len(self.view.context_notes),
        }
