""""Restated since our last report": the headline numbers a re-run moved since it was sent.

With ``report.show_changes: true`` in a client's params, a report of a period already sent
(``outputs/<period>/sent/<client>/results.json`` exists) names, in its executive summary, each
headline number that now reads differently, old -> new. The kernel reads the sent copy with the
other inputs (:func:`read_sent_results`), as it reads the forecasts earlier reports stored.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nbreport.core.formatting import Formatter
from nbreport.delivery.diff import kpi_deltas
from nbreport.i18n import _

if TYPE_CHECKING:
    from nbreport.report.results import ReportResults

log = logging.getLogger(__name__)


def read_sent_results(path: Path) -> dict[str, Any] | None:
    """The stored results of the report that was sent, or ``None`` (never sent, or unreadable:
    a broken copy never breaks the report, it only loses the note)."""
    if not path.is_file():
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("the sent copy %s cannot be read (%s): no restated note", path, exc)
        return None
    return document if isinstance(document, dict) else None


def restated_headline(sent: Mapping[str, Any], results: ReportResults,
                      fmt: Formatter) -> list[tuple[str, str, str]]:
    """(label, as sent, now) of each headline number that reads differently from the sent copy."""
    now = {"kpis": [{"metric": kpi.metric, "label": kpi.label, "unit": kpi.unit,
                     "actual": kpi.actual} for kpi in results.headline]}
    moved = []
    for delta in kpi_deltas(sent, now):
        old, new, _change = delta.texts(fmt)
        if delta.old is not None and old != new:
            moved.append((delta.label, old, new))
    return moved


def restated_note(sent: Mapping[str, Any] | None, results: ReportResults, fmt: Formatter) -> str | None:
    """"Restated since our last report: Revenue $582,546 -> $583,046." or ``None``."""
    moved = restated_headline(sent, results, fmt) if sent else []
    if not moved:
        return None
    items = "; ".join(_("%(label)s %(old)s \u2192 %(new)s", label=label, old=old, new=new)
                      for label, old, new in moved)
    return _("Restated since our last report: %(items)s.", items=items)
