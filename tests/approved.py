"""Commentary an analyst approved: for test projects whose reports must pass the QA gate.

Drafts never reach a client unreviewed (``commentary.drafts``: ``block`` or ``preview``), so
a test project that nobody writes commentary for approves each draft as it is, as an analyst
does when the automatic text is right: ``{{ draft }}`` under every heading.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from nbreport.commentary.compose import APPROVE_DRAFT
from nbreport.commentary.store import commentary_path
from nbreport.core.period import Period
from nbreport.report.outline import commentary_sections


def approved_text(written: Mapping[str, str] | None = None) -> str:
    """A commentary file approving the draft of every section that takes commentary, except
    those ``written`` gives the text of (by title)."""
    written = written or {}
    return "".join(f"## {section.title}\n\n{written.get(section.title, APPROVE_DRAFT)}\n\n"
                   for section in commentary_sections())


def approve_drafts(project_dir: Path, client_id: str, *periods: str) -> list[Path]:
    """Write the commentary files of ``client_id`` for ``periods`` (``2026-10``,
    ``2026-W43``, ``2026-10-05..2026-10-18``...) approving every draft."""
    written = []
    for period in periods:
        path = commentary_path(project_dir, client_id, Period.parse(period).key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(approved_text(), encoding="utf-8")
        written.append(path)
    return written
