"""Drafts: commentary written from the numbers where the analyst has written none.

A draft is Markdown with placeholders, like the analyst's own text, so that an
analyst who adopts it in the workspace keeps it bound to the numbers. Writers are
registered per section; a domain adds its own sentences (wins and challenges,
budget pacing, forecasts) with one line::

    register_draft("executive-summary", wins_and_challenges_sentences)

A writer takes the :class:`~nbreport.commentary.view.ReportFacts` and returns Markdown paragraphs
or list items (an empty list when it has nothing to say).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from nbreport.commentary.notes import notes_between
from nbreport.commentary.values import movement

if TYPE_CHECKING:
    from nbreport.metrics.kpis import KpiResult
    from nbreport.commentary.view import ReportFacts

DraftWriter = Callable[["ReportFacts"], list[str]]
DRAFT_WRITERS: dict[str, list[DraftWriter]] = {}
NOTHING_TO_SAY = "Nothing has been written for this section yet."
AD_METRICS = ("spend", "cpa", "paid_roas", "blended_roas", "cost_per_lead", "cost_per_paid_lead",
              "cost_per_paid_order", "cpc", "ctr", "conversions", "clicks", "conversion_value",
              "cpm", "impressions")
MOVERS_SHOWN = 3


def register_draft(section_id: str, writer: DraftWriter) -> None:
    """Add ``writer``'s sentences to the draft of ``section_id`` (after those already registered)."""
    DRAFT_WRITERS.setdefault(section_id, []).append(writer)


def write_draft(view: ReportFacts, section_id: str) -> str:
    """The draft of one section: every registered writer's paragraphs, in order."""
    paragraphs = [text for writer in DRAFT_WRITERS.get(section_id, []) for text in writer(view)]
    return _join(paragraphs) if paragraphs else NOTHING_TO_SAY


def _join(paragraphs: list[str]) -> str:
    """List items stay together as one list; other paragraphs are separated by a blank line."""
    text = paragraphs[0]
    for before, paragraph in zip(paragraphs, paragraphs[1:], strict=False):
        both_items = before.startswith("- ") and paragraph.startswith("- ")
        text += ("\n" if both_items else "\n\n") + paragraph
    return text


def _about(result: KpiResult, template: str) -> str:
    """``template`` with ``@`` standing for the KPI's metric: ``{{ @.actual }}`` -> ``{{ cpa.actual }}``."""
    return template.replace("@", result.metric)


def _change_sentence(result: KpiResult) -> str:
    """'Revenue rose 17.7% on September and 14.6% year on year, to $582,046.' as placeholders."""
    if math.isnan(result.change_pct):
        return _about(result, "{{ @.label }} was {{ @.actual }}.")
    if movement(result.change_pct)[1] == "flat":
        moved = "{{ @.label }} held steady on {{ period.previous }}"
    else:
        moved = "{{ @.label }} {{ @.movement }} {{ @.change_pct|abs }} on {{ period.previous }}"
    if not math.isnan(result.yoy_pct):
        moved += " and {{ @.yoy_movement }} {{ @.yoy_pct|abs }} year on year"
    return _about(result, moved + ", to {{ @.actual }}.")


def _biggest_change_first(result: KpiResult) -> float:
    return -abs(result.change_pct) if not math.isnan(result.change_pct) else 0.0


def summary_draft(view: ReportFacts) -> list[str]:
    """How many KPIs are on target, the biggest moves among the headline KPIs, the events."""
    paragraphs = []
    if any(r.status != "none" for r in view.kpis):
        paragraphs.append("{{ scorecard.on_target }} of {{ scorecard.with_target }} KPIs with a target "
                          "are on target in {{ period.label }}.")
    movers = sorted(view.headline, key=_biggest_change_first)
    paragraphs += [_change_sentence(r) for r in movers[:MOVERS_SHOWN]]
    if notes_between(view.context_notes, view.reported.start, view.reported.end):
        paragraphs.append("Context: {{ context.events }}.")
    return [" ".join(paragraphs)] if paragraphs else []


def targets_draft(view: ReportFacts) -> list[str]:
    """Each KPI off or close to target, with the gap; those on target in one line."""
    items = [_about(r, "- {{ @.label }}: {{ @.status }}, {{ @.actual }} against a target of "
                       "{{ @.target }} ({{ @.attainment }} of target).")
             for r in view.kpis if r.status in ("red", "amber")]
    green = [_about(r, "{{ @.label }}") for r in view.kpis if r.status == "green"]
    if green:
        items.append(f"- On target: {', '.join(green)}.")
    return items


def trends_draft(view: ReportFacts) -> list[str]:
    """The headline KPIs against the previous period and last year."""
    return [_change_sentence(r) for r in view.headline[:MOVERS_SHOWN]]


def campaigns_draft(view: ReportFacts) -> list[str]:
    """The advertising KPIs of the scorecard, with their change."""
    ads = [r for r in view.kpis if r.metric in AD_METRICS and not math.isnan(r.actual)]
    sentences = [_about(r, "{{ @.label }}: {{ @.actual }} ({{ @.change_pct }} on {{ period.previous }}).")
                 for r in ads[:MOVERS_SHOWN]]
    return [" ".join(sentences)] if sentences else []


def next_steps_draft(view: ReportFacts) -> list[str]:
    """One step per KPI off target, furthest first, then one to keep what works."""
    items = []
    for r in sorted(view.kpis, key=lambda r: r.attainment if not math.isnan(r.attainment) else math.inf):
        if r.status == "red":
            items.append(_about(r, "- Bring {{ @.label|lower }} back towards its target: {{ @.actual }} "
                                   "against a target of {{ @.target }}."))
        elif r.status == "amber":
            items.append(_about(r, "- Close the gap on {{ @.label|lower }}, at {{ @.attainment }} "
                                   "of target."))
    best = max((r for r in view.kpis if r.status == "green"), key=lambda r: r.attainment, default=None)
    if best is not None:
        items.append(_about(best, "- Keep what is working for {{ @.label|lower }}, on target at "
                                  "{{ @.attainment }} of target."))
    return items


register_draft("executive-summary", summary_draft)
register_draft("targets", targets_draft)
register_draft("trends", trends_draft)
register_draft("campaigns", campaigns_draft)
register_draft("next-steps", next_steps_draft)
