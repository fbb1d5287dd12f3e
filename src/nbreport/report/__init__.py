"""What the master notebook calls: open a client's report, then show its sections.

The names below load on first use, so that the package's light modules (the section
outline, :mod:`nbreport.report.outline`) can be read without pandas and the report's libraries.
"""

import importlib
from typing import Any

_EXPORTS = {
    "SUMMARY_MIME": "summary", "Fragment": "fragment", "Report": "context", "RunSummary": "summary",
    "open_report": "context", "run_summary": "summary", "sections": None,
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'nbreport.report' has no attribute '{name}'")
    module = _EXPORTS[name]
    if module is None:
        return importlib.import_module(f"nbreport.report.{name}")
    return getattr(importlib.import_module(f"nbreport.report.{module}"), name)
