"""What changed: a report against the previous period's, or against the copy that was sent.

``nbreport diff CLIENT PERIOD`` reads stored results (``outputs/<period>/<client>/results.json``),
never the HTML:

* ``--against previous``: each KPI of the report against the same KPI of the previous period's
  report (:meth:`nbreport.core.period.Period.previous`: the week before a week, the quarter
  before a quarter), with the old value, the new value and the change;
* ``--against sent``: a re-run of a period already sent, against the copy kept at send time
  (``outputs/<period>/sent/<client>/results.json``): every number that moved
  (:mod:`nbreport.delivery.changes`).

Numbers are written as the report writes them (the client's currency and locale).
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from nbreport.core.errors import ConfigError
from nbreport.core.formatting import Formatter
from nbreport.core.layout import ProjectLayout
from nbreport.core.period import Period
from nbreport.delivery.changes import MovedNumber, kpi_labels, moved_numbers
from nbreport.i18n import _, ngettext

Against = Literal["previous", "sent"]


@dataclass(frozen=True)
class KpiDelta:
    """One KPI of a report against the same KPI of an earlier report."""

    metric: str
    label: str
    unit: str
    old: float | None
    new: float | None

    def texts(self, fmt: Formatter) -> tuple[str, str, str]:
        """Old value, new value and the change (``+$87,724 (+17.7%)``) as the report writes them."""
        old, new = fmt.value(self.old, self.unit), fmt.value(self.new, self.unit)
        if self.old is None or self.new is None:
            return old, new, ""
        change = fmt.difference(self.new - self.old, self.unit)
        if self.unit != "percent" and self.old != 0:
            change += f" ({fmt.change((self.new - self.old) / abs(self.old))})"
        return old, new, change


@dataclass(frozen=True)
class ReportDiff:
    """What changed in one client's report of ``period`` against an earlier one.

    Attributes
    ----------
    client_id, period, against:
        Whose report, which period, and what it is compared with (``previous`` or ``sent``).
    client_name:
        The client's name, as the report writes it.
    old_label, new_label:
        How the two reports are named ("September 2026"; "as sent").
    kpis:
        ``previous``: every KPI of the report with its deltas.
    moved:
        ``sent``: every number that reads differently from the copy that was sent.
    fmt:
        The client's formatter.
    """

    client_id: str
    period: str
    against: Against
    old_label: str
    new_label: str
    kpis: tuple[KpiDelta, ...]
    moved: tuple[MovedNumber, ...]
    fmt: Formatter
    client_name: str = ""

    @property
    def rows(self) -> list[tuple[str, str, str, str]]:
        """(what, old, new, change) per line, in the report's words and formats."""
        if self.against == "previous":
            return [(kpi.label, *kpi.texts(self.fmt)) for kpi in self.kpis]
        return [(f"{_(item.section)}: {item.where}", *item.texts(self.fmt)) for item in self.moved]

    @property
    def changed(self) -> bool:
        return bool(self.moved) if self.against == "sent" else any(
            kpi.texts(self.fmt)[0] != kpi.texts(self.fmt)[1] for kpi in self.kpis)

    def title(self) -> str:
        if self.against == "sent":
            return ngettext("%(client)s, %(period)s: %(n)s number moved since the report was sent",
                            "%(client)s, %(period)s: %(n)s numbers moved since the report was sent",
                            len(self.moved), client=self.client_name or self.client_id,
                            period=_period_label(self.period))
        return _("%(client)s: %(new)s against %(old)s", client=self.client_name or self.client_id,
                 new=self.new_label, old=self.old_label)

    def text(self) -> str:
        """The diff as aligned plain text (what ``nbreport diff`` prints)."""
        header = (_("Number"), self.old_label, self.new_label, _("Change"))
        rows = [header, *self.rows]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        lines = [self.title()]
        lines += ["  ".join([row[0].ljust(widths[0]), row[1].rjust(widths[1]),
                             row[2].rjust(widths[2]), row[3]]).rstrip() for row in rows]
        if self.against == "sent" and not self.moved:
            lines.append(_("Nothing moved: every number reads as in the report that was sent."))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """A table for the analyst workspace."""
        cells = "".join(
            "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
            for row in self.rows)
        head = "".join(f"<th>{html.escape(cell)}</th>" for cell in
                       (_("Number"), self.old_label, self.new_label, _("Change")))
        return (f"<p><strong>{html.escape(self.title())}</strong></p>"
                f"<table><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>")


def read_results(path: Path) -> dict[str, Any]:
    """A stored ``results.json``; a clear error when it is missing or not results.

    Raises
    ------
    ConfigError
        Naming the file and how to get it.
    """
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{_shown(path)} does not exist: run `nbreport run {path.parent.name} "
                          f"--period {_period_of(path)}` first") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{_shown(path)} cannot be read as stored results ({exc}); run the "
                          "report again to write it anew") from None
    if not isinstance(document, dict) or not isinstance(document.get("kpis"), list):
        raise ConfigError(f"{_shown(path)} holds no stored results (no 'kpis' list); run the "
                          "report again to write it anew")
    return document


def diff_report(layout: ProjectLayout, client_id: str, period: str, against: Against,
                fmt: Formatter, client_name: str = "") -> ReportDiff:
    """The report of ``client_id`` for ``period`` against the previous period's or the sent copy."""
    new = read_results(layout.results(period, client_id))
    new_label = _period_label(period)
    if against == "sent":
        sent = layout.sent_results(period, client_id)
        if not sent.exists():
            raise ConfigError(f"{_shown(sent)} does not exist: the report of {client_id} for "
                              f"{period} has not been sent (nbreport send), so there is nothing "
                              "to compare the re-run with; use --against previous")
        moved = moved_numbers(read_results(sent), new, fmt)
        return ReportDiff(client_id, period, against, _("as sent"), _("now"), (), tuple(moved), fmt,
                          client_name)
    previous = previous_period(period)
    old = read_results(layout.results(previous, client_id))
    return ReportDiff(client_id, period, against, _period_label(previous), new_label,
                      tuple(kpi_deltas(old, new)), (), fmt, client_name)


def kpi_deltas(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[KpiDelta]:
    """Each KPI of ``new`` with its value in ``old`` (``None`` when that report did not have it)."""
    before = {kpi["metric"]: kpi for kpi in old.get("kpis") or []}
    labels = kpi_labels(new)
    return [KpiDelta(kpi["metric"], labels[kpi["metric"]], kpi.get("unit") or "number",
                     _number((before.get(kpi["metric"]) or {}).get("actual")),
                     _number(kpi.get("actual")))
            for kpi in new.get("kpis") or []]


def previous_period(period: str) -> str:
    """The output folder of the period before ``period`` (``2026-W42`` -> ``2026-W41``)."""
    return Period.parse(period).previous().key


def sent_copy_differs(layout: ProjectLayout, client_id: str, period: str, fmt: Formatter) -> bool:
    """Whether a sent copy of the report exists and any number reads differently now."""
    sent, now = layout.sent_results(period, client_id), layout.results(period, client_id)
    if not (sent.exists() and now.exists()):
        return False
    try:
        return bool(moved_numbers(read_results(sent), read_results(now), fmt))
    except ConfigError:
        return True  # an unreadable copy cannot vouch for the report: look at it


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _period_label(key: str) -> str:
    try:
        return Period.parse(key).label
    except ValueError:
        return key


def _period_of(results_path: Path) -> str:
    return results_path.parent.parent.name


def _shown(path: Path) -> str:
    """The file relative to its outputs folder (``outputs/2026-10/acme/results.json``)."""
    parts = path.parts
    return "/".join(parts[-4:]) if len(parts) >= 4 else str(path)
