"""metrics/signals: each health signal is computed from exactly the kinds of data it declares."""

from __future__ import annotations

import pytest

from frames import client, table
from nbreport.core.period import Period
from nbreport.metrics.health import health_signals
from nbreport.metrics.signals import HEALTH_SIGNALS, HealthSignal
from nbreport.metrics.spec import HealthComponent
from nbreport.sources.canonical import CANONICAL

OCTOBER = Period.parse("2026-10")
TABLES = {
    "accounts": table("accounts", [
        {"date": "2026-09-30", "account_id": "a1", "status": "active", "mrr": 100.0, "seats": 4},
        {"date": "2026-10-31", "account_id": "a1", "status": "active", "mrr": 120.0, "seats": 4}]),
    "usage": table("usage", [
        {"date": "2026-10-02", "account_id": "a1", "active_users": 2, "key_actions": 6},
        {"date": "2026-10-03", "account_id": "a1", "active_users": 4, "key_actions": 3}]),
    "support": table("support", [
        {"date": "2026-10-05", "ticket_id": "t1", "account_id": "a1", "satisfaction": 4.0,
         "created_at": "2026-10-05 09:00", "resolved_at": "2026-10-05 15:00"}]),
}
EXPECTED = {  # by hand, from the tables above
    "active_days": 2 / 31, "seat_utilisation": (6 / 2) / 4, "key_actions_per_user": 9 / 6,
    "tickets_per_seat": 1 / 4, "ticket_satisfaction": 4.0, "resolution_hours": 6.0,
    "mrr_change": (120 - 100) / 100,
}


def test_every_signal_has_a_hand_computed_value() -> None:
    assert set(EXPECTED) == set(HEALTH_SIGNALS)
    signals = health_signals(client(**TABLES), OCTOBER)
    for name, value in EXPECTED.items():
        assert signals.loc["a1", name] == pytest.approx(value), name


@pytest.mark.parametrize("name", sorted(HEALTH_SIGNALS))
def test_a_signal_needs_its_kinds_and_no_other(name: str) -> None:
    signal = HEALTH_SIGNALS[name]
    assert isinstance(signal, HealthSignal) and signal.unit in ("percent", "number")
    assert set(signal.kinds) <= set(CANONICAL) and signal.label and signal.description.endswith(".")
    only_its_kinds = health_signals(client(**{kind: TABLES[kind] for kind in signal.kinds}), OCTOBER)
    assert only_its_kinds.loc["a1", name] == pytest.approx(EXPECTED[name])
    for kind in signal.kinds:
        others = {k: frame for k, frame in TABLES.items() if k != kind}
        without = health_signals(client(**others), OCTOBER)  # no value without one of its kinds
        assert name not in without.columns or without[name].isna().all(), kind


def test_a_health_component_names_a_known_signal() -> None:
    assert HealthComponent(signal="active_days", weight=1, good=0.8, bad=0.2).signal == "active_days"
    with pytest.raises(ValueError, match="unknown health signal 'active_day'.*active_days"):
        HealthComponent(signal="active_day", weight=1, good=0.8, bad=0.2)
