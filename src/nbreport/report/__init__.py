"""What the master notebook calls: open a client's report, then show its sections."""

from nbreport.report import sections
from nbreport.report.context import Report, open_report
from nbreport.report.fragment import Fragment
from nbreport.report.summary import SUMMARY_MIME, RunSummary, run_summary

__all__ = ["SUMMARY_MIME", "Fragment", "Report", "RunSummary", "open_report", "run_summary", "sections"]
