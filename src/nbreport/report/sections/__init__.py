"""Report sections: each function takes the :class:`~nbreport.report.Report` and returns a fragment.

The master notebook calls one per cell, under a Markdown heading.
"""

from nbreport.report.sections.appendix import data_sources
from nbreport.report.sections.campaigns import campaigns
from nbreport.report.sections.forecast import forecast
from nbreport.report.sections.kpis import executive_summary, scorecard
from nbreport.report.sections.trends import trends

__all__ = ["campaigns", "data_sources", "executive_summary", "forecast", "scorecard", "trends"]
