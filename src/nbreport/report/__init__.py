"""What the master notebook calls: open a client's report, then show its sections.

The flow is one way: :mod:`.inputs` (read everything) -> :mod:`.analysis` (every number,
as :class:`~nbreport.report.results.ReportResults`) -> :mod:`.sections` (results to HTML
fragments); :mod:`.context` puts them together (:func:`open_report`).

The names below load on first use, so that the package's light modules (the section
outline, :mod:`nbreport.report.outline`) can be read without pandas and the report's libraries.
"""

from __future__ import annotations

import lazy_loader as lazy

__getattr__, __dir__, __all__ = lazy.attach(__name__, submodules=["sections"], submod_attrs={
    "summary": ["SUMMARY_MIME", "RunSummary", "run_summary"],
    "fragment": ["Fragment"],
    "context": ["Report", "open_report"],
    "inputs": ["ReportInputs", "load_inputs"],
    "analysis": ["analyse"],
    "results": ["ReportResults"],
})
