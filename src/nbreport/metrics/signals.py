"""The per-account signals a customer health score can weigh (``nbreport metrics`` lists them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nbreport.i18n import N_

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
        HealthSignal("active_days", N_("Active days"), "percent", ("usage",),
                     "Share of the period's days with any product use."),
        HealthSignal("seat_utilisation", N_("Seat utilisation"), "percent", ("usage", "accounts"),
                     "Mean daily active users on active days / seats paid for."),
        HealthSignal("key_actions_per_user", N_("Key actions per active user"), "number", ("usage",),
                     "Uses of the core feature / active user-days."),
        HealthSignal("tickets_per_seat", N_("Support tickets per seat"), "number",
                     ("support", "accounts"), "Tickets opened in the period / seats."),
        HealthSignal("ticket_satisfaction", N_("Ticket satisfaction"), "number", ("support",),
                     "Mean 1-5 rating of the tickets rated in the period."),
        HealthSignal("resolution_hours", N_("Hours to resolve"), "number", ("support",),
                     "Median hours from opening to resolving the period's tickets."),
        HealthSignal("mrr_change", N_("MRR change"), "percent", ("accounts",),
                     "Relative change of monthly recurring revenue over the period."),
    )
}
