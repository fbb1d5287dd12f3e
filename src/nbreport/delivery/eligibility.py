"""Which reports may be e-mailed: produced, passed by the QA gate, commentary approved."""

from __future__ import annotations

import json
from typing import Any

from nbreport.core.errors import ConfigError
from nbreport.core.layout import ProjectLayout


def read_period(layout: ProjectLayout, period: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The period's manifest and gate results (``qa.json``; empty when the gate never ran).

    Raises
    ------
    ConfigError
        When the period has no manifest: nothing was produced for it.
    """
    manifest_path = layout.manifest(period)
    if not manifest_path.is_file():
        raise ConfigError(f"no reports for {period} (no {manifest_path.name} in "
                          f"outputs/{period}/): run `nbreport run --all --period {period}` first")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    qa_path = layout.qa(period)
    gate = json.loads(qa_path.read_text(encoding="utf-8")) if qa_path.is_file() else {}
    return manifest, gate


def not_sendable(client_id: str, period: str, entry: dict[str, Any] | None,
                 gate: dict[str, Any], layout: ProjectLayout) -> str | None:
    """Why the client's report may not be sent, in words with the fix, or ``None``."""
    if entry is None:
        return f"no report for {period}: run `nbreport run {client_id} --period {period}`"
    if entry.get("status") not in ("ok", "recovered"):
        return f"the last run {entry.get('status')}: run it again"
    if not layout.report_html(period, client_id).is_file():
        return f"report.html is missing from outputs/{period}/{client_id}/"
    verdict = (gate.get("clients") or {}).get(client_id)
    recorded = entry.get("qa") or {}
    if verdict is None or not recorded:
        return f"not checked by the QA gate: run `nbreport check {period}`"
    if not verdict.get("passed") or not recorded.get("passed"):
        failed = recorded.get("failed") or [c["name"] for c in verdict.get("checks", [])
                                             if not c.get("passed")]
        return f"did not pass the QA gate ({', '.join(failed)}): see `nbreport check {period}`"
    review = (entry.get("summary") or {}).get("review") or {}
    if review.get("publishable") is False:
        reasons = "; ".join(str(r) for r in review.get("reasons", [])) or "not approved"
        return f"commentary not approved ({reasons})"
    if (entry.get("summary") or {}).get("review") is None:
        return "the report records no commentary review: run it again with this nbreport version"
    return None
