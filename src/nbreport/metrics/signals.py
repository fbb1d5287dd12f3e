"""The per-account signals a customer health score can weigh (``nbreport metrics`` lists them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SignalUnit = Literal["percent", "number"]


@dataclass(frozen=True)
class HealthSignal:
    """A per-account measurement a customer health score can weigh.

    Attributes
    ----------
    kinds:
        Canonical kinds of data the signal is computed from.
    """

    name: str
    label: str
    unit: SignalUnit
    kinds: tuple[str, ...]
    description: str


HEALTH_SIGNALS: dict[str, HealthSignal] = {
    signal.name: signal
    for signal in (
        HealthSignal("active_days", "Active days", "percent", ("usage",),
                     "Share of the period's days with any product use."),
        HealthSignal("seat_utilisation", "Seat utilisation", "percent", ("usage", "accounts"),
                     "Mean daily active users on active days / seats paid for."),
        HealthSignal("key_actions_per_user", "Key actions per active user", "number", ("usage",),
                     "Uses of the core feature / active user-days."),
        HealthSignal("tickets_per_seat", "Support tickets per seat", "number",
                     ("support", "accounts"), "Tickets opened in the period / seats."),
        HealthSignal("ticket_satisfaction", "Ticket satisfaction", "number", ("support",),
                     "Mean 1-5 rating of the tickets rated in the period."),
        HealthSignal("resolution_hours", "Hours to resolve", "number", ("support",),
                     "Median hours from opening to resolving the period's tickets."),
        HealthSignal("mrr_change", "MRR change", "percent", ("accounts",),
                     "Relative change of monthly recurring revenue over the period."),
    )
}
