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
from nbreport.i18n import N_, _, current_language, ngettext
from nbreport.i18n.catalogues import translations

if TYPE_CHECKING:
    from nbreport.metrics.kpis import KpiResult
    from nbreport.commentary.view import ReportFacts

DraftWriter = Callable[["ReportFacts"], list[str]]
DRAFT_WRITERS: dict[str, list[DraftWriter]] = {}
NOTHING_TO_SAY = N_("Nothing has been written for this section yet.")  # shown with _()
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
    return _join(paragraphs) if paragraphs else _(NOTHING_TO_SAY)


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


def pgettext(context: str, message: str) -> str:
    """``message`` in the language in use; ``context`` tells apart variants whose English
    words are the same (a rise and a fall both read ``{{ @.movement }}`` in English)."""
    return translations(current_language()).pgettext(context, message)


def _change_sentence(result: KpiResult) -> str:
    """'Revenue rose 17.7% on September and 14.6% year on year, to $582,046.' as placeholders.

    Each combination of directions is a message of its own: a translator writes the verb
    itself where the English shows ``{{ @.movement }}`` (the context names the direction).
    """
    if math.isnan(result.change_pct):
        return _about(result, _("{{ @.label }} was {{ @.actual }}."))
    change = movement(result.change_pct)[1]
    yearly = "none" if math.isnan(result.yoy_pct) else movement(result.yoy_pct)[1]
    return _about(result, _change_templates()[change, yearly])


def _change_templates() -> dict[tuple[str, str], str]:
    """(direction on the previous period, direction year on year) -> the draft sentence."""
    # Translators: {{ @.movement }} and {{ @.yoy_movement }} show "rose", "fell" or "held
    # steady", as the context says; write the verb itself in their place if the language needs
    # to, and keep every other {{ ... }} as it is.
    return {
        ("up", "none"): pgettext("rose", "{{ @.label }} {{ @.movement }} {{ @.change_pct|abs }} "
                                 "on {{ period.previous }}, to {{ @.actual }}."),
        ("down", "none"): pgettext("fell", "{{ @.label }} {{ @.movement }} {{ @.change_pct|abs }} "
                                   "on {{ period.previous }}, to {{ @.actual }}."),
        ("flat", "none"): _("{{ @.label }} held steady on {{ period.previous }}, to {{ @.actual }}."),
        ("up", "up"): pgettext(
            "rose; rose year on year", "{{ @.label }} {{ @.movement }} {{ @.change_pct|abs }} on "
            "{{ period.previous }} and {{ @.yoy_movement }} {{ @.yoy_pct|abs }} year on year, to "
            "{{ @.actual }}."),
        ("up", "down"): pgettext(
            "rose; fell year on year", "{{ @.label }} {{ @.movement }} {{ @.change_pct|abs }} on "
            "{{ period.previous }} and {{ @.yoy_movement }} {{ @.yoy_pct|abs }} year on year, to "
            "{{ @.actual }}."),
        ("up", "flat"): pgettext(
            "rose; held steady year on year", "{{ @.label }} {{ @.movement }} "
            "{{ @.change_pct|abs }} on {{ period.previous }} and {{ @.yoy_movement }} "
            "{{ @.yoy_pct|abs }} year on year, to {{ @.actual }}."),
        ("down", "up"): pgettext(
            "fell; rose year on year", "{{ @.label }} {{ @.movement }} {{ @.change_pct|abs }} on "
            "{{ period.previous }} and {{ @.yoy_movement }} {{ @.yoy_pct|abs }} year on year, to "
            "{{ @.actual }}."),
        ("down", "down"): pgettext(
            "fell; fell year on year", "{{ @.label }} {{ @.movement }} {{ @.change_pct|abs }} on "
            "{{ period.previous }} and {{ @.yoy_movement }} {{ @.yoy_pct|abs }} year on year, to "
            "{{ @.actual }}."),
        ("down", "flat"): pgettext(
            "fell; held steady year on year", "{{ @.label }} {{ @.movement }} "
            "{{ @.change_pct|abs }} on {{ period.previous }} and {{ @.yoy_movement }} "
            "{{ @.yoy_pct|abs }} year on year, to {{ @.actual }}."),
        ("flat", "up"): pgettext(
            "rose year on year", "{{ @.label }} held steady on {{ period.previous }} and "
            "{{ @.yoy_movement }} {{ @.yoy_pct|abs }} year on year, to {{ @.actual }}."),
        ("flat", "down"): pgettext(
            "fell year on year", "{{ @.label }} held steady on {{ period.previous }} and "
            "{{ @.yoy_movement }} {{ @.yoy_pct|abs }} year on year, to {{ @.actual }}."),
        ("flat", "flat"): pgettext(
            "held steady year on year", "{{ @.label }} held steady on {{ period.previous }} and "
            "{{ @.yoy_movement }} {{ @.yoy_pct|abs }} year on year, to {{ @.actual }}."),
    }


def _biggest_change_first(result: KpiResult) -> float:
    return -abs(result.change_pct) if not math.isnan(result.change_pct) else 0.0


def summary_draft(view: ReportFacts) -> list[str]:
    """How many KPIs are on target, the biggest moves among the headline KPIs, the events."""
    paragraphs = []
    if any(r.status != "none" for r in view.kpis):
        paragraphs.append(_("{{ scorecard.on_target }} of {{ scorecard.with_target }} KPIs with a "
                            "target are on target in {{ period.label }}."))
    movers = sorted(view.headline, key=_biggest_change_first)
    paragraphs += [_change_sentence(r) for r in movers[:MOVERS_SHOWN]]
    if notes_between(view.context_notes, view.reported.start, view.reported.end):
        paragraphs.append(_("Context: {{ context.events }}."))
    return [" ".join(paragraphs)] if paragraphs else []


def targets_draft(view: ReportFacts) -> list[str]:
    """One paragraph: the KPIs off target, then close to it, each with its share of target,
    then how many are on target (the table beside it has the figures and the names)."""
    share = _("{{ @.label }} ({{ @.attainment }} of target)")
    sentences = []
    for sentence, status in ((N_("Off target: %(kpis)s."), "red"),
                             (N_("Close to target: %(kpis)s."), "amber")):
        named = [_about(r, share) for r in view.kpis if r.status == status]
        if named:
            sentences.append(_(sentence, kpis=", ".join(named)))
    if on_target := sum(r.status == "green" for r in view.kpis):
        sentences.append(
            ngettext("The other KPI with a target is on target.",
                     "The other %(n)s KPIs with a target are on target.", on_target)
            if sentences else
            ngettext("The KPI with a target is on target.",
                     "All %(n)s KPIs with a target are on target.", on_target))
    return [" ".join(sentences)] if sentences else []


def trends_draft(view: ReportFacts) -> list[str]:
    """The headline KPIs against the previous period and last year, in one paragraph."""
    sentences = [_change_sentence(r) for r in view.headline[:MOVERS_SHOWN]]
    return [" ".join(sentences)] if sentences else []


def campaigns_draft(view: ReportFacts) -> list[str]:
    """The advertising KPIs of the scorecard, with their change."""
    ads = [r for r in view.kpis if r.metric in AD_METRICS and not math.isnan(r.actual)]
    template = _("{{ @.label }}: {{ @.actual }} ({{ @.change_pct }} on {{ period.previous }}).")
    sentences = [_about(r, template) for r in ads[:MOVERS_SHOWN]]
    return [" ".join(sentences)] if sentences else []


def next_steps_draft(view: ReportFacts) -> list[str]:
    """One step per KPI off target, furthest first, then one to keep what works."""
    items = []
    for r in sorted(view.kpis, key=lambda r: r.attainment if not math.isnan(r.attainment) else math.inf):
        if r.status == "red":
            items.append("- " + _about(r, _("Bring {{ @.label|lower }} back towards its target: "
                                            "{{ @.actual }} against a target of {{ @.target }}.")))
        elif r.status == "amber":
            items.append("- " + _about(r, _("Close the gap on {{ @.label|lower }}, at "
                                            "{{ @.attainment }} of target.")))
    best = max((r for r in view.kpis if r.status == "green"), key=lambda r: r.attainment, default=None)
    if best is not None:
        items.append("- " + _about(best, _("Keep what is working for {{ @.label|lower }}, on target "
                                           "at {{ @.attainment }} of target.")))
    return items


register_draft("executive-summary", summary_draft)
register_draft("targets", targets_draft)
register_draft("trends", trends_draft)
register_draft("campaigns", campaigns_draft)
register_draft("next-steps", next_steps_draft)
