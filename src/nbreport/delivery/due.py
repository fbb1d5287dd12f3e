"""What is due now: for each scheduled client, the period its latest due time reports on and
whether that period is to be run, waited for, sent, or done.

Only the latest due time of each client counts: a period whose due time has passed is run
(or sent) by the next ``nbreport run --due`` (``send --due``), whenever that is; older periods
are never run behind the analyst's back. What has been done is read from the outputs folder:
``outputs/<period>/manifest.json`` (ran, and the QA gate's verdict) and
``outputs/<period>/deliveries.json`` (sent, written by ``nbreport send``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from nbreport.core.errors import ParamsError
from nbreport.core.layout import DELIVERIES_FILE, ProjectLayout
from nbreport.delivery.readiness import SourceEnd, late_sources
from nbreport.delivery.schedule import last_due, local_words, next_due, period_due
from nbreport.params import ClientParams, client_files, load_client_params
from nbreport.settings import Settings

State = Literal["due", "waiting", "ran", "sent", "invalid"]


@dataclass(frozen=True)
class DueItem:
    """One scheduled client at one moment.

    Attributes
    ----------
    period:
        The key of the period its latest due time reports on (``2026-10``, ``2026-W43``).
    state:
        ``due`` (to run now), ``waiting`` (due, but a source does not cover the period's end
        and the wait's deadline is still ahead), ``ran`` (produced, not sent yet), ``sent``,
        or ``invalid`` (its params do not validate: its schedule is unknown).
    why:
        The state in words, with the local times.
    late:
        The sources that did not cover the period's end when last looked at.
    gate_passed:
        For a client that ran: whether its report passed the QA gate.
    """

    client_id: str
    period: str
    state: State
    why: str
    due_at: datetime | None = None
    next_at: datetime | None = None
    deadline: datetime | None = None
    late: list[SourceEnd] = field(default_factory=list)
    gate_passed: bool = False

    def to_dict(self) -> dict[str, Any]:
        moments = {name: value.isoformat() if value else None for name, value in
                   (("due_at", self.due_at), ("next_at", self.next_at), ("deadline", self.deadline))}
        return {"client": self.client_id, "period": self.period, "state": self.state,
                "why": self.why, **moments, "late": [end.words() for end in self.late],
                "gate_passed": self.gate_passed}


def is_sent(deliveries: dict[str, Any], client_id: str) -> bool:
    """Whether ``deliveries.json`` (as read; see :mod:`nbreport.delivery.record`) records
    ``client_id``'s report as sent: its last message reached every recipient (``partial``
    and ``failed`` are finished by the next ``send``, so they are still due)."""
    messages = ((deliveries.get("clients") or {}).get(client_id) or {}).get("messages") or []
    last = messages[-1] if isinstance(messages, list) and messages else None
    return isinstance(last, dict) and last.get("status") == "sent"


def _read_json(path: Path) -> dict[str, Any]:
    """A JSON record of the outputs folder; an absent or unreadable one is empty (nothing done)."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


class _Records:
    """The manifests and deliveries of the periods looked at, each read once."""

    def __init__(self, settings: Settings) -> None:
        self.layout = ProjectLayout.of(settings)
        self._manifests: dict[str, dict[str, Any]] = {}
        self._deliveries: dict[str, dict[str, Any]] = {}

    def entry(self, period: str, client_id: str) -> dict[str, Any]:
        if period not in self._manifests:
            self._manifests[period] = _read_json(self.layout.manifest(period))
        return (self._manifests[period].get("clients") or {}).get(client_id) or {}

    def sent(self, period: str, client_id: str) -> bool:
        if period not in self._deliveries:
            self._deliveries[period] = _read_json(self.layout.period_dir(period) / DELIVERIES_FILE)
        return is_sent(self._deliveries[period], client_id)


def due_items(settings: Settings, now: datetime, clients: Iterable[str] | None = None,
              *, look_at_data: bool = True) -> list[DueItem]:
    """The state of every scheduled client (or of ``clients``) at ``now``.

    ``look_at_data``: read the sources of the clients whose period is due but not run yet, to
    know which wait for data (``send --due`` does not need to).
    """
    records = _Records(settings)
    items = []
    for client_id in clients or client_files(settings.params_dir):
        try:
            params = load_client_params(client_id, settings.params_dir)
        except ParamsError as error:
            items.append(DueItem(client_id, "", "invalid", _first_line(str(error))))
            continue
        if params.schedule is not None:
            items.append(_client_state(params, settings, records, now, look_at_data))
    return items


def unscheduled_clients(settings: Settings) -> list[str]:
    """The clients whose params have no ``schedule:`` block (never due)."""
    found = []
    for client_id in client_files(settings.params_dir):
        try:
            if load_client_params(client_id, settings.params_dir).schedule is None:
                found.append(client_id)
        except ParamsError:
            continue
    return found


def _client_state(params: ClientParams, settings: Settings, records: _Records, now: datetime,
                  look_at_data: bool) -> DueItem:
    spec = params.schedule
    assert spec is not None
    client_id = params.client.id
    due, upcoming = last_due(spec, now), next_due(spec, now)
    period = period_due(spec, due)
    base: dict[str, Any] = dict(client_id=client_id, period=period.key, due_at=due, next_at=upcoming)
    since = f"due since {local_words(due)}"
    if records.sent(period.key, client_id):
        return DueItem(**base, state="sent", why=f"already sent; next due {local_words(upcoming)}",
                       gate_passed=True)
    entry = records.entry(period.key, client_id)
    if entry.get("status") == "ok":
        passed = bool((entry.get("qa") or {}).get("passed"))
        verdict = "passed the gate" if passed else "did not pass the gate (nbreport check)"
        return DueItem(**base, state="ran", why=f"already run, {verdict}; not sent yet",
                       gate_passed=passed)
    if entry.get("status"):
        since += f"; last run {entry['status']}, running again"
    deadline = due + spec.wait_limit if spec.wait_for_data else None
    late = (late_sources(params, settings.data_dir / client_id, period.end)
            if look_at_data and spec.wait_for_data else [])
    if late and deadline is not None and now < deadline:
        return DueItem(**base, state="waiting", deadline=deadline, late=late,
                       why=f"{since}; waiting for data from {_names(late)} until {local_words(deadline)}")
    if late and deadline is not None:
        since += f"; waited until {local_words(deadline)}, late: {_names(late)}"
    return DueItem(**base, state="due", deadline=deadline, late=late, why=since)


def due_runs(settings: Settings, now: datetime,
             clients: Iterable[str] | None = None) -> dict[str, list[str]]:
    """The clients to run now, by the period each reports on (``nbreport run --due``)."""
    return by_period(item for item in due_items(settings, now, clients) if item.state == "due")


def due_for_sending(settings: Settings, now: datetime) -> dict[str, list[str]]:
    """The clients to send now, by period (``nbreport send --due``): their latest due time has
    passed, the period's report was run and passed the QA gate, and it is not sent yet."""
    items = due_items(settings, now, look_at_data=False)
    return by_period(item for item in items if item.state == "ran" and item.gate_passed)


def by_period(items: Iterable[DueItem]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for item in items:
        grouped.setdefault(item.period, []).append(item.client_id)
    return {period: sorted(clients) for period, clients in sorted(grouped.items())}


def _names(late: list[SourceEnd]) -> str:
    return ", ".join(end.words() for end in late)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " ".join(lines[:2]) if lines else "invalid parameters"
