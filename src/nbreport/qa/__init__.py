"""The QA gate: checks every report must pass before it is shared with its client.

Names load on first use: params validation imports ``nbreport.qa.spec`` and must
not pull in the gate.
"""

from __future__ import annotations

import lazy_loader as lazy

__getattr__, __dir__, __all__ = lazy.attach(__name__, submod_attrs={
    "checks": ["CHECKS", "CheckResult", "ReportUnderCheck", "check_report", "referenced_secrets"],
    "gate": ["ClientVerdict", "GateReport", "gate_period", "latest_period", "record"],
})
