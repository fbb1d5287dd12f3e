"""Context notes: dated events outside the data that explain it (launches, outages, competitors...).

They live in ``commentary/<client-id>/context.yaml``, written by the analyst::

    events:
      - date: 2026-06-10
        end: 2026-06-12
        kind: outage
        title: Checkout tracking outage
        note: The analytics tag was missing from the checkout after a release.

They are drawn on the trend charts and are available to commentary (``{{ context.events }}``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, ValidationError, model_validator

from nbreport.commentary.errors import CommentaryError, CommentaryIssue
from nbreport.commentary.store import context_path, display_path, read_client_file
from nbreport.core.errors import ParamsError
from nbreport.core.strict_model import StrictModel
from nbreport.i18n import _

if TYPE_CHECKING:
    from nbreport.charts.trend import ChartAnnotation

NoteKind = Literal["campaign", "outage", "competitor", "holiday", "promotion", "budget", "site",
                   "market", "other"]


class ContextNote(StrictModel):
    """One dated event.

    Attributes
    ----------
    date, end:
        The day it happened, or its first and last day.
    kind:
        ``campaign``, ``outage``, ``competitor``, ``holiday``, ``promotion``, ``budget``,
        ``site``, ``market`` or ``other``.
    title:
        A few words, shown on the chart's caption.
    note:
        Optional detail for the analyst and the commentary.
    campaign:
        The campaign it concerns, if any.
    """

    date: dt.date
    end: dt.date | None = None
    kind: NoteKind = "other"
    title: Annotated[str, Field(min_length=1, max_length=90)]
    note: str = ""
    campaign: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> ContextNote:
        if self.end is not None and self.end < self.date:
            raise ValueError(f"end ({self.end}) is before date ({self.date})")
        return self

    @property
    def last(self) -> dt.date:
        return self.end or self.date

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        return self.date <= end and self.last >= start

    def when(self, locale: str) -> str:
        """``12 October 2026`` or ``1\u201331 October 2026`` in the client's locale."""
        from babel.dates import format_date, format_interval

        if self.end is None or self.end == self.date:
            return format_date(self.date, format="long", locale=locale)
        return format_interval(self.date, self.end, "yMMMd", locale=locale)


class ContextNotes(StrictModel):
    events: list[ContextNote] = Field(default_factory=list)


def client_notes(project_dir: Path, client_id: str) -> list[ContextNote]:
    """The client's notes from ``commentary/<client-id>/context.yaml`` (none without the file)."""
    path = context_path(project_dir, client_id)
    text = read_client_file(path, project_dir, client_id)
    return parse_notes(text, display_path(path, project_dir)) if text is not None else []


def parse_notes(text: str, display: str) -> list[ContextNote]:
    """The notes in a ``context.yaml`` text, sorted by date.

    Raises
    ------
    CommentaryError
        Naming the file, line and key of every problem.
    """
    from nbreport.core.yamlfile import dotted_key, parse_yaml

    try:
        document = parse_yaml(text, display)
    except ParamsError as exc:
        issues = [CommentaryIssue(issue.message, line=issue.line) for issue in exc.issues]
        raise CommentaryError(display, issues) from None
    try:
        notes = ContextNotes.model_validate(document.data)
    except ValidationError as exc:
        issues = []
        for error in exc.errors():
            loc = tuple(part for part in error["loc"] if isinstance(part, int | str))
            message = str(error["msg"]).removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                message = f"unknown key; allowed keys: {', '.join(ContextNote.model_fields)}"
            issues.append(CommentaryIssue(f"{dotted_key(loc)}: {message}", line=document.line_of(loc)))
        raise CommentaryError(display, issues) from None
    return sorted(notes.events, key=lambda note: note.date)


def notes_between(notes: list[ContextNote], start: dt.date, end: dt.date) -> list[ContextNote]:
    """The notes of events that overlap the days from ``start`` to ``end``."""
    return [note for note in notes if note.overlaps(start, end)]


@dataclass(frozen=True)
class ChartEvents:
    """The notes of a chart's time span, as numbered markers and the caption that explains them."""

    annotations: list[ChartAnnotation]
    caption: str


def monthly_chart_events(notes: list[ContextNote], months: Sequence[Any], locale: str) -> ChartEvents:
    """Markers for the notes that fall in the charted months (month starts), numbered by date."""
    import pandas as pd

    from nbreport.charts.trend import ChartAnnotation

    if not len(months):
        return ChartEvents([], "")
    first, last = months[0].date(), (months[-1] + pd.offsets.MonthEnd(0)).date()
    annotations, parts = [], []
    for number, note in enumerate(notes_between(notes, first, last), start=1):
        month = pd.Timestamp(max(note.date, first)).to_period("M").to_timestamp()
        annotations.append(ChartAnnotation(month, number))
        parts.append(f"({number}) {note.title}, {note.when(locale)}")
    return ChartEvents(annotations, _("Events: %(events)s.", events="; ".join(parts)) if parts else "")
