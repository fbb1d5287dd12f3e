"""What changed, in the analyst workspace: the report against the previous period's and the
copy that was sent, side by side, with a plain note for whatever cannot be compared yet."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from nbreport.core.errors import NbreportError
from nbreport.core.formatting import Formatter
from nbreport.core.layout import ProjectLayout
from nbreport.core.period_names import as_of_key
from nbreport.delivery.diff import Against, ReportDiff, diff_report
from nbreport.params import load_client_params


@dataclass(frozen=True)
class ReportChanges:
    """Both diffs of one client's report of one period (``None`` where there is nothing to
    compare with; ``notes`` says why)."""

    client_id: str
    period: str
    previous: ReportDiff | None
    sent: ReportDiff | None
    notes: tuple[str, ...]

    def text(self) -> str:
        return "\n\n".join([*(found.text() for found in (self.previous, self.sent) if found),
                            *self.notes])

    def _repr_html_(self) -> str:
        parts = [found._repr_html_() for found in (self.previous, self.sent) if found]
        parts += [f"<p><em>{html.escape(note)}</em></p>" for note in self.notes]
        return "\n".join(parts)


def report_changes(project_dir: str | Path, client_id: str, period: str | None = None,
                   outputs_dir: str | Path | None = None) -> ReportChanges:
    """What changed in ``client_id``'s report of ``period`` (default: the period of its params)."""
    project = Path(project_dir).resolve()
    params = load_client_params(client_id, project / "params",
                                overrides={"period": period} if period else None)
    key = as_of_key(params.period, params.report_period)
    layout = ProjectLayout(Path(outputs_dir) if outputs_dir else ProjectLayout.default(project).outputs_dir)
    fmt = Formatter(params.client.currency, params.client.locale)
    found: dict[str, ReportDiff | None] = {}
    notes = []
    for against in ("previous", "sent"):
        try:
            found[against] = diff_report(layout, client_id, key, against, fmt, params.client.name)
        except NbreportError as exc:
            found[against] = None
            notes.append(f"Against the {'previous period' if against == 'previous' else 'sent copy'}: {exc}")
    return ReportChanges(client_id, key, found["previous"], found["sent"], tuple(notes))


__all__ = ["Against", "ReportChanges", "report_changes"]
