"""Report sections: each function takes the :class:`~nbreport.report.Report` and returns a fragment.

The master notebook calls one per cell, under a Markdown heading.
"""

from nbreport.report.sections.appendix import data_sources
from nbreport.report.sections.budget import budget, budget_detail
from nbreport.report.sections.campaigns import campaigns
from nbreport.report.sections.commentary import commentary, next_steps
from nbreport.report.sections.comparisons import comparisons
from nbreport.report.sections.contribution import drivers
from nbreport.report.sections.customer_success import customer_success, customer_success_detail
from nbreport.report.sections.insights import wins_and_challenges
from nbreport.report.sections.forecast import forecast, forecast_record
from nbreport.report.sections.kpis import executive_summary, scorecard
from nbreport.report.sections.triangulation import triangulation
from nbreport.report.sections.trends import trends

__all__ = ["budget", "budget_detail", "campaigns", "commentary", "comparisons", "customer_success",
           "customer_success_detail", "data_sources", "drivers", "executive_summary", "forecast",
           "forecast_record", "next_steps", "scorecard", "trends", "triangulation",
           "wins_and_challenges"]
