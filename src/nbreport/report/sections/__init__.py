"""Report sections: each function takes the :class:`~nbreport.report.Report` and returns a fragment.

The master notebook calls one per cell, under a Markdown heading. A section the report's plan
leaves out (:mod:`nbreport.report.plan`: the client's ``sections:`` params, or nothing to say)
displays nothing: the functions below check the plan before rendering.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from nbreport.i18n import language
from nbreport.report.context import Report
from nbreport.report.fragment import Fragment, Omitted
from nbreport.report.outline import COMMENTARY_CALL, OUTLINE
from nbreport.report.plan import TITLES
from nbreport.report.sections import appendix as _appendix
from nbreport.report.sections import budget as _budget
from nbreport.report.sections import campaigns as _campaigns
from nbreport.report.sections import commentary as _commentary
from nbreport.report.sections import comparisons as _comparisons
from nbreport.report.sections import contribution as _contribution
from nbreport.report.sections import customer_success as _customer_success
from nbreport.report.sections import forecast as _forecast
from nbreport.report.sections import insights as _insights
from nbreport.report.sections import kpis as _kpis
from nbreport.report.sections import triangulation as _triangulation
from nbreport.report.sections import trends as _trends

# the section each function renders, from the outline (commentary names its section itself)
_SECTION_OF = {name: section.id for section in OUTLINE for name in section.renders
               if name != COMMENTARY_CALL}


def omitted(report: Report, section_id: str) -> Omitted:
    """The stand-in for a section the report leaves out, with the reason when it has one."""
    return Omitted(TITLES[section_id], report.plan.reason(section_id))


def _planned(render: Callable[[Report], Fragment]) -> Callable[[Report], Fragment]:
    section_id = _SECTION_OF[render.__name__]

    @functools.wraps(render)
    def shown_if_planned(report: Report) -> Fragment:
        if not report.plan.shows(section_id):
            return omitted(report, section_id)
        with language(report.language):
            fragment = render(report)
        if report.data_pack is not None:  # the client's data pack keeps what the body shows
            report.data_pack.record(section_id, fragment.html, fragment.chart_data)
        return fragment

    return shown_if_planned


def commentary(report: Report, section_id: str) -> Fragment:
    """The commentary of one section, when the report shows that section."""
    if not report.plan.shows(section_id):
        return omitted(report, section_id)
    with language(report.language):
        return _commentary.commentary(report, section_id)


budget = _planned(_budget.budget)
budget_detail = _planned(_budget.budget_detail)
campaigns = _planned(_campaigns.campaigns)
comparisons = _planned(_comparisons.comparisons)
customer_success = _planned(_customer_success.customer_success)
customer_success_detail = _planned(_customer_success.customer_success_detail)
data_sources = _planned(_appendix.data_sources)
drivers = _planned(_contribution.drivers)
executive_summary = _planned(_kpis.executive_summary)
forecast = _planned(_forecast.forecast)
forecast_record = _planned(_forecast.forecast_record)
next_steps = _planned(_commentary.next_steps)
scorecard = _planned(_kpis.scorecard)
trends = _planned(_trends.trends)
triangulation = _planned(_triangulation.triangulation)
wins_and_challenges = _planned(_insights.wins_and_challenges)

__all__ = ["budget", "budget_detail", "campaigns", "commentary", "comparisons", "customer_success",
           "customer_success_detail", "data_sources", "drivers", "executive_summary", "forecast",
           "forecast_record", "next_steps", "scorecard", "trends", "triangulation",
           "wins_and_challenges"]
