"""The QA gate: checks every report must pass before it is shared with its client.

Names load on first use: params validation imports ``nbreport.qa.spec`` and must
not pull in the gate.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "CHECKS": "checks", "CheckResult": "checks", "ReportUnderCheck": "checks",
    "check_report": "checks", "referenced_secrets": "checks",
    "ClientVerdict": "gate", "GateReport": "gate", "gate_period": "gate",
    "latest_period": "gate", "record": "gate",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'nbreport.qa' has no attribute '{name}'")
    return getattr(importlib.import_module(f"nbreport.qa.{_EXPORTS[name]}"), name)
