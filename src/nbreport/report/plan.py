"""Which sections a report shows, in what order, and why the others are left out.

The client's ``sections:`` params (:class:`~nbreport.params.sections.SectionsSpec`) choose and
order the outline's sections; a chosen section with nothing to say for this client and period
(no ad data for the budget, no customer-success sources...) is left out too, never shown as
boilerplate, and the appendix says why in one line ("Budget: no ad spend data for this client").

The plan is worked out once from the params and the results; the section cells display
nothing for a section it leaves out, and the export drops the section's heading and reorders
the others (:mod:`nbreport.render.arrange`), reading the plan from the run summary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from nbreport.i18n import N_, _, in_sentence
from nbreport.params.sections import SectionsSpec
from nbreport.report.outline import OUTLINE
from nbreport.report.results import ReportResults

TITLES = {section.id: section.title for section in OUTLINE}
NO_ADS = N_("no ad spend data for this client")


@dataclass(frozen=True)
class LeftOut:
    """A section the client wanted that has nothing to say, and why (a client's words)."""

    id: str
    reason: str

    @property
    def title(self) -> str:
        """The section's title in the language in use (the appendix lists it)."""
        return _(TITLES[self.id])

    @property
    def sentence(self) -> str:
        return f"{self.title}: {self.reason}"


@dataclass(frozen=True)
class SectionPlan:
    """The report's sections.

    Attributes
    ----------
    shown:
        Ids of the sections shown, in report order (a section's parts right after it).
    excluded:
        Ids the client's params leave out (``sections:``); the report does not mention them.
    empty:
        Sections the client wants that have nothing to say, with the reason the appendix gives.
    """

    shown: tuple[str, ...]
    excluded: tuple[str, ...] = ()
    empty: tuple[LeftOut, ...] = ()

    def shows(self, section_id: str) -> bool:
        return section_id in self.shown

    def reason(self, section_id: str) -> str | None:
        """Why a wanted section is left out (``None``: shown, or excluded by the params)."""
        return next((item.reason for item in self.empty if item.id == section_id), None)

    def to_dict(self) -> dict[str, Any]:
        """Plain values for the run summary (key ``sections``), which the export reads."""
        return {"shown": list(self.shown), "excluded": list(self.excluded),
                "empty": [{"id": i.id, "title": i.title, "reason": i.reason} for i in self.empty]}


def plan_sections(spec: SectionsSpec, results: ReportResults) -> SectionPlan:
    """The plan for ``results``: the wanted sections minus those with nothing to say."""
    wanted = spec.wanted()
    empty = [LeftOut(section_id, reason) for section_id in wanted
             if (reason := empty_reason(section_id, results)) is not None]
    left_out = {item.id for item in empty}
    return SectionPlan(
        shown=tuple(s for s in wanted if s not in left_out),
        excluded=tuple(s.id for s in OUTLINE if s.id not in wanted),
        empty=tuple(empty))


def empty_reason(section_id: str, results: ReportResults) -> str | None:
    """Why ``section_id`` has nothing to show for ``results`` (``None``: it has something)."""
    check = _EMPTY.get(section_id)
    return check(results) if check is not None else None


def _budget(results: ReportResults) -> str | None:
    if results.campaigns is None:
        return _(NO_ADS)
    if results.budget is None:
        return _("no budget is set for this client, so spend is not compared with a plan")
    return None


def _campaigns(results: ReportResults) -> str | None:
    if results.campaigns is None:
        return _(NO_ADS)
    if results.campaigns.totals.empty:
        return _("no campaign spent anything in %(period)s", period=results.reported.label)
    return None


def _forecast(results: ReportResults) -> str | None:
    found = results.forecasts
    if found.kpis or found.checks or found.record:
        return None
    note = found.notes[0] if found.notes else _("there was nothing to forecast.")
    return in_sentence(note).rstrip(".")


def _drivers(results: ReportResults) -> str | None:
    for result in results.headline:
        parts = results.contributions.get(result.metric)
        if parts is not None and not parts.empty and not pd.isna(parts.attrs.get("total_change")):
            return None
    return _("there is no earlier period in the data to compare with yet")


def _triangulation(results: ReportResults) -> str | None:
    if results.triangulation:
        return None
    return _("no figure is checked across sources for this client")


def _customer_success(results: ReportResults) -> str | None:
    if results.customer_success.available:
        return None
    return _("no customer-success data (surveys, support desk, billing accounts or product "
             "usage) for this client")


_EMPTY: dict[str, Callable[[ReportResults], str | None]] = {
    "budget": _budget, "campaigns": _campaigns, "forecast": _forecast, "drivers": _drivers,
    "triangulation": _triangulation, "customer-success": _customer_success,
}
