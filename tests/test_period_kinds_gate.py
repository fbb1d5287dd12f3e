"""Every kind of period, through real kernels, passes the QA gate with its numbers recomputed.

A sweep of the demo clients over a week, a quarter, a custom range and a month to date found a
figure printed two ways (20,13 € and 20,12 €: one number summed in two orders, on a half cent);
the gate's label and recomputation checks run on every report here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nbreport.batch import run_batch
from nbreport.core.formatting import Formatter
from tests.approved import approve_drafts
from tests.conftest import DEMO_CLIENTS, copy_project

PERIODS = {"week": {"period": "2026-W42"}, "quarter": {"period": "2026-Q3"},
           "custom": {"period": "2026-10-05..2026-10-18"},
           "month-to-date": {"period": "2026-10", "as_of": "2026-10-15"}}


@pytest.mark.kernel
@pytest.mark.parametrize("kind", list(PERIODS))
def test_every_period_kind_passes_the_gate(kind: str, tmp_path: Path, demo_data_dir: Path) -> None:
    settings = copy_project(tmp_path / "project", demo_data_dir)
    overrides = PERIODS[kind]
    for client_id in DEMO_CLIENTS:  # nobody wrote these periods' text: the drafts are approved
        approve_drafts(settings.project_dir, client_id, overrides["period"])
    outcome = run_batch(settings, list(DEMO_CLIENTS), overrides=overrides)
    assert all(r.status == "ok" for r in outcome.results), [r.error for r in outcome.results]
    failures = {v.client_id: [(c.name, c.detail) for c in v.failures]
                for gate in outcome.gates for v in gate.clients if not v.passed}
    assert not failures


def test_one_number_summed_in_two_orders_prints_one_way() -> None:
    euros = Formatter("EUR", "de_DE")
    assert euros.value(20.124999999999996, "currency") == euros.value(20.125000000000004, "currency")
    assert euros.change(0.12349999999999999) == euros.change(0.12350000000000001)
    assert euros.value(2.4999999999999996, "count") == euros.value(2.5000000000000004, "count")
